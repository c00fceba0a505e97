"""Demo coordination meetings for Heraklion: the series from the working meeting of Monday
12 February 2024 at the Vikelaia library (its agenda: the 2024 goals, then in consultation, the
new ΟΕΥ and the Operational Plan) until eight weeks after today.

Meetings before today are held: attendance, agenda with discussion and decisions, minutes
approved at the following meeting and locked (the latest circulated, awaiting the next meeting),
action items (the recent ones still open). Meetings from today on are scheduled; the next one
has an agenda, a proposal, a few answers to its invitation and its briefing pack; the last one
held has its commitments memo.
Only what is missing is created, so running it twice changes nothing.
"""

import datetime

from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from directorates.models import Directorate, User
from goals.demo import years
from goals.models import Goal, GoalBlocker
from meetings import services
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingPaper,
    MeetingSeries,
    Minutes,
    Rsvp,
)
from meetings.papers import issue_paper

FIRST_DATE = datetime.date(2024, 2, 12)
# The series runs on past today, so that the next meetings are scheduled.
WEEKS_AHEAD = 8

# The working meeting of 12 February 2024, as it happened: its agenda (the seed's).
STORY_AGENDA = [
    (
        "Στόχοι του 2024: παρατηρήσεις των Διευθύνσεων στη διαβούλευση",
        "Οι προϊστάμενοι παρουσίασαν τις παρατηρήσεις τους στους στόχους του 2024· η "
        "διαβούλευση παραμένει ανοιχτή έως τις 16 Φεβρουαρίου.",
        "Οι παρατηρήσεις υποβάλλονται στο σύστημα έως τη λήξη της διαβούλευσης.",
        "Υποβολή των παρατηρήσεων της Διεύθυνσης στους στόχους του 2024",
        "PROG",
    ),
    (
        "Νέος Οργανισμός Εσωτερικής Υπηρεσίας (ΟΕΥ)",
        "Η Διεύθυνση Ανθρώπινου Δυναμικού παρουσίασε το χρονοδιάγραμμα του νέου ΟΕΥ, που "
        "αναμένεται να ισχύσει μέσα στο πρώτο εξάμηνο.",
        "Οι Διευθύνσεις αποστέλλουν τις προτάσεις τους για τα Τμήματά τους.",
        "Προτάσεις των Διευθύνσεων για τον νέο ΟΕΥ",
        "ADYN",
    ),
    (
        "Επιχειρησιακό Πρόγραμμα 2024–2028",
        "Συζητήθηκε η σύνδεση των στόχων με τους άξονες, τα μέτρα και τις δράσεις του νέου "
        "Επιχειρησιακού Προγράμματος.",
        "Κάθε στόχος αναφέρει τη δράση του Ετήσιου Προγράμματος Δράσης που υπηρετεί.",
        "Αντιστοίχιση των στόχων με τις δράσεις του Ετήσιου Προγράμματος Δράσης",
        "PROG",
    ),
]

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
            series=MeetingSeries(
                first_date=FIRST_DATE,
                until=years.today() + datetime.timedelta(weeks=WEEKS_AHEAD),
            ),
            by=secretary,
            notify=False,
        )
        created["series"] += 1

    directorates = {d.code: d for d in Directorate.objects.select_related("head")}
    today = years.today()
    meetings = list(series.meetings.exclude(status=Meeting.Status.CANCELLED))
    past = [m for m in meetings if m.date < today]
    to_hold = [(i, m) for i, m in enumerate(past) if m.status == Meeting.Status.SCHEDULED]
    if to_hold:
        _hold(to_hold, directorates, open_from=len(past) - OPEN_RECENT)
        created["held meetings"] += len(to_hold)
        created["agenda items"] += AgendaItem.objects.filter(
            meeting__in=[meeting for _index, meeting in to_hold]
        ).count()
        created["action items"] += len(to_hold)
    _approve(past)

    upcoming = [m for m in meetings if m.date >= today]
    _raise_blocker()
    if upcoming and not upcoming[0].agenda_items.exists():
        with translation.override("el"):
            created["agenda items"] += _prepare_next(upcoming[0], secretary, directorates)
    if upcoming:
        _answer(upcoming[0], directorates)
    created["papers"] = _keep_papers(
        [(upcoming[0], MeetingPaper.Kind.BRIEFING)] if upcoming else []
    ) + _keep_papers([(past[-1], MeetingPaper.Kind.COMMITMENTS)] if past else [])
    return created


def _raise_blocker() -> None:
    """The head of a directorate whose goal is behind schedule escalated what blocks it."""
    if GoalBlocker.objects.exists():
        return
    goal = (
        Goal.objects.filter(is_behind=True, directorate__head__isnull=False)
        .exclude(target_kind="milestone")
        .select_related("directorate__head")
        .order_by("-cycle__year", "code")
        .first()
    )
    if goal is None:
        return
    GoalBlocker.objects.create(
        goal=goal,
        kind=GoalBlocker.Kind.BLOCKER,
        description="Η σύμβαση συντήρησης του πληροφοριακού συστήματος δεν έχει ανανεωθεί.",
        impact="Οι μετρήσεις του δείκτη έχουν σταματήσει από τον Σεπτέμβριο.",
        since=datetime.date(goal.cycle.year, 10, 1),
        help_needed="Επίσπευση της διαδικασίας από τη Διεύθυνση Οικονομικών Υπηρεσιών.",
        status=GoalBlocker.Status.ESCALATED,
        escalated_at=timezone.now() - datetime.timedelta(days=5),
        raised_by=goal.directorate.head,
    )


def _answer(meeting: Meeting, directorates: dict) -> None:
    """Three heads have answered the next meeting's invitation: one attends, one cannot, one
    sends the head of one of their departments in their place."""
    if meeting.rsvps.exists():
        return
    answers = [("PSIF", Rsvp.Answer.ATTEND), ("OIK", Rsvp.Answer.DECLINE)]
    for code, answer in answers:
        if head := directorates[code].head:
            Rsvp.objects.create(meeting=meeting, person=head, answer=answer)
    head = directorates["PROG"].head
    if head is None:
        return
    people = User.objects.filter(directorate=directorates["PROG"], is_active=True)
    if deputy := people.exclude(pk=head.pk).order_by("pk").first():
        Rsvp.objects.create(meeting=meeting, person=head, answer=Rsvp.Answer.DEPUTY, deputy=deputy)


def _keep_papers(papers: list[tuple[Meeting, str]]) -> int:
    """The papers, as the daily job would have made them, but mailed to nobody."""
    made = 0
    for meeting, kind in papers:
        if not MeetingPaper.objects.filter(meeting=meeting, kind=kind).exists():
            issue_paper(meeting=meeting, kind=kind, send=False)
            made += 1
    return made


def _hold(meetings: list[tuple[int, Meeting]], directorates: dict, *, open_from: int) -> None:
    """Agenda with discussion and decisions, attendance and an action item per meeting.

    Written in bulk (with their history rows), as a few years of meetings add up.
    """
    items, topics, first_item = [], [], []
    for index, meeting in meetings:
        agenda = (
            STORY_AGENDA
            if meeting.date == FIRST_DATE
            else [TOPICS[index % len(TOPICS)], TOPICS[(index + 1) % len(TOPICS)]]
        )
        first_item.append(len(items))
        for order, topic in enumerate(agenda, 1):
            title, discussion, decision, _action, code = topic
            items.append(
                AgendaItem(
                    meeting=meeting,
                    order=order,
                    title=title,
                    presenter=directorates[code].head,
                    duration=20,
                    discussion=discussion,
                    decisions=decision,
                )
            )
            topics.append(topic)
    items = bulk_create_with_history(items, AgendaItem)
    AgendaItem.directorates.through.objects.bulk_create(
        AgendaItem.directorates.through(agendaitem=item, directorate=directorates[topic[4]])
        for item, topic in zip(items, topics, strict=True)
    )
    # Each item discusses a goal of its directorate, of the year of the meeting.
    goal_of = {}
    for goal in Goal.objects.select_related("cycle").order_by("-code"):
        goal_of[goal.cycle.year, goal.directorate_id] = goal
    AgendaItem.goals.through.objects.bulk_create(
        AgendaItem.goals.through(
            agendaitem=item, goal=goal_of[item.meeting.date.year, item.presenter.directorate_id]
        )
        for item in items
        if item.presenter and (item.meeting.date.year, item.presenter.directorate_id) in goal_of
    )

    invitees = list(meetings[0][1].invitees().order_by("pk"))
    attendances, actions = [], []
    for position, (index, meeting) in enumerate(meetings):
        for number, person in enumerate(invitees, index):
            status = Attendance.Status.PRESENT
            if number % EXCUSED_EVERY == 0:
                status = Attendance.Status.EXCUSED
            elif number % ABSENT_EVERY == 0:
                status = Attendance.Status.ABSENT
            attendances.append(Attendance(meeting=meeting, person=person, status=status))
        _title, _discussion, _decision, action, code = topics[first_item[position]]
        done = index < open_from
        actions.append(
            ActionItem(
                meeting=meeting,
                agenda_item=items[first_item[position]],
                description=action,
                directorate=directorates[code],
                due_date=meeting.date + datetime.timedelta(days=21),
                status=ActionItem.Status.DONE if done else ActionItem.Status.OPEN,
                completed_on=meeting.date + datetime.timedelta(days=14) if done else None,
                completed_by=directorates[code].head if done else None,
            )
        )
        meeting.status = Meeting.Status.HELD
        meeting.agenda_published_at = meeting.starts_at - datetime.timedelta(days=3)
    bulk_create_with_history(attendances, Attendance)
    bulk_create_with_history(actions, ActionItem)
    bulk_update_with_history(
        [meeting for _index, meeting in meetings], Meeting, ["status", "agenda_published_at"]
    )


def _approve(past: list[Meeting]) -> None:
    """Minutes approved at the following meeting and locked; the latest ones circulated."""
    have_minutes = set(Minutes.objects.filter(meeting__in=past).values_list("meeting", flat=True))
    minutes = []
    for meeting, following in zip(past, [*past[1:], None], strict=True):
        if meeting.pk in have_minutes:
            continue
        entry = Minutes(
            meeting=meeting,
            status=Minutes.Status.CIRCULATED,
            circulated_at=meeting.starts_at + datetime.timedelta(days=2),
        )
        if following is not None:
            entry.status = Minutes.Status.LOCKED
            entry.approved_at = following.starts_at
            entry.approved_at_meeting = following
            entry.locked_at = following.ends_at
        minutes.append(entry)
    bulk_create_with_history(minutes, Minutes)


def _prepare_next(meeting: Meeting, secretary: User, directorates: dict) -> int:
    """The next meeting: a first item, the open action items suggested, a head's proposal."""
    services.add_agenda_item(
        meeting=meeting,
        by=secretary,
        item=AgendaItem(title="Ενημέρωση από τη Γενική Γραμματέα", duration=10),
    )
    suggested = services.suggest_agenda(meeting=meeting, by=secretary)
    # Two items on new observations, the escalated blocker, and a goal behind schedule (its
    # trend is in the pack).
    blocked = [item for item in suggested if item.source == AgendaItem.Source.BLOCKERS]
    behind = [
        item
        for item in suggested[2:]
        if item.source == AgendaItem.Source.GOALS
        and item.goals.filter(is_behind=True).exclude(target_kind="milestone").exists()
    ]
    for item in suggested[:2] + blocked[:1] + behind[:1]:
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
