"""Each role's start page opens with what to do now; every count links to exactly those things."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ActionItemFactory,
    AllocationFactory,
    DepartmentFactory,
    GoalCycleFactory,
    GoalFactory,
    MayoralDecisionFactory,
    ObservationFactory,
    ProgressUpdateFactory,
)

TODAY = timezone.localdate()


def start_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def tasks_of(response) -> dict[str, object]:
    return {task.url: task for task in response.context["tasks"]}


def rows_listed(client, url: str) -> int:
    """How many things the linked list shows (on every page together)."""
    response = client.get(url)
    assert response.status_code == 200
    ctx = response.context
    if "total" in ctx:  # the goal list
        return ctx["total"]
    if "decisions" in ctx:
        return len(ctx["decisions"])
    if "page" in ctx:  # the action items
        return ctx["page"].paginator.count
    return ctx["page_obj"].paginator.count  # the consultation overview


def task_with(response, words: str):
    matching = [task for task in response.context["tasks"] if words in task.text]
    assert len(matching) == 1, [task.text for task in response.context["tasks"]]
    return matching[0]


# --- A head of directorate -----------------------------------------------------------------------
@pytest.fixture
def open_consultation(planning, finance):
    cycle = GoalCycleFactory(
        year=TODAY.year + 1,
        phase="consultation",
        consultation_opens_on=TODAY - datetime.timedelta(days=3),
        consultation_closes_on=TODAY + datetime.timedelta(days=12),
    )
    return cycle


def test_head_is_asked_for_observations_with_days_left_and_their_count(
    client_for, head_of_planning, head_of_finance, open_consultation, planning, finance
):
    goal = GoalFactory(cycle=open_consultation, directorate=planning, status="accepted")
    ObservationFactory.create_batch(2, goal=goal, author=head_of_planning)
    other = GoalFactory(cycle=open_consultation, directorate=finance, status="accepted")
    ObservationFactory(goal=other, author=head_of_finance)
    client = client_for(head_of_planning)

    response = start_page(client)

    task = task_with(response, "παρατηρήσεις")
    assert task.deadline == open_consultation.consultation_closes_on
    assert "απομένουν 12 ημέρες" in task.notes
    assert "2 παρατηρήσεις σας μέχρι τώρα" in task.notes
    assert rows_listed(client, task.url) == 2
    page = response.content.decode()
    assert page.index("Τι έχετε να κάνετε τώρα") < page.index("Η θέση σας στον οργανισμό")


def test_no_observations_are_asked_once_the_consultation_has_closed(
    client_for, head_of_planning, planning
):
    GoalCycleFactory(
        year=TODAY.year + 1,
        phase="consultation",
        consultation_closes_on=TODAY - datetime.timedelta(days=1),
    )
    response = start_page(client_for(head_of_planning))
    assert response.context["tasks"] == []
    assert "Δεν έχετε κάτι να κάνετε τώρα" in response.content.decode()


def test_head_sees_their_directorates_open_action_items_only(
    client_for, head_of_planning, planning, finance
):
    ActionItemFactory(directorate=planning, due_date=TODAY - datetime.timedelta(days=2))
    ActionItemFactory(directorate=planning, due_date=TODAY + datetime.timedelta(days=5))
    ActionItemFactory(directorate=planning, status="done", completed_on=TODAY)
    ActionItemFactory.create_batch(3, directorate=finance)
    client = client_for(head_of_planning)

    task = task_with(start_page(client), "ενέργει")

    assert "2 ανοιχτές ενέργειες" in task.text
    assert task.deadline == TODAY - datetime.timedelta(days=2)
    assert task.late
    assert "1 εκπρόθεσμη" in task.notes
    assert rows_listed(client, task.url) == 2


def test_head_is_asked_to_allocate_exactly_the_goals_listed(
    client_for, head_of_planning, adopted, finance
):
    AllocationFactory(goal=adopted.other_goal, department=adopted.department, share=100)
    cross_cutting = GoalFactory(
        cycle=adopted.cycle, directorate=finance, status="adopted", code="OIK-02",
        participating_directorates=[adopted.goal.directorate],
    )  # fmt: skip
    client = client_for(head_of_planning)

    task = task_with(start_page(client), "Επιμερίστε")

    assert "1 στόχο" in task.text
    listed = client.get(task.url).context["goals"]
    assert [goal.code for goal in listed] == ["PROG-01"]
    assert cross_cutting.code not in [goal.code for goal in listed]
    assert task.deadline == adopted.goal.deadline


def test_head_is_asked_for_the_updates_due_exactly_as_listed(client_for, head_of_planning, adopted):
    ProgressUpdateFactory(goal=adopted.other_goal, measured_on=datetime.date(2024, 12, 20))
    client = client_for(head_of_planning)

    response = start_page(client)
    task = task_with(response, "Καταχωρίστε την πρόοδο")

    assert task.late
    assert rows_listed(client, task.url) == 1 == response.context["overdue_count"]
    assert rows_listed(client, response.context["overdue_url"]) == 1


def test_the_heads_count_of_goals_behind_lists_exactly_those(client_for, head_of_planning, adopted):
    ProgressUpdateFactory(goal=adopted.goal, status="behind")
    ProgressUpdateFactory(goal=adopted.finance_goal, status="behind")
    client = client_for(head_of_planning)

    response = start_page(client)

    assert response.context["behind_count"] == 1
    assert rows_listed(client, response.context["behind_url"]) == 1


def test_a_goal_row_offers_its_next_step(client_for, head_of_planning, adopted):
    page = start_page(client_for(head_of_planning)).content.decode()
    assert reverse("goals:allocate", args=[adopted.goal.pk]) in page


# --- The Mayor and the deputies ------------------------------------------------------------------
def test_mayor_is_asked_to_sign_the_draft_decisions(client_for, mayor, deputy, adopted):
    drafts = MayoralDecisionFactory.create_batch(2, cycle=adopted.cycle)
    client = client_for(mayor)

    response = start_page(client)
    task = task_with(response, "υπογραφή")

    assert "2 αποφάσεις" in task.text
    assert [url for _label, url in task.links] == [d.get_absolute_url() for d in drafts]
    assert rows_listed(client, task.url) == 2
    # A Deputy Mayor signs too, by order of the Mayor.
    assert [t for t in start_page(client_for(deputy)).context["tasks"] if "υπογρ" in t.text]


def test_the_municipalitys_counts_list_exactly_those_goals(client_for, mayor, adopted):
    ProgressUpdateFactory(goal=adopted.goal, status="behind")
    ProgressUpdateFactory(goal=adopted.finance_goal, status="on_track")
    client = client_for(mayor)

    response = start_page(client)

    assert response.context["behind_count"] == 1
    assert rows_listed(client, response.context["behind_url"]) == 1
    # Only PROG-02 has no recent update.
    assert response.context["overdue_count"] == 1
    assert rows_listed(client, response.context["overdue_url"]) == 1


def test_the_draft_decisions_list_is_for_those_who_may_read_drafts(client_for, staff, adopted):
    MayoralDecisionFactory(cycle=adopted.cycle)
    response = client_for(staff).get(reverse("goals:decisions"), {"status": "draft"})
    assert list(response.context["decisions"]) == []


# --- The General Secretary ------------------------------------------------------------------------
def test_every_card_of_the_general_secretary_lists_exactly_what_it_counts(
    client_for, secretary, adopted
):
    AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)
    ProgressUpdateFactory(goal=adopted.goal, measured_on=datetime.date(2024, 12, 20))
    MayoralDecisionFactory(cycle=adopted.cycle)
    client = client_for(secretary)

    ctx = start_page(client).context

    assert "tasks" not in ctx  # as before: what waits for them is under "Waiting for you"
    assert ctx["unallocated_count"] == 2 == rows_listed(client, ctx["unallocated_url"])
    assert ctx["overdue_total"] == 2 == rows_listed(client, ctx["overdue_total_url"])
    assert len(ctx["draft_decisions"]) == 1 == rows_listed(client, ctx["drafts_url"])
    assert ctx["pending_observations"] == 0 == rows_listed(client, ctx["pending_url"])


def test_the_observations_to_answer_list_exactly_those(client_for, secretary, planning):
    cycle = GoalCycleFactory(year=TODAY.year + 1, phase="consultation")
    ObservationFactory.create_batch(3, goal=GoalFactory(cycle=cycle, directorate=planning))
    client = client_for(secretary)

    ctx = start_page(client).context

    assert ctx["pending_observations"] == 3 == rows_listed(client, ctx["pending_url"])


# --- A head of department and staff ---------------------------------------------------------------
def test_head_of_department_reports_on_their_shares_with_deadlines(
    client_for, head_of_department, adopted
):
    mine = AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)
    other_department = DepartmentFactory(directorate=adopted.goal.directorate)
    AllocationFactory(goal=adopted.other_goal, department=other_department, share=100)
    client = client_for(head_of_department)

    response = start_page(client)
    tasks = response.context["tasks"]

    assert [task.url for task in tasks] == [reverse("goals:progress", args=[adopted.goal.pk])]
    assert tasks[0].deadline == mine.deadline
    assert "καμία επικαιροποίηση ακόμη" in tasks[0].notes
    assert rows_listed(client, response.context["department_url"]) == 1


def test_staff_see_their_departments_goals_without_being_asked_to_report(
    client_for, staff, adopted
):
    AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)

    tasks = start_page(client_for(staff)).context["tasks"]

    assert [task.url for task in tasks] == [adopted.goal.get_absolute_url()]
    assert not any("επικαιροποίηση" in note for note in tasks[0].notes)


def test_staff_with_nothing_allocated_are_told_so(client_for, staff, adopted):
    response = start_page(client_for(staff))
    assert response.context["tasks"] == []
    assert "Δεν έχετε κάτι να κάνετε τώρα" in response.content.decode()


# --- A fixed number of queries, whatever the number of things to do ------------------------------
@pytest.mark.parametrize(("person", "queries"), [("head_of_planning", 16), ("mayor", 14)])
def test_the_tasks_run_a_fixed_number_of_queries(
    request, client_for, adopted, open_consultation, django_assert_num_queries, person, queries
):
    planning = adopted.goal.directorate
    client = client_for(request.getfixturevalue(person))

    def grow(size: int) -> None:
        for _index in range(size):
            goal = GoalFactory(cycle=open_consultation, directorate=planning, status="accepted")
            ObservationFactory(goal=goal)
            ActionItemFactory(directorate=planning)
            MayoralDecisionFactory(cycle=adopted.cycle)
            GoalFactory(cycle=adopted.cycle, directorate=planning, status="adopted")

    grow(1)
    client.get(reverse("home"))
    with django_assert_num_queries(queries):
        client.get(reverse("home"))
    grow(5)
    with django_assert_num_queries(queries):
        response = start_page(client)
    assert response.context["tasks"]
