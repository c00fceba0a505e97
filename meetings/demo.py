"""Demo coordination meetings for Heraklion: the series from the meeting of 12 February 2024.

Meetings before today are held: attendance, agenda with discussion and decisions, minutes
approved at the following meeting (and locked once older), action items (the recent ones still
open). Meetings from today on are scheduled; the next one has an agenda and a proposal.
Only what is missing is created, so running it twice changes nothing.
"""

import datetime

from django.utils import timezone

from directorates.models import Directorate, User
from meetings import services
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    Minutes,
)

FIRST_DATE = datetime.date(2024, 2, 12)
LAST_DATE = datetime.date(2026, 12, 21)

# (title, discussion, decision, action for the directorate, directorate code)
TOPICS = [
    (
        "Πορεία υλοποίησης των στόχων ανά Διεύθυνση",
        "Οι προϊστάμενοι ενημέρωσαν για την πρόοδο των δεικτών του τριμήνου.",
        "Οι Διευθύνσεις επικαιροποιούν τις τιμές των δεικτών έως το τέλος του μήνα.",
        "Επικαιροποίηση των δεικτών μέτρησης στο σύστημα",
        "PROG",
    ),
    (
        "Ψηφιοποίηση διαδικασιών και υπηρεσιών προς τους δημότες",
        "Παρουσιάστηκαν οι διαδικασίες που διατίθενται ήδη ηλεκτρονικά.",
        "Να καταρτιστεί χρονοδιάγραμμα για τις επόμενες τέσσερις διαδικασίες.",
        "Χρονοδιάγραμμα ψηφιοποίησης τεσσάρων διαδικασιών",
        "PSIF",
    ),
    (
        "Χρόνος εξόφλησης προμηθευτών",
        "Ο μέσος χρόνος πληρωμής μειώθηκε, παραμένει όμως πάνω από τον στόχο.",
        "Εβδομαδιαία αναφορά εκκρεμών ενταλμάτων προς τη Γενική Γραμματέα.",
        "Αναφορά εκκρεμών ενταλμάτων πληρωμής",
        "OIK",
    ),
    (
        "Αιτήματα αποκατάστασης οδοστρώματος",
        "Συζητήθηκαν τα αιτήματα που εκκρεμούν πέραν των δέκα εργάσιμων ημερών.",
        "Προτεραιοποίηση των αιτημάτων του κέντρου της πόλης.",
        "Πρόγραμμα αποκατάστασης για τα εκκρεμή αιτήματα",
        "TEXN",
    ),
    (
        "Ανακύκλωση και μπλε κάδοι",
        "Οι ποσότητες ανακύκλωσης αυξήθηκαν σε σχέση με πέρυσι.",
        "Ενημερωτική δράση σε σχολεία σε συνεργασία με τη Διεύθυνση Παιδείας.",
        "Σχέδιο ενημερωτικής δράσης για την ανακύκλωση",
        "KATH",
    ),
    (
        "Έλεγχος οικοδομικών αδειών εντός προθεσμίας",
        "Το ποσοστό ελέγχων εντός προθεσμίας βελτιώθηκε.",
        "Ενίσχυση του Τμήματος με έναν μηχανικό για τρεις μήνες.",
        "Πρόταση μετακίνησης μηχανικού στο Τμήμα Οικοδομικών Αδειών",
        "POLE",
    ),
]

# Every so often someone is excused or absent, so the yearly attendance tells something.
EXCUSED_EVERY = 7
ABSENT_EVERY = 11
# Action items of the last few held meetings are still open.
OPEN_RECENT = 4


def seed_meetings() -> dict[str, int]:
    """Create the demo series and fill in what happened at the meetings already past."""
    created = {"series": 0, "held meetings": 0, "agenda items": 0, "action items": 0}
    secretary = User.objects.filter(username="secretary").first()
    if secretary is None:
        return created
    series = MeetingSeries.objects.filter(first_date=FIRST_DATE).first()
    if series is None:
        series = services.create_series(
            series=MeetingSeries(first_date=FIRST_DATE, until=LAST_DATE),
            by=secretary,
            notify=False,
        )
        created["series"] += 1

    directorates = {d.code: d for d in Directorate.objects.select_related("head")}
    today = timezone.localdate()
    meetings = list(series.meetings.exclude(status=Meeting.Status.CANCELLED))
    past = [m for m in meetings if m.date < today]
    for index, meeting in enumerate(past):
        if meeting.status == Meeting.Status.SCHEDULED:
            _hold(meeting, index, directorates, open_actions=index >= len(past) - OPEN_RECENT)
            created["held meetings"] += 1
            created["agenda items"] += 2
            created["action items"] += 1
    for meeting, following in zip(past, past[1:], strict=False):
        _approve(meeting, following, lock=following is not past[-1])
    if past:
        Minutes.objects.get_or_create(
            meeting=past[-1],
            defaults={"status": Minutes.Status.CIRCULATED, "circulated_at": timezone.now()},
        )

    upcoming = [m for m in meetings if m.date >= today]
    if upcoming and not upcoming[0].agenda_items.exists():
        created["agenda items"] += _prepare_next(upcoming[0], secretary, directorates)
    return created


def _hold(meeting: Meeting, index: int, directorates: dict, *, open_actions: bool) -> None:
    first = TOPICS[index % len(TOPICS)]
    second = TOPICS[(index + 1) % len(TOPICS)]
    items = []
    for order, (title, discussion, decision, _action, code) in enumerate([first, second], 1):
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=title,
            presenter=directorates[code].head,
            duration=20,
            discussion=discussion,
            decisions=decision,
        )
        item.directorates.add(directorates[code])
        items.append(item)

    statuses = []
    for number, person in enumerate(meeting.invitees().order_by("pk"), index):
        status = Attendance.Status.PRESENT
        if number % EXCUSED_EVERY == 0:
            status = Attendance.Status.EXCUSED
        elif number % ABSENT_EVERY == 0:
            status = Attendance.Status.ABSENT
        statuses.append(Attendance(meeting=meeting, person=person, status=status))
    Attendance.objects.bulk_create(statuses)

    _title, _discussion, _decision, action, code = first
    done = not open_actions
    ActionItem.objects.create(
        meeting=meeting,
        agenda_item=items[0],
        description=action,
        directorate=directorates[code],
        due_date=meeting.date + datetime.timedelta(days=21),
        status=ActionItem.Status.DONE if done else ActionItem.Status.OPEN,
        completed_on=meeting.date + datetime.timedelta(days=14) if done else None,
        completed_by=directorates[code].head if done else None,
    )
    meeting.status = Meeting.Status.HELD
    meeting.agenda_published_at = meeting.starts_at - datetime.timedelta(days=3)
    meeting.save(update_fields=["status", "agenda_published_at"])


def _approve(meeting: Meeting, following: Meeting, *, lock: bool) -> None:
    """Minutes approved at the following meeting; locked unless that was the latest one."""
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    if minutes.status in {Minutes.Status.APPROVED, Minutes.Status.LOCKED}:
        return
    minutes.circulated_at = meeting.starts_at + datetime.timedelta(days=2)
    minutes.status = Minutes.Status.LOCKED if lock else Minutes.Status.APPROVED
    minutes.approved_at = following.starts_at
    minutes.approved_at_meeting = following
    minutes.locked_at = following.ends_at if lock else None
    minutes.save()


def _prepare_next(meeting: Meeting, secretary: User, directorates: dict) -> int:
    """The next meeting: a first item, the open action items suggested, a head's proposal."""
    services.add_agenda_item(
        meeting=meeting,
        by=secretary,
        item=AgendaItem(title="Ενημέρωση από τη Γενική Γραμματέα", duration=10),
    )
    suggested = services.suggest_agenda(meeting=meeting, by=secretary)
    for item in suggested[:2]:
        services.decide_proposal(item=item, by=secretary, accept=True)
    head = directorates["PSIF"].head
    services.add_agenda_item(
        meeting=meeting,
        by=head,
        item=AgendaItem(
            title="Κυβερνοασφάλεια: πιστοποίηση προσωπικού",
            presenter=head,
            duration=15,
        ),
        directorates=[directorates["PSIF"]],
        propose=True,
    )
    return 2 + len(suggested)
