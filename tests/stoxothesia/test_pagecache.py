"""The main pages are answered again from the cache for one browser until any data changes,
and never to anyone else, never stale, never with a form token another browser cannot use."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from goals.models import Goal
from stoxothesia import pagecache
from tests.factories import GoalCycleFactory, GoalFactory

pytestmark = pytest.mark.django_db


def cached(client, url):
    """Visit until the page is stored (the first visit gives the browser its CSRF cookie)."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        if response.headers.get("X-Page-Cache") == "hit":
            return response
    raise AssertionError(f"{url} was never answered from the cache")


@pytest.fixture
def goal(planning):
    cycle = GoalCycleFactory(year=2026, phase="consultation")
    return GoalFactory(cycle=cycle, directorate=planning, code="PROG-01", title="Ψηφιακή πύλη")


def test_a_page_seen_again_comes_from_the_cache_unchanged(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    url = reverse("goals:detail", args=[goal.pk])
    client.get(url)
    fresh = client.get(url)
    again = cached(client, url)
    assert fresh.headers.get("X-Page-Cache") is None
    assert again.content == fresh.content
    assert again["Content-Type"] == fresh["Content-Type"]
    # The headers the middleware adds are there on a cached answer too.
    assert "Content-Security-Policy" in again
    assert again["X-Frame-Options"] == "DENY"


def test_a_change_saved_through_the_model_is_shown_at_once(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    url = reverse("goals:detail", args=[goal.pk])
    cached(client, url)
    goal.title = "Νέος τίτλος του στόχου"
    goal.save()
    response = client.get(url)
    assert response.headers.get("X-Page-Cache") is None
    assert "Νέος τίτλος του στόχου" in response.content.decode()


def test_a_change_written_around_the_models_is_shown_at_once(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    url = reverse("goals:list")
    cached(client, url)
    Goal.objects.filter(pk=goal.pk).update(title="Ενημέρωση με update()")
    assert "Ενημέρωση με update()" in client.get(url).content.decode()
    cached(client, url)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE goals_goal SET title = %s WHERE id = %s", ["Με SQL", goal.pk])
    assert "Με SQL" in client.get(url).content.decode()


def test_a_change_rolled_back_leaves_the_page_as_it_was(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    url = reverse("goals:list")
    cached(client, url)
    with pytest.raises(RuntimeError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(title="Δεν αποθηκεύτηκε")
        raise RuntimeError
    response = client.get(url)
    assert "Δεν αποθηκεύτηκε" not in response.content.decode()
    assert "Ψηφιακή πύλη" in response.content.decode()


def test_writes_that_change_no_page_keep_the_cache(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    url = reverse("goals:list")
    cached(client, url)
    SessionStore().create()  # someone else logs in
    assert client.get(url).headers.get("X-Page-Cache") == "hit"


def test_another_person_never_gets_my_cached_page(
    client_for, head_of_planning, head_of_finance, goal
):
    url = reverse("home")
    mine = cached(client_for(head_of_planning), url).content.decode()
    theirs = client_for(head_of_finance).get(url)
    assert theirs.headers.get("X-Page-Cache") is None
    assert head_of_finance.first_name in theirs.content.decode()
    assert theirs.content.decode() != mine


def test_my_other_browser_gets_its_own_page_and_form_tokens(client_for, head_of_planning, goal):
    url = reverse("goals:detail", args=[goal.pk])
    cached(client_for(head_of_planning), url)
    other = client_for(head_of_planning)
    assert other.get(url).headers.get("X-Page-Cache") is None


def test_the_form_token_in_a_cached_page_is_accepted(head_of_planning, goal, planning):
    client = Client(enforce_csrf_checks=True)
    client.force_login(head_of_planning)
    session = client.session
    session["two_factor_step"] = ""
    session.save()
    page = cached(client, reverse("goals:detail", args=[goal.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "en", "next": "/"}
    )
    assert response.status_code == 302


def test_a_waiting_message_is_shown_not_a_cached_page(client_for, secretary, goal):
    client = client_for(secretary)
    url = reverse("goals:detail", args=[goal.pk])
    cached(client, url)
    fields = ["cycle", "directorate", "category", "code", "title", "description", "indicator"]
    fields += ["unit_of_measure", "target_kind", "baseline", "target", "weight", "version"]
    fields += ["status"]
    data = {name: getattr(goal, f"{name}_id", None) or getattr(goal, name) for name in fields}
    data["deadline"] = goal.deadline.isoformat()
    response = client.post(reverse("goals:update", args=[goal.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert response.headers.get("X-Page-Cache") is None
    assert 'class="messages"' in response.content.decode()


def test_htmx_requests_and_other_languages_are_answered_afresh(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    url = reverse("goals:list")
    cached(client, url)
    assert client.get(url, headers={"HX-Request": "true"}).headers.get("X-Page-Cache") is None
    head_of_planning.language = "en"
    head_of_planning.save()
    response = client.get(url)
    assert response.headers.get("X-Page-Cache") is None
    assert response["Content-Language"] == "en"


def test_the_page_cache_can_be_turned_off(client_for, head_of_planning, goal, settings):
    settings.PAGE_CACHE = False
    client = client_for(head_of_planning)
    url = reverse("goals:list")
    for _ in range(3):
        assert client.get(url).headers.get("X-Page-Cache") is None


def test_a_page_not_found_is_never_stored(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    client.get(reverse("home"))  # the CSRF cookie
    url = reverse("goals:detail", args=[goal.pk + 1000])
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 404
        assert response.headers.get("X-Page-Cache") is None


@pytest.mark.django_db(transaction=True)
def test_each_committed_write_makes_a_new_data_version(planning):
    goal = GoalFactory(directorate=planning)
    before = pagecache.data_version()
    Goal.objects.filter(pk=goal.pk).update(weight=5)
    after = pagecache.data_version()
    assert after and after != before
    with transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(weight=6)
        Goal.objects.filter(pk=goal.pk).update(weight=7)
    assert pagecache.data_version() not in (before, after)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM goals_goal")
    settled = pagecache.data_version()
    SessionStore().create()
    assert pagecache.data_version() == settled


def test_a_deployment_s_migrate_makes_every_stored_page_stale(client_for, head_of_planning, goal):
    from django.core.management import call_command

    client = client_for(head_of_planning)
    url = reverse("goals:list")
    cached(client, url)
    call_command("migrate", verbosity=0)
    assert client.get(url).headers.get("X-Page-Cache") is None


def test_every_process_watches_its_writes_from_its_first_connection(tmp_path):
    # A task worker or a management command imports no view; its first connection must be
    # watched all the same, or its writes would leave stored pages looking current.
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        "print(sorted(type(w).__name__ for w in connection.execute_wrappers))\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "stoxothesia.settings")
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert "WriteWatcher" in result.stdout


def test_a_stored_page_costs_the_session_and_the_cache_only(
    client_for, mayor, goal, django_assert_num_queries
):
    client = client_for(mayor)  # with a verified second factor
    url = reverse("goals:detail", args=[goal.pk])
    cached(client, url)

    # the session, then the data version and the page in one read; not the person, nor
    # their device, nor their roles
    with django_assert_num_queries(2):
        response = client.get(url)

    assert response.headers["X-Page-Cache"] == "hit"
    assert response["Content-Language"] == "el"
    assert response["X-Frame-Options"] == "DENY"


def test_a_disabled_account_gets_no_stored_page(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    url = reverse("goals:detail", args=[goal.pk])
    cached(client, url)

    head_of_planning.is_active = False
    head_of_planning.save()

    assert client.get(url).status_code == 302  # to the login page


def test_a_session_that_ended_gets_no_stored_page(client_for, head_of_planning, goal):
    client = client_for(head_of_planning)
    url = reverse("goals:detail", args=[goal.pk])
    cached(client, url)
    old_cookies = {name: morsel.value for name, morsel in client.cookies.items()}

    client.post(reverse("logout"))
    replay = Client()
    for name, value in old_cookies.items():
        replay.cookies[name] = value  # someone who kept the cookies of the ended session

    assert replay.get(url).status_code == 302
    assert SessionStore(session_key=old_cookies["sessionid"]).get("_auth_user_id") is None


def test_a_removed_second_factor_gets_no_stored_page(client_for, mayor, goal):
    client = client_for(mayor)
    url = reverse("goals:detail", args=[goal.pk])
    cached(client, url)

    mayor.totpdevice_set.all().delete()

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_a_new_data_version_is_one_update_and_reads_back_through_the_cache(
    django_assert_num_queries,
):
    from django.core.cache import cache

    pagecache.bump()  # the entry exists

    with django_assert_num_queries(1):
        version = pagecache.bump()

    assert cache.get(pagecache.VERSION_KEY) == version
    cache.delete(pagecache.VERSION_KEY)  # culled, or never made
    assert pagecache.data_version() is None
    assert pagecache.bump() == pagecache.data_version()
