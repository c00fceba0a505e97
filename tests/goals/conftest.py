"""Fixtures of the goals tests: a cycle in open consultation, with goals of two directorates."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from goals.models import FinalValueEvidence, FinalValueSubmission
from goals.services.cycles import open_evaluation
from goals.services.monitoring import evaluate_goal
from tests.factories import (
    ActingHeadFactory,
    AllocationFactory,
    GoalCycleFactory,
    GoalFactory,
    ProgressUpdateFactory,
    UserFactory,
)


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


@pytest.fixture
def evaluated(adopted, secretary, head_of_planning, head_of_department, staff):
    """The 2024 cycle in evaluation: Planning's PROG-01 allocated to its department (measured
    at 140), evaluated at 140 of 150 with a justification and one file of evidence; someone
    stood in for the head of Planning in spring."""
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)
    ProgressUpdateFactory(
        goal=adopted.goal,
        allocation=allocation,
        value=140,
        measured_on=datetime.date(2024, 12, 20),
        comment="Καθυστέρηση προμήθειας.",
    )
    open_evaluation(cycle=adopted.cycle, by=secretary)
    adopted.cycle.refresh_from_db()
    evaluate_goal(
        goal=adopted.goal,
        by=secretary,
        final_value=Decimal(140),
        justification="Έλλειψη προσωπικού.",
        expected_stamp="",
    )
    submission = FinalValueSubmission.objects.create(
        goal=adopted.goal,
        final_value=140,
        explanation="Από το μητρώο.",
        state="confirmed",
        prepared_by=head_of_planning,
    )
    FinalValueEvidence.objects.create(
        submission=submission,
        file=ContentFile(b"%PDF-1.7", name="evidence.pdf"),
        name="μητρώο-αιτήσεων.pdf",
        kind="pdf",
        size=8,
        uploaded_by=head_of_planning,
    )
    adopted.stand_in = UserFactory(
        username="stand-in",
        first_name="Ελένη",
        last_name="Παππά",
        directorate=adopted.goal.directorate,
    )
    ActingHeadFactory(
        directorate=adopted.goal.directorate,
        person=adopted.stand_in,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 4, 30),
        act="Απόφαση Δημάρχου 45/2024",
    )
    return adopted
