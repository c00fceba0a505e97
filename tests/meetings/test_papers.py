"""The briefing pack before a meeting and the commitments memo after it: when they are due
(weekends and Greek holidays skipped), what they hold, who gets them, and that the daily job
sends each once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from directorates import workdays
from goals.models import GoalBlocker
from meetings.models import AgendaItem, MeetingPaper
from meetings.papers import briefing_due_on, issue_paper, memo_due_on, papers_due
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    GoalFactory,
    MeetingFactory,
    ObservationFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

# The demo municipality's calendar (Heraklion: Saint Minas on 11 November).
HERAKLION = {(11, 11): "Άγιος Μηνάς, πολιούχος Ηρακλείου"}


def pdf_text(paper: MeetingPaper) -> str:
    with paper.document.open("rb") as document:
        reader = PdfReader(io.BytesIO(document.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize(
    ("meeting_day", "pack_day"),
    [
        # Thursday → Tuesday.
        (datetime.date(2026, 10, 15), datetime.date(2026, 10, 13)),
        # Monday → the Thursday before (the weekend skipped).
        (datetime.date(2026, 10, 19), datetime.date(2026, 10, 15)),
        # Friday 30 October → Tuesday 27 (28 October, the national holiday, skipped).
        (datetime.date(2026, 10, 30), datetime.date(2026, 10, 27)),
        # Tuesday after Easter 2025 → Wednesday 16 April (Good Friday, the weekend and Easter
        # Monday skipped).
        (datetime.date(2025, 4, 22), datetime.date(2025, 4, 16)),
    ],
)
def test_the_pack_is_due_two_working_days_before_the_meeting(meeting_day, pack_day):
    assert briefing_due_on(MeetingFactory(date=meeting_day), HERAKLION) == pack_day


def test_the_memo_is_due_on_the_first_working_day_after_the_meeting():
    # Friday 23 October 2026 → Monday 26; Tuesday 27 October → Thursday 29 (28th a holiday).
    assert memo_due_on(
        MeetingFactory(date=datetime.date(2026, 10, 23)), HERAKLION
    ) == datetime.date(2026, 10, 26)
    assert memo_due_on(
        MeetingFactory(date=datetime.date(2026, 10, 27)), HERAKLION
    ) == datetime.date(2026, 10, 29)


@pytest.fixture
def due_meeting(invitees):
    """A meeting two working days away: its pack is due today."""
    return MeetingFactory(date=workdays.add_working_days(timezone.localdate(), 2, HERAKLION))


@pytest.fixture
def held_yesterday(invitees, head_of_planning):
    """A meeting held on the last working day before today, which decided an action item."""
    meeting = MeetingFactory(
        date=workdays.working_days_before(timezone.localdate(), 1, HERAKLION), status="held"
    )
    ActionItemFactory(
        meeting=meeting, directorate=head_of_planning.directorate, description="Νέο χρονοδιάγραμμα"
    )
    return meeting


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the transaction's commit (the mail tasks) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_daily_job_sends_the_pack_due_to_every_invitee(
    due_meeting, invitees, secretary, head_of_planning, committed
):
    later = MeetingFactory(date=workdays.add_working_days(timezone.localdate(), 3, HERAKLION))

    with committed():
        call_command("send_meeting_papers", verbosity=0)

    paper = MeetingPaper.objects.get()
    assert (paper.meeting, paper.kind) == (due_meeting, MeetingPaper.Kind.BRIEFING)
    assert paper.sent_at is not None and paper.generated_by is None
    assert not later.papers.exists()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in invitees)
    message = next(m for m in mail.outbox if m.to == [head_of_planning.email])
    assert message.subject.startswith("Ενημερωτικό σημείωμα")
    (filename, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert f"{due_meeting.get_absolute_url()}#rsvp" in message.body


def test_the_daily_job_sends_each_paper_once(due_meeting, held_yesterday, committed):
    with committed():
        call_command("send_meeting_papers", verbosity=0)
    sent = len(mail.outbox)
    assert sent > 0
    with committed():
        call_command("send_meeting_papers", verbosity=0)
    assert len(mail.outbox) == sent
    assert MeetingPaper.objects.count() == 2


def test_a_dry_run_only_lists_the_papers_due(due_meeting, held_yesterday):
    out = io.StringIO()
    call_command("send_meeting_papers", dry_run=True, stdout=out)
    assert "2 paper(s) due" in out.getvalue()
    assert not MeetingPaper.objects.exists()
    assert mail.outbox == []


def test_no_pack_for_cancelled_meetings_or_memo_without_action_items(invitees):
    MeetingFactory(
        date=workdays.add_working_days(timezone.localdate(), 1, HERAKLION), status="cancelled"
    )
    MeetingFactory(
        date=workdays.working_days_before(timezone.localdate(), 1, HERAKLION), status="held"
    )
    assert papers_due(timezone.localdate()) == []


def test_the_memo_goes_to_the_general_secretary_and_the_owners_only(
    held_yesterday, secretary, head_of_planning, head_of_finance, committed
):
    with committed():
        call_command("send_meeting_papers", verbosity=0)

    paper = MeetingPaper.objects.get(kind=MeetingPaper.Kind.COMMITMENTS)
    assert paper.meeting == held_yesterday
    assert sorted(m.to[0] for m in mail.outbox) == sorted([secretary.email, head_of_planning.email])
    message = next(m for m in mail.outbox if m.to == [head_of_planning.email])
    assert "Νέο χρονοδιάγραμμα" in message.body
    assert "Νέο χρονοδιάγραμμα" in pdf_text(paper)


def test_the_pack_holds_the_agenda_the_goals_figures_the_blockers_and_the_open_actions(
    meeting, head_of_planning, secretary
):
    goal = GoalFactory(directorate=head_of_planning.directorate, code="PROG-07", status="adopted")
    ProgressUpdateFactory(
        goal=goal,
        value=130,
        status="at_risk",
        measured_on=datetime.date(2024, 6, 30),
        comment="Καθυστέρηση προμήθειας λογισμικού",
    )
    ObservationFactory(goal=goal, text="Ο στόχος είναι υπερβολικά φιλόδοξος")
    GoalBlocker.objects.create(
        goal=goal,
        description="Δεν έχει υπογραφεί η σύμβαση",
        impact="Τρίμηνη καθυστέρηση",
        since=datetime.date(2024, 5, 2),
        raised_by=head_of_planning,
        status="escalated",
    )
    item = AgendaItemFactory(meeting=meeting, title="Πορεία του στόχου PROG-07")
    item.goals.add(goal)
    AgendaItemFactory(meeting=meeting, title="Απορρίφθηκε", status=AgendaItem.Status.DECLINED)
    ActionItemFactory(
        description="Αναφορά εκκρεμών ενταλμάτων",
        directorate=head_of_planning.directorate,
        meeting__date=meeting.date - datetime.timedelta(days=14),
    )

    text = pdf_text(issue_paper(meeting=meeting, kind="briefing", by=secretary))

    assert "Πορεία του στόχου PROG-07" in text
    assert "Απορρίφθηκε" not in text
    assert "PROG-07" in text and "100 → 150" in text
    assert "Καθυστέρηση προμήθειας λογισμικού" in text
    assert "Ο στόχος είναι υπερβολικά φιλόδοξος" in text
    assert "Αναφορά εκκρεμών ενταλμάτων" in text
    assert "Δεν έχει υπογραφεί η σύμβαση" in text and "Τρίμηνη καθυστέρηση" in text
    assert str(head_of_planning) in text
    assert meeting.date.strftime("%d/%m/%Y") in text


def test_the_general_secretary_makes_the_pack_again_and_resends_it(
    client_for, secretary, meeting, invitees, committed
):
    client = client_for(secretary)
    url = reverse("meetings:paper_issue", args=[meeting.pk, "briefing"])
    with committed():
        client.post(url)
    first_file = MeetingPaper.objects.get().document.name
    mail.outbox.clear()

    with committed():
        response = client.post(url, follow=True)

    paper = MeetingPaper.objects.get()
    assert paper.document.name != first_file
    assert not paper.document.storage.exists(first_file)
    assert paper.generated_by == secretary
    assert len(mail.outbox) == len(invitees)
    assert "Το ενημερωτικό σημείωμα συντάχθηκε και αποστέλλεται." in response.content.decode()
    assert paper.history.count() == 2


def test_a_memo_for_a_meeting_that_decided_nothing_is_refused_with_a_message(
    client_for, secretary, held_meeting
):
    response = client_for(secretary).post(
        reverse("meetings:paper_issue", args=[held_meeting.pk, "commitments"]), follow=True
    )
    assert "δεν αποφάσισε" in response.content.decode()
    assert not MeetingPaper.objects.exists()


def test_an_unknown_kind_of_paper_is_not_found(client_for, secretary, meeting):
    client = client_for(secretary)
    assert (
        client.post(reverse("meetings:paper_issue", args=[meeting.pk, "other"])).status_code == 404
    )
    assert client.get(reverse("meetings:paper", args=[meeting.pk, "other"])).status_code == 404


def test_an_invitee_downloads_the_pack_as_sent_and_the_page_links_it(
    client_for, secretary, head_of_finance, meeting
):
    issue_paper(meeting=meeting, kind="briefing", by=secretary)
    client = client_for(head_of_finance)
    page = client.get(meeting.get_absolute_url())
    url = reverse("meetings:paper", args=[meeting.pk, "briefing"])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_meeting_page_says_when_the_pack_goes_out(client_for, head_of_finance):
    # Friday 30 October 2037: the pack goes out on Tuesday 27 (28 October is a holiday).
    meeting = MeetingFactory(date=datetime.date(2037, 10, 30))
    response = client_for(head_of_finance).get(meeting.get_absolute_url())
    assert "Τρίτη 27 Οκτωβρίου 2037" in response.content.decode()
