"""Acting heads act with the head's powers while in force; a headless unit's duties fall to the
level above until a head (or an acting head) is named; what an acting head records says so."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from directorates.headship import Capacity, headship_of, in_charge_of
from directorates.models import ActingHead, Directorate
from directorates.roles import Role
from goals.models import Allocation, ProgressUpdate
from goals.services.monitoring import send_progress_reminders
from tests.factories import (
    ActingHeadFactory,
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def progress(client, goal, **data):
    values = {"value": "125", "measured_on": "2024-05-31", "status": "on_track", "comment": ""}
    return client.post(reverse("goals:progress", args=[goal.pk]), {**values, **data})


def allocate(client, goal, department):
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "stamp": "",
        "form-0-department": department.pk,
        "form-0-title": "Στόχος του τμήματος",
        "form-0-indicator": "Δείκτης του τμήματος",
        "form-0-specification": "",
        "form-0-baseline": "100",
        "form-0-target": "150",
        "form-0-deadline": "2024-12-31",
        "form-0-share": "100",
    }
    return client.post(reverse("goals:allocate", args=[goal.pk]), data)


# --- The acting head's powers, within their dates ---------------------------------------------
def test_acting_head_allocates_and_the_record_says_so(
    client_for, head_of_planning, acting_head_of_planning, adopted
):
    response = allocate(client_for(acting_head_of_planning), adopted.goal, adopted.department)

    assert response.status_code == 302
    allocation = Allocation.objects.get(goal=adopted.goal)
    assert allocation.allocated_by == acting_head_of_planning
    assert allocation.as_acting_head
    assert allocation.signed_by == "Ελένη " + acting_head_of_planning.last_name + (
        " (ως αναπληρώτρια)"
    )


def test_acting_head_records_progress_as_acting_head_and_the_page_prints_it(
    client_for, head_of_planning, acting_head_of_planning, adopted
):
    client = client_for(acting_head_of_planning)
    assert progress(client, adopted.goal).status_code == 302

    update = ProgressUpdate.objects.get()
    assert update.author == acting_head_of_planning
    assert update.as_acting_head
    page = client.get(reverse("goals:progress", args=[adopted.goal.pk])).content.decode()
    assert "(ως αναπληρώτρια)" in page


def test_the_head_records_in_their_own_name(client_for, head_of_planning, adopted):
    assert progress(client_for(head_of_planning), adopted.goal).status_code == 302
    assert not ProgressUpdate.objects.get().as_acting_head


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(TODAY + DAY, None), (TODAY - 60 * DAY, TODAY - DAY)],
    ids=["not yet in force", "ended yesterday"],
)
def test_outside_their_dates_the_acting_head_has_no_powers(
    client_for, head_of_planning, planning, adopted, starts, ends
):
    person = UserFactory(directorate=planning, roles=[Role.STAFF])
    ActingHeadFactory(directorate=planning, person=person, starts_on=starts, ends_on=ends)

    assert not person.is_head_of_directorate
    assert progress(client_for(person), adopted.goal).status_code == 403
    assert allocate(client_for(person), adopted.goal, adopted.department).status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_acting_head_of_a_department_reports_on_its_share(
    client_for, head_of_planning, adopted, finance
):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)
    person = UserFactory(directorate=finance, gender="male", roles=[Role.STAFF])
    ActingHeadFactory(department=adopted.department, person=person)

    response = progress(client_for(person), adopted.goal, allocation=allocation.pk)

    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.allocation == allocation
    assert update.signed_by.endswith("(ως αναπληρωτής)")


def test_an_acting_head_stands_in_for_one_unit(planning, planning_department):
    person = UserFactory()
    with pytest.raises(IntegrityError):
        ActingHead.objects.create(
            directorate=planning,
            department=planning_department,
            person=person,
            starts_on=TODAY,
            act="Απόφαση Δημάρχου 1/2026",
        )


def test_an_appointment_cannot_end_before_it_starts(planning):
    with pytest.raises(IntegrityError):
        ActingHeadFactory(directorate=planning, starts_on=TODAY, ends_on=TODAY - DAY)


# --- A unit without a head: its duties fall to the level above --------------------------------
def test_a_headless_directorate_falls_to_the_general_secretary_and_back(secretary, planning):
    headship = headship_of(secretary)
    assert headship.directorates[planning.pk] == Capacity.ABOVE

    head = UserFactory(directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    planning.head = head
    planning.save()

    assert planning.pk not in headship_of(secretary).directorates
    assert headship_of(head).directorates == {planning.pk: Capacity.HEAD}


def test_an_acting_head_takes_the_headless_directorate_from_the_general_secretary(
    secretary, planning
):
    person = UserFactory(directorate=planning, roles=[Role.STAFF])
    ActingHeadFactory(directorate=planning, person=person)

    assert planning.pk not in headship_of(secretary).directorates
    assert headship_of(person).directorates == {planning.pk: Capacity.ACTING}


def test_a_headless_department_falls_to_its_directorate_head_and_back(
    head_of_planning, planning_department
):
    assert headship_of(head_of_planning).departments == {planning_department.pk: Capacity.ABOVE}

    UserFactory(
        directorate=planning_department.directorate,
        department=planning_department,
        roles=[Role.HEAD_OF_DEPARTMENT],
    )

    assert headship_of(head_of_planning).departments == {}


def test_the_head_of_the_level_above_reports_on_a_headless_departments_share(
    client_for, head_of_planning, adopted
):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)

    response = progress(client_for(head_of_planning), adopted.goal, allocation=allocation.pk)

    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.allocation == allocation
    assert not update.as_acting_head


def test_the_general_secretary_allocates_a_headless_directorates_goal(
    client_for, secretary, adopted
):
    response = allocate(client_for(secretary), adopted.goal, adopted.department)

    assert response.status_code == 302
    assert Allocation.objects.get(goal=adopted.goal).allocated_by == secretary


def test_the_start_page_shows_the_units_in_their_charge(
    client_for, secretary, head_of_planning, acting_head_of_planning, finance
):
    acting = client_for(acting_head_of_planning).get(reverse("home")).content.decode()
    assert "Μονάδες ευθύνης σας" in acting
    assert f"Ασκείτε καθήκοντα αναπληρωτή προϊσταμένου: {head_of_planning.directorate}" in acting
    assert "Απόφαση Δημάρχου 245/2026" in acting

    secretarys = client_for(secretary).get(reverse("home")).content.decode()
    assert f"{finance}: δεν έχει προϊστάμενο" in secretarys


# --- Who answers for each directorate: the reminders ----------------------------------------
def test_reminders_go_to_the_acting_head_then_to_the_level_above(
    secretary, head_of_planning, acting_head_of_planning, finance, planning
):
    directorates = list(Directorate.objects.select_related("head").order_by("pk"))

    answers = in_charge_of(directorates)

    assert answers[planning.pk].person == acting_head_of_planning
    assert answers[planning.pk].capacity == Capacity.ACTING
    assert answers[finance.pk].person == secretary
    assert answers[finance.pk].capacity == Capacity.ABOVE


def test_who_answers_for_directorates_takes_the_same_queries_for_any_number(
    secretary, django_assert_num_queries
):
    DirectorateFactory.create_batch(2)
    few = list(Directorate.objects.select_related("head"))
    with django_assert_num_queries(3):
        in_charge_of(few)
    for directorate in DirectorateFactory.create_batch(10):
        DepartmentFactory(directorate=directorate)
        ActingHeadFactory(directorate=directorate)
    many = list(Directorate.objects.select_related("head"))
    with django_assert_num_queries(3):
        in_charge_of(many)


def test_the_headship_takes_the_same_queries_for_any_number_of_units(
    secretary, django_assert_num_queries
):
    DirectorateFactory.create_batch(2)
    assert secretary.roles  # read once per request, with the person
    with django_assert_num_queries(3):
        headship_of(secretary)
    for directorate in DirectorateFactory.create_batch(10):
        DepartmentFactory.create_batch(2, directorate=directorate)
    ActingHeadFactory(directorate=DirectorateFactory(), person=secretary)
    with django_assert_num_queries(3 + 2):  # and the units of the charges, when shown
        assert len(headship_of(secretary).charges) == 2 + 10 + 20 + 1


def test_overdue_reminders_reach_the_acting_head(
    mailoutbox,
    django_capture_on_commit_callbacks,
    head_of_planning,
    acting_head_of_planning,
    adopted,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_progress_reminders() == 1

    assert [message.to for message in mailoutbox] == [[acting_head_of_planning.email]]
    assert "PROG-01" in mailoutbox[0].body
