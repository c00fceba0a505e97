import datetime

import pytest
from django.urls import reverse

from directorates.models import Directorate
from tests.factories import (
    ActingHeadFactory,
    DepartmentFactory,
    DirectorateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def make_directorates(count):
    for _ in range(count):
        directorate = DirectorateFactory(head=UserFactory())
        departments = DepartmentFactory.create_batch(2, directorate=directorate, head=UserFactory())
        ActingHeadFactory(department=departments[0])
        ActingHeadFactory(directorate=directorate)


def test_chart_shows_directorates_departments_and_heads(client_for, staff, head_of_planning):
    DepartmentFactory(directorate=head_of_planning.directorate, name="Τμήμα Ευρωπαϊκών")
    DirectorateFactory(
        code="NOMY", name="Νομική Υπηρεσία", kind=Directorate.Kind.INDEPENDENT_DEPARTMENT
    )

    response = client_for(staff).get(reverse("directorates:list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Διεύθυνση Προγραμματισμού" in page
    assert "Τμήμα Ευρωπαϊκών" in page
    assert str(head_of_planning) in page
    assert "Αυτοτελή τμήματα" in page and "Νομική Υπηρεσία" in page


def test_chart_names_the_acting_heads_in_force_on_its_date_by_their_gender(
    client_for, staff, planning_department
):
    acting = ActingHeadFactory(
        department=planning_department,
        person=UserFactory(first_name="Ελένη", last_name="Μαρκάκη", gender="female"),
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 6, 30),
    )
    client = client_for(staff)

    in_spring = client.get(reverse("directorates:list"), {"on": "2026-04-01"}).content.decode()
    in_summer = client.get(reverse("directorates:list"), {"on": "2026-07-01"}).content.decode()

    assert "Αναπληρώτρια Προϊσταμένη:</span> Ελένη Μαρκάκη" in in_spring
    assert str(acting.person) not in in_summer


def test_directorate_page_names_its_acting_heads_with_their_dates_and_act(
    client_for, staff, planning, planning_department
):
    ActingHeadFactory(
        directorate=planning,
        person=UserFactory(first_name="Νίκος", last_name="Σταυράκης", gender="male"),
        starts_on=datetime.date(2026, 3, 2),
        act="Απόφαση Δημάρχου 318/2026",
    )
    ActingHeadFactory(
        department=planning_department,
        person=UserFactory(first_name="Ελένη", last_name="Μαρκάκη", gender="female"),
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2099, 6, 30),
    )

    page = client_for(staff).get(planning.get_absolute_url()).content.decode()

    assert "Αναπληρωτής Προϊστάμενος</dt>" in page
    assert "Νίκος Σταυράκης" in page
    assert "από 2 Μαρτίου 2026, έως νεοτέρας" in page
    assert "Απόφαση Δημάρχου 318/2026" in page
    assert "Αναπληρώτρια Προϊσταμένη:</span> Ελένη Μαρκάκη" in page
    assert "από 2 Μαρτίου 2026 έως 30 Ιουνίου 2099" in page


def test_chart_hides_inactive_units(client_for, staff):
    DirectorateFactory(name="Καταργημένη Διεύθυνση", is_active=False)

    response = client_for(staff).get(reverse("directorates:list"))

    assert "Καταργημένη Διεύθυνση" not in response.content.decode()


def test_chart_shows_english_names_in_english(client_for, staff, planning):
    staff.language = "en"
    staff.save()

    response = client_for(staff).get(reverse("directorates:list"))

    assert "Planning" in response.content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_chart_runs_the_same_queries_whatever_the_size(
    client_for, staff, count, django_assert_num_queries
):
    make_directorates(count)
    client = client_for(staff)

    # session, user, the counts, a page of directorates, their departments, the acting heads
    # of each, the person's roles and the units they lead today (headship)
    with django_assert_num_queries(9):
        client.get(reverse("directorates:list"))


def test_chart_of_a_large_organisation_comes_in_pages_directorates_first(
    client_for, staff, monkeypatch
):
    monkeypatch.setattr("directorates.views.UNITS_PER_PAGE", 3)
    Directorate.objects.update(is_active=False)  # the fixtures' own units
    DirectorateFactory(code="AUT", name="Αυτοτελές Τμήμα Διαφάνειας", kind="independent_department")
    for number in range(1, 5):
        DirectorateFactory(code=f"D{number}", name=f"Διεύθυνση {number}", order=number)
    client = client_for(staff)

    first = client.get(reverse("directorates:list")).content.decode()
    second = client.get(reverse("directorates:list"), {"page": 2}).content.decode()

    assert "4 διευθύνσεις, 1 αυτοτελής μονάδα" in first and "4 διευθύνσεις" in second
    assert "Διεύθυνση 1" in first and "Διεύθυνση 3" in first and "Διεύθυνση 4" not in first
    assert "Σελίδα 1 από 2" in first and "?page=2" in first
    assert "Διεύθυνση 4" in second and "Αυτοτελές Τμήμα Διαφάνειας" in second
    assert "Αυτοτελή τμήματα" in second and "Αυτοτελή τμήματα" not in first


def test_directorate_page_lists_departments_and_people(client_for, staff, planning_department):
    response = client_for(staff).get(planning_department.directorate.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert planning_department.name in page
    assert str(staff) in page
    assert "Υπάλληλος" in page  # the role label


@pytest.mark.parametrize("count", [1, 10])
def test_directorate_page_runs_the_same_queries_whatever_the_size(
    client_for, staff, planning, count, django_assert_num_queries
):
    for department in DepartmentFactory.create_batch(count, directorate=planning):
        ActingHeadFactory(department=department)
    ActingHeadFactory(directorate=planning)
    UserFactory.create_batch(count, directorate=planning, roles=["staff"])
    client = client_for(staff)

    # session, user, directorate, its departments, the acting heads of each, members, their
    # groups, the person's roles and the units they lead today (headship)
    with django_assert_num_queries(10):
        client.get(planning.get_absolute_url())


def test_unknown_directorate_is_404(client_for, staff):
    assert client_for(staff).get("/organisation/NOPE/").status_code == 404


def test_person_edits_their_own_profile(client_for, staff):
    staff.set_password("correct-horse-battery")
    staff.save()
    client = client_for(staff)
    versions_before = staff.history.count()

    response = client.post(
        reverse("directorates:profile"),
        {
            "first_name": "Μαρίνα",
            "last_name": "Γιαννακάκη",
            "email": "marina@heraklion.gr",
            "job_title": "Πληροφορικός",
            "language": "el",
            "confirm-password": "correct-horse-battery",  # a new e-mail address needs it
        },
    )

    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.email == "marina@heraklion.gr"
    assert staff.history.count() == versions_before + 1
    assert staff.history.first().history_user == staff


def test_profile_refuses_an_email_of_another_person_in_greek(client_for, staff, secretary):
    response = client_for(staff).post(
        reverse("directorates:profile"),
        {
            "first_name": "Μαρίνα",
            "last_name": "Γ",
            "email": secretary.email.upper(),
            "job_title": "",
            "language": "el",
        },
    )

    assert response.status_code == 200
    assert "χρησιμοποιείται ήδη" in response.content.decode()
    staff.refresh_from_db()
    assert staff.first_name != "Μαρίνα"


def test_profile_cannot_change_roles_or_unit(client_for, staff, finance):
    client_for(staff).post(
        reverse("directorates:profile"),
        {
            "first_name": "Χ",
            "last_name": "Υ",
            "email": "x@example.gr",
            "language": "el",
            "directorate": finance.pk,
            "is_superuser": "on",
            "groups": [1, 2, 3],
        },
    )

    staff.refresh_from_db()
    assert staff.directorate != finance
    assert not staff.is_superuser
    assert staff.roles == {"staff"}
