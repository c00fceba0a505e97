"""A unit's page in the organisation chart leads to its goals, its progress report and its
acts of specification and allocation: each link shown only to those who may open it, and each
one opens."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import GoalCycleFactory

pytestmark = pytest.mark.django_db

GOALS = "Οι στόχοι της μονάδας"
REPORT = "Αναφορά προόδου"
ACTS = "Πράξεις εξειδίκευσης και επιμερισμού"


def links_on_the_page(client, directorate) -> dict[str, str]:
    """The links of the unit's page to its goals and documents, by label, as the page shows
    them."""
    response = client.get(directorate.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    found = re.search(r'<nav aria-label="Στόχοι και έγγραφα: [^"]*"[^>]*>(.*?)</nav>', page, re.S)
    if not found:
        return {}
    return {
        html.unescape(label): html.unescape(url)
        for url, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', found[1])
    }


@pytest.fixture
def monitored(db):
    return GoalCycleFactory(year=timezone.localdate().year, phase="monitoring")


@pytest.mark.parametrize(
    "person", ["head_of_planning", "acting_head_of_planning", "staff", "mayor", "secretary"]
)
def test_the_directorate_s_people_and_oversight_find_its_report_and_acts(
    request, client_for, planning, monitored, person
):
    client = client_for(request.getfixturevalue(person))

    links = links_on_the_page(client, planning)

    assert list(links) == [GOALS, REPORT, ACTS]
    for url in links.values():
        assert client.get(url).status_code == 200, url
    assert links[GOALS] == f"{reverse('goals:list')}?directorate={planning.pk}"


def test_a_head_of_another_directorate_finds_only_its_goals(
    client_for, planning, head_of_finance, monitored
):
    client = client_for(head_of_finance)

    links = links_on_the_page(client, planning)

    assert list(links) == [GOALS]
    # The pages not linked are refused to them all the same.
    assert client.get(reverse("goals:report", args=[planning.code])).status_code == 404
    assert client.get(reverse("goals:allocation_acts", args=[planning.code])).status_code == 404


def test_an_abolished_unit_links_no_goal_list_it_could_not_filter_by(
    client_for, planning, mayor, monitored
):
    planning.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    planning.save()

    links = links_on_the_page(client_for(mayor), planning)

    assert GOALS not in links
    assert REPORT in links and ACTS in links
