"""Risks and blockers on a goal: raised by the head of its directorate, escalated to the
General Secretary (with an e-mail), resolved; refused to others and on goals not monitored."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from goals.models import GoalBlocker
from tests.factories import GoalCycleFactory, GoalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitored_goal(planning):
    cycle = GoalCycleFactory(year=2024, phase="monitoring")
    return GoalFactory(cycle=cycle, directorate=planning, code="PROG-02", status="adopted")


def blocker_data(**overrides):
    return {
        "kind": "blocker",
        "description": "Δεν έχει υπογραφεί η σύμβαση του λογισμικού",
        "impact": "Η ψηφιοποίηση καθυστερεί τρεις μήνες",
        "since": "2024-05-02",
        "help_needed": "Επίσπευση από τη Διεύθυνση Οικονομικών",
        **overrides,
    }


@pytest.fixture
def blocker(monitored_goal, head_of_planning):
    return GoalBlocker.objects.create(
        goal=monitored_goal,
        description="Έλλειψη προσωπικού",
        impact="Καθυστέρηση",
        since=datetime.date(2024, 4, 1),
        raised_by=head_of_planning,
    )


def test_the_head_raises_a_blocker_shown_on_the_goal_page(
    client_for, head_of_planning, monitored_goal
):
    client = client_for(head_of_planning)
    response = client.post(
        reverse("goals:blocker_add", args=[monitored_goal.pk]), blocker_data(), follow=True
    )
    blocker = GoalBlocker.objects.get()
    assert (blocker.goal, blocker.raised_by, blocker.status) == (
        monitored_goal,
        head_of_planning,
        "open",
    )
    page = response.content.decode()
    assert "Ο κίνδυνος ή το εμπόδιο καταχωρίστηκε στον στόχο." in page
    assert "Δεν έχει υπογραφεί η σύμβαση του λογισμικού" in page
    assert blocker.history.count() == 1


def test_a_blocker_since_a_future_date_is_refused(client_for, head_of_planning, monitored_goal):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_for(head_of_planning).post(
        reverse("goals:blocker_add", args=[monitored_goal.pk]), blocker_data(since=future)
    )
    assert response.status_code == 200
    assert "Η ημερομηνία δεν μπορεί να είναι μελλοντική." in response.content.decode()
    assert not GoalBlocker.objects.exists()


@pytest.mark.parametrize("who", ["head_of_finance", "staff", "head_of_department", "mayor"])
def test_others_may_not_raise_a_blocker(client_for, request, who, monitored_goal):
    client = client_for(request.getfixturevalue(who))
    response = client.post(reverse("goals:blocker_add", args=[monitored_goal.pk]), blocker_data())
    assert response.status_code == 403
    assert not GoalBlocker.objects.exists()


def test_no_blocker_on_a_goal_not_yet_monitored(client_for, head_of_planning, planning):
    goal = GoalFactory(directorate=planning, cycle=GoalCycleFactory(year=2025, open=True))
    response = client_for(head_of_planning).get(reverse("goals:blocker_add", args=[goal.pk]))
    assert response.status_code == 403


def test_escalating_tells_the_general_secretary(
    client_for, head_of_planning, secretary, blocker, django_capture_on_commit_callbacks
):
    url = reverse("goals:blocker_step", args=[blocker.pk, "escalate"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(head_of_planning).post(url)
    blocker.refresh_from_db()
    assert blocker.status == "escalated" and blocker.escalated_at is not None
    assert [m.to for m in mail.outbox] == [[secretary.email]]
    assert "Έλλειψη προσωπικού" in mail.outbox[0].body

    response = client_for(head_of_planning).post(url, follow=True)
    assert "Το εμπόδιο έχει ήδη κλιμακωθεί." in response.content.decode()


def test_resolving_needs_to_say_how(client_for, head_of_planning, blocker):
    client = client_for(head_of_planning)
    url = reverse("goals:blocker_step", args=[blocker.pk, "resolve"])
    response = client.post(url, {"resolution": " "}, follow=True)
    assert "Πείτε πώς επιλύθηκε." in response.content.decode()
    assert GoalBlocker.objects.get().status == "open"

    client.post(url, {"resolution": "Μετακινήθηκε υπάλληλος"})
    blocker.refresh_from_db()
    assert (blocker.status, blocker.resolution) == ("resolved", "Μετακινήθηκε υπάλληλος")
    assert blocker.resolved_at is not None
    # Resolved: nothing more to do on it.
    assert client.post(url, {"resolution": "Ξανά"}).status_code == 403


def test_another_directorates_head_may_not_act_on_a_blocker(client_for, head_of_finance, blocker):
    response = client_for(head_of_finance).post(
        reverse("goals:blocker_step", args=[blocker.pk, "escalate"])
    )
    assert response.status_code == 403
    assert GoalBlocker.objects.get().status == "open"


def test_an_unknown_step_is_not_found(client_for, head_of_planning, blocker):
    response = client_for(head_of_planning).post(
        reverse("goals:blocker_step", args=[blocker.pk, "forget"])
    )
    assert response.status_code == 404
