"""The public pages: open to anyone, in Greek and English, cheap, and with the statement."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("portal:index", []),
    ("portal:cycle", [2024]),
    ("portal:goal", [2024, "PROG-01"]),
    ("portal:open_data", []),
    ("portal:fields", []),
    ("portal:accessibility", []),
]


@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES)
def test_public_pages_open_without_login_and_may_not_be_private(published, client, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_cycle_page_shows_goals_by_directorate_and_category_with_decisions(published, client):
    page = client.get(reverse("portal:cycle", args=[2024])).content.decode()

    assert published.goal.title in page and published.finance_goal.title in page
    assert page.index("Παρεχόμενες υπηρεσίες") < page.index(published.other_goal.code)
    assert "https://diavgeia.gov.gr/decision/view/Ψ4ΚΣΩΗΓ-3ΞΛ" in page
    assert reverse("portal:goal", args=[2024, "PROG-01"]) in page
    assert "data-print" in page  # printable


def test_a_goal_page_shows_its_trend_and_monthly_values(published, client):
    page = client.get(reverse("portal:goal", args=[2024, "PROG-01"])).content.decode()

    assert "<svg" in page and 'datetime="2024-03"' in page and 'datetime="2024-04"' in page
    assert '<data value="125.00">' in page or '<data value="125">' in page


def test_an_unknown_goal_is_404(published, client):
    assert client.get(reverse("portal:goal", args=[2024, "NOPE-1"])).status_code == 404


def test_an_anonymous_visitor_switches_to_english(published, client):
    url = reverse("portal:cycle", args=[2024])

    response = client.post(reverse("set_language"), {"language": "en", "next": url})

    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert 'lang="en"' in page and "Services provided" in page
    assert published.goal.directorate.name_en in page


@pytest.mark.parametrize(
    ("name", "args"), [("portal:cycle", [2024]), ("portal:goal", [2024, "PROG-01"])]
)
def test_public_pages_run_a_fixed_number_of_queries(
    published, client, django_assert_num_queries, name, args
):
    url = reverse(name, args=args)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(8):
        goal = GoalFactory(
            cycle=published.cycle,
            directorate=published.goal.directorate,
            code=f"X-{index}",
            status="adopted",
        )
        for month in (2, 3, 4):
            ProgressUpdateFactory(goal=goal, measured_on=datetime.date(2024, month, 1))
            ProgressUpdateFactory(goal=published.goal, measured_on=datetime.date(2024, month, 2))
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_index_and_catalogue_run_a_fixed_number_of_queries(
    published, client, django_assert_num_queries, mayor, secretary
):
    from goals.services.cycles import publish_cycle
    from tests.factories import GoalCycleFactory, issued_adoption

    urls = [reverse("portal:index"), reverse("portal:open_data"), reverse("portal:catalogue")]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        counts.append(len(small.captured_queries))
    cycle = GoalCycleFactory(year=2023)
    goal = GoalFactory(cycle=cycle, directorate=published.goal.directorate, code="OLD-1")
    issued_adoption(cycle=cycle, goals=[goal], mayor=mayor, ada="9ΖΤ1ΩΗΓ-Λ4Φ")
    publish_cycle(cycle=cycle, by=secretary)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)


def test_a_new_value_shows_once_the_short_cache_expires(published, client, settings):
    settings.PORTAL_CACHE_SECONDS = 0  # what happens when the cached copy expires
    url = reverse("portal:cycle_json", args=[2024])
    client.get(url)

    ProgressUpdateFactory(goal=published.goal, value=149, measured_on=datetime.date(2024, 6, 1))

    assert '"latest_value": 149' in client.get(url).content.decode()


def test_files_may_be_kept_by_shared_caches_for_a_short_while(published, client, settings):
    for name in ("portal:goals_csv", "portal:values_csv", "portal:cycle_json"):
        response = client.get(reverse(name, args=[2024]))
        cache_control = response["Cache-Control"]
        assert "public" in cache_control
        assert f"max-age={settings.PORTAL_CACHE_SECONDS}" in cache_control
        assert response["Access-Control-Allow-Origin"] == "*"
    csv_body = client.get(reverse("portal:goals_csv", args=[2024])).content.decode("utf-8")
    assert csv_body.startswith("\ufeffcycle_year,goal_code,title")


def test_the_accessibility_statement_follows_the_eu_model(db, client, settings):
    settings.MUNICIPALITY_CONTACT_EMAIL = "prosvasimotita@example.gr"
    client.cookies["django_language"] = "en"

    page = client.get(reverse("portal:accessibility")).content.decode()

    for heading in (
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "Feedback and contact information",
        "Enforcement procedure",
    ):
        assert heading in page
    assert "partially compliant" in page and "Django admin" in page
    assert "mailto:prosvasimotita@example.gr" in page
    assert "Ombudsman" in page and "Ministry of Digital Governance" in page


@pytest.mark.parametrize("person", [None, "secretary"])
def test_every_page_links_the_statement_from_its_footer(request, db, client_for, person):
    user = request.getfixturevalue(person) if person else None
    url = reverse("home") if user else reverse("login")

    page = client_for(user).get(url).content.decode()

    footer = page[page.index("<footer") :]
    assert reverse("portal:accessibility") in footer
    assert reverse("portal:open_data") in footer


def test_the_error_page_links_the_statement_too():
    from django.template.loader import render_to_string

    assert reverse("portal:accessibility") in render_to_string("500.html")
