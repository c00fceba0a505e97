import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name", ["directorate", "department", "user"], ids=lambda name: f"{name}_changelist"
)
def test_admin_lists_and_searches_organisation_in_greek(client_for, admin_user, url_name):
    DepartmentFactory(name="Τμήμα Εσόδων")

    response = client_for(admin_user).get(
        reverse(f"admin:directorates_{url_name}_changelist"), {"q": "Εσόδων"}
    )

    assert response.status_code == 200
    assert "Αναζήτηση" in response.content.decode()


def test_admin_is_closed_to_non_staff(client_for, secretary):
    response = client_for(secretary).get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url
