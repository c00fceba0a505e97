"""The headship is read with hand-written statements (every page asks it): they give the same
answer as the rule written with the ORM (`without_head`, `ActingHead.in_force`), case by case."""

import datetime

import pytest
from django.utils import timezone

from directorates.headship import _acting, _headless, headship_of
from directorates.models import ActingHead, Department, Directorate
from directorates.roles import Role
from tests.factories import ActingHeadFactory, DepartmentFactory, DirectorateFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def every_case(make_unit, field: str, role: Role) -> dict[str, object]:
    """One unit for each way a unit has, or lacks, a head today."""
    units = {name: make_unit() for name in CASES}
    units["named head"].head = UserFactory()
    units["named head, gone"].head = UserFactory(is_active=False)
    units["not in force"].valid_to = TODAY - DAY
    units["in force from tomorrow"].valid_from = TODAY + DAY
    units["switched off"].is_active = False
    for unit in units.values():
        unit.save()
    UserFactory(roles=[role], **{field: units["holds the head's role"]})
    UserFactory(roles=[role], is_active=False, **{field: units["holder gone"]})
    UserFactory(roles=[Role.STAFF], **{field: units["only staff"]})
    ActingHeadFactory(**{field: units["acting head"]})
    ActingHeadFactory(**{field: units["acting, until today"]}, ends_on=TODAY)
    ActingHeadFactory(**{field: units["acting, ended"]}, ends_on=TODAY - DAY)
    ActingHeadFactory(**{field: units["acting, from tomorrow"]}, starts_on=TODAY + DAY)
    return units


CASES = [
    "no head",
    "named head",
    "named head, gone",
    "holds the head's role",
    "holder gone",
    "only staff",
    "acting head",
    "acting, until today",
    "acting, ended",
    "acting, from tomorrow",
    "not in force",
    "in force from tomorrow",
    "switched off",
]
HEADLESS = {
    "no head",
    "named head, gone",
    "holder gone",
    "only staff",
    "acting, ended",
    "acting, from tomorrow",
}


def test_the_statement_finds_the_headless_directorates_the_rule_finds():
    units = every_case(DirectorateFactory, "directorate", Role.HEAD_OF_DIRECTORATE)

    found = [pk for pk, _directorate in _headless(Directorate, TODAY)]

    expected = Directorate.objects.active().without_head(TODAY)
    assert found == list(expected.values_list("pk", flat=True))
    assert set(found) == {units[name].pk for name in HEADLESS}


def test_the_statement_finds_the_headless_departments_the_rule_finds():
    second, first = DirectorateFactory(order=2), DirectorateFactory(order=1)
    units = every_case(
        lambda: DepartmentFactory(directorate=second), "department", Role.HEAD_OF_DEPARTMENT
    )
    earlier = DepartmentFactory(directorate=first)  # the chart's order: directorate first
    elsewhere = DepartmentFactory()  # of a directorate not asked about

    found = _headless(Department, TODAY, within=[first.pk, second.pk])

    expected = Department.objects.active().filter(directorate__in=[first, second])
    assert found == list(expected.without_head(TODAY).values_list("pk", "directorate_id"))
    assert {pk for pk, _directorate in found} == {units[name].pk for name in HEADLESS} | {
        earlier.pk
    }
    assert found[0] == (earlier.pk, first.pk)
    assert elsewhere.pk not in {pk for pk, _directorate in found}


def test_the_statement_finds_the_appointments_in_force_the_rule_finds():
    person = UserFactory()
    department = DepartmentFactory()
    in_force = [
        ActingHeadFactory(person=person, directorate=DirectorateFactory()),
        ActingHeadFactory(person=person, department=department, ends_on=TODAY),
    ]
    ActingHeadFactory(person=person, directorate=DirectorateFactory(), ends_on=TODAY - DAY)
    ActingHeadFactory(person=person, directorate=DirectorateFactory(), starts_on=TODAY + DAY)
    ActingHeadFactory(directorate=DirectorateFactory())  # someone else's

    found = _acting(person.pk, TODAY)

    assert list(ActingHead.objects.in_force(TODAY).filter(person=person).order_by("pk")) == in_force
    assert found == [
        (in_force[0].directorate_id, None, None, None, "Απόφαση Δημάρχου 245/2026"),
        (None, department.pk, department.directorate_id, TODAY, "Απόφαση Δημάρχου 245/2026"),
    ]


def test_a_person_s_charges_come_with_their_units_in_the_chart_s_order(
    django_assert_num_queries,
):
    secretary = UserFactory(roles=[Role.GENERAL_SECRETARY])
    first, second = DirectorateFactory(order=1), DirectorateFactory(order=2)
    department = DepartmentFactory(directorate=first)
    third = DirectorateFactory(order=3)
    acting = ActingHeadFactory(
        person=secretary, department=DepartmentFactory(directorate=third), ends_on=TODAY
    )
    secretary.roles  # noqa: B018 - read once per request, with the person

    headship = headship_of(secretary)
    with django_assert_num_queries(2):
        charges = headship.charges

    assert [(charge.unit, charge.capacity) for charge in charges] == [
        (acting.department, "acting"),
        (first, "above"),
        (second, "above"),
        (third, "above"),
        (department, "above"),
    ]
    assert charges[0].until == TODAY
    assert charges[0].unit.directorate == acting.department.directorate
