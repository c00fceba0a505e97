import pytest
from django.urls import reverse

from tests.factories import GoalCycleFactory, GoalFactory

pytestmark = pytest.mark.django_db

URL = reverse("goals:list")


def listed(response) -> list[str]:
    return [goal.code for goal in response.context["goals"]]


def test_the_current_cycle_is_listed_by_default(client_for, staff, planning):
    GoalFactory(cycle=GoalCycleFactory(year=2023, phase="closed"), code="OLD-01")
    GoalFactory(cycle=GoalCycleFactory(year=2024, phase="consultation"), code="NEW-01")
    response = client_for(staff).get(URL)
    assert response.status_code == 200
    assert listed(response) == ["NEW-01"]


def test_an_earlier_cycle_stays_readable(client_for, staff):
    old = GoalCycleFactory(year=2023, phase="closed")
    GoalFactory(cycle=old, code="OLD-01")
    GoalFactory(cycle=GoalCycleFactory(year=2024), code="NEW-01")
    response = client_for(staff).get(URL, {"cycle": old.pk})
    assert listed(response) == ["OLD-01"]


@pytest.mark.parametrize("query", ["στοχοθεσία", "ΣΤΟΧΟΘΕΣΙΑ", "στοχοθεσια", "ΣτΟχΟθΕσΊα"])
def test_search_finds_greek_text_with_or_without_accents_in_any_case(client_for, staff, query):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, code="A-01", title="Ψηφιακή στοχοθεσία")
    GoalFactory(cycle=cycle, code="A-02", description="ΣΤΟΧΟΘΕΣΊΑ ΤΜΗΜΑΤΩΝ")
    GoalFactory(cycle=cycle, code="A-03", indicator="Στοχοθεσιας δείκτης")
    GoalFactory(cycle=cycle, code="A-04", title="Ανακύκλωση")
    response = client_for(staff).get(URL, {"q": query})
    assert listed(response) == ["A-01", "A-02", "A-03"]


def test_search_treats_final_sigma_like_sigma(client_for, staff):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, code="A-01", title="Δράσεις ενημέρωσης")
    response = client_for(staff).get(URL, {"q": "ΔΡΑΣΕΙΣ"})
    assert listed(response) == ["A-01"]


def test_search_finds_the_code(client_for, staff):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, code="PSIF-07")
    GoalFactory(cycle=cycle, code="OIK-01")
    assert listed(client_for(staff).get(URL, {"q": "psif"})) == ["PSIF-07"]


def test_filters_by_directorate_category_and_status(client_for, staff, planning, finance):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, directorate=planning, code="P-1", category="services")
    GoalFactory(cycle=cycle, directorate=planning, code="P-2", category="skills")
    GoalFactory(cycle=cycle, directorate=planning, code="P-3", status="proposed")
    GoalFactory(cycle=cycle, directorate=finance, code="F-1", category="skills")
    client = client_for(staff)
    assert listed(client.get(URL, {"directorate": planning.pk, "category": "skills"})) == ["P-2"]
    assert listed(client.get(URL, {"status": "proposed"})) == ["P-3"]


def test_a_directorate_filter_includes_its_cross_cutting_goals(
    client_for, staff, planning, finance
):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, directorate=finance, code="F-1", participating_directorates=[planning])
    GoalFactory(cycle=cycle, directorate=finance, code="F-2")
    assert listed(client_for(staff).get(URL, {"directorate": planning.pk})) == ["F-1"]


def test_counts_per_category_ignore_the_category_filter(client_for, staff):
    cycle = GoalCycleFactory()
    GoalFactory.create_batch(2, cycle=cycle, category="services")
    GoalFactory(cycle=cycle, category="skills")
    response = client_for(staff).get(URL, {"category": "skills"})
    counts = {value: count for value, _label, count in response.context["category_counts"]}
    assert counts == {"services": 2, "organisation": 0, "skills": 1}
    assert len(response.context["goals"]) == 1


def test_goals_can_be_sorted(client_for, staff):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, code="B", weight=5)
    GoalFactory(cycle=cycle, code="A", weight=30)
    GoalFactory(cycle=cycle, code="C", weight=10)
    assert listed(client_for(staff).get(URL, {"sort": "-weight"})) == ["A", "C", "B"]
    assert listed(client_for(staff).get(URL, {"sort": "code"})) == ["A", "B", "C"]


def test_the_list_is_paginated(client_for, staff):
    cycle = GoalCycleFactory()
    GoalFactory.create_batch(30, cycle=cycle)
    response = client_for(staff).get(URL, {"page": 2, "q": "Ταχύτερη"})
    assert len(response.context["goals"]) == 5
    assert "q=" in response.context["query_string"]
    assert "page" not in response.context["query_string"]


def test_bad_filter_values_do_not_break_the_page(client_for, staff):
    GoalFactory()
    response = client_for(staff).get(URL, {"cycle": "abc", "page": "x", "sort": "nonsense"})
    assert response.status_code == 200


def test_the_list_runs_a_constant_number_of_queries(
    client_for, staff, planning, finance, django_assert_num_queries
):
    cycle = GoalCycleFactory()
    client = client_for(staff)
    GoalFactory(cycle=cycle, directorate=planning, participating_directorates=[finance])
    client.get(URL)  # warm the session and the content types
    with django_assert_num_queries(13):  # the departments are read once a directorate is chosen
        client.get(URL)
    GoalFactory.create_batch(
        20, cycle=cycle, directorate=finance, participating_directorates=[planning]
    )
    with django_assert_num_queries(13):
        client.get(URL)
    with django_assert_num_queries(15):  # the directorate chosen, and its departments
        client.get(URL, {"directorate": planning.pk})


def test_the_department_filter_offers_the_departments_of_the_chosen_directorate(
    client_for, staff, planning, finance, planning_department
):
    from tests.factories import DepartmentFactory

    budget = DepartmentFactory(directorate=finance, name="Τμήμα Προϋπολογισμού")
    client = client_for(staff)

    def offered(query) -> list[str]:
        choices = client.get(URL, query).context["filter"].form["department"].field.widget.choices
        return [label for _value, label in choices[1:]]

    assert offered({"directorate": planning.pk}) == ["PROG · Τμήμα Οργάνωσης"]
    assert offered({"owner": finance.pk}) == ["OIK · Τμήμα Προϋπολογισμού"]
    # A department chosen alone brings its directorate's departments; none chosen, none listed.
    assert offered({"department": budget.pk}) == ["OIK · Τμήμα Προϋπολογισμού"]
    assert offered({"cycle": ""}) == []
    # Any department is still accepted, even one of another directorate than the chosen one.
    response = client.get(URL, {"directorate": planning.pk, "department": budget.pk})
    assert response.status_code == 200
    assert response.context["filter"].form.is_valid()


def test_the_heading_counts_the_goals_listed(client_for, staff):
    cycle = GoalCycleFactory()
    GoalFactory.create_batch(2, cycle=cycle, category="services")
    GoalFactory(cycle=cycle, category="skills")
    assert client_for(staff).get(URL, {"category": "skills"}).context["total"] == 1


# --- A head's own unit, and the filters the start pages' counts link to ----------------------
def test_a_heads_list_opens_on_their_directorate(client_for, head_of_planning, planning, finance):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, directorate=planning, code="P-1")
    GoalFactory(cycle=cycle, directorate=finance, code="F-1")
    client = client_for(head_of_planning)

    response = client.get(URL)

    assert listed(response) == ["P-1"]
    assert response.context["filter"].form.cleaned_data["directorate"] == planning
    assert f"directorate={planning.pk}" in response.context["query_string"]  # the exports too
    # Clearing the filters shows every directorate's goals again.
    assert listed(client.get(URL, {"cycle": ""})) == ["P-1", "F-1"]
    assert listed(client.get(URL, {"directorate": ""})) == ["P-1", "F-1"]


def test_a_head_of_departments_list_opens_on_what_is_allocated_to_it(
    client_for, head_of_department, adopted
):
    from tests.factories import AllocationFactory

    AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)

    response = client_for(head_of_department).get(URL)

    assert listed(response) == ["PROG-01"]


def test_staff_list_every_goal_by_default(client_for, staff, planning, finance):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, directorate=planning, code="P-1")
    GoalFactory(cycle=cycle, directorate=finance, code="F-1")
    assert listed(client_for(staff).get(URL)) == ["P-1", "F-1"]


def test_the_owner_filter_leaves_out_the_goals_a_directorate_only_takes_part_in(
    client_for, staff, planning, finance
):
    cycle = GoalCycleFactory()
    GoalFactory(cycle=cycle, directorate=planning, code="P-1")
    GoalFactory(cycle=cycle, directorate=finance, code="F-1", participating_directorates=[planning])
    client = client_for(staff)
    assert listed(client.get(URL, {"owner": planning.pk})) == ["P-1"]
    assert listed(client.get(URL, {"directorate": planning.pk})) == ["P-1", "F-1"]


def test_filters_by_allocation_and_department(client_for, staff, adopted):
    from tests.factories import AllocationFactory

    AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)
    client = client_for(staff)
    query = {"cycle": adopted.cycle.pk}

    assert listed(client.get(URL, {**query, "allocation": "none"})) == ["PROG-02", "OIK-01"]
    assert listed(client.get(URL, {**query, "allocation": "allocated"})) == ["PROG-01"]
    assert listed(client.get(URL, {**query, "department": adopted.department.pk})) == ["PROG-01"]


def test_filters_by_progress_behind_or_without_an_update(client_for, staff, adopted):
    import datetime

    from tests.factories import ProgressUpdateFactory

    ProgressUpdateFactory(
        goal=adopted.goal, status="behind", measured_on=datetime.date(2024, 12, 20)
    )
    client = client_for(staff)
    query = {"cycle": adopted.cycle.pk}

    assert listed(client.get(URL, {**query, "progress": "behind"})) == ["PROG-01"]
    assert listed(client.get(URL, {**query, "progress": "due"})) == ["PROG-02", "OIK-01"]


def test_an_unknown_filter_value_is_a_message_not_an_error(client_for, staff):
    GoalCycleFactory()
    response = client_for(staff).get(URL, {"progress": "sideways", "department": "x"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors
