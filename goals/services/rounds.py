"""Monthly reporting rounds: opening one with its due dates, following who has reported,
reminding and escalating, and closing it, which locks the figures of its month.

Which updates a round holds is worked out from their date (`goals.models.rounds`): the updates
measured in its month. A department answers for its allocations (one update each), by its
due date; a directorate, by its later due date, for each of its goals: measured as a whole by
its head, or through all the departments it is allocated to (`with_answers`).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.headship import InCharge, departments_in_charge_of, in_charge_of
from directorates.models import Department, Directorate, User
from directorates.roles import Role
from directorates.workdays import add_working_days, due_after, local_holidays
from goals import tasks
from goals.models import Allocation, Goal, GoalCycle, ProgressUpdate, ReportingRound, RoundReminder
from goals.rules import may_manage_rounds

# The reminder before the due date goes out once this many working days are left.
REMIND_WORKING_DAYS_BEFORE = 2


# --- Opening and closing ------------------------------------------------------------------------
def due_dates(
    period: datetime.date, department_days: int, directorate_days: int
) -> tuple[datetime.date, datetime.date]:
    """The departments' and the directorates' due dates, in working days after the month."""
    local = local_holidays()
    return due_after(period, department_days, local), due_after(period, directorate_days, local)


def open_round(
    *, by: User, period: datetime.date, department_working_days: int, directorate_working_days: int
) -> ReportingRound:
    """Open the reporting round of a month of a monitored cycle: the departments report within
    `department_working_days` working days after the month, the directorates later."""
    if not may_manage_rounds(by):
        raise ValidationError(_("Only the General Secretary opens a reporting round."))
    period = period.replace(day=1)
    if not 0 < department_working_days < directorate_working_days:
        raise ValidationError(
            _(
                "The departments report first: give them at least one working day, and the "
                "directorates more working days than their departments."
            )
        )
    if period > timezone.localdate():
        raise ValidationError(_("A round is opened for a month that has begun."))
    cycle = GoalCycle.objects.filter(year=period.year, phase__in=GoalCycle.MONITORED_PHASES).first()
    if cycle is None:
        raise ValidationError(
            _("There is no cycle of %(year)s whose goals are monitored.") % {"year": period.year}
        )
    departments_due_on, directorates_due_on = due_dates(
        period, department_working_days, directorate_working_days
    )
    round_ = ReportingRound(
        cycle=cycle,
        period=period,
        department_working_days=department_working_days,
        directorate_working_days=directorate_working_days,
        departments_due_on=departments_due_on,
        directorates_due_on=directorates_due_on,
        opened_by=by,
    )
    round_._history_user = by
    if ReportingRound.objects.filter(period=period).exists():
        raise ValidationError(
            _("There is already a reporting round for %(month)s.") % {"month": round_.title},
            code="round_exists",
        )
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError:  # opened by someone else at the same moment
        raise ValidationError(
            _("There is already a reporting round for %(month)s.") % {"month": round_.title},
            code="round_exists",
        ) from None
    return round_


def close_round(*, round_: ReportingRound, by: User) -> ReportingRound:
    """Close a round once its month is over: the updates measured in it are locked."""
    if not may_manage_rounds(by):
        raise ValidationError(_("Only the General Secretary closes a reporting round."))
    with transaction.atomic():
        round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
        if round_.is_closed:
            raise ValidationError(_("This round is closed already."))
        if round_.period_end >= timezone.localdate():
            raise ValidationError(
                _("A round closes after its month is over: %(month)s is not.")
                % {"month": round_.title}
            )
        round_.status = ReportingRound.Status.CLOSED
        round_.closed_by = by
        round_.closed_at = timezone.now()
        round_._history_user = by
        round_.save()
    return round_


def refuse_closed_round(measured_on: datetime.date) -> None:
    """Refuse a measurement dated in the month of a closed round (inside `record_progress`)."""
    closed = ReportingRound.objects.closed().covering(measured_on).first()
    if closed is not None:
        raise ValidationError(
            _(
                "The reporting round %(month)s is closed: its figures are locked, and no "
                "measurement dated in %(month)s can be recorded any more."
            )
            % {"month": closed.title},
            code="measured_in_closed_round",
        )


# --- Who has reported ---------------------------------------------------------------------------
@dataclass
class UnitReport:
    """A unit's answer to a round: how many updates it owes, has given, and how many late."""

    unit: Directorate | Department
    expected: int
    reported: int
    late: int
    due_on: datetime.date
    answers: InCharge | None
    today: datetime.date

    @property
    def missing(self) -> int:
        return self.expected - self.reported

    @property
    def state(self) -> str:
        """reported, reported_late (after the due date), late (still missing after the due
        date) or awaited (missing, still in time)."""
        if not self.missing:
            return "reported_late" if self.late else "reported"
        return "late" if self.today > self.due_on else "awaited"


STATE_LABELS = {
    "reported": _("Reported"),
    "reported_late": _("Reported late"),
    "late": _("Late"),
    "awaited": _("Awaited"),
}


def _first_in_period(round_: ReportingRound, **scope) -> Subquery:
    """When the first update of the round's month was recorded, for the outer row."""
    return Subquery(
        ProgressUpdate.objects.filter(
            measured_on__range=(round_.period, round_.period_end), **scope
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )


def _day_after(day: datetime.date) -> datetime.datetime:
    """The first moment after a due date, in the municipality's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def with_answers(round_: ReportingRound, goals):
    """These goals with whether their figure of the round's month is in. A directorate answers
    for each of its goals: measured as a whole by its head (`whole_at`, when first recorded), or
    through every department the goal is allocated to, the departments having reported first
    (`shares_at`, when the last of them recorded). Filter with `ANSWERED`."""
    in_month = ProgressUpdate.objects.filter(measured_on__range=(round_.period, round_.period_end))
    share_unanswered = Allocation.objects.filter(goal=OuterRef("pk")).exclude(
        Exists(in_month.filter(allocation=OuterRef("pk")))
    )
    return goals.annotate(
        whole_at=Subquery(
            in_month.filter(goal=OuterRef("pk"), allocation__isnull=True)
            .order_by("created_at")
            .values("created_at")[:1]
        ),
        shares_at=Subquery(
            in_month.filter(goal=OuterRef("pk"), allocation__isnull=False)
            .order_by("-created_at")
            .values("created_at")[:1]
        ),
        allocated=Exists(Allocation.objects.filter(goal=OuterRef("pk"))),
        share_missing=Exists(share_unanswered),
    )


# A goal's figure of the month is in (on a queryset from `with_answers`).
ANSWERED = Q(whole_at__isnull=False) | Q(allocated=True, share_missing=False)


def round_tracker(round_: ReportingRound, today: datetime.date | None = None) -> list[dict]:
    """Per directorate (ordered as the chart), its own report on its goals and its departments'
    on their allocations, with who answers for each unit today. A fixed number of queries
    (counted in the database), whatever the number of units and goals."""
    today = today or timezone.localdate()
    goals = Goal.objects.filter(cycle=round_.cycle, status=Goal.Status.ADOPTED)
    directorates_late = _day_after(round_.directorates_due_on)
    by_directorate = {
        row["directorate_id"]: row
        for row in with_answers(round_, goals)
        .order_by()
        .values("directorate_id")
        .annotate(
            expected=Count("pk"),
            reported=Count("pk", filter=ANSWERED),
            late=Count(
                "pk",
                filter=Q(whole_at__gte=directorates_late)
                | (Q(whole_at__isnull=True, shares_at__gte=directorates_late) & ANSWERED),
            ),
        )
    }
    by_department = {
        row["department_id"]: row
        for row in Allocation.objects.filter(goal__in=goals)
        .annotate(first_at=_first_in_period(round_, allocation=OuterRef("pk")))
        .order_by()
        .values("department_id")
        .annotate(
            expected=Count("pk"),
            reported=Count("first_at"),
            late=Count("pk", filter=Q(first_at__gte=_day_after(round_.departments_due_on))),
        )
    }
    departments = list(
        Department.objects.filter(pk__in=by_department)
        .select_related("head", "directorate__head")
        .order_by("order", "name")
    )
    directorate_ids = set(by_directorate) | {d.directorate_id for d in departments}
    directorates = list(
        Directorate.objects.filter(pk__in=directorate_ids)
        .select_related("head")
        .order_by("order", "name")
    )
    answering = in_charge_of(directorates, on=today)
    answering_departments = departments_in_charge_of(departments, on=today)

    def report(unit, row, due_on, answers):
        return UnitReport(
            unit=unit,
            expected=row["expected"],
            reported=row["reported"],
            late=row["late"],
            due_on=due_on,
            answers=answers.get(unit.pk),
            today=today,
        )

    groups = []
    for directorate in directorates:
        row = by_directorate.get(directorate.pk)
        groups.append(
            {
                "directorate": directorate,
                "report": row and report(directorate, row, round_.directorates_due_on, answering),
                "departments": [
                    report(
                        department,
                        by_department[department.pk],
                        round_.departments_due_on,
                        answering_departments,
                    )
                    for department in departments
                    if department.directorate_id == directorate.pk
                ],
            }
        )
    return groups


def tracker_totals(groups: list[dict]) -> dict[str, int]:
    """How many units are in each state."""
    totals = dict.fromkeys(STATE_LABELS, 0)
    for group in groups:
        for unit_report in [group["report"], *group["departments"]]:
            if unit_report:
                totals[unit_report.state] += 1
    return totals


# --- Reminders ----------------------------------------------------------------------------------
def _reminders_due(
    round_: ReportingRound, groups: list[dict], today: datetime.date, secretary: User | None
) -> list[RoundReminder]:
    """The reminders of a round that today calls for, whether sent already or not."""
    local = local_holidays()
    due = []

    def remind(stage, unit_report, recipient):
        if recipient is None or not recipient.is_active:
            return
        unit = unit_report.unit
        key = {"department": unit} if isinstance(unit, Department) else {"directorate": unit}
        due.append(RoundReminder(round=round_, stage=stage, recipient=recipient, **key))

    def before_due(due_on):
        return today <= due_on <= add_working_days(today, REMIND_WORKING_DAYS_BEFORE, local)

    for group in groups:
        directorate_report = group["report"]
        head = directorate_report.answers if directorate_report else None
        for unit_report in group["departments"]:
            if not unit_report.missing:
                continue
            if before_due(round_.departments_due_on) and unit_report.answers:
                remind(RoundReminder.Stage.DUE, unit_report, unit_report.answers.person)
            if today > round_.departments_due_on:
                above = head or in_charge_of([group["directorate"]], on=today).get(
                    group["directorate"].pk
                )
                remind(RoundReminder.Stage.TO_HEAD, unit_report, above and above.person)
            if today > round_.directorates_due_on:
                remind(RoundReminder.Stage.TO_SECRETARY, unit_report, secretary)
        if directorate_report and directorate_report.missing:
            if before_due(round_.directorates_due_on) and head:
                remind(RoundReminder.Stage.DUE, directorate_report, head.person)
            if today > round_.directorates_due_on:
                remind(RoundReminder.Stage.TO_SECRETARY, directorate_report, secretary)
    return due


def send_round_reminders(*, today: datetime.date | None = None, dry_run: bool = False) -> int:
    """Remind, for each open round, whoever answers for a unit with missing figures (before and
    on its due date), then its head of directorate (after the departments' due date), then the
    General Secretary (after the directorates'). Each reminder goes once per unit, round and
    stage: the sent ones are recorded and skipped next time. Returns how many are new."""
    today = today or timezone.localdate()
    secretary = (
        User.objects.filter(is_active=True, groups__name=Role.GENERAL_SECRETARY)
        .order_by("pk")
        .first()
    )
    created = 0
    for round_ in ReportingRound.objects.open().select_related("cycle").order_by("period"):
        with transaction.atomic():
            round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
            sent = {
                (stage, directorate_id, department_id)
                for stage, directorate_id, department_id in round_.reminders.values_list(
                    "stage", "directorate_id", "department_id"
                )
            }
            new = [
                reminder
                for reminder in _reminders_due(
                    round_, round_tracker(round_, today), today, secretary
                )
                if (reminder.stage, reminder.directorate_id, reminder.department_id) not in sent
            ]
            created += len(new)
            if dry_run or not new:
                continue
            saved = RoundReminder.objects.bulk_create(new)
            by_recipient: dict[int, list[int]] = {}
            for reminder in saved:
                by_recipient.setdefault(reminder.recipient_id, []).append(reminder.pk)
            for recipient_id, reminder_ids in by_recipient.items():
                transaction.on_commit(
                    lambda r=recipient_id, ids=reminder_ids: tasks.send_round_reminder.enqueue(
                        recipient_id=r, reminder_ids=ids
                    )
                )
    return created


# --- What a person owes --------------------------------------------------------------------------
def updates_due(user) -> list[dict]:
    """For each open round, the updates this person owes: a head of department their
    department's allocations, a head of directorate their goals as a whole; each without an
    update measured in the round's month. Two queries per open round (usually one round)."""
    led = user.headship
    if not (led.directorates or led.departments):
        return []
    owed = []
    for round_ in ReportingRound.objects.open().order_by("period"):
        in_period = {"measured_on__range": (round_.period, round_.period_end)}
        goals = with_answers(
            round_,
            Goal.objects.filter(
                cycle_id=round_.cycle_id,
                status=Goal.Status.ADOPTED,
                directorate_id__in=led.directorate_ids,
            ),
        ).exclude(ANSWERED)
        allocations = (
            Allocation.objects.filter(
                goal__cycle_id=round_.cycle_id,
                goal__status=Goal.Status.ADOPTED,
                department_id__in=led.department_ids,
            )
            .exclude(
                pk__in=ProgressUpdate.objects.filter(allocation__isnull=False, **in_period).values(
                    "allocation_id"
                )
            )
            .select_related("goal", "department")
        )
        if led.department_ids:
            allocations = list(allocations.order_by("goal__code", "department__name"))
        else:
            allocations = []
        goals = list(goals.order_by("code")) if led.directorate_ids else []
        if goals:
            owed.append({"round": round_, "due_on": round_.directorates_due_on, "goals": goals})
        if allocations:
            owed.append(
                {"round": round_, "due_on": round_.departments_due_on, "allocations": allocations}
            )
    return owed


# --- What the coordination meeting discusses ---------------------------------------------------
def latest_closed_round(on: datetime.date) -> ReportingRound | None:
    """The round whose figures a meeting on `on` discusses: the latest one closed by then."""
    return (
        ReportingRound.objects.closed()
        .filter(closed_at__date__lte=on)
        .select_related("closed_by")
        .order_by("-period")
        .first()
    )


def round_figures(round_: ReportingRound, goal_ids) -> list[Goal]:
    """These goals with the figure of the round: the latest value of the whole goal measured
    in its month (`round_value`, `round_status`, `round_measured_on`; None when it has none).
    One query, whatever their number."""
    in_month = ProgressUpdate.objects.filter(
        goal=OuterRef("pk"),
        allocation__isnull=True,
        measured_on__range=(round_.period, round_.period_end),
    ).order_by("-measured_on", "-created_at", "-pk")
    goals = list(
        Goal.objects.filter(pk__in=goal_ids)
        .select_related("directorate")
        .annotate(
            round_value=Subquery(in_month.values("value")[:1]),
            round_status=Subquery(in_month.values("status")[:1]),
            round_measured_on=Subquery(in_month.values("measured_on")[:1]),
        )
        .order_by("directorate__order", "code")
    )
    labels = dict(ProgressUpdate.Status.choices)
    for goal in goals:
        goal.round_status_label = labels.get(goal.round_status, "")
    return goals
