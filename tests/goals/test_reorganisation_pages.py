"""The organisation changes pages: the General Secretary maps the units of a new ΟΕΥ and applies
the map; everyone else is refused; the pages that show past records show the unit of their time."""

import datetime

import pytest
from django.urls import reverse

from directorates.models import Department, OrganisationAct, UnitSuccession
from goals.forms.monitoring import AllocationForm
from goals.models import Allocation
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    OrganisationActFactory,
    ProgressUpdateFactory,
    UserFactory,
    issued_adoption,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(planning, planning_department):
    act = OrganisationActFactory(title="ΟΕΥ 2024", gazette_issue="ΦΕΚ Β' 1234/2024")
    planning_department.abolished_by_act = act
    planning_department.save()
    return act


@pytest.fixture
def successor(act, planning):
    return DepartmentFactory(directorate=planning, code="PROG-NEW", created_by_act=act)


@pytest.fixture
def second(act, planning):
    return DepartmentFactory(directorate=planning, code="PROG-TWO", created_by_act=act)


def test_secretary_sees_the_acts(client_for, secretary, act):
    response = client_for(secretary).get(reverse("goals:organisation_acts"))

    assert response.status_code == 200
    assert "ΦΕΚ Β&#x27; 1234/2024" in response.text or "ΦΕΚ Β' 1234/2024" in response.text


@pytest.mark.parametrize("person", ["head_of_planning", "mayor", "staff"])
def test_others_may_not_open_the_map(request, client_for, act, person):
    client = client_for(request.getfixturevalue(person))

    assert client.get(reverse("goals:organisation_acts")).status_code == 403
    assert client.get(reverse("goals:organisation_act", args=[act.pk])).status_code == 403
    assert client.post(reverse("goals:organisation_act_apply", args=[act.pk])).status_code == 403


def test_an_unknown_act_is_404(client_for, secretary):
    assert (
        client_for(secretary).get(reverse("goals:organisation_act", args=[999])).status_code == 404
    )


def test_apply_refuses_get(client_for, secretary, act):
    response = client_for(secretary).get(reverse("goals:organisation_act_apply", args=[act.pk]))

    assert response.status_code == 405


def test_secretary_maps_then_applies_a_split(
    client_for, secretary, act, planning_department, successor, second, staff
):
    client = client_for(secretary)
    cycle = GoalCycleFactory(year=2024, phase="monitoring")
    allocation = AllocationFactory(
        goal__cycle=cycle, goal__directorate=successor.directorate, department=planning_department
    )
    url = reverse("goals:organisation_act", args=[act.pk])

    response = client.post(url, {f"department_{planning_department.pk}": [successor.pk, second.pk]})

    assert response.status_code == 302
    assert UnitSuccession.objects.filter(act=act).count() == 2
    page = client.get(url)
    assert f'name="allocation_{allocation.pk}"' in page.text
    assert f'name="person_{staff.pk}"' in page.text

    response = client.post(
        reverse("goals:organisation_act_apply", args=[act.pk]),
        {f"allocation_{allocation.pk}": second.pk, f"person_{staff.pk}": successor.pk},
    )

    assert response.status_code == 302
    assert Allocation.objects.get(pk=allocation.pk).department == second
    staff.refresh_from_db()
    assert staff.department == successor
    assert OrganisationAct.objects.get(pk=act.pk).applied_by == secretary


def test_a_split_without_choices_is_shown_again_with_greek_errors(
    client_for, secretary, act, planning_department, successor, second, staff
):
    client = client_for(secretary)
    client.post(
        reverse("goals:organisation_act", args=[act.pk]),
        {f"department_{planning_department.pk}": [successor.pk, second.pk]},
    )

    response = client.post(reverse("goals:organisation_act_apply", args=[act.pk]), {})

    assert response.status_code == 200
    assert "Επιλέξτε πού μεταφέρεται." in response.text
    staff.refresh_from_db()
    assert staff.department == planning_department


def test_a_map_without_successor_is_refused_on_the_page(
    client_for, secretary, act, planning_department
):
    response = client_for(secretary).post(reverse("goals:organisation_act", args=[act.pk]), {})

    assert response.status_code == 200
    assert "Επιλέξτε τη μονάδα ή τις μονάδες που τη διαδέχονται." in response.text
    assert not UnitSuccession.objects.exists()


def test_an_applied_map_may_not_be_saved_again(
    client_for, secretary, act, planning_department, successor
):
    act.applied_at = datetime.datetime(2024, 6, 3, 9, tzinfo=datetime.UTC)
    act.save()
    client = client_for(secretary)
    url = reverse("goals:organisation_act", args=[act.pk])

    assert (
        client.post(url, {f"department_{planning_department.pk}": [successor.pk]}).status_code
        == 403
    )
    assert client.post(reverse("goals:organisation_act_apply", args=[act.pk])).status_code == 403


def test_units_out_of_force_are_not_offered(act, planning, planning_department, successor):
    planning_department.valid_to = datetime.date(2024, 6, 2)
    planning_department.save()
    goal = GoalFactory(directorate=planning)

    # The allocation page offers the departments in force of the directorates allocating.
    departments = Department.objects.active().filter(directorate=planning)
    offered = list(AllocationForm(goal=goal, departments=departments).fields["department"].queryset)

    assert offered == [successor]


def test_the_map_page_takes_the_same_queries_whatever_the_size(
    client_for, secretary, act, planning, django_assert_num_queries
):
    client = client_for(secretary)
    url = reverse("goals:organisation_act", args=[act.pk])
    cycle = GoalCycleFactory(year=2024, phase="monitoring")

    def grow(count):
        for _ in range(count):
            old = DepartmentFactory(directorate=planning, abolished_by_act=act)
            new = [DepartmentFactory(directorate=planning, created_by_act=act) for _ in range(2)]
            for department in new:
                UnitSuccession.objects.create(
                    act=act, old_department=old, new_department=department
                )
            AllocationFactory(goal__cycle=cycle, goal__directorate=planning, department=old)
            UserFactory(directorate=planning, department=old)
            DirectorateFactory()

    grow(1)
    client.get(url)
    with django_assert_num_queries(15) as small:
        client.get(url)
    grow(4)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_progress_page_shows_the_department_of_the_time(
    client_for, secretary, act, planning, planning_department, successor
):
    cycle = GoalCycleFactory(year=2024, phase="monitoring")
    allocation = AllocationFactory(
        goal__cycle=cycle, goal__directorate=planning, department=planning_department
    )
    ProgressUpdateFactory(
        goal=allocation.goal, allocation=allocation, measured_on=datetime.date(2024, 5, 1)
    )
    client = client_for(secretary)
    client.post(
        reverse("goals:organisation_act", args=[act.pk]),
        {f"department_{planning_department.pk}": [successor.pk]},
    )
    client.post(reverse("goals:organisation_act_apply", args=[act.pk]))

    page = client.get(reverse("goals:progress", args=[allocation.goal.pk]))

    assert page.status_code == 200
    assert str(planning_department) in page.text  # the measurement, made for the old one
    assert str(successor) in page.text  # the allocation today


def test_the_decision_shows_the_directorate_that_was_decided(
    client_for, secretary, mayor, act, planning, planning_department
):
    new_directorate = DirectorateFactory(code="PROG2", name="Διεύθυνση Νέα", created_by_act=act)
    planning.abolished_by_act = act
    planning.save()
    new_department = DepartmentFactory(directorate=new_directorate, created_by_act=act)
    cycle = GoalCycleFactory(year=2024)
    goal = GoalFactory(cycle=cycle, directorate=planning)
    decision = issued_adoption(cycle=cycle, goals=[goal], mayor=mayor)
    client = client_for(secretary)
    client.post(
        reverse("goals:organisation_act", args=[act.pk]),
        {
            f"directorate_{planning.pk}": [new_directorate.pk],
            f"department_{planning_department.pk}": [new_department.pk],
        },
    )
    client.post(reverse("goals:organisation_act_apply", args=[act.pk]))
    goal.refresh_from_db()
    assert goal.directorate == new_directorate

    page = client.get(reverse("goals:decision_detail", args=[decision.pk]))

    assert planning.name in page.text
    assert "Διεύθυνση Νέα" not in page.text
