"""Capitals without accents, and titles that follow the person's gender."""

import pytest
from django.contrib.auth.models import Permission
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from directorates.admin import permission_label
from directorates.demo import demo_gender
from directorates.greek import greek_upper
from directorates.models import Municipality
from directorates.roles import Role, role_title
from tests.factories import DirectorateFactory, UserFactory


@pytest.mark.parametrize(
    ("text", "capitals"),
    [
        ("Δήμος Ηρακλείου", "ΔΗΜΟΣ ΗΡΑΚΛΕΙΟΥ"),
        ("Ο Δήμαρχος", "Ο ΔΗΜΑΡΧΟΣ"),
        ("Γενική Γραμματέας", "ΓΕΝΙΚΗ ΓΡΑΜΜΑΤΕΑΣ"),
        ("Μάιος", "ΜΑΪΟΣ"),  # the accent before ι keeps the two apart with a dialytika
        ("ρολόι", "ΡΟΛΟΪ"),
        ("Προϋπολογισμός", "ΠΡΟΫΠΟΛΟΓΙΣΜΟΣ"),
        ("πρωτεΐνη", "ΠΡΩΤΕΪΝΗ"),
        ("Municipality of Heraklion", "MUNICIPALITY OF HERAKLION"),
    ],
)
def test_greek_upper_writes_capitals_without_accents(text, capitals):
    assert greek_upper(text) == capitals


def test_greek_upper_filter_replaces_upper_in_templates():
    template = Template("{% load greek %}{{ name|greek_upper }}")
    assert template.render(Context({"name": "Δήμος Ηρακλείου"})) == "ΔΗΜΟΣ ΗΡΑΚΛΕΙΟΥ"


@pytest.mark.parametrize(
    ("role", "female", "male"),
    [
        (Role.HEAD_OF_DIRECTORATE, "Προϊσταμένη Διεύθυνσης", "Προϊστάμενος Διεύθυνσης"),
        (Role.HEAD_OF_DEPARTMENT, "Προϊσταμένη Τμήματος", "Προϊστάμενος Τμήματος"),
        (Role.GENERAL_SECRETARY, "Γενική Γραμματέας", "Γενικός Γραμματέας"),
        (Role.MAYOR, "Δήμαρχος", "Δήμαρχος"),
        (Role.DEPUTY_MAYOR, "Αντιδήμαρχος", "Αντιδήμαρχος"),
    ],
)
def test_titles_follow_the_gender(role, female, male):
    with translation.override("el"):
        assert role_title(role, "female") == female
        assert role_title(role, "male") == male
        assert role_title(role, "") == str(Role(role).label)


@pytest.mark.django_db
def test_a_persons_roles_read_as_their_titles():
    head = UserFactory(gender="female", roles=[Role.HEAD_OF_DIRECTORATE])
    secretary = UserFactory(gender="male", roles=[Role.GENERAL_SECRETARY])
    with translation.override("el"):
        assert head.role_labels == ["Προϊσταμένη Διεύθυνσης"]
        assert secretary.title(Role.GENERAL_SECRETARY) == "Γενικός Γραμματέας"


@pytest.mark.django_db
def test_profile_shows_the_title_by_gender(client_for):
    secretary = UserFactory(gender="female", roles=[Role.GENERAL_SECRETARY])
    page = client_for(secretary).get(reverse("directorates:profile")).content.decode()
    assert "Γενική Γραμματέας" in page
    assert "Γενική Γραμματεία" not in page


def test_demo_people_have_their_gender():
    assert demo_gender("Αργυρώ") == "female"
    assert demo_gender("Ελένη") == "female"
    assert demo_gender("Μαρία") == "female"
    assert demo_gender("Εμμανουήλ") == "male"
    assert demo_gender("Γεώργιος") == "male"


@pytest.mark.django_db
def test_administrator_edits_the_gender_and_the_municipality(client_for, admin_user):
    person = UserFactory()
    client = client_for(admin_user)
    form = client.get(reverse("admin:directorates_user_change", args=[person.pk])).content
    assert b'name="gender"' in form
    municipality = Municipality.objects.first() or Municipality.objects.create()
    page = client.get(reverse("admin:directorates_municipality_change", args=[municipality.pk]))
    assert page.status_code == 200
    assert "Περιφέρεια Κρήτης" in page.content.decode()


@pytest.mark.django_db
def test_the_municipality_is_one_row_never_added_twice_nor_deleted(client_for, admin_user):
    municipality = Municipality.objects.first() or Municipality.objects.create()
    client = client_for(admin_user)
    assert client.get(reverse("admin:directorates_municipality_add")).status_code == 403
    delete = reverse("admin:directorates_municipality_delete", args=[municipality.pk])
    assert client.get(delete).status_code == 403


@pytest.mark.django_db
def test_municipality_without_a_stored_row_has_heraklions_details():
    Municipality.objects.all().delete()
    municipality = Municipality.load()
    assert municipality.name == "Δήμος Ηρακλείου"
    assert "ν. 4940/2022 (ΦΕΚ Α' 112)" in municipality.considerations


@pytest.mark.django_db
def test_permissions_read_in_greek_in_admin():
    permission = Permission.objects.get(codename="add_directorate")
    with translation.override("el"):
        assert permission_label(permission) == "Οργάνωση και πρόσωπα | διεύθυνση | Προσθήκη"
    history = Permission.objects.get(codename="view_historicaldirectorate")
    with translation.override("el"):
        assert permission_label(history) == "Οργάνωση και πρόσωπα | ιστορικό: διεύθυνση | Προβολή"


@pytest.mark.django_db
def test_a_units_head_is_titled_by_the_units_kind_and_the_heads_gender(client_for, staff):
    head = UserFactory(gender="female")
    directorate = DirectorateFactory(head=head, kind="directorate")
    independent = DirectorateFactory(head=UserFactory(gender="male"), kind="independent_department")
    with translation.override("el"):
        assert directorate.head_title == "Προϊσταμένη Διεύθυνσης"
        assert independent.head_title == "Προϊστάμενος Αυτοτελούς Τμήματος"
    page = client_for(staff).get(reverse("directorates:list")).content.decode()
    assert "Προϊσταμένη Διεύθυνσης:" in page
