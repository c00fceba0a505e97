"""Who may open which page: URL names × people × expected status, in one table."""

import pytest
from django.urls import reverse

from tests.factories import GoalFactory, ObservationFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "secretary",
    "admin_user",
    "mayor",
    "deputy",
    "head_of_planning",
    "head_of_finance",
    "head_of_department",
    "staff",
]

# url name → expected status for each person, in the order of PEOPLE. The objects belong to
# Planning: the proposed goal and the observation are by its head; Finance is the outsider.
MATRIX = {
    "goals:list": [200, 200, 200, 200, 200, 200, 200, 200],
    "goals:detail": [200, 200, 200, 200, 200, 200, 200, 200],
    "goals:create": [200, 200, 403, 403, 200, 200, 403, 403],
    "goals:update": [200, 200, 403, 403, 200, 403, 403, 403],
    "goals:observe": [403, 403, 403, 403, 200, 403, 403, 403],
    "goals:observe_general": [403, 403, 403, 403, 200, 200, 403, 403],
    "goals:consultation": [200, 200, 200, 200, 200, 200, 403, 403],
    "goals:observation": [200, 200, 200, 200, 200, 404, 200, 200],
    "goals:cycles": [200, 200, 200, 200, 200, 200, 200, 200],
    "goals:cycle_create": [200, 200, 403, 403, 403, 403, 403, 403],
    "goals:cycle_update": [200, 200, 403, 403, 403, 403, 403, 403],
}
OBJECT_OF = {
    "goals:detail": "goal",
    "goals:update": "goal",
    "goals:observe": "goal",
    "goals:observation": "observation",
    "goals:cycle_update": "cycle",
}


@pytest.fixture
def objects(cycle, planning, head_of_planning, admin_user):
    goal = GoalFactory(cycle=cycle, directorate=planning, status="proposed")
    observation = ObservationFactory(goal=goal, author=head_of_planning)
    return {"goal": goal, "observation": observation, "cycle": cycle}


@pytest.mark.parametrize(
    ("url_name", "person", "expected"),
    [
        (url_name, person, status)
        for url_name, statuses in MATRIX.items()
        for person, status in zip(PEOPLE, statuses, strict=True)
    ],
)
def test_permission_matrix(client_for, request, objects, url_name, person, expected):
    target = OBJECT_OF.get(url_name)
    url = reverse(url_name, args=[objects[target].pk] if target else [])
    response = client_for(request.getfixturevalue(person)).get(url)
    assert response.status_code == expected


@pytest.mark.parametrize("url_name", list(MATRIX))
def test_anonymous_people_are_sent_to_log_in(client, objects, url_name):
    target = OBJECT_OF.get(url_name)
    url = reverse(url_name, args=[objects[target].pk] if target else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
