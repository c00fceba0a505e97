"""Background tasks: the e-mail of the meetings, each in its recipient's language.

Run by `manage.py db_worker`; services enqueue them with `transaction.on_commit`.
"""

from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from directorates.models import User
from directorates.roles import Role
from meetings import calendar
from meetings.models import Meeting, MeetingPaper


def _language(person: User) -> str:
    return person.language or settings.LANGUAGE_CODE


def _ics_part(content: bytes, method: str) -> MIMEPart:
    """A text/calendar part with the METHOD parameter calendar programs look for."""
    part = MIMEPart()
    part.set_content(
        content.decode(),
        subtype="calendar",
        charset="utf-8",
        params={"method": method},
        disposition="attachment",
        filename="invite.ics" if method == "REQUEST" else "cancel.ics",
    )
    return part


def _send(
    person: User,
    template: str,
    context: dict,
    attachment: MIMEPart | None = None,
    files: tuple[tuple[str, bytes, str], ...] = (),
):
    with translation.override(_language(person)):
        context = {
            **context,
            "person": person,
            "site_url": settings.SITE_URL.rstrip("/"),
            "municipality_name": settings.MUNICIPALITY_NAME,
        }
        subject = render_to_string(f"meetings/email/{template}_subject.txt", context)
        body = render_to_string(f"meetings/email/{template}.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=[person.email])
    if attachment is not None:
        message.attach(attachment)
    for filename, content, mimetype in files:
        message.attach(filename, content, mimetype)
    message.send()


def _recipients(meeting: Meeting, user_ids: list[int] | None):
    people = meeting.invitees().exclude(email="")
    if user_ids is not None:
        people = User.objects.filter(pk__in=user_ids).exclude(email="")
    return people


@task
def send_invitations(
    meeting_id: int, method: str = "REQUEST", user_ids: list[int] | None = None
) -> int:
    """Invite (METHOD:REQUEST, also for updates) or uninvite (METHOD:CANCEL) people."""
    meeting = Meeting.objects.get(pk=meeting_id)
    sent = 0
    for person in _recipients(meeting, user_ids):
        with translation.override(_language(person)):
            ics = calendar.calendar_for([meeting], method=method, attendees=[person])
        template = "cancellation" if method == "CANCEL" else "invitation"
        update = meeting.calendar_sequence > 0
        _send(person, template, {"meeting": meeting, "update": update}, _ics_part(ics, method))
        sent += 1
    return sent


@task
def send_agenda(meeting_id: int) -> int:
    meeting = Meeting.objects.get(pk=meeting_id)
    items = list(meeting.agenda_items.on_agenda().select_related("presenter"))
    sent = 0
    for person in _recipients(meeting, None):
        _send(person, "agenda", {"meeting": meeting, "items": items})
        sent += 1
    return sent


@task
def send_minutes(meeting_id: int) -> int:
    meeting = Meeting.objects.get(pk=meeting_id)
    sent = 0
    for person in _recipients(meeting, None):
        _send(person, "minutes", {"meeting": meeting})
        sent += 1
    return sent


def paper_recipients(paper: MeetingPaper):
    """The pack goes to every invitee; the memo to the General Secretary and the heads of the
    directorates that own its action items."""
    meeting = paper.meeting
    if paper.kind == MeetingPaper.Kind.BRIEFING:
        return meeting.invitees().exclude(email="")
    concerned = Q(pk__in=meeting.action_items.values("directorate__head")) | Q(
        groups__name=Role.GENERAL_SECRETARY
    )
    people = User.objects.filter(concerned, is_active=True).exclude(email="").values("pk")
    return User.objects.filter(pk__in=people).select_related("directorate")


@task
def send_paper(paper_id: int) -> int:
    """E-mail a briefing pack or commitments memo, with its PDF, to those concerned."""
    paper = MeetingPaper.objects.select_related("meeting").get(pk=paper_id)
    with paper.document.open("rb") as document:
        pdf = document.read()
    actions = []
    if paper.kind == MeetingPaper.Kind.COMMITMENTS:
        actions = list(paper.meeting.action_items.select_related("directorate"))
    sent = 0
    for person in paper_recipients(paper):
        _send(
            person,
            paper.kind,
            {"meeting": paper.meeting, "paper": paper, "actions": actions},
            files=((paper.filename, pdf, "application/pdf"),),
        )
        sent += 1
    return sent
