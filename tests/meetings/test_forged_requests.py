"""A request without the CSRF token is refused, even from the General Secretary.

Who may open or do what on the meetings' pages is declared with every other URL in the
project-wide permission matrix, tests/security/test_permissions.py.
"""

from django.test import Client
from django.urls import reverse

from meetings.models import Minutes
from tests.factories import AgendaItemFactory


def forging(client: Client) -> Client:
    """The same logged-in client, with Django's CSRF check switched back on."""
    client.handler.enforce_csrf_checks = True
    return client


def test_publishing_without_the_csrf_token_is_refused(client_for, secretary, meeting):
    AgendaItemFactory(meeting=meeting)
    url = reverse("meetings:agenda_publish", args=[meeting.pk])
    response = forging(client_for(secretary)).post(url)
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None


def test_approving_minutes_without_the_csrf_token_is_refused(client_for, secretary, held_meeting):
    Minutes.objects.filter(meeting=held_meeting).update(status=Minutes.Status.CIRCULATED)
    url = reverse("meetings:minutes_step", args=[held_meeting.pk, "approve"])
    response = forging(client_for(secretary)).post(url)
    assert response.status_code == 403
    assert Minutes.objects.get(meeting=held_meeting).status == Minutes.Status.CIRCULATED
