import datetime

import pytest

from goals.services.cycles import publish_cycle
from tests.factories import AllocationFactory, ProgressUpdateFactory


@pytest.fixture
def published(adopted, secretary, head_of_planning):
    """The adopted 2024 cycle (see `adopted`), monitored and published by the General Secretary,
    with a whole-goal value of PROG-01 in March and April and a department's value of PROG-02."""
    cycle = adopted.cycle
    cycle.phase = "monitoring"
    cycle.save()
    for day, value in ((datetime.date(2024, 3, 10), 110), (datetime.date(2024, 4, 20), 125)):
        ProgressUpdateFactory(
            goal=adopted.goal,
            value=value,
            measured_on=day,
            author=head_of_planning,
            comment="Σχόλιο εσωτερικό της υπηρεσίας",
        )
    allocation = AllocationFactory(
        goal=adopted.other_goal, department=adopted.department, baseline=90, target=60
    )
    ProgressUpdateFactory(
        goal=adopted.other_goal,
        allocation=allocation,
        value=80,
        measured_on=datetime.date(2024, 4, 2),
        author=head_of_planning,
    )
    publish_cycle(cycle=cycle, by=secretary)
    cycle.refresh_from_db()
    return adopted
