"""The General Secretary publishes a cycle's adopted goals and can withdraw them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals.services.cycles import publish_cycle, withdraw_cycle
from tests.factories import GoalCycleFactory

pytestmark = pytest.mark.django_db


def test_secretary_publishes_an_adopted_cycle_from_the_cycles_page(adopted, secretary, client_for):
    client = client_for(secretary)
    page = client.get(reverse("goals:cycles")).content.decode()
    assert reverse("goals:cycle_publish", args=[adopted.cycle.pk]) in page

    response = client.post(reverse("goals:cycle_publish", args=[adopted.cycle.pk]))

    assert response.status_code == 302
    adopted.cycle.refresh_from_db()
    assert adopted.cycle.is_published
    assert adopted.cycle.published_by == secretary
    assert adopted.cycle.published_at is not None
    assert adopted.cycle.history.latest().history_user == secretary
    assert client_for(None).get(reverse("portal:cycle", args=[2024])).status_code == 200


def test_secretary_withdraws_a_published_cycle_and_it_is_gone_at_once(
    published, secretary, client_for
):
    anonymous = client_for(None)
    assert anonymous.get(reverse("portal:cycle", args=[2024])).status_code == 200  # now cached

    response = client_for(secretary).post(
        reverse("goals:cycle_withdraw", args=[published.cycle.pk])
    )

    assert response.status_code == 302
    published.cycle.refresh_from_db()
    assert not published.cycle.is_published
    assert published.cycle.withdrawn_by == secretary
    for name in ("portal:cycle", "portal:goals_csv", "portal:values_csv", "portal:cycle_json"):
        assert anonymous.get(reverse(name, args=[2024])).status_code == 404
    assert "2024" not in anonymous.get(reverse("portal:catalogue")).content.decode()


def test_the_cycles_page_says_who_published_and_offers_to_withdraw(
    published, client_for, secretary
):
    page = client_for(secretary).get(reverse("goals:cycles")).content.decode()

    assert reverse("goals:cycle_withdraw", args=[published.cycle.pk]) in page
    assert reverse("goals:cycle_publish", args=[published.cycle.pk]) not in page


@pytest.mark.parametrize("person", ["head_of_planning", "mayor", "deputy", "staff"])
def test_only_the_coordinators_publish_or_withdraw(request, adopted, person, client_for):
    client = client_for(request.getfixturevalue(person))

    assert client.post(reverse("goals:cycle_publish", args=[adopted.cycle.pk])).status_code == 403
    adopted.cycle.refresh_from_db()
    assert not adopted.cycle.is_published
    page = client.get(reverse("goals:cycles")).content.decode()
    assert reverse("goals:cycle_publish", args=[adopted.cycle.pk]) not in page


def test_a_withdrawal_by_someone_else_is_refused(published, head_of_planning, client_for):
    client = client_for(head_of_planning)

    assert (
        client.post(reverse("goals:cycle_withdraw", args=[published.cycle.pk])).status_code == 403
    )
    published.cycle.refresh_from_db()
    assert published.cycle.is_published


def test_a_cycle_in_consultation_cannot_be_published(secretary, client_for):
    cycle = GoalCycleFactory(year=2025, open=True)

    response = client_for(secretary).post(reverse("goals:cycle_publish", args=[cycle.pk]))

    assert response.status_code == 403  # the button is not offered either
    with pytest.raises(ValidationError, match="απόφαση του Δημάρχου"):
        publish_cycle(cycle=cycle, by=secretary)
    cycle.refresh_from_db()
    assert not cycle.is_published


def test_the_services_refuse_people_who_may_not_publish(adopted, head_of_planning, secretary):
    with pytest.raises(ValidationError):
        publish_cycle(cycle=adopted.cycle, by=head_of_planning)
    publish_cycle(cycle=adopted.cycle, by=secretary)
    with pytest.raises(ValidationError, match="ήδη δημοσιευθεί"):
        publish_cycle(cycle=adopted.cycle, by=secretary)
    with pytest.raises(ValidationError):
        withdraw_cycle(cycle=adopted.cycle, by=head_of_planning)


def test_a_withdrawn_cycle_may_be_published_again(published, secretary, client_for):
    withdraw_cycle(cycle=published.cycle, by=secretary)
    publish_cycle(cycle=published.cycle, by=secretary)

    assert client_for(None).get(reverse("portal:cycle", args=[2024])).status_code == 200
