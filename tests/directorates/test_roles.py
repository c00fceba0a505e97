import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from directorates.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migration_creates_one_group_per_role():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_administrator_group_may_maintain_the_organisation_in_admin():
    admin_group = Group.objects.get(name=Role.ADMINISTRATOR)

    codenames = set(admin_group.permissions.values_list("codename", flat=True))

    assert {"change_directorate", "add_department", "change_user"} <= codenames


def test_coordinators_are_the_secretary_and_administrators(secretary, admin_user, mayor, staff):
    assert secretary.is_coordinator and admin_user.is_coordinator
    assert not mayor.is_coordinator and not staff.is_coordinator


def test_oversight_roles_see_everything(mayor, deputy, secretary, head_of_planning, staff):
    assert mayor.sees_everything and deputy.sees_everything and secretary.sees_everything
    assert not head_of_planning.sees_everything and not staff.sees_everything


def test_head_of_directorate_needs_a_directorate():
    assert not UserFactory(roles=[Role.HEAD_OF_DIRECTORATE]).is_head_of_directorate


def test_inactive_person_holds_no_role(secretary):
    secretary.is_active = False

    assert secretary.roles == frozenset()
    assert not secretary.is_coordinator


def test_a_role_taken_away_counts_from_the_next_request(client_for, secretary):
    client = client_for(secretary)
    assert client.get(reverse("goals:cycle_create")).status_code == 200

    secretary.groups.remove(Group.objects.get(name=Role.GENERAL_SECRETARY))

    assert client.get(reverse("goals:cycle_create")).status_code == 403
