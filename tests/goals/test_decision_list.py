"""The list of decisions, the decision document and the evaluation page run fixed query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import GoalVersion
from goals.services.cycles import open_evaluation
from goals.services.decisions import prepare_decision
from tests.factories import GoalCycleFactory, GoalFactory, MayoralDecisionFactory


def queries_for(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def test_secretary_is_offered_to_prepare_the_next_adoption(client_for, secretary, adopted):
    GoalCycleFactory(year=2025, phase="consultation")
    page = client_for(secretary).get(reverse("goals:decisions")).content.decode()
    assert "2025" in page
    assert "Ψ4ΚΣΩΗΓ-3ΞΛ" in page


def test_the_draft_button_names_a_cycle_with_a_large_id_in_plain_digits(client_for, secretary):
    # Greek formatting would write 4321 as "4.321", which the view cannot read (was a 404).
    cycle = GoalCycleFactory(pk=4321, year=2031, phase="consultation")
    GoalFactory(cycle=cycle)
    client = client_for(secretary)

    page = client.get(reverse("goals:decisions")).content.decode()

    assert 'name="cycle" value="4321"' in page
    response = client.post(reverse("goals:decision_create"), {"cycle": "4321"})
    assert response.status_code == 302


def test_staff_see_issued_decisions_only(client_for, staff, secretary, adopted):
    prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)
    page = client_for(staff).get(reverse("goals:decisions")).content.decode()
    assert "Ψ4ΚΣΩΗΓ-3ΞΛ" in page
    assert "Τροποποίηση" not in page


def test_the_decision_list_runs_a_fixed_number_of_queries(
    client_for, mayor, adopted, django_assert_num_queries
):
    client = client_for(mayor)
    url = reverse("goals:decisions")
    count = queries_for(client, url)
    for year in range(2010, 2016):
        MayoralDecisionFactory(cycle=GoalCycleFactory(year=year), prepared_by=mayor)
    with django_assert_num_queries(count):
        client.get(url)


def test_the_decision_document_runs_a_fixed_number_of_queries(
    client_for, mayor, adopted, django_assert_num_queries
):
    client = client_for(mayor)
    url = adopted.decision.get_absolute_url()
    count = queries_for(client, url)
    decision = adopted.decision
    for index in range(6):
        goal = GoalFactory(cycle=adopted.cycle, code=f"EXTRA-{index}", status="adopted")
        decision.goal_versions.create(goal=goal, **GoalVersion.frozen_values(goal))
    with django_assert_num_queries(count):
        client.get(url)


def test_the_evaluation_page_runs_a_fixed_number_of_queries(
    client_for, secretary, adopted, django_assert_num_queries
):
    open_evaluation(cycle=adopted.cycle, by=secretary)
    client = client_for(secretary)
    url = reverse("goals:evaluation", args=[adopted.cycle.pk])
    count = queries_for(client, url)
    for index in range(6):
        GoalFactory(cycle=adopted.cycle, code=f"EXTRA-{index}", status="adopted")
    with django_assert_num_queries(count):
        client.get(url)
