"""Units in force between dates, set by the acts of the internal services organisation (ΟΕΥ),
and the organisation chart of any date."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from directorates.models import Department, Directorate
from tests.factories import (
    ActingHeadFactory,
    DepartmentFactory,
    DirectorateFactory,
    OrganisationActFactory,
)

pytestmark = pytest.mark.django_db

JUNE_3 = datetime.date(2024, 6, 3)


@pytest.fixture
def renamed(planning, planning_department):
    """The 2024 act renamed the Department of Organisation: old until 2 June, new from 3 June."""
    act = OrganisationActFactory(effective_on=JUNE_3)
    planning_department.valid_to = JUNE_3 - datetime.timedelta(days=1)
    planning_department.abolished_by_act = act
    planning_department.is_active = False
    planning_department.save()
    return DepartmentFactory(
        directorate=planning,
        name="Τμήμα Οργάνωσης και Ποιότητας",
        valid_from=JUNE_3,
        created_by_act=act,
    )


def test_a_unit_is_in_force_from_its_first_to_its_last_day(renamed, planning_department):
    def in_force(on):
        return list(Department.objects.in_force(on))

    assert in_force(datetime.date(2024, 6, 2)) == [planning_department]
    assert in_force(JUNE_3) == [renamed]
    assert planning_department.is_in_force(datetime.date(2024, 6, 2))
    assert not planning_department.is_in_force(JUNE_3)


def test_units_not_yet_in_force_are_not_offered(planning):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    DirectorateFactory(code="LATER", valid_from=tomorrow)

    assert list(Directorate.objects.active()) == [planning]


def test_a_unit_cannot_cease_before_it_comes_into_force(planning):
    planning.valid_from = JUNE_3
    planning.valid_to = JUNE_3 - datetime.timedelta(days=1)

    with pytest.raises(IntegrityError):
        planning.save()


def test_the_chart_shows_todays_units(client_for, staff, renamed, planning_department):
    response = client_for(staff).get(reverse("directorates:list"))

    assert renamed.name in response.text
    assert planning_department.name not in response.text.replace(renamed.name, "")


def test_the_chart_of_a_past_date_shows_the_units_then(
    client_for, staff, renamed, planning_department
):
    response = client_for(staff).get(reverse("directorates:list"), {"on": "2024-05-31"})

    assert response.status_code == 200
    assert planning_department.name in response.text
    assert renamed.name not in response.text
    assert "31 Μαΐου 2024" in response.text


def test_a_date_that_is_not_one_shows_today(client_for, staff, renamed):
    response = client_for(staff).get(reverse("directorates:list"), {"on": "31/31/2024"})

    assert response.status_code == 200
    assert renamed.name in response.text


def test_an_abolished_directorate_keeps_its_page(client_for, staff, planning, planning_department):
    act = OrganisationActFactory(effective_on=JUNE_3)
    for unit in (planning, planning_department):
        unit.valid_to = datetime.date(2024, 6, 2)
        unit.abolished_by_act = act
        unit.is_active = False
        unit.save()

    response = client_for(staff).get(reverse("directorates:detail", args=[planning.code]))

    assert response.status_code == 200
    assert planning_department.name in response.text
    assert "2 Ιουνίου 2024" in response.text
    assert act.gazette_issue in response.text.replace("&#x27;", "'")


@pytest.mark.parametrize("count", [2, 12])
def test_the_chart_of_a_date_runs_the_same_queries_whatever_the_size(
    client_for, staff, count, django_assert_num_queries
):
    for _ in range(count):
        department = DepartmentFactory(valid_to=datetime.date(2024, 12, 31))
        ActingHeadFactory(department=department, starts_on=datetime.date(2024, 1, 1))
    client = client_for(staff)
    # as today's chart (test_organisation_pages), the acting heads of the date's units included
    with django_assert_num_queries(9):
        client.get(reverse("directorates:list"), {"on": "2024-05-31"})


def test_the_pages_of_a_past_chart_stay_on_its_date(client_for, staff):
    for _ in range(31):
        DirectorateFactory(valid_to=datetime.date(2024, 12, 31))

    response = client_for(staff).get(reverse("directorates:list"), {"on": "2024-05-31"})

    assert "?on=2024-05-31&amp;page=2" in response.text
