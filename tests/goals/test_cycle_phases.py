import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from goals.models import GoalCycle
from goals.services.cycles import advance_cycle
from tests.factories import GoalCycleFactory

pytestmark = pytest.mark.django_db


def test_secretary_moves_the_cycle_to_the_next_phase(client_for, secretary):
    cycle = GoalCycleFactory(phase="drafting")
    response = client_for(secretary).post(
        reverse("goals:cycle_advance", args=[cycle.pk]), {"phase": "consultation"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.phase == GoalCycle.Phase.CONSULTATION
    assert cycle.history.latest().history_user == secretary


@pytest.mark.parametrize(
    ("current", "wanted"),
    [("drafting", "adopted"), ("consultation", "drafting"), ("monitoring", "closed")],
)
def test_a_move_that_skips_or_reverses_a_phase_is_refused_with_a_reason(
    client_for, secretary, current, wanted
):
    cycle = GoalCycleFactory(phase=current)
    response = client_for(secretary).post(
        reverse("goals:cycle_advance", args=[cycle.pk]), {"phase": wanted}, follow=True
    )
    cycle.refresh_from_db()
    assert cycle.phase == current
    [message] = list(response.context["messages"])
    assert message.level_tag == "error"
    with translation.override("el"):
        assert str(cycle.next_phase_label) in message.message


def test_a_closed_cycle_has_no_next_phase(secretary):
    cycle = GoalCycleFactory(phase="closed")
    with pytest.raises(ValidationError):
        advance_cycle(cycle=cycle, to_phase="drafting", by=secretary)


def test_a_head_cannot_move_a_cycle(client_for, head_of_planning):
    cycle = GoalCycleFactory(phase="drafting")
    response = client_for(head_of_planning).post(
        reverse("goals:cycle_advance", args=[cycle.pk]), {"phase": "consultation"}
    )
    assert response.status_code == 403
    cycle.refresh_from_db()
    assert cycle.phase == "drafting"


def test_the_service_refuses_anyone_but_the_coordinators(mayor):
    cycle = GoalCycleFactory(phase="drafting")
    with pytest.raises(ValidationError):
        advance_cycle(cycle=cycle, to_phase="consultation", by=mayor)


def test_it_rejects_get(client_for, secretary):
    cycle = GoalCycleFactory()
    response = client_for(secretary).get(reverse("goals:cycle_advance", args=[cycle.pk]))
    assert response.status_code == 405


def test_secretary_opens_a_cycle_with_its_consultation_dates(client_for, secretary):
    response = client_for(secretary).post(
        reverse("goals:cycle_create"),
        {
            "year": 2025,
            "consultation_opens_on": "2025-01-10",
            "consultation_closes_on": "2025-02-10",
        },
    )
    assert response.status_code == 302
    assert GoalCycle.objects.get(year=2025).phase == GoalCycle.Phase.DRAFTING


def test_consultation_cannot_close_before_it_opens(client_for, secretary):
    response = client_for(secretary).post(
        reverse("goals:cycle_create"),
        {
            "year": 2025,
            "consultation_opens_on": "2025-02-10",
            "consultation_closes_on": "2025-01-10",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not GoalCycle.objects.filter(year=2025).exists()


def test_earlier_cycles_stay_listed(client_for, staff):
    GoalCycleFactory(year=2023, phase="closed")
    GoalCycleFactory(year=2024, phase="monitoring")
    response = client_for(staff).get(reverse("goals:cycles"))
    assert [c.year for c in response.context["cycles"]] == [2024, 2023]


@pytest.mark.parametrize(
    ("phase", "monitored"),
    [
        ("drafting", False),
        ("consultation", False),
        ("adopted", False),
        ("allocation", True),
        ("monitoring", True),
        ("evaluation", False),
        ("closed", False),
    ],
)
def test_goals_are_monitored_from_allocation_until_the_evaluation(phase, monitored):
    assert GoalCycle(year=2025, phase=phase).is_monitored is monitored
