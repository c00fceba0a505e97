"""Where the SMART warnings of draft goals show, and to whom: the goal's page and form, the goal
list and its filter, the consultation's overview and a draft decision's page."""

import pytest
from django.urls import reverse

from goals.services.decisions import prepare_decision
from tests.factories import GoalCycleFactory, GoalFactory, GoalIndicatorFactory

pytestmark = pytest.mark.django_db

LIST = reverse("goals:list")
ACTIVITY = "Διοργάνωση ημερίδας για την ανακύκλωση"


@pytest.fixture
def warned(cycle, planning):
    """A draft goal of Planning that names an activity, its directorate's weights at 100."""
    return GoalFactory(
        cycle=cycle, directorate=planning, code="PROG-05", title=ACTIVITY, weight=100
    )


@pytest.fixture
def sound(cycle, finance):
    """A draft goal of Finance that the check finds nothing in."""
    return GoalFactory(
        cycle=cycle,
        directorate=finance,
        code="OIK-05",
        title="Μείωση του χρόνου εξόφλησης",
        weight=100,
    )


def codes(warnings) -> list[str]:
    return [warning.code for warning in warnings]


# --- The goal's page and form ---------------------------------------------------------------------
@pytest.mark.parametrize("person", ["secretary", "head_of_planning", "mayor"])
def test_the_goal_page_shows_the_warnings_with_their_reasons(client_for, request, warned, person):
    response = client_for(request.getfixturevalue(person)).get(warned.get_absolute_url())
    assert response.status_code == 200
    assert codes(response.context["smart_warnings"]) == ["activity_title"]
    page = response.content.decode()
    assert 'id="smart-warnings-heading"' in page
    assert response.context["smart_warnings"][0].reason in page


@pytest.mark.parametrize("person", ["head_of_finance", "staff", "head_of_department"])
def test_another_directorate_and_the_staff_do_not_see_a_goals_warnings(
    client_for, request, warned, person
):
    response = client_for(request.getfixturevalue(person)).get(warned.get_absolute_url())
    assert response.status_code == 200
    assert not response.context["show_smart_check"]
    assert response.context["smart_warnings"] == []
    assert "smart-warnings-heading" not in response.content.decode()


def test_a_draft_without_warnings_says_the_check_found_nothing(client_for, secretary, sound):
    response = client_for(secretary).get(sound.get_absolute_url())
    assert response.context["show_smart_check"]
    assert response.context["smart_warnings"] == []
    assert 'id="smart-warnings-heading"' in response.content.decode()


def test_an_adopted_goal_is_not_checked(client_for, secretary, cycle, planning):
    goal = GoalFactory(cycle=cycle, directorate=planning, title=ACTIVITY, status="adopted")
    response = client_for(secretary).get(goal.get_absolute_url())
    assert not response.context["show_smart_check"]
    assert "smart-warnings-heading" not in response.content.decode()


def test_the_goal_form_shows_the_saved_goals_warnings(client_for, secretary, warned):
    response = client_for(secretary).get(reverse("goals:update", args=[warned.pk]))
    assert response.status_code == 200
    assert codes(response.context["smart_warnings"]) == ["activity_title"]
    assert 'id="smart-warnings-heading"' in response.content.decode()


def test_a_goal_with_warnings_is_saved_all_the_same(client_for, secretary, sound):
    data = {
        "directorate": sound.directorate_id,
        "category": "services",
        "code": sound.code,
        "title": ACTIVITY,
        "indicator": sound.indicator,
        "unit_of_measure": "",
        "target_kind": "percentage",
        "baseline": "",
        "target": "80",
        "deadline": "31/12/2024",
        "weight": "100",
        "status": "accepted",
        "version": sound.version,
    }
    response = client_for(secretary).post(reverse("goals:update", args=[sound.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    sound.refresh_from_db()
    assert sound.title == ACTIVITY
    page = client_for(secretary).get(sound.get_absolute_url())
    assert codes(page.context["smart_warnings"]) == ["activity_title", "no_unit", "no_baseline"]


def test_the_goal_page_runs_a_constant_number_of_queries_for_the_check(
    client_for, secretary, cycle, warned, django_assert_num_queries
):
    client = client_for(secretary)
    url = warned.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(18):
        client.get(url)
    for _ in range(12):
        GoalIndicatorFactory(goal=GoalFactory(cycle=cycle, title=ACTIVITY))
    with django_assert_num_queries(18):
        client.get(url)


# --- The goal list --------------------------------------------------------------------------------
def listed(response) -> list[str]:
    return [goal.code for goal in response.context["goals"]]


def test_the_list_counts_each_goals_warnings_and_filters_those_with_warnings(
    client_for, secretary, cycle, warned, sound
):
    client = client_for(secretary)
    response = client.get(LIST, {"cycle": cycle.pk})
    badges = {goal.code: len(goal.smart_warnings) for goal in response.context["goals"]}
    assert badges == {"PROG-05": 1, "OIK-05": 0}
    assert "smart-badge" in response.content.decode()
    assert listed(client.get(LIST, {"cycle": cycle.pk, "smart": "warnings"})) == ["PROG-05"]
    assert listed(client.get(LIST, {"cycle": cycle.pk, "smart": "none"})) == ["OIK-05"]


def test_a_heads_filter_finds_only_their_directorates_warned_goals(
    client_for, head_of_finance, cycle, warned, sound, finance
):
    GoalFactory(cycle=cycle, directorate=finance, code="OIK-06", title=ACTIVITY, weight=1)
    response = client_for(head_of_finance).get(LIST, {"cycle": cycle.pk, "smart": "warnings"})
    assert sorted(listed(response)) == ["OIK-05", "OIK-06"]  # 101: both weigh wrong
    response = client_for(head_of_finance).get(LIST, {"cycle": cycle.pk})
    assert all(
        goal.smart_warnings == [] for goal in response.context["goals"] if goal.code == "PROG-05"
    )


def test_staff_get_no_warnings_filter_nor_badges(client_for, staff, cycle, warned, sound):
    response = client_for(staff).get(LIST, {"cycle": cycle.pk, "smart": "warnings"})
    assert sorted(listed(response)) == ["OIK-05", "PROG-05"]
    assert "smart" not in response.context["filter"].form.fields
    assert "smart-badge" not in response.content.decode()


def test_the_list_with_warnings_runs_a_constant_number_of_queries(
    client_for, secretary, cycle, warned, django_assert_num_queries
):
    client = client_for(secretary)
    query = {"cycle": cycle.pk, "smart": "warnings"}
    client.get(LIST, query)
    with django_assert_num_queries(17):
        client.get(LIST, query)
    for _ in range(20):
        GoalIndicatorFactory(goal=GoalFactory(cycle=cycle, title=ACTIVITY, unit_of_measure=""))
    with django_assert_num_queries(17):
        response = client.get(LIST, query)
    assert response.context["total"] == 21


# --- The consultation's overview ------------------------------------------------------------------
CONSULTATION = reverse("goals:consultation")


def test_the_secretary_sees_how_many_goals_of_each_directorate_have_warnings(
    client_for, secretary, warned, sound
):
    response = client_for(secretary).get(CONSULTATION)
    rows = {d.code: d.smart_warned for d in response.context["directorates"]}
    assert rows["PROG"] == 1
    assert rows["OIK"] == 0
    assert "smart=warnings" in response.content.decode()


def test_a_head_sees_the_warnings_of_their_own_goals_only(
    client_for, head_of_finance, cycle, planning, finance, warned
):
    shared = GoalFactory(
        cycle=cycle, directorate=planning, title=ACTIVITY, participating_directorates=[finance]
    )
    own = GoalFactory(cycle=cycle, directorate=finance, title=ACTIVITY, weight=100)
    response = client_for(head_of_finance).get(CONSULTATION)
    counts = {goal.pk: len(goal.smart_warnings) for goal in response.context["goals"]}
    assert counts == {shared.pk: 0, own.pk: 1}


def test_the_overview_runs_a_constant_number_of_queries_with_the_check(
    client_for, secretary, cycle, warned, django_assert_num_queries
):
    client = client_for(secretary)
    client.get(CONSULTATION)
    with django_assert_num_queries(14):
        client.get(CONSULTATION)
    for _ in range(20):
        GoalIndicatorFactory(goal=GoalFactory(cycle=cycle, title=ACTIVITY))
    with django_assert_num_queries(14):
        client.get(CONSULTATION)


# --- A draft decision -----------------------------------------------------------------------------
def test_a_draft_adoption_lists_its_unresolved_warnings_but_not_in_its_document(
    client_for, secretary, cycle, warned, sound
):
    draft = prepare_decision(cycle=cycle, by=secretary)
    response = client_for(secretary).get(draft.get_absolute_url())
    assert [(goal.code, codes(found)) for goal, found in response.context["smart_rows"]] == [
        ("PROG-05", ["activity_title"])
    ]
    page = response.content.decode()
    assert 'id="smart-heading"' in page
    document = page[page.index('id="smart-heading"') :]
    assert "no-print" in page[: page.index('id="smart-heading"')].rsplit("<section", 1)[1]
    assert document.count("smart-decision-warnings") == 1


def test_the_decisions_pdf_leaves_the_warnings_out(
    client_for, secretary, cycle, warned, monkeypatch
):
    """The document as the PDF renders it (its HTML, before it becomes a PDF)."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    def as_html(template, context, *, filename):
        return HttpResponse(render_to_string(template, context))

    monkeypatch.setattr("goals.views.decisions.pdf_response", as_html)
    draft = prepare_decision(cycle=cycle, by=secretary)
    document = client_for(secretary).get(reverse("goals:decision_pdf", args=[draft.pk]))
    assert warned.code in document.content.decode()
    assert "smart" not in document.content.decode()


def test_a_proposal_not_in_the_draft_is_not_listed_on_the_decision(
    client_for, secretary, cycle, planning, warned
):
    GoalFactory(cycle=cycle, directorate=planning, title=ACTIVITY, status="proposed")
    draft = prepare_decision(cycle=cycle, by=secretary)
    rows = client_for(secretary).get(draft.get_absolute_url()).context["smart_rows"]
    assert [goal.pk for goal, _found in rows] == [warned.pk]


def test_a_signed_decision_has_no_warnings_section(client_for, mayor, adopted):
    response = client_for(mayor).get(adopted.decision.get_absolute_url())
    assert response.context["smart_rows"] is None
    assert "smart-heading" not in response.content.decode()


def test_a_draft_whose_goals_are_sound_says_so(client_for, secretary, planning):
    cycle = GoalCycleFactory(year=2025, phase="consultation")
    GoalFactory(cycle=cycle, directorate=planning, weight=100)
    draft = prepare_decision(cycle=cycle, by=secretary)
    response = client_for(secretary).get(draft.get_absolute_url())
    assert response.context["smart_rows"] == []
    assert 'id="smart-heading"' in response.content.decode()


def test_the_export_keeps_the_warnings_filter(client_for, secretary, cycle, warned, sound):
    from io import StringIO

    response = client_for(secretary).get(
        reverse("goals:export_csv"), {"cycle": cycle.pk, "smart": "warnings"}
    )
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = StringIO(text.decode("utf-8-sig")).read()
    assert "PROG-05" in rows
    assert "OIK-05" not in rows


def test_a_heads_list_with_warnings_runs_a_constant_number_of_queries(
    client_for, head_of_planning, cycle, planning, warned, django_assert_num_queries
):
    client = client_for(head_of_planning)
    query = {"cycle": cycle.pk, "smart": "warnings"}
    client.get(LIST, query)
    with django_assert_num_queries(16):
        client.get(LIST, query)
    for _ in range(20):
        GoalIndicatorFactory(
            goal=GoalFactory(cycle=cycle, directorate=planning, title=ACTIVITY, unit_of_measure="")
        )
    with django_assert_num_queries(16):
        response = client.get(LIST, query)
    assert response.context["total"] == 21
