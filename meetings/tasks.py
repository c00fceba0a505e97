"""Background tasks: the e-mail of the meetings, each in its recipient's language.

Run by `manage.py db_worker`; services enqueue them with `transaction.on_commit`.
"""

from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from directorates.models import User
from meetings import calendar
from meetings.models import Meeting


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


def _send(person: User, template: str, context: dict, attachment: MIMEPart | None = None):
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
