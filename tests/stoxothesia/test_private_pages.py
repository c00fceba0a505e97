"""Pages that need a login are kept out of every cache; public ones keep their own headers."""

import pytest
from django.urls import reverse

from tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    "url_name", ["home", "goals:list", "directorates:list", "directorates:profile"]
)
def test_logged_in_pages_are_private_and_not_stored(client_for, head_of_planning, url_name):
    client = client_for(head_of_planning)

    for _seen in ("first", "again"):
        response = client.get(reverse(url_name))

        assert response.status_code == 200
        assert {"private", "no-store"} <= cache_control(response)


def test_a_goal_page_and_a_download_are_private_and_not_stored(client_for, head_of_planning):
    goal = GoalFactory(directorate=head_of_planning.directorate)
    client = client_for(head_of_planning)

    page = client.get(reverse("goals:detail", args=[goal.pk]))
    download = client.get(reverse("goals:export_csv"))

    assert {"private", "no-store"} <= cache_control(page)
    assert download.status_code == 200
    assert {"private", "no-store"} <= cache_control(download)


def test_refusals_and_missing_objects_are_not_stored_either(client_for, staff, head_of_finance):
    goal = GoalFactory(directorate=head_of_finance.directorate)
    client = client_for(staff)

    refused = client.get(reverse("goals:update", args=[goal.pk]))
    missing = client.get(reverse("meetings:detail", args=[987654]))

    assert refused.status_code == 403
    assert missing.status_code == 404
    assert {"private", "no-store"} <= cache_control(refused)
    assert {"private", "no-store"} <= cache_control(missing)


def test_public_pages_keep_their_own_headers(client, client_for, staff):
    reset_page = client.get(reverse("password_reset"))
    reset_done = client.get(reverse("password_reset_done"))
    health = client_for(staff).get(reverse("healthz"))  # logged in, yet a public view

    assert "Cache-Control" not in reset_page
    assert "Cache-Control" not in reset_done
    # never_cache of the view itself, unchanged (already private: it is never stored at all).
    assert health["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
