"""Each goal stores its achievement, last measurement and 'behind' flag, worked out again by
every service that changes what they are worked out from, and by Django admin; the
municipality's start page sums those in the database to the same figures as the Python
roll-ups of `goals.reports`."""

import datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from goals import reports
from goals.models import Goal, GoalEvaluation, MayoralDecision, ProgressUpdate
from goals.services.cycles import open_evaluation
from goals.services.decisions import prepare_decision, propose_goal_change
from goals.services.goals import save_goal
from goals.services.monitoring import (
    allocation_stamp,
    evaluate_goal,
    record_progress,
    save_allocations,
    store_every_achievement,
)
from goals.services.observations import answer_observation
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    ObservationFactory,
    ProgressUpdateFactory,
    posted_decision,
    signed_decision,
)

pytestmark = pytest.mark.django_db

MAY, JUNE = datetime.date(2024, 5, 31), datetime.date(2024, 6, 30)


def stored(goal) -> Goal:
    return Goal.objects.get(pk=goal.pk)


def record(goal, by, value, measured_on=JUNE, status="on_track", allocation=None):
    return record_progress(
        goal=goal,
        by=by,
        value=Decimal(value),
        measured_on=measured_on,
        status=status,
        allocation=allocation,
    )


# --- Services -----------------------------------------------------------------------------------
def test_recording_progress_stores_the_goals_achievement_and_date(adopted, head_of_planning):
    record(adopted.goal, head_of_planning, 125, measured_on=MAY)  # 100 → 150

    goal = stored(adopted.goal)
    assert goal.current_achievement == Decimal("50.0")
    assert goal.last_measured_on == MAY
    assert goal.is_behind is False


def test_the_latest_measurement_decides_and_behind_is_stored(adopted, head_of_planning):
    record(adopted.goal, head_of_planning, 140, measured_on=JUNE)
    record(adopted.goal, head_of_planning, 105, measured_on=MAY, status="behind")
    goal = stored(adopted.goal)
    assert (goal.current_achievement, goal.last_measured_on, goal.is_behind) == (
        Decimal("80.0"),
        JUNE,
        False,
    )

    record(adopted.goal, head_of_planning, 110, measured_on=JUNE, status="behind")
    assert stored(adopted.goal).is_behind is True


def test_saving_allocations_rolls_the_departments_up_by_their_shares(
    adopted, head_of_planning, head_of_department
):
    goal = adopted.goal
    second = DepartmentFactory(directorate=goal.directorate)

    def allocate(first_share, second_share):
        rows = [
            {"department": department, "target": Decimal(150), "share": Decimal(share)}
            for department, share in ((adopted.department, first_share), (second, second_share))
        ]
        for row in rows:
            row.update(specification="", baseline=Decimal(100), deadline=goal.deadline)
        return save_allocations(
            goal=goal, by=head_of_planning, rows=rows, stamp=allocation_stamp(goal)
        )

    first_allocation, second_allocation = allocate(75, 25)
    record(goal, head_of_planning, 150, allocation=first_allocation)
    record(goal, head_of_planning, 120, allocation=second_allocation)
    assert stored(goal).current_achievement == Decimal("85.0")

    allocate(25, 75)
    assert stored(goal).current_achievement == Decimal("55.0")


def test_the_evaluation_overrides_the_measurements(adopted, head_of_planning, secretary):
    record(adopted.goal, head_of_planning, 125)
    open_evaluation(cycle=adopted.cycle, by=secretary)

    evaluate_goal(
        goal=adopted.goal,
        by=secretary,
        final_value=Decimal(150),
        justification="",
        expected_stamp="",
    )

    assert stored(adopted.goal).current_achievement == Decimal("100.0")


def test_an_amendment_of_the_target_works_the_achievement_out_again(
    adopted, head_of_planning, secretary, mayor
):
    record(adopted.goal, head_of_planning, 125)  # 50% of 100 → 150
    amendment = prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)
    propose_goal_change(
        decision=amendment,
        goal=adopted.goal,
        by=secretary,
        values={"target": Decimal(200)},
        reason="Περισσότερο προσωπικό.",
    )

    signed = signed_decision(
        MayoralDecision.objects.get(pk=amendment.pk),
        mayor=mayor,
        decision_date=datetime.date(2024, 7, 1),
        number="301",
    )
    posted_decision(signed, by=mayor, ada="ΡΞ7ΑΩΗΓ-Β2Λ")

    assert stored(adopted.goal).current_achievement == Decimal("25.0")


def test_saving_a_goal_with_another_target_works_the_achievement_out_again(secretary):
    goal = GoalFactory(cycle__phase="drafting", baseline=0, target=10)
    ProgressUpdateFactory(goal=goal, value=5)  # loaded in bulk, say
    goal = stored(goal)

    goal.target = 20
    save_goal(goal=goal, by=secretary, expected_version=goal.version)

    assert stored(goal).current_achievement == Decimal("25.0")


def test_applying_an_observation_on_the_target_works_the_achievement_out_again(secretary):
    goal = GoalFactory(cycle__phase="consultation", baseline=0, target=10)
    ProgressUpdateFactory(goal=goal, value=5)
    observation = ObservationFactory(goal=goal, proposed_target=Decimal(20))

    answer_observation(
        observation=observation, by=secretary, status="accepted", reply="Ναι", apply_change=True
    )

    assert stored(goal).current_achievement == Decimal("25.0")


def test_a_goal_without_measurements_stores_nothing():
    goal = GoalFactory(status="adopted")
    AllocationFactory(goal=goal)
    goal = stored(goal)
    assert goal.current_achievement is None
    assert goal.last_measured_on is None


# --- Django admin -------------------------------------------------------------------------------
def admin_form(obj, **changes) -> dict:
    """The admin's change form of `obj` as stored, with some values changed."""
    data = {}
    for name, value in {**model_to_dict(obj), **changes}.items():
        if isinstance(value, list):
            data[name] = [item.pk for item in value]
        elif isinstance(value, datetime.date):
            data[name] = value.strftime("%d/%m/%Y")
        else:
            data[name] = "" if value is None else value
    return data


def admin_url(obj, action: str) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=[obj.pk])


@pytest.fixture
def measured(adopted, head_of_planning):
    """Planning's goal (100 → 150) measured at 110 in May and, behind, at 140 in June."""
    earlier = record(adopted.goal, head_of_planning, 110, measured_on=MAY)
    latest = record(adopted.goal, head_of_planning, 140, measured_on=JUNE, status="behind")
    return earlier, latest


def test_a_progress_update_added_in_admin_is_stored(client_for, admin_user, adopted):
    data = {
        "goal": adopted.goal.pk,
        "value": "125",
        "measured_on": "31/05/2024",
        "status": "on_track",
        "author": admin_user.pk,
        "comment": "",
        "allocation": "",
    }

    response = client_for(admin_user).post(
        reverse("admin:goals_progressupdate_add"), {**data, "_save": "1"}
    )

    assert response.status_code == 302
    goal = stored(adopted.goal)
    assert (goal.current_achievement, goal.last_measured_on) == (Decimal("50.0"), MAY)


def test_a_progress_update_moved_to_another_goal_in_admin_changes_both(
    client_for, admin_user, adopted, measured
):
    earlier, latest = measured

    response = client_for(admin_user).post(
        admin_url(latest, "change"), admin_form(latest, goal=adopted.finance_goal.pk)
    )

    assert response.status_code == 302
    assert stored(adopted.goal).current_achievement == Decimal("20.0")
    assert stored(adopted.finance_goal).current_achievement == Decimal("80.0")


def test_a_target_changed_in_admin_is_stored(client_for, admin_user, adopted, measured):
    goal = stored(adopted.goal)

    response = client_for(admin_user).post(
        admin_url(goal, "change"), admin_form(goal, target=Decimal(300))
    )

    assert response.status_code == 302
    assert stored(goal).current_achievement == Decimal("20.0")  # 140 of 100 → 300


def test_an_allocation_changed_in_admin_is_stored(
    client_for, admin_user, adopted, head_of_planning
):
    allocation = AllocationFactory(
        goal=adopted.goal, department=adopted.department, baseline=100, target=150
    )
    record(adopted.goal, head_of_planning, 125, allocation=allocation)

    response = client_for(admin_user).post(
        admin_url(allocation, "change"), admin_form(allocation, target=Decimal(200))
    )

    assert response.status_code == 302
    assert stored(adopted.goal).current_achievement == Decimal("25.0")


def test_deleting_the_latest_update_in_admin_falls_back_to_the_one_before(
    client_for, admin_user, adopted, measured
):
    earlier, latest = measured

    response = client_for(admin_user).post(admin_url(latest, "delete"), {"post": "yes"})

    assert response.status_code == 302
    goal = stored(adopted.goal)
    assert (goal.current_achievement, goal.last_measured_on, goal.is_behind) == (
        Decimal("20.0"),
        MAY,
        False,
    )


def test_deleting_updates_with_the_admins_bulk_action_is_stored(
    client_for, admin_user, adopted, measured
):
    response = client_for(admin_user).post(
        reverse("admin:goals_progressupdate_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [update.pk for update in measured],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not ProgressUpdate.objects.exists()
    goal = stored(adopted.goal)
    assert (goal.current_achievement, goal.last_measured_on, goal.is_behind) == (
        None,
        None,
        False,
    )


def test_deleting_the_evaluation_in_admin_restores_the_measurements(
    client_for, admin_user, adopted, measured, secretary
):
    open_evaluation(cycle=adopted.cycle, by=secretary)
    evaluation = evaluate_goal(
        goal=adopted.goal,
        by=secretary,
        final_value=Decimal(150),
        justification="",
        expected_stamp="",
    )
    assert stored(adopted.goal).current_achievement == Decimal("100.0")

    response = client_for(admin_user).post(admin_url(evaluation, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not GoalEvaluation.objects.exists()
    assert stored(adopted.goal).current_achievement == Decimal("80.0")


# --- Reading the stored figures -----------------------------------------------------------------
def test_database_sums_match_the_python_roll_ups():
    cycle = GoalCycleFactory(year=2025, phase="monitoring")
    directorates = [DirectorateFactory() for _ in range(3)]
    kinds = [
        ("increase", 100, 150, [125, 170, 90]),
        ("decrease", 50, 20, [35, 10, 60]),
        ("percentage", 10, 90, [50, 95, 10]),
        ("milestone", None, None, [1, 0, 1]),
    ]
    n = 0
    for d_index, directorate in enumerate(directorates):
        for kind, baseline, target, values in kinds:
            n += 1
            goal = GoalFactory(
                cycle=cycle,
                directorate=directorate,
                status="adopted",
                target_kind=kind,
                baseline=baseline,
                target=target,
                weight=1 + (n * 7) % 20,
                category=["services", "organisation", "skills"][n % 3],
            )
            if n % 5 == 0:
                continue  # never measured: counts as 0%
            if n % 2:
                ProgressUpdateFactory(goal=goal, value=values[d_index], status="behind")
            else:
                department = DepartmentFactory(directorate=directorate)
                allocation = AllocationFactory(
                    goal=goal, department=department, share=100, target=target
                )
                ProgressUpdateFactory(goal=goal, allocation=allocation, value=values[d_index])
    goals = Goal.objects.filter(cycle=cycle)
    worked_out = reports.with_achievement(goals.order_by("directorate__order", "code"))

    sums = reports.summaries(goals)
    assert [(s.label, s.achievement, s.behind) for s in sums.by_directorate] == [
        (g.label, g.achievement, g.behind) for g in reports.by_directorate(worked_out)
    ]
    assert [(s.label, s.achievement, s.behind) for s in sums.by_category] == [
        (g.label, g.achievement, g.behind) for g in reports.by_category(worked_out)
    ]
    assert sums.overall.achievement == reports.overall(worked_out)
    assert sums.overall.behind == sum(g.is_behind for g in worked_out)


def test_no_goals_sum_to_no_figure():
    sums = reports.summaries(Goal.objects.none())
    assert (sums.overall.achievement, sums.overall.behind) == (None, 0)
    assert sums.by_directorate == sums.by_category == []


def test_storing_every_achievement_repairs_figures_written_around_the_services():
    goal = GoalFactory(status="adopted", baseline=0, target=10)
    ProgressUpdateFactory(goal=goal, value=5)
    Goal.objects.filter(pk=goal.pk).update(current_achievement=None, last_measured_on=None)
    store_every_achievement()
    assert stored(goal).current_achievement == Decimal("50.0")


def test_the_lean_reader_shows_the_same_figures_as_the_whole_history(secretary):
    """`with_latest` (start pages, report) against `with_achievement` (progress page, storing):
    the four target kinds, measured whole or by shares of two departments, several updates each
    (the latest decides), a goal never measured, one evaluated."""
    cycle = GoalCycleFactory(year=2024, phase="monitoring")
    directorate = DirectorateFactory(code="LEAN")
    north, south = (DepartmentFactory(directorate=directorate) for _ in range(2))
    kinds = [
        ("increase", 100, 150, [110, 140, 175]),
        ("decrease", 50, 20, [45, 35, 60]),
        ("percentage", 10, 90, [20, 50, 95]),
        ("milestone", None, None, [0, 1, 0]),
    ]
    for index, (kind, baseline, target, values) in enumerate(kinds):
        whole = GoalFactory(
            cycle=cycle, directorate=directorate, status="adopted", code=f"LEAN-{index}W",
            target_kind=kind, baseline=baseline, target=target,
        )  # fmt: skip
        for day, value in enumerate(values, start=1):
            status = "behind" if day == len(values) and index % 2 else "on_track"
            ProgressUpdateFactory(
                goal=whole, value=value, measured_on=datetime.date(2024, 3, day), status=status
            )
        shared = GoalFactory(
            cycle=cycle, directorate=directorate, status="adopted", code=f"LEAN-{index}S",
            target_kind=kind, baseline=baseline, target=target,
        )  # fmt: skip
        first = AllocationFactory(goal=shared, department=north, share=60, target=target)
        AllocationFactory(
            goal=shared,
            department=south,
            share=40,
            baseline=None if baseline is None else baseline + 1,
            target=target,
        )  # south never reports: counts as 0%
        for day, value in enumerate(values, start=1):
            ProgressUpdateFactory(
                goal=shared, allocation=first, value=value, measured_on=datetime.date(2024, 4, day)
            )
    GoalFactory(cycle=cycle, directorate=directorate, status="adopted", code="LEAN-9")
    evaluated = Goal.objects.get(code="LEAN-0W")
    evaluated.cycle.phase = "evaluation"
    evaluated.cycle.save()
    evaluate_goal(
        goal=evaluated,
        by=secretary,
        final_value=Decimal(130),
        justification="Late tender",
        expected_stamp="",
    )
    goals = Goal.objects.filter(directorate=directorate).order_by("code")

    lean, whole = reports.with_latest(goals), reports.with_achievement(goals)

    def shown(goal):
        latest = goal.latest_update
        return (
            goal.code,
            goal.achievement,
            goal.rollup,
            goal.bar_width,
            goal.is_behind,
            latest and (latest.status, latest.value, latest.get_status_display()),
        )

    assert [shown(goal) for goal in lean] == [shown(goal) for goal in whole]
    assert [goal.is_allocated for goal in lean] == [bool(g.allocation_list) for g in whole]
    assert any(goal.achievement is None for goal in lean)
    assert Goal.objects.get(code="LEAN-0W").current_achievement == Decimal("60.0")
    assert [(g.label, g.achievement, g.behind) for g in reports.by_category(lean)] == [
        (g.label, g.achievement, g.behind) for g in reports.by_category(whole)
    ]
    assert reports.overall(lean) == reports.overall(whole)
    for department in (north, south):
        shares = reports.shares_with_latest(
            reports.allocated_to(goals, department.pk), department.pk
        )
        assert [(goal.code, a.pk, a.share, a.achievement) for goal, a in shares] == [
            (goal.code, a.pk, a.share, a.achievement)
            for goal, a in reports.department_shares(whole, department.pk)
        ]
        assert len(shares) == 4
