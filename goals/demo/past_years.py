"""Demo past years for Heraklion: last year closed, this year adopted and monitored, and the
seed's first year (2024) told as it happened; the years come from `goals.demo.years`.

The story of 2024: the consultation was still open at the working meeting of Monday 12 February
2024 at the Vikelaia library (the heads' observations were submitted that day), the goals were
adopted by decision 118/2024 of 27 February, allocated to departments, reported on all year (some
goals behind) and amended in July; the year end came in January 2025. Every closed year is
evaluated the same way; this year is reported on up to last month; next year's goals are in
consultation (`consultation.py`). Everything goes through the real workflows, so the goals'
history shows who adopted, amended and evaluated what; each step's history rows, and the
decisions' signing and posting moments, carry the step's own date, not the day the demo was loaded.
"""

import contextlib
import datetime
from decimal import Decimal

from django.utils import timezone

from directorates.models import Directorate, User
from goals.achievement import achievement as compute_achievement
from goals.demo import years
from goals.demo.consultation import (
    COMMON_GOALS,
    DEFAULT_SERVICES_GOAL,
    SPECIFIC_GOALS,
    ensure_goal,
    ensure_observation,
    seed_programme,
)
from goals.demo.years import STORY_YEAR
from goals.models import (
    Allocation,
    Goal,
    GoalCycle,
    GoalEvaluation,
    MayoralDecision,
    Observation,
    ProgressUpdate,
)

# The story year's decisions: (decision number, protocol number, date signed, ΑΔΑ, date posted
# on Diavgeia).
ADOPTION_2024 = (
    "118",
    "6842",
    datetime.date(2024, 2, 27),
    "Ψ4ΚΣΩΗΓ-3ΞΛ",
    datetime.date(2024, 2, 28),
)
AMENDMENT_2024 = (
    "412",
    "28377",
    datetime.date(2024, 7, 18),
    "6ΡΛ4ΩΗΓ-Ξ7Β",
    datetime.date(2024, 7, 22),
)
# The story year's consultation: open from mid-January until after the working meeting.
CONSULTATION_2024 = (datetime.date(2024, 1, 15), datetime.date(2024, 2, 16))
WORKING_MEETING = datetime.date(2024, 2, 12)

# The observations the heads submitted at the working meeting of 12 February 2024, answered by
# the General Secretary two days later: (author's directorate, goal code or "" for general,
# text, proposal, answer, reply).
STORY_OBSERVATIONS = [
    (
        "ADYN",
        "ADYN-01",
        "Το σχέδιο του νέου ΟΕΥ προϋποθέτει την έγκριση της Αποκεντρωμένης Διοίκησης. "
        "Προτείνουμε προθεσμία υποβολής έως 30 Σεπτεμβρίου.",
        {"proposed_deadline": (9, 30)},
        "rejected",
        "Η προθεσμία διατηρείται: ο νέος ΟΕΥ πρέπει να ισχύσει μέσα στο πρώτο εξάμηνο.",
    ),
    (
        "PROG",
        "",
        "Οι στόχοι να συνδεθούν με τις δράσεις του νέου Επιχειρησιακού Προγράμματος "
        "2024–2028, ώστε να παρακολουθείται η υλοποίησή του.",
        {},
        "noted",
        "Ελήφθη γνώση· οι στόχοι συνδέονται με τις δράσεις του Ετήσιου Προγράμματος Δράσης.",
    ),
]

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

GREEK_ADA = "0123456789ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"


def adoption_numbers(year: int) -> tuple[str, str, datetime.date, str, datetime.date]:
    """The adoption decision of a year: the story's own, else numbers made from the year (posted
    on Diavgeia the next working day)."""
    if year == STORY_YEAR:
        return ADOPTION_2024
    n = year % 100
    on = datetime.date(year, 3, 2)
    on -= datetime.timedelta(days=max(on.weekday() - 4, 0))  # a working day
    letters = "".join(GREEK_ADA[(n * k + 7) % len(GREEK_ADA)] for k in (3, 5, 11, 13, 17, 19, 23))
    posted = on + datetime.timedelta(days=3 if on.weekday() == 4 else 1)
    return (str(90 + n), str(5000 + 37 * n), on, f"{letters[:4]}ΩΗΓ-{letters[4:]}", posted)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    zone = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


HISTORY_OF = (Goal, GoalCycle, MayoralDecision, Observation, Allocation, GoalEvaluation)


@contextlib.contextmanager
def happened_at(moment: datetime.datetime):
    """The history rows the block writes are dated `moment`: a past step told as it happened."""
    started = timezone.now()
    yield
    for model in HISTORY_OF:
        model.history.filter(history_date__gte=started).update(history_date=moment)


def seed_decisions() -> dict[str, int]:
    """Create the past and monitored years' cycles and take each as far as its story goes;
    idempotent."""
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
    reported = (STORY_YEAR, years.monitored_year())
    for year in years.past_years():
        cycle = _past_cycle(year, secretary)
        numbers = adoption_numbers(year)
        adopted_on = numbers[2]
        if cycle.phase == GoalCycle.Phase.CONSULTATION:
            with happened_at(at(adopted_on)):
                draft = prepare_decision(cycle=cycle, by=secretary)
                _sign_and_post(draft, mayor, secretary, numbers)
            created["decisions"] += 1
            cycle.refresh_from_db()
        if cycle.phase == GoalCycle.Phase.ALLOCATION:
            goals = _adopted_goals(cycle)
            with happened_at(at(adopted_on + datetime.timedelta(days=21), 10)):
                if year in reported:
                    created["allocations"] += _allocate_most(goals)
                advance_cycle(cycle=cycle, to_phase=GoalCycle.Phase.MONITORING, by=secretary)
            if year == STORY_YEAR:
                created["progress updates"] += _report_the_year(goals, until_month=6)
                created["decisions"] += _amend_2024(cycle, secretary, mayor)
                # The amendment withdrew one goal (no longer reported) and added one.
                known = {goal.pk for goal in goals}
                goals += [goal for goal in _adopted_goals(cycle) if goal.pk not in known]
                created["progress updates"] += _report_the_year(goals, from_month=7)
            elif year == years.monitored_year():
                created["progress updates"] += _report_the_year(
                    goals, until_month=min(years.today().month - 1, 12)
                )
            cycle.refresh_from_db()
        if year in years.closed_years() and cycle.phase == GoalCycle.Phase.MONITORING:
            with happened_at(at(datetime.date(year + 1, 1, 5), 9)):
                open_evaluation(cycle=cycle, by=secretary)
            with happened_at(at(datetime.date(year + 1, 1, 22), 13)):
                created["evaluations"] += _evaluate_all(_adopted_goals(cycle), secretary)
            with happened_at(at(datetime.date(year + 1, 1, 31), 14)):
                close_cycle(cycle=cycle, by=secretary)
        # The closed and the monitored years are public (pages, open data, API); the year in
        # consultation is not.
        if not cycle.is_published and cycle.withdrawn_at is None:
            published = at(adopted_on + datetime.timedelta(days=1), 11)
            with happened_at(published):
                publish_cycle(cycle=cycle, by=secretary)
            GoalCycle.objects.filter(pk=cycle.pk).update(published_at=published)
            created["published cycles"] += 1
    return created


def _past_cycle(year: int, secretary: User) -> GoalCycle:
    """The cycle of a past year with the same goals as the demo's consultation, if missing."""
    opens_on, closes_on = (
        CONSULTATION_2024
        if year == STORY_YEAR
        else (datetime.date(year, 1, 15), datetime.date(year, 2, 10))
    )
    cycle, new = GoalCycle.objects.get_or_create(
        year=year,
        defaults={
            "phase": GoalCycle.Phase.CONSULTATION,
            "consultation_opens_on": opens_on,
            "consultation_closes_on": closes_on,
        },
    )
    if new:
        actions = seed_programme()
        directorates = {d.code: d for d in Directorate.objects.select_related("head")}
        with happened_at(at(datetime.date(year - 1, 12, 15), 10)):
            for code, directorate in directorates.items():
                for row in SPECIFIC_GOALS.get(code, [DEFAULT_SERVICES_GOAL]) + COMMON_GOALS:
                    ensure_goal(cycle, directorate, row, actions, directorates, by=secretary)
        if year == STORY_YEAR:
            _observe_at_the_working_meeting(cycle, directorates, secretary)
    return cycle


def _observe_at_the_working_meeting(cycle: GoalCycle, directorates: dict, secretary) -> None:
    """The heads' observations submitted at the working meeting of 12 February 2024, answered
    two days later, while the consultation was still open."""
    for index, row in enumerate(STORY_OBSERVATIONS):
        submitted = at(WORKING_MEETING, 11) + datetime.timedelta(minutes=20 * index)
        answered = at(WORKING_MEETING + datetime.timedelta(days=2), 10)
        with happened_at(submitted):
            ensure_observation(cycle, directorates, row, secretary, answer_later=True)
        observation = Observation.objects.filter(cycle=cycle, text=row[2]).first()
        if observation is None:
            continue
        Observation.objects.filter(pk=observation.pk).update(
            submitted_at=submitted, digest_sent_at=submitted
        )
        with happened_at(answered):
            ensure_observation(cycle, directorates, row, secretary)
        Observation.objects.filter(pk=observation.pk).update(answered_at=answered)


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

    adoption = cycle.decisions.get(kind="adoption")
    goal = cycle.goals.filter(code="OIK-01", status=Goal.Status.ADOPTED).first()
    if goal is None or adoption.amendments.exists():
        return 0
    with happened_at(at(AMENDMENT_2024[2])):
        _propose_and_issue_amendment(cycle, adoption, goal, secretary, mayor)
    return 1


def _propose_and_issue_amendment(cycle, adoption, goal, secretary, mayor) -> None:
    from goals.demo.revision import revise_the_year
    from goals.services.decisions import prepare_decision, propose_goal_change

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


def _sign_and_post(draft, mayor: User, secretary: User, numbers: tuple) -> None:
    """The Mayor signs on the decision's date; the General Secretary's office posts it on
    Diavgeia a few days later and records its ΑΔΑ."""
    from goals.services.decisions import post_decision, sign_decision

    number, protocol, signed_on, ada, posted_on = numbers
    with happened_at(at(signed_on)):
        signed = sign_decision(
            decision=draft,
            by=mayor,
            signatory=mayor,
            number=number,
            protocol_number=protocol,
            decision_date=signed_on,
            expected_version=draft.version,
        )
    with happened_at(at(posted_on, 11)):
        post_decision(
            decision=signed,
            by=secretary,
            ada=ada,
            posted_on=posted_on,
            expected_version=signed.version,
        )
    # Signed and posted on their own dates (at noon), not on the day the demo was loaded.
    MayoralDecision.objects.filter(pk=draft.pk).update(
        signed_at=at(signed_on), posted_at=at(posted_on, 11)
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
