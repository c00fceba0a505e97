"""What changed on a goal: the one reading behind the conflict page, the import preview,
amendments and the history."""

import copy
import datetime
from decimal import Decimal

import pytest

from goals.changes import goal_changes
from goals.models import Goal, GoalVersion
from goals.models.goals import GOAL_FIELDS
from goals.services.goals import save_goal
from tests.factories import DirectorateFactory, GoalFactory

pytestmark = pytest.mark.django_db


def test_changes_read_choices_names_numbers_and_dates_as_people_read_them(planning, finance):
    stored = GoalFactory(directorate=planning, baseline=Decimal("100.00"), target=150)
    stored.refresh_from_db()
    edited = copy.copy(stored)
    edited.directorate = finance
    edited.category = Goal.Category.SKILLS
    edited.target = Decimal("200.50")
    edited.deadline = datetime.date(stored.cycle.year, 6, 30)

    changes = {c.field: (c.old, c.new) for c in goal_changes(stored, edited)}

    assert changes == {
        "directorate": (str(planning), str(finance)),
        "category": (
            str(Goal.Category.SERVICES.label),
            str(Goal.Category.SKILLS.label),
        ),
        "target": (Decimal("150"), Decimal("200.50")),
        "deadline": (datetime.date(stored.cycle.year, 12, 31), edited.deadline),
    }
    assert str(changes["target"][0]) == "150"  # 150.00 reads as 150


def test_only_what_differs_is_listed_in_the_order_of_the_fields_with_their_labels():
    stored = GoalFactory(title="Παλιός τίτλος", weight=10)
    edited = copy.copy(stored)
    edited.weight = 30
    edited.title = "Νέος τίτλος"

    changes = goal_changes(stored, edited, fields=["weight", "title", "indicator"])

    assert [(c.field, str(c.label)) for c in changes] == [
        ("weight", str(Goal._meta.get_field("weight").verbose_name)),
        ("title", str(Goal._meta.get_field("title").verbose_name)),
    ]


def test_participating_directorates_are_a_sorted_list_of_names(planning, finance):
    stored = GoalFactory(directorate=planning)
    stored.participating_directorates.set([finance])
    other = DirectorateFactory(name="Αυτοτελές Τμήμα ΚΕΠ")

    [change] = goal_changes(
        stored,
        stored,
        fields=["participating_directorates"],
        participants_after=[finance, other],
    )

    assert change.old == str(finance)
    assert change.new == ", ".join(sorted([str(finance), str(other)]))
    assert goal_changes(stored, stored, fields=["participating_directorates"]) == []


def test_against_nothing_every_value_set_is_a_change():
    goal = GoalFactory(description="", unit_of_measure="")

    changes = goal_changes(None, goal)

    fields = [c.field for c in changes]
    assert "title" in fields and "target" in fields
    assert "description" not in fields and "unit_of_measure" not in fields
    assert "participating_directorates" not in fields
    assert all(c.old is None for c in changes)


def test_a_goal_version_differs_from_the_goal_in_its_frozen_fields():
    goal = GoalFactory(target=150)
    version = GoalVersion(goal=goal, **{f: getattr(goal, f) for f in GoalVersion.FROZEN_FIELDS})
    version.target = Decimal("175.00")

    [change] = goal_changes(goal, version, fields=GoalVersion.FROZEN_FIELDS)

    assert (change.field, change.old, change.new) == ("target", Decimal("150"), Decimal("175"))


def test_history_rows_compare_like_goals(secretary, planning, finance):
    goal = GoalFactory(directorate=planning, cycle__phase="drafting", target=150)
    goal.target = 180
    save_goal(goal=goal, by=secretary, participants=[finance], expected_version=goal.version)
    first, *_, last = goal.history.order_by("history_date", "history_id")

    changes = {c.field: (c.old, c.new) for c in goal_changes(first, last, fields=GOAL_FIELDS)}

    assert changes["target"] == (Decimal("150"), Decimal("180"))
    assert changes["participating_directorates"] == ("", str(finance))
