"""Who may open which page of decisions, allocation, progress, evaluation and reports (GET).

Another directorate's object is a 404; a role that may read but not act gets 403.
"""

import pytest
from django.urls import reverse

from goals.services.decisions import prepare_decision

PEOPLE = [
    "anonymous",
    "staff",
    "head_of_department",
    "head_of_planning",
    "head_of_finance",
    "secretary",
    "mayor",
    "deputy",
    "admin_user",
]

# URL name → expected status per person, in the order of PEOPLE.
MATRIX = {
    "decisions": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "decision_detail": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "draft_detail": [302, 404, 404, 404, 404, 200, 200, 200, 200],
    "decision_update": [302, 404, 404, 404, 404, 200, 403, 403, 200],
    "decision_issue": [302, 404, 404, 404, 404, 403, 200, 403, 200],
    "amendment_goal": [302, 404, 404, 404, 404, 200, 403, 403, 200],
    "allocations": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "allocate": [302, 403, 403, 200, 404, 403, 403, 403, 403],
    "progress": [302, 200, 200, 200, 404, 200, 200, 200, 200],
    "evaluation": [302, 403, 403, 403, 403, 200, 200, 200, 200],
    "report": [302, 200, 200, 200, 404, 200, 200, 200, 200],
}


def url_for(name, adopted, draft):
    return {
        "decisions": reverse("goals:decisions"),
        "decision_detail": adopted.decision.get_absolute_url(),
        "draft_detail": draft.get_absolute_url(),
        "decision_update": reverse("goals:decision_update", args=[draft.pk]),
        "decision_issue": reverse("goals:decision_issue", args=[draft.pk]),
        "amendment_goal": reverse("goals:amendment_goal", args=[draft.pk, adopted.goal.pk]),
        "allocations": reverse("goals:allocations"),
        "allocate": reverse("goals:allocate", args=[adopted.goal.pk]),
        "progress": reverse("goals:progress", args=[adopted.goal.pk]),
        "evaluation": reverse("goals:evaluation", args=[adopted.cycle.pk]),
        "report": reverse("goals:report", args=["PROG"]),
    }[name]


@pytest.mark.parametrize(
    ("name", "person", "expected"),
    [
        (name, person, status)
        for name, statuses in MATRIX.items()
        for person, status in zip(PEOPLE, statuses, strict=True)
    ],
)
def test_permission_matrix(request, client_for, adopted, secretary, name, person, expected):
    draft = prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)
    user = None if person == "anonymous" else request.getfixturevalue(person)
    response = client_for(user).get(url_for(name, adopted, draft))
    assert response.status_code == expected
