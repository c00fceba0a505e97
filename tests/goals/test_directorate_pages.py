"""The municipality-wide tables and charts by directorate come a page of directorates at a time,
so that their work does not grow with the organisation (a municipality's fit on one page)."""

import pytest
from django.urls import reverse

from goals import reports
from tests.factories import DirectorateFactory, GoalFactory, ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_per_page(monkeypatch):
    monkeypatch.setattr(reports, "DIRECTORATES_PER_PAGE", 1)


def pages_of(client, url: str, listed, query: dict | None = None) -> list[list[str]]:
    """What each page of directorates lists, following the links from the first page on."""
    first = client.get(url, query or {})
    assert first.status_code == 200
    second = client.get(url, {**(query or {}), "directorates_page": 2})
    assert second.status_code == 200
    assert "directorates_page=2" in first.content.decode()
    return [listed(first), listed(second)]


def test_the_consultation_overview_lists_a_page_of_directorates_at_a_time(
    client_for, secretary, head_of_planning, planning_goal, finance_goal, one_per_page
):
    ObservationFactory(goal=planning_goal, author=head_of_planning)

    def listed(response):
        return [(d.code, d.submitted) for d in response.context["directorates"]]

    pages = pages_of(client_for(secretary), reverse("goals:consultation"), listed)
    assert sorted(pages) == [[("OIK", 0)], [("PROG", 1)]]


def test_the_allocation_overview_lists_a_page_of_directorates_at_a_time(
    client_for, secretary, adopted, one_per_page
):
    def listed(response):
        return [(row["directorate"].code, row["goals"]) for row in response.context["summary"]]

    pages = pages_of(client_for(secretary), reverse("goals:allocations"), listed)
    assert sorted(pages) == [[("OIK", 1)], [("PROG", 2)]]


def test_the_mayors_chart_by_directorate_comes_a_page_at_a_time_and_the_totals_stay_whole(
    client_for, mayor, adopted, one_per_page
):
    def listed(response):
        return [row["label"] for row in response.context["directorate_chart"]["rows"]]

    client = client_for(mayor)
    pages = pages_of(client, reverse("home"), listed)
    assert sorted(pages) == [["Διεύθυνση Οικονομικών"], ["Διεύθυνση Προγραμματισμού"]]
    # The categories and the overall figure count every directorate, whatever the page.
    response = client.get(reverse("home"), {"directorates_page": 2})
    categories = response.context["category_chart"]["rows"]
    assert len(categories) == 2  # services (PROG-01, OIK-01) and organisation (PROG-02)


def test_a_page_of_directorates_costs_the_same_whatever_their_number(
    client_for, secretary, cycle, planning_goal, django_assert_num_queries
):
    client = client_for(secretary)
    url = reverse("goals:consultation")
    client.get(url)
    with django_assert_num_queries(14):
        client.get(url)
    for index in range(2 * reports.DIRECTORATES_PER_PAGE):
        GoalFactory(cycle=cycle, directorate=DirectorateFactory(code=f"EXTRA{index}"))
    with django_assert_num_queries(14):
        response = client.get(url)
    assert len(response.context["directorates"]) == reports.DIRECTORATES_PER_PAGE
