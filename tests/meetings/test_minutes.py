import datetime
import re
import zlib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries, Minutes
from tests.factories import AgendaItemFactory, MeetingFactory


@pytest.fixture
def item(held_meeting):
    return AgendaItemFactory(meeting=held_meeting, title="Πληρωμές προμηθευτών")


def minutes_data(minutes, item, **overrides):
    return {
        "version": minutes.version,
        "notes": "",
        f"discussion_{item.pk}": "Συζητήθηκε ο χρόνος πληρωμής.",
        f"decisions_{item.pk}": "Εβδομαδιαία αναφορά.",
        **overrides,
    }


def step(client, meeting, name):
    return client.post(reverse("meetings:minutes_step", args=[meeting.pk, name]), follow=True)


def test_secretary_writes_the_minutes(client_for, secretary, held_meeting, item):
    minutes = held_meeting.minutes
    response = client_for(secretary).post(
        reverse("meetings:minutes", args=[held_meeting.pk]), minutes_data(minutes, item)
    )
    assert response.status_code == 302
    item.refresh_from_db()
    minutes.refresh_from_db()
    assert item.decisions == "Εβδομαδιαία αναφορά."
    assert minutes.version == 2
    assert item.history.count() == 2


def test_a_stale_version_does_not_overwrite_someone_elses_changes(
    client_for, secretary, held_meeting, item
):
    minutes = held_meeting.minutes
    client = client_for(secretary)
    url = reverse("meetings:minutes", args=[held_meeting.pk])
    client.post(url, minutes_data(minutes, item))
    response = client.post(url, minutes_data(minutes, item, **{f"decisions_{item.pk}": "Άλλο"}))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    item.refresh_from_db()
    assert item.decisions == "Εβδομαδιαία αναφορά."


def test_the_minutes_go_from_draft_to_locked(
    client_for, secretary, held_meeting, item, invitees, django_capture_on_commit_callbacks
):
    client = client_for(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        step(client, held_meeting, "circulate")
    minutes = Minutes.objects.get(meeting=held_meeting)
    assert minutes.status == Minutes.Status.CIRCULATED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in invitees)

    # Approved at the next meeting, on its day.
    next_meeting = MeetingFactory(date=timezone.localdate())
    step(client, held_meeting, "approve")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_meeting == next_meeting

    step(client, held_meeting, "lock")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.LOCKED
    assert minutes.locked_at is not None
    assert [h.status for h in minutes.history.order_by("history_date")] == [
        "draft",
        "circulated",
        "approved",
        "locked",
    ]


def test_minutes_wait_for_the_next_meeting_to_be_approved(
    client_for, secretary, held_meeting, item
):
    Minutes.objects.filter(meeting=held_meeting).update(status=Minutes.Status.CIRCULATED)
    MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=3))
    response = step(client_for(secretary), held_meeting, "approve")
    assert list(response.context["messages"])
    assert Minutes.objects.get(meeting=held_meeting).status == Minutes.Status.CIRCULATED


def test_draft_minutes_cannot_be_approved_or_locked(client_for, secretary, held_meeting):
    MeetingFactory(date=timezone.localdate())
    step(client_for(secretary), held_meeting, "approve")
    step(client_for(secretary), held_meeting, "lock")
    assert Minutes.objects.get(meeting=held_meeting).status == Minutes.Status.DRAFT


@pytest.mark.parametrize("status", [Minutes.Status.APPROVED, Minutes.Status.LOCKED])
def test_approved_and_locked_minutes_refuse_edits(
    client_for, secretary, held_meeting, item, status
):
    Minutes.objects.filter(meeting=held_meeting).update(
        status=status, approved_at_meeting=held_meeting
    )
    minutes = Minutes.objects.get(meeting=held_meeting)
    client = client_for(secretary)
    response = client.post(
        reverse("meetings:minutes", args=[held_meeting.pk]), minutes_data(minutes, item)
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decisions == ""
    edit = client.post(
        reverse("meetings:agenda_edit", args=[item.pk]),
        {"title": "Αλλαγή", "duration": "5"},
    )
    assert edit.status_code == 200
    item.refresh_from_db()
    assert item.title == "Πληρωμές προμηθευτών"
    action = client.post(
        reverse("meetings:action_add", args=[held_meeting.pk]),
        {"description": "x", "directorate": "", "due_date": ""},
    )
    assert action.status_code == 200


def test_the_unknown_step_is_404(client_for, secretary, held_meeting):
    response = client_for(secretary).post(
        reverse("meetings:minutes_step", args=[held_meeting.pk, "burn"])
    )
    assert response.status_code == 404


def test_heads_do_not_see_draft_minutes(client_for, head_of_planning, held_meeting):
    url = reverse("meetings:minutes", args=[held_meeting.pk])
    assert client_for(head_of_planning).get(url).status_code == 404
    Minutes.objects.filter(meeting=held_meeting).update(status=Minutes.Status.CIRCULATED)
    response = client_for(head_of_planning).get(url)
    assert response.status_code == 200
    assert response.context["form"] is None


def test_the_minutes_download_as_a_pdf_with_greek_text(
    client_for, head_of_planning, held_meeting, item
):
    Minutes.objects.filter(meeting=held_meeting).update(status=Minutes.Status.CIRCULATED)
    response = client_for(head_of_planning).get(
        reverse("meetings:minutes_pdf", args=[held_meeting.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    streams = b"".join(
        zlib.decompress(chunk)
        for chunk in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.S)
    )
    # The text is set in DejaVu Sans, and Greek letters (Π, α) map back to Unicode.
    assert b"DejaVu-Sans" in streams
    assert b"03a0" in streams.lower() and b"03b1" in streams.lower()


def test_minutes_are_approved_at_the_next_meeting_of_their_series(client_for, secretary, invitees):
    series = MeetingSeries.objects.create(
        first_date=timezone.localdate() - datetime.timedelta(days=14), count=2, created_by=secretary
    )
    held = MeetingFactory(
        series=series, occurrence=1, date=series.first_date, status=Meeting.Status.HELD
    )
    minutes = Minutes.objects.create(meeting=held, status=Minutes.Status.CIRCULATED)
    # A meeting of no series, earlier the same day, does not approve them.
    MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=7))
    same_series = MeetingFactory(series=series, occurrence=2, date=timezone.localdate())

    step(client_for(secretary), held, "approve")

    minutes.refresh_from_db()
    assert minutes.approved_at_meeting == same_series


def test_minutes_wait_for_their_own_series(client_for, secretary, invitees):
    series = MeetingSeries.objects.create(
        first_date=timezone.localdate() - datetime.timedelta(days=14), count=2, created_by=secretary
    )
    held = MeetingFactory(
        series=series, occurrence=1, date=series.first_date, status=Meeting.Status.HELD
    )
    Minutes.objects.create(meeting=held, status=Minutes.Status.CIRCULATED)
    MeetingFactory(series=series, occurrence=2, date=timezone.localdate() + datetime.timedelta(1))
    MeetingFactory(date=timezone.localdate())  # another series' meeting, today

    response = step(client_for(secretary), held, "approve")

    assert "στην επόμενη σύσκεψη" in response.content.decode()
    assert Minutes.objects.get(meeting=held).status == Minutes.Status.CIRCULATED
