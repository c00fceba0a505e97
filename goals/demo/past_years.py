"""Demo past years for Heraklion: the 2024 cycle adopted and monitored, with one amendment; the
2023 cycle closed.

The demo's story: 2023 was adopted, evaluated and closed; 2024 was adopted by decision 118/2024
(signed on 27 February, posted on Diavgeia the next day), allocated to departments, reported on
all year (some goals behind) and amended in July; the
2025 goals are in consultation (`consultation.py`). Everything goes through the real workflows,
so the goals' history shows who adopted, amended and evaluated what.
"""

import datetime
from decimal import Decimal

from directorates.models import Directorate, User
from goals.achievement import achievement as compute_achievement
from goals.demo.consultation import (
    COMMON_GOALS,
    DEFAULT_SERVICES_GOAL,
    SPECIFIC_GOALS,
    ensure_goal,
    seed_programme,
)
from goals.models import (
    Goal,
    GoalCycle,
    ProgressUpdate,
)

PAST_CYCLES = {
    # year: (decision number, protocol number, date signed, ΑΔΑ, date posted on Diavgeia)
    2023: ("97", "5913", datetime.date(2023, 3, 2), "9ΖΤ1ΩΗΓ-Λ4Φ", datetime.date(2023, 3, 3)),
    2024: ("118", "6842", datetime.date(2024, 2, 27), "Ψ4ΚΣΩΗΓ-3ΞΛ", datetime.date(2024, 2, 28)),
}

AMENDMENT_2024 = (
    "412",
    "28377",
    datetime.date(2024, 7, 18),
    "6ΡΛ4ΩΗΓ-Ξ7Β",
    datetime.date(2024, 7, 22),
)

# How each goal fares over the year, by its position: (share of the distance covered by year
# end, reported status). Most are on track, some at risk, some behind.
PROFILES = [
    (Decimal("1.05"), "on_track"),
    (Decimal("0.95"), "on_track"),
    (Decimal("1.0"), "on_track"),
    (Decimal("0.7"), "at_risk"),
    (Decimal("1.0"), "on_track"),
    (Decimal("0.35"), "behind"),
    (Decimal("0.9"), "on_track"),
]


def seed_decisions() -> dict[str, int]:
    """Create the 2023 and 2024 cycles and take them as far as the story goes; idempotent."""
    from goals.services.cycles import advance_cycle, close_cycle, open_evaluation, publish_cycle
    from goals.services.decisions import prepare_decision

    created = {
        "decisions": 0,
        "allocations": 0,
        "progress updates": 0,
        "evaluations": 0,
        "published cycles": 0,
    }
    mayor = User.objects.filter(username="mayor").first()
    secretary = User.objects.filter(username="secretary").first()
    if mayor is None or secretary is None:
        return created
    for year in PAST_CYCLES:
        cycle = _past_cycle(year, secretary)
        if cycle.phase == GoalCycle.Phase.CONSULTATION:
            draft = prepare_decision(cycle=cycle, by=secretary)
            _sign_and_post(draft, mayor, secretary, PAST_CYCLES[year])
            created["decisions"] += 1
            cycle.refresh_from_db()
        if cycle.phase == GoalCycle.Phase.ALLOCATION:
            goals = _adopted_goals(cycle)
            if year == 2024:
                created["allocations"] += _allocate_most(goals)
            advance_cycle(cycle=cycle, to_phase=GoalCycle.Phase.MONITORING, by=secretary)
            if year == 2024:
                created["progress updates"] += _report_the_year(goals, until_month=6)
                created["decisions"] += _amend_2024(cycle, secretary, mayor)
                # The amendment withdrew one goal (no longer reported) and added one.
                known = {goal.pk for goal in goals}
                goals += [goal for goal in _adopted_goals(cycle) if goal.pk not in known]
                created["progress updates"] += _report_the_year(goals, from_month=7)
            cycle.refresh_from_db()
        if year == 2023 and cycle.phase == GoalCycle.Phase.MONITORING:
            open_evaluation(cycle=cycle, by=secretary)
            created["evaluations"] += _evaluate_all(_adopted_goals(cycle), secretary)
            close_cycle(cycle=cycle, by=secretary)
        # The closed and the monitored year are public (pages, open data, API); the year in
        # consultation is not.
        if not cycle.is_published and cycle.withdrawn_at is None:
            publish_cycle(cycle=cycle, by=secretary)
            created["published cycles"] += 1
    return created


def _past_cycle(year: int, secretary: User) -> GoalCycle:
    """The cycle of a past year with the same goals as the demo's consultation, if missing."""
    cycle, new = GoalCycle.objects.get_or_create(
        year=year,
        defaults={
            "phase": GoalCycle.Phase.CONSULTATION,
            "consultation_opens_on": datetime.date(year, 1, 15),
            "consultation_closes_on": datetime.date(year, 2, 10),
        },
    )
    if new:
        actions = seed_programme()
        directorates = {d.code: d for d in Directorate.objects.select_related("head")}
        for code, directorate in directorates.items():
            for row in SPECIFIC_GOALS.get(code, [DEFAULT_SERVICES_GOAL]) + COMMON_GOALS:
                ensure_goal(cycle, directorate, row, actions, directorates, by=secretary)
    return cycle


def _adopted_goals(cycle: GoalCycle) -> list[Goal]:
    return list(
        cycle.goals.filter(status=Goal.Status.ADOPTED)
        .select_related("directorate__head", "cycle")
        .order_by("directorate__order", "code")
    )


def _profile(index: int) -> tuple[Decimal, str]:
    return PROFILES[index % len(PROFILES)]


def _allocate_most(goals: list[Goal]) -> int:
    """Each goal to one or two departments (60/40); every ninth goal is left for the head."""
    from goals.services.monitoring import save_allocations

    count = 0
    for index, goal in enumerate(goals):
        head = goal.directorate.head
        departments = list(goal.directorate.departments.active().order_by("order")[:2])
        if index % 9 == 8 or not departments or head is None or goal.allocations.exists():
            continue
        shares = [Decimal(100)] if len(departments) == 1 else [Decimal(60), Decimal(40)]
        rows = [
            {
                "department": department,
                "specification": "",
                "baseline": goal.baseline,
                "target": goal.target,
                "deadline": goal.deadline,
                "share": share,
            }
            for department, share in zip(departments, shares, strict=True)
        ]
        save_allocations(goal=goal, by=head, rows=rows, stamp="")
        count += len(rows)
    return count


def _report_the_year(goals: list[Goal], *, from_month: int = 4, until_month: int = 12) -> int:
    """Monthly measurements at the end of each month from April, by each department's head.

    Written in bulk (the demo records over a thousand); `record_progress` is what
    people use, and its rules hold for every row made here: adopted goals, dates in the year.
    """
    from goals.services.monitoring import store_achievement

    updates = []
    for index, goal in enumerate(goals):
        goal.refresh_from_db(fields=["target", "baseline", "status"])
        if goal.status != Goal.Status.ADOPTED:
            continue
        reach, status = _profile(index)
        head = goal.directorate.head
        if head is None:
            continue
        allocations = list(goal.allocations.select_related("department__head"))
        # A goal reported behind stops being reported in the autumn: it shows up as overdue.
        last_month = 9 if status == "behind" else until_month
        for month in range(from_month, min(until_month, last_month) + 1):
            if month < 12:
                measured_on = datetime.date(goal.cycle.year, month + 1, 1) - datetime.timedelta(1)
            else:
                measured_on = datetime.date(goal.cycle.year, 12, 20)
            value = _value(goal, reach * Decimal(month - 3) / 9)
            for allocation in allocations or [None]:
                author = (allocation and allocation.department.head) or head
                updates.append(
                    ProgressUpdate(
                        goal=goal,
                        allocation=allocation,
                        value=value,
                        measured_on=measured_on,
                        status=status,
                        author=author,
                    )
                )
    ProgressUpdate.objects.bulk_create(updates)
    # A bulk load goes round record_progress: store the goals' achievements as it would.
    store_achievement(goal_ids={update.goal_id for update in updates})
    return len(updates)


def _value(goal: Goal, covered: Decimal) -> Decimal:
    """The indicator's value once this share of the distance from baseline to target is covered."""
    if goal.is_milestone:
        return Decimal(1) if covered >= 1 else Decimal(0)
    start = goal.baseline or Decimal(0)
    value = start + (goal.target - start) * covered
    if goal.target_kind == Goal.TargetKind.PERCENTAGE:
        value = min(value, Decimal(100))
    return value.quantize(Decimal("0.1"))


def _amend_2024(cycle: GoalCycle, secretary: User, mayor: User) -> int:
    """July 2024: the payments goal's target is relaxed from 60 to 70 days; one goal is
    withdrawn and one added (goals/demo/revision.py)."""
    from goals.demo.revision import revise_the_year
    from goals.services.decisions import prepare_decision, propose_goal_change

    adoption = cycle.decisions.get(kind="adoption")
    goal = cycle.goals.filter(code="OIK-01", status=Goal.Status.ADOPTED).first()
    if goal is None or adoption.amendments.exists():
        return 0
    draft = prepare_decision(cycle=cycle, amends=adoption, by=secretary)
    propose_goal_change(
        decision=draft,
        goal=goal,
        by=secretary,
        values={"target": Decimal(70)},
        reason="Οι καθυστερήσεις στην παραλαβή των υλικών από τις τεχνικές υπηρεσίες "
        "δεν επιτρέπουν τις 60 ημέρες φέτος.",
    )
    revise_the_year(cycle=cycle, draft=draft, secretary=secretary)
    draft.refresh_from_db()
    _sign_and_post(draft, mayor, secretary, AMENDMENT_2024)
    return 1


def _sign_and_post(draft, mayor: User, secretary: User, numbers: tuple) -> None:
    """The Mayor signs on the decision's date; the General Secretary's office posts it on
    Diavgeia a few days later and records its ΑΔΑ."""
    from goals.services.decisions import post_decision, sign_decision

    number, protocol, signed_on, ada, posted_on = numbers
    signed = sign_decision(
        decision=draft,
        by=mayor,
        signatory=mayor,
        number=number,
        protocol_number=protocol,
        decision_date=signed_on,
        expected_version=draft.version,
    )
    post_decision(
        decision=signed,
        by=secretary,
        ada=ada,
        posted_on=posted_on,
        expected_version=signed.version,
    )


def _evaluate_all(goals: list[Goal], secretary: User) -> int:
    """The final values submitted by the heads and confirmed by the General Secretary."""
    from goals.demo.final_values import submit_and_confirm

    values = []
    for index, goal in enumerate(goals):
        reach, _status = _profile(index)
        final = _value(goal, reach)
        percent = compute_achievement(
            kind=goal.target_kind, baseline=goal.baseline, target=goal.target, value=final
        )
        values.append((goal, final, percent < 100))
    return submit_and_confirm(values, secretary)
