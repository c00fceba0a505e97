"""A failed form shows a summary of its errors at the top, each linked to its field, and the
page's title starts with "Σφάλμα:"; every form page gets it from base.html."""

import re

import pytest
from django.urls import reverse

from tests.factories import GoalCycleFactory

pytestmark = pytest.mark.django_db


def summary_links(page: str) -> list[str]:
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S)
    assert summary, "no error summary"
    return re.findall(r'<a href="#([^"]+)"', summary.group(0))


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def test_a_goal_form_with_errors_summarises_them_linked_to_its_fields(client_for, secretary):
    GoalCycleFactory(phase="drafting")
    response = client_for(secretary).post(reverse("goals:create"), {"title": ""})
    page = response.content.decode()

    assert response.status_code == 200
    assert title(page).startswith("Σφάλμα: ")
    links = summary_links(page)
    assert "id_title" in links
    for field_id in links:
        assert f'id="{field_id}"' in page, field_id
    assert "js/error-summary.js" in page
    assert page.index("error-summary") < page.index("<h1")


def test_the_password_change_form_gets_the_same_summary(client_for, staff):
    response = client_for(staff).post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "short", "new_password2": "other"},
    )
    page = response.content.decode()

    assert title(page).startswith("Σφάλμα: ")
    assert "id_old_password" in summary_links(page)


def test_a_meeting_form_with_errors_gets_the_summary(client_for, secretary):
    response = client_for(secretary).post(reverse("meetings:series_create"), {"title": ""})
    page = response.content.decode()
    assert title(page).startswith("Σφάλμα: ")
    assert summary_links(page)


def test_an_error_of_the_whole_form_is_listed_without_a_link(client_for, staff):
    from django.test import Client

    response = Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    page = response.content.decode()

    assert title(page).startswith("Σφάλμα: ")
    summary = re.search(r'class="alert alert-danger error-summary".*?</div>', page, re.S)
    assert summary and "<li>" in summary.group(0)


def test_a_form_page_without_errors_has_neither_summary_nor_error_title(client_for, secretary):
    GoalCycleFactory(phase="drafting")
    page = client_for(secretary).get(reverse("goals:create")).content.decode()
    assert "error-summary" not in page
    assert not title(page).startswith("Σφάλμα")
