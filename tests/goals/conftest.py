"""Fixtures of the goals tests: a cycle in open consultation, with goals of two directorates."""

import pytest

from tests.factories import GoalCycleFactory, GoalFactory


@pytest.fixture
def cycle(db):
    """The 2024 cycle, in consultation, open today."""
    return GoalCycleFactory(year=2024, open=True)


@pytest.fixture
def planning_goal(cycle, planning):
    return GoalFactory(
        cycle=cycle, directorate=planning, code="PROG-01", title="Απορρόφηση προγραμμάτων"
    )


@pytest.fixture
def finance_goal(cycle, finance):
    return GoalFactory(
        cycle=cycle, directorate=finance, code="OIK-01", title="Ταχύτερη εξόφληση προμηθευτών"
    )
