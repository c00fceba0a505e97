"""The menu marks the entry of the page shown: aria-current="page" on the entry's own page,
"true" on the other pages of its section, and nothing elsewhere."""

import re

import pytest
from django.urls import reverse

from tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def marked(page: str) -> dict[str, str]:
    """The menu's links marked current: their address and the value of aria-current."""
    header = page[: page.index("</header>")]
    return dict(
        (href, value) for value, href in re.findall(r'aria-current="(\w+)" href="([^"]+)"', header)
    )


@pytest.mark.parametrize(
    ("url_name", "args", "expected"),
    [
        ("home", [], {"/": "page"}),
        ("goals:list", [], {"/goals/": "page"}),
        ("goals:consultation", [], {"/consultation/": "page"}),
        ("goals:decisions", [], {"/decisions/": "page"}),
        ("goals:allocations", [], {"/allocations/": "page"}),
        ("directorates:list", [], {"/organisation/": "page"}),
        ("directorates:profile", [], {"/profile/": "page"}),
        ("password_change", [], {"/accounts/password_change/": "page"}),
        ("meetings:list", [], {"/meetings/": "page"}),
        ("meetings:action_items", [], {"/meetings/": "true"}),
        ("goals:cycles", [], {"/goals/": "true"}),
    ],
)
def test_the_menu_marks_the_current_page_or_section(
    client_for, head_of_planning, url_name, args, expected
):
    page = client_for(head_of_planning).get(reverse(url_name, args=args)).content.decode()
    assert marked(page) == expected


def test_a_goals_page_marks_the_goals_section(client_for, staff):
    goal = GoalFactory()
    page = client_for(staff).get(goal.get_absolute_url()).content.decode()
    assert marked(page) == {"/goals/": "true"}


def test_a_page_whose_entry_is_not_shown_falls_back_on_the_goals(
    client_for, staff, head_of_planning
):
    """Staff have no consultation entry; an observation's page is still a goals' page."""
    from tests.factories import ObservationFactory

    observation = ObservationFactory(
        goal=GoalFactory(directorate=head_of_planning.directorate), author=head_of_planning
    )
    page = client_for(staff).get(observation.get_absolute_url()).content.decode()
    assert marked(page) == {"/goals/": "true"}


def test_the_map_of_an_organisation_change_is_a_page_of_the_organisation(client_for, secretary):
    from tests.factories import OrganisationActFactory

    act = OrganisationActFactory()
    client = client_for(secretary)
    for url in (
        reverse("goals:organisation_acts"),
        reverse("goals:organisation_act", args=[act.pk]),
    ):
        assert marked(client.get(url).content.decode()) == {"/organisation/": "true"}
