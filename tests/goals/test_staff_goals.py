"""Each employee's goals: set by their head from the unit's goals, acknowledged by the employee,
reviewed mid-year and evaluated at year end; read only by the person, their evaluators, the
General Secretary and administrators."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directorates.roles import Role
from goals.models import StaffGoal
from goals.services.cycles import open_evaluation
from goals.services.staff import delete_staff_goal
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    StaffGoalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocation(adopted, head_of_planning):
    """Planning's first goal, allocated to its department."""
    return AllocationFactory(goal=adopted.goal, department=adopted.department, target=150)


@pytest.fixture
def staff_goal(allocation, staff, head_of_department):
    return StaffGoalFactory(
        allocation=allocation, employee=staff, set_by=head_of_department, weight=60
    )


def form_data(served: str, **changes) -> dict:
    data = {
        "goal": served,
        "title": "Διεκπεραίωση αιτήσεων εντός δέκα ημερών",
        "indicator": "",
        "unit_of_measure": "",
        "baseline": "10",
        "target": "30",
        "deadline": "2024-11-30",
        "weight": "40",
        "version": "",
    }
    return data | changes


def create_url(cycle, person) -> str:
    return reverse("goals:staff_goal_create", args=[cycle.pk, person.pk])


# --- Setting an employee's goals --------------------------------------------------------------
def test_head_of_department_sets_a_goal_serving_the_departments_goal(
    client_for, adopted, allocation, staff, head_of_department
):
    response = client_for(head_of_department).post(
        create_url(adopted.cycle, staff), form_data(f"a{allocation.pk}")
    )

    assert response.status_code == 302, response.context["form"].errors
    staff_goal = StaffGoal.objects.get(employee=staff)
    assert staff_goal.goal == adopted.goal
    assert staff_goal.allocation == allocation
    assert staff_goal.set_by == head_of_department
    assert staff_goal.target == 30
    # The indicator and unit left empty are those of the goal served.
    assert staff_goal.indicator == adopted.goal.indicator
    assert staff_goal.unit_of_measure == adopted.goal.unit_of_measure
    assert staff_goal.history.get().history_user == head_of_department


def test_the_form_offers_the_goals_of_the_persons_unit_with_their_indicators(
    client_for, adopted, allocation, staff, head_of_department
):
    page = client_for(head_of_department).get(create_url(adopted.cycle, staff)).content.decode()

    assert f'value="a{allocation.pk}"' in page
    assert f'value="g{adopted.other_goal.pk}"' in page
    assert f'data-indicator="{adopted.goal.indicator}"' in page
    assert f'value="g{adopted.finance_goal.pk}"' not in page  # another directorate's


def test_a_goal_of_another_unit_is_refused_with_a_message(
    client_for, adopted, allocation, staff, head_of_department
):
    response = client_for(head_of_department).post(
        create_url(adopted.cycle, staff), form_data(f"g{adopted.finance_goal.pk}")
    )

    assert response.status_code == 200
    assert "δεν ανήκει στο τμήμα ή στη διεύθυνση του υπαλλήλου" in response.content.decode()
    assert not StaffGoal.objects.exists()


def test_weights_above_100_are_refused_and_say_what_is_left(
    client_for, adopted, staff_goal, head_of_department
):
    response = client_for(head_of_department).post(
        create_url(adopted.cycle, staff_goal.employee),
        form_data(f"a{staff_goal.allocation_id}", weight="50"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "θα αθροίζουν 110" in page and "βαρύτητα έως 40" in page
    assert StaffGoal.objects.count() == 1


def test_the_deadline_falls_within_the_year(
    client_for, adopted, allocation, staff, head_of_department
):
    response = client_for(head_of_department).post(
        create_url(adopted.cycle, staff), form_data(f"a{allocation.pk}", deadline="2025-01-15")
    )

    assert "Η προθεσμία πρέπει να είναι μέσα στο 2024" in response.content.decode()
    assert not StaffGoal.objects.exists()


def test_a_goal_without_target_is_refused(
    client_for, adopted, allocation, staff, head_of_department
):
    response = client_for(head_of_department).post(
        create_url(adopted.cycle, staff), form_data(f"a{allocation.pk}", target="")
    )

    assert "Ορίστε την τιμή-στόχο που πρέπει να επιτύχει ο υπάλληλος." in response.content.decode()


def test_the_weights_sum_shows_on_the_persons_page_with_a_warning_below_100(
    client_for, adopted, staff_goal, head_of_department
):
    page = client_for(head_of_department).get(
        reverse("goals:staff_person", args=[adopted.cycle.pk, staff_goal.employee_id])
    )

    assert page.context["weights"] == 60
    assert "Οι βαρύτητες αθροίζουν 60, όχι 100." in page.content.decode()


def test_head_of_directorate_sets_the_goals_of_direct_staff_and_heads_of_department(
    adopted, planning, head_of_planning, head_of_department, staff
):
    from goals.rules import staff_evaluated_by

    direct = UserFactory(directorate=planning, roles=[Role.STAFF])
    assert set(staff_evaluated_by(head_of_planning)) == {direct, head_of_department}
    assert set(staff_evaluated_by(head_of_department)) == {staff}


def test_head_above_reads_but_does_not_set_department_staff_goals(
    client_for, adopted, staff, head_of_planning, head_of_department
):
    client = client_for(head_of_planning)

    assert (
        client.get(reverse("goals:staff_person", args=[adopted.cycle.pk, staff.pk])).status_code
        == 200
    )
    assert client.get(create_url(adopted.cycle, staff)).status_code == 403


def test_an_employee_does_not_set_their_own_goals(client_for, adopted, staff, allocation):
    response = client_for(staff).post(
        create_url(adopted.cycle, staff), form_data(f"a{allocation.pk}")
    )

    assert response.status_code == 403


def test_goals_are_not_set_while_the_years_goals_are_drafted(client_for, staff, head_of_department):
    from tests.factories import GoalCycleFactory

    drafting = GoalCycleFactory(year=2025, phase="drafting")

    assert client_for(head_of_department).get(create_url(drafting, staff)).status_code == 403


def test_a_headless_departments_staff_are_set_by_the_head_of_directorate(
    planning, head_of_planning
):
    from goals.rules import staff_evaluated_by

    headless = DepartmentFactory(directorate=planning)
    employee = UserFactory(directorate=planning, department=headless, roles=[Role.STAFF])

    assert employee in set(staff_evaluated_by(head_of_planning))


# --- Acknowledgement ----------------------------------------------------------------------------
def test_employee_acknowledges_their_goal(client_for, staff_goal):
    response = client_for(staff_goal.employee).post(
        reverse("goals:staff_goal_acknowledge", args=[staff_goal.pk]),
        {"version": staff_goal.version},
    )

    assert response.status_code == 302
    staff_goal.refresh_from_db()
    assert staff_goal.acknowledged_at is not None


def test_the_evaluator_cannot_acknowledge_for_the_employee(
    client_for, staff_goal, head_of_department
):
    response = client_for(head_of_department).post(
        reverse("goals:staff_goal_acknowledge", args=[staff_goal.pk]),
        {"version": staff_goal.version},
    )

    assert response.status_code == 403


def test_a_change_after_acknowledgement_asks_for_a_new_one_and_says_so(
    client_for, adopted, staff_goal, head_of_department
):
    employee = client_for(staff_goal.employee)
    employee.post(
        reverse("goals:staff_goal_acknowledge", args=[staff_goal.pk]),
        {"version": staff_goal.version},
    )
    staff_goal.refresh_from_db()

    response = client_for(head_of_department).post(
        reverse("goals:staff_goal_update", args=[staff_goal.pk]),
        form_data(f"a{staff_goal.allocation_id}", target="45", version=staff_goal.version),
        follow=True,
    )

    assert "καλείται να λάβει γνώση ξανά" in response.content.decode()
    staff_goal.refresh_from_db()
    assert staff_goal.acknowledged_at is None
    page = employee.get(reverse("goals:my_goals")).content.decode()
    assert "Άλλαξε μετά τη λήψη γνώσης: απαιτείται νέα λήψη γνώσης" in page
    assert "Έλαβα γνώση του στόχου" in page


def test_saving_without_a_change_keeps_the_acknowledgement(staff_goal, head_of_department):
    from goals.services.staff import acknowledge_staff_goal, save_staff_goal

    acknowledge_staff_goal(
        staff_goal=staff_goal, by=staff_goal.employee, expected_version=staff_goal.version
    )
    staff_goal.refresh_from_db()
    save_staff_goal(
        staff_goal=staff_goal, by=head_of_department, expected_version=staff_goal.version
    )

    staff_goal.refresh_from_db()
    assert staff_goal.is_acknowledged


def test_acknowledging_a_goal_changed_since_the_page_was_loaded_is_refused(client_for, staff_goal):
    response = client_for(staff_goal.employee).post(
        reverse("goals:staff_goal_acknowledge", args=[staff_goal.pk]),
        {"version": staff_goal.version + 1},
        follow=True,
    )

    assert "Κάποιος άλλος αποθήκευσε στο μεταξύ" in response.content.decode()
    staff_goal.refresh_from_db()
    assert staff_goal.acknowledged_at is None


# --- Concurrent edits -----------------------------------------------------------------------------
def test_an_edit_from_a_stale_page_writes_nothing(client_for, staff_goal, head_of_department):
    response = client_for(head_of_department).post(
        reverse("goals:staff_goal_update", args=[staff_goal.pk]),
        form_data(f"a{staff_goal.allocation_id}", target="99", version=staff_goal.version - 1),
    )

    assert response.status_code == 200
    assert "Κάποιος άλλος αποθήκευσε στο μεταξύ" in response.content.decode()
    staff_goal.refresh_from_db()
    assert staff_goal.target == 40


# --- Mid-year review and year end -----------------------------------------------------------------
def test_evaluator_records_the_midyear_review(client_for, staff_goal, head_of_department):
    response = client_for(head_of_department).post(
        reverse("goals:staff_goal_midyear", args=[staff_goal.pk]),
        {"midyear_review": "Σε καλό δρόμο.", "version": staff_goal.version},
    )

    assert response.status_code == 302
    staff_goal.refresh_from_db()
    assert staff_goal.midyear_review == "Σε καλό δρόμο."
    assert staff_goal.midyear_reviewed_by == head_of_department
    assert staff_goal.midyear_reviewed_at is not None


def test_an_empty_midyear_review_is_refused(client_for, staff_goal, head_of_department):
    response = client_for(head_of_department).post(
        reverse("goals:staff_goal_midyear", args=[staff_goal.pk]),
        {"midyear_review": "  ", "version": staff_goal.version},
    )

    assert "Συντάξτε την ενδιάμεση επισκόπηση." in response.content.decode()


def test_year_end_waits_for_the_evaluation(client_for, staff_goal, head_of_department):
    url = reverse("goals:staff_goal_year_end", args=[staff_goal.pk])

    assert client_for(head_of_department).get(url).status_code == 403


def test_evaluator_records_the_year_end_value_and_its_achievement(
    client_for, adopted, staff_goal, head_of_department, secretary
):
    open_evaluation(cycle=adopted.cycle, by=secretary)

    response = client_for(head_of_department).post(
        reverse("goals:staff_goal_year_end", args=[staff_goal.pk]),
        {"final_value": "35", "year_end_comment": "Καλή πρόοδος.", "version": staff_goal.version},
    )

    assert response.status_code == 302
    staff_goal.refresh_from_db()
    assert staff_goal.achievement == Decimal("75.0")  # 20 → 40, reached 35
    assert staff_goal.evaluated_by == head_of_department
    assert (
        client_for(head_of_department)
        .get(reverse("goals:staff_goal_midyear", args=[staff_goal.pk]))
        .status_code
        == 403
    )


def test_year_end_needs_a_value_and_a_comment(
    client_for, adopted, staff_goal, head_of_department, secretary
):
    open_evaluation(cycle=adopted.cycle, by=secretary)

    response = client_for(head_of_department).post(
        reverse("goals:staff_goal_year_end", args=[staff_goal.pk]),
        {"final_value": "", "year_end_comment": "", "version": staff_goal.version},
    )

    page = response.content.decode()
    assert "Καταχωρίστε την τιμή που επιτεύχθηκε έως το τέλος του έτους." in page
    assert "Σχολιάστε την επίτευξη του έτους." in page


# --- History ------------------------------------------------------------------------------------
# --- Deleting a goal ------------------------------------------------------------------------
def test_the_evaluator_deletes_a_goal_and_the_history_keeps_it(
    client_for, staff_goal, head_of_department, staff
):
    client = client_for(head_of_department)
    assert "Διαγραφή του στόχου" in client.get(staff_goal.get_absolute_url()).content.decode()
    confirm = client.get(reverse("goals:staff_goal_delete", args=[staff_goal.pk]))
    assert "το ιστορικό του διατηρείται" in confirm.content.decode()
    assert StaffGoal.objects.exists()  # asking is not deleting

    response = client.post(
        reverse("goals:staff_goal_delete", args=[staff_goal.pk]), {"version": staff_goal.version}
    )

    assert response.url == reverse("goals:staff_person", args=[staff_goal.cycle_id, staff.pk])
    assert not StaffGoal.objects.exists()
    deleted = StaffGoal.history.get(id=staff_goal.pk, history_type="-")
    assert (deleted.history_user, deleted.title) == (head_of_department, staff_goal.title)
    assert "Ο στόχος διαγράφηκε" in client.get(response.url).content.decode()


def test_a_goal_changed_since_the_page_was_loaded_is_not_deleted(
    client_for, staff_goal, head_of_department
):
    response = client_for(head_of_department).post(
        reverse("goals:staff_goal_delete", args=[staff_goal.pk]),
        {"version": staff_goal.version - 1},
        follow=True,
    )

    assert "Κάποιος άλλος αποθήκευσε" in response.content.decode()
    assert StaffGoal.objects.filter(pk=staff_goal.pk).exists()


def test_a_goal_with_its_year_end_value_is_not_deleted(
    client_for, adopted, staff_goal, head_of_department, secretary
):
    # Whatever the cycle's phase, the service keeps a goal that has its year-end value.
    StaffGoal.objects.filter(pk=staff_goal.pk).update(final_value=35)
    staff_goal.refresh_from_db()
    with pytest.raises(ValidationError, match="μετρά στην αξιολόγηση"):
        delete_staff_goal(
            staff_goal=staff_goal, by=head_of_department, expected_version=staff_goal.version
        )

    # Once the year is evaluated the goals are no longer set or deleted: no button, 403.
    open_evaluation(cycle=adopted.cycle, by=secretary)
    client = client_for(head_of_department)
    assert "Διαγραφή του στόχου" not in client.get(staff_goal.get_absolute_url()).content.decode()
    response = client.post(
        reverse("goals:staff_goal_delete", args=[staff_goal.pk]), {"version": staff_goal.version}
    )
    assert response.status_code == 403
    assert StaffGoal.objects.filter(pk=staff_goal.pk).exists()


def test_only_the_evaluator_deletes_an_employee_s_goal(
    client_for, staff_goal, staff, head_of_planning, mayor
):
    url = reverse("goals:staff_goal_delete", args=[staff_goal.pk])
    data = {"version": staff_goal.version}

    assert client_for(staff).post(url, data).status_code == 403  # their own: read, not deleted
    assert client_for(staff).get(url).status_code == 403
    assert client_for(head_of_planning).post(url, data).status_code == 403  # reads it
    assert client_for(mayor).post(url, data).status_code == 404  # does not see staff goals
    assert "Διαγραφή του στόχου" not in (
        client_for(staff).get(staff_goal.get_absolute_url()).content.decode()
    )
    assert StaffGoal.objects.filter(pk=staff_goal.pk).exists()


def test_the_goals_page_shows_who_changed_what(client_for, staff_goal, head_of_department):
    from goals.services.staff import save_staff_goal

    staff_goal.target = Decimal(45)
    save_staff_goal(
        staff_goal=staff_goal, by=head_of_department, expected_version=staff_goal.version
    )

    response = client_for(staff_goal.employee).get(
        reverse("goals:staff_goal", args=[staff_goal.pk])
    )

    newest = response.context["history"][0]
    assert newest.who == head_of_department
    assert [(c.field, c.old, c.new) for c in newest.changes] == [("target", 40, 45)]


# --- Who reads them -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("staff", 200),  # the person
        ("peer", 404),  # a colleague of the same department
        ("head_of_department", 200),  # the evaluator
        ("head_of_planning", 200),  # the head above
        ("head_of_finance", 404),  # another head
        ("mayor", 404),
        ("deputy", 404),
        ("secretary", 200),
        ("admin_user", 200),
    ],
)
def test_who_reads_an_employees_goal(request, client_for, staff_goal, reader, status):
    if reader == "peer":
        user = UserFactory(
            directorate=staff_goal.employee.directorate,
            department=staff_goal.employee.department,
            roles=[Role.STAFF],
        )
    else:
        user = request.getfixturevalue(reader)

    response = client_for(user).get(reverse("goals:staff_goal", args=[staff_goal.pk]))

    assert response.status_code == status


def test_the_staff_page_lists_the_heads_staff_with_their_weights(
    client_for, adopted, staff_goal, head_of_department, planning
):
    other = UserFactory(directorate=planning, roles=[Role.STAFF])  # directly under Planning

    response = client_for(head_of_department).get(reverse("goals:staff_goals"))

    people = response.context["people"]
    assert [person.pk for person in people] == [staff_goal.employee_id]
    assert people[0].weights == 60 and people[0].is_evaluated_by_me
    assert other not in people


def test_the_staff_page_is_for_those_who_lead_a_unit(client_for, adopted, staff, mayor):
    assert client_for(staff).get(reverse("goals:staff_goals")).status_code == 403
    assert client_for(mayor).get(reverse("goals:staff_goals")).status_code == 403


# --- Constant queries -----------------------------------------------------------------------------
def _staff_with_goals(allocation, department, count: int) -> None:
    for _n in range(count):
        employee = UserFactory(
            directorate=department.directorate, department=department, roles=[Role.STAFF]
        )
        StaffGoalFactory(allocation=allocation, employee=employee, weight=30)
        StaffGoalFactory(allocation=allocation, employee=employee, weight=70)


@pytest.mark.parametrize("count", [1, 6])
def test_the_staff_page_makes_the_same_queries_whatever_the_staff(
    client_for, django_assert_num_queries, adopted, allocation, head_of_planning, count
):
    _staff_with_goals(allocation, adopted.department, count)
    client = client_for(head_of_planning)
    client.get(reverse("goals:staff_goals"))  # the session, once

    with django_assert_num_queries(9):
        response = client.get(reverse("goals:staff_goals"))

    assert len(response.context["people"]) == count


@pytest.mark.parametrize("count", [1, 8])
def test_a_persons_page_makes_the_same_queries_whatever_their_goals(
    client_for, django_assert_num_queries, adopted, allocation, staff, head_of_department, count
):
    for _n in range(count):
        StaffGoalFactory(allocation=allocation, employee=staff, weight=10)
    client = client_for(head_of_department)
    url = reverse("goals:staff_person", args=[adopted.cycle.pk, staff.pk])
    client.get(url)

    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["goals"]) == count


@pytest.mark.parametrize("changes", [0, 5])
def test_a_goals_page_makes_the_same_queries_whatever_its_history(
    client_for, django_assert_num_queries, staff_goal, head_of_department, changes
):
    from goals.services.staff import save_staff_goal

    for n in range(changes):
        staff_goal.target = Decimal(41 + n)
        save_staff_goal(
            staff_goal=staff_goal, by=head_of_department, expected_version=staff_goal.version
        )
    client = client_for(staff_goal.employee)
    url = reverse("goals:staff_goal", args=[staff_goal.pk])
    client.get(url)

    with django_assert_num_queries(6):
        client.get(url)


def test_the_deadline_defaults_to_the_end_of_the_year(
    client_for, adopted, allocation, staff, head_of_department
):
    form = client_for(head_of_department).get(create_url(adopted.cycle, staff)).context["form"]

    assert form["deadline"].value() == f"{adopted.cycle.year}-12-31"


# --- The menu -------------------------------------------------------------------------------------
def test_the_menu_marks_the_staff_pages_and_offers_them_to_heads_only(
    client_for, staff_goal, head_of_department
):
    from tests.stoxothesia.test_navigation import marked

    head_page = client_for(head_of_department).get(reverse("goals:staff_goals")).content.decode()
    assert marked(head_page) == {"/staff-goals/": "page"}
    employee = client_for(staff_goal.employee)
    own_goal = employee.get(reverse("goals:staff_goal", args=[staff_goal.pk])).content.decode()
    assert marked(own_goal) == {"/my-goals/": "true"}
    assert 'href="/staff-goals/"' not in own_goal[: own_goal.index("</header>")]
