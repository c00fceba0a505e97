"""Who may open or do what: URL × person × expected status, in one table.

Meetings are seen by the people invited (the heads of directorates are invited to all) and by
the Mayor, the deputies and the General Secretary; others get 404. Reading is not acting: a
person who sees a meeting but may not change it gets 403.
"""

import pytest
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingSeries, Minutes
from tests.factories import ActionItemFactory, MeetingFactory

PEOPLE = [
    "secretary",
    "admin_user",
    "mayor",
    "deputy",
    "head_of_planning",
    "head_of_finance",
    "head_of_department",
    "staff",
    "anonymous",
]

# (method, url name, arguments) → expected status for each person, in PEOPLE's order.
MATRIX = [
    ("get", "meetings:list", (), [200, 200, 200, 200, 200, 200, 200, 200, 302]),
    ("get", "meetings:detail", ("meeting",), [200, 200, 200, 200, 200, 200, 404, 404, 302]),
    ("get", "meetings:ics", ("meeting",), [200, 200, 200, 200, 200, 200, 404, 404, 302]),
    ("get", "meetings:series_create", (), [200, 200, 403, 403, 403, 403, 403, 403, 302]),
    ("get", "meetings:series_update", ("series",), [200, 200, 403, 403, 403, 403, 403, 403, 302]),
    ("get", "meetings:update", ("meeting",), [200, 200, 403, 403, 403, 403, 404, 404, 302]),
    ("get", "meetings:cancel", ("meeting",), [200, 200, 403, 403, 403, 403, 404, 404, 302]),
    ("get", "meetings:agenda_add", ("meeting",), [200, 200, 403, 403, 200, 200, 404, 404, 302]),
    ("get", "meetings:agenda_edit", ("item",), [200, 200, 403, 403, 403, 403, 404, 404, 302]),
    ("post", "meetings:agenda_move", ("item",), [302, 302, 403, 403, 403, 403, 404, 404, 302]),
    ("post", "meetings:agenda_decide", ("item",), [302, 302, 403, 403, 403, 403, 404, 404, 302]),
    (
        "post",
        "meetings:agenda_suggest",
        ("meeting",),
        [302, 302, 403, 403, 403, 403, 404, 404, 302],
    ),
    (
        "post",
        "meetings:agenda_publish",
        ("meeting",),
        [302, 302, 403, 403, 403, 403, 404, 404, 302],
    ),
    ("get", "meetings:attendance", ("held",), [200, 200, 403, 403, 403, 403, 404, 404, 302]),
    ("get", "meetings:attendance_sheet", ("held",), [200, 200, 200, 200, 200, 200, 404, 404, 302]),
    ("get", "meetings:attendance_report", ("year",), [200, 200, 200, 200, 403, 403, 403, 403, 302]),
    ("get", "meetings:minutes", ("held",), [200, 200, 200, 200, 200, 200, 404, 404, 302]),
    ("post", "meetings:minutes", ("held",), [200, 200, 403, 403, 403, 403, 404, 404, 302]),
    ("get", "meetings:minutes_pdf", ("held",), [200, 200, 200, 200, 200, 200, 404, 404, 302]),
    (
        "post",
        "meetings:minutes_step",
        ("held", "approve"),
        [302, 302, 403, 403, 403, 403, 404, 404, 302],
    ),
    ("get", "meetings:action_add", ("held",), [200, 200, 403, 403, 403, 403, 404, 404, 302]),
    ("get", "meetings:action_items", (), [200, 200, 200, 200, 200, 200, 200, 200, 302]),
    ("post", "meetings:action_done", ("action",), [302, 302, 403, 403, 404, 302, 404, 404, 302]),
    ("get", "meetings:calendar", (), [200, 200, 200, 200, 200, 200, 200, 200, 302]),
    ("post", "meetings:calendar_reset", (), [302, 302, 302, 302, 302, 302, 302, 302, 302]),
]

CASES = [
    pytest.param(method, name, args, person, status, id=f"{name}-{method}-{person}")
    for method, name, args, statuses in MATRIX
    for person, status in zip(PEOPLE, statuses, strict=True)
]


@pytest.fixture
def objects(secretary, invitees, finance):
    meeting = MeetingFactory()
    held = MeetingFactory(date=meeting.date.replace(year=meeting.date.year - 1), status="held")
    Minutes.objects.create(meeting=held, status=Minutes.Status.CIRCULATED)
    series = services.create_series(
        series=MeetingSeries(first_date=meeting.date, count=2), by=secretary, notify=False
    )
    item = AgendaItem.objects.create(
        meeting=meeting, title="Θέμα", status=AgendaItem.Status.PROPOSED
    )
    return {
        "meeting": meeting.pk,
        "held": held.pk,
        "series": series.pk,
        "item": item.pk,
        "action": ActionItemFactory(meeting=held, directorate=finance).pk,
        "year": held.date.year,
        "approve": "approve",
    }


@pytest.mark.parametrize(("method", "name", "args", "person", "status"), CASES)
def test_permission_matrix(request, client_for, objects, method, name, args, person, status):
    user = None if person == "anonymous" else request.getfixturevalue(person)
    url = reverse(name, args=[objects[arg] for arg in args])
    response = getattr(client_for(user), method)(url)
    assert response.status_code == status


@pytest.mark.parametrize(
    ("name", "arg"),
    [("meetings:agenda_publish", "meeting"), ("meetings:minutes_step", "held")],
)
def test_a_forged_request_without_the_csrf_token_is_refused(secretary, objects, name, arg):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    args = [objects[arg], "approve"] if name == "meetings:minutes_step" else [objects[arg]]
    response = client.post(reverse(name, args=args))
    assert response.status_code == 403
    assert not Meeting.objects.filter(agenda_published_at__isnull=False).exists()
    assert not Minutes.objects.filter(status=Minutes.Status.APPROVED).exists()
