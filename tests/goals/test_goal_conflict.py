import threading

import pytest
from django.db import connection
from django.urls import reverse

from goals.models import Goal
from goals.services.goals import GoalConflict, save_goal
from tests.goals.test_goal_form import goal_data

pytestmark = pytest.mark.django_db


def test_the_second_saver_gets_a_conflict_page_and_nothing_is_overwritten(
    client_for, secretary, admin_user, cycle, planning, planning_goal
):
    url = reverse("goals:update", args=[planning_goal.pk])
    started_at = planning_goal.version
    first = client_for(admin_user).post(
        url,
        goal_data(cycle, planning, code="PROG-01", title="Τίτλος του πρώτου", version=started_at),
    )
    assert first.status_code == 302

    second = client_for(secretary).post(
        url,
        goal_data(cycle, planning, code="PROG-01", title="Τίτλος της δεύτερης", version=started_at),
    )
    assert second.status_code == 409
    planning_goal.refresh_from_db()
    assert planning_goal.title == "Τίτλος του πρώτου"
    page = second.content.decode()
    assert "Τίτλος του πρώτου" in page
    assert "Τίτλος της δεύτερης" in page
    differences = {
        str(label): (mine, theirs) for label, mine, theirs in second.context["differences"]
    }
    assert differences["τίτλος"] == ("Τίτλος της δεύτερης", "Τίτλος του πρώτου")
    # The form now carries the stored version: saving again overwrites knowingly.
    assert second.context["form"]["version"].value() == str(planning_goal.version)


def test_saving_again_from_the_conflict_page_puts_the_second_version_in_place(
    client_for, secretary, cycle, planning, planning_goal
):
    url = reverse("goals:update", args=[planning_goal.pk])
    planning_goal.title = "Αλλαγή στο μεταξύ"
    save_goal(goal=planning_goal, by=secretary, expected_version=1)
    response = client_for(secretary).post(
        url, goal_data(cycle, planning, code="PROG-01", title="Η δική μου", version=2)
    )
    assert response.status_code == 302
    planning_goal.refresh_from_db()
    assert planning_goal.title == "Η δική μου"
    assert planning_goal.version == 3


def test_the_service_refuses_a_stale_version(secretary, planning_goal):
    stale = Goal.objects.get(pk=planning_goal.pk)
    planning_goal.title = "Πρώτη"
    save_goal(goal=planning_goal, by=secretary, expected_version=1)
    stale.title = "Δεύτερη"
    with pytest.raises(GoalConflict) as raised:
        save_goal(goal=stale, by=secretary, expected_version=1)
    assert raised.value.stored.title == "Πρώτη"
    assert Goal.objects.get(pk=planning_goal.pk).title == "Πρώτη"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_simultaneous_saves_of_one_version_let_exactly_one_through(secretary, planning_goal):
    barrier = threading.Barrier(2)
    outcomes = []

    def save(title):
        goal = Goal.objects.get(pk=planning_goal.pk)
        goal.title = title
        barrier.wait()
        try:
            save_goal(goal=goal, by=secretary, expected_version=1)
            outcomes.append("saved")
        except GoalConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("Α", "Β")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Goal.objects.get(pk=planning_goal.pk).version == 2
