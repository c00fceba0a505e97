import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates import workdays
from directorates.models import ActingHead, Directorate, User
from directorates.roles import Role
from meetings import schedule

DEFAULT_PLACE = "Αίθουσα εκδηλώσεων Βικελαίας Δημοτικής Βιβλιοθήκης"
DEFAULT_TITLE = "Συντονιστική σύσκεψη προϊσταμένων"


class MeetingSeries(models.Model):
    """A recurring coordination meeting: first date, time, place, how often and until when."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weeks")
        DAILY = "daily", _("days")

    title = models.CharField(_("title"), max_length=200, default=DEFAULT_TITLE)
    first_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"), default=datetime.time(10, 0))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    place = models.CharField(_("place"), max_length=200, default=DEFAULT_PLACE)
    interval = models.PositiveSmallIntegerField(_("every"), default=2)
    frequency = models.CharField(
        _("unit"), max_length=10, choices=Frequency, default=Frequency.WEEKLY
    )
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of meetings"), null=True, blank=True)
    mayor_monthly = models.BooleanField(
        _("the Mayor attends the first meeting of each month"), default=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_date"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=False, count__isnull=True)
                | Q(until__isnull=True, count__isnull=False),
                name="meetingseries_one_end",
                violation_error_message=_(
                    "End the series either on a date or after a number of meetings."
                ),
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1),
                name="meetingseries_interval_positive",
                violation_error_message=_("The interval must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("first_date")),
                name="meetingseries_until_after_first",
                violation_error_message=_("The last date cannot be before the first date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.first_date:%Y})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:series_detail", kwargs={"pk": self.pk})

    def planned_dates(self) -> list[datetime.date]:
        """The dates the recurrence rule gives, before holidays and weekends move them."""
        return schedule.occurrences(
            first=self.first_date,
            interval=self.interval,
            daily=self.frequency == self.Frequency.DAILY,
            until=self.until,
            count=self.count,
        )


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(date__gte=timezone.localdate()).exclude(status=Meeting.Status.CANCELLED)

    def invited(self, user: User):
        """Meetings the person is invited to (see `Meeting.invitees`)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if (
            user.has_role(Role.GENERAL_SECRETARY, Role.DEPUTY_MAYOR)
            or Directorate.objects.active().filter(head=user).exists()
        ):
            return self.all()
        # An acting head of a directorate, to the meetings held while the appointment is in force.
        acting = ActingHead.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("date")),
            person=user,
            directorate__is_active=True,
            starts_on__lte=OuterRef("date"),
        )
        invited = Q(extra_invitees=user) | Q(rsvps__deputy=user) | Q(Exists(acting))
        if user.is_mayor:
            invited |= Q(mayor_attends=True)
        return self.filter(pk__in=self.filter(invited).values("pk"))

    def visible_to(self, user: User):
        """The Mayor, deputies, the General Secretary and admins see every meeting."""
        if user.is_authenticated and user.sees_everything:
            return self.all()
        return self.invited(user)


class Meeting(models.Model):
    """One coordination meeting (σύσκεψη), usually one occurrence of a series."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, default=DEFAULT_TITLE)
    planned_date = models.DateField(_("planned date"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"))
    place = models.CharField(_("place"), max_length=200)
    mayor_attends = models.BooleanField(_("the Mayor attends"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SCHEDULED)
    edited_by_hand = models.BooleanField(
        _("edited by hand"),
        default=False,
        help_text=_("Changes to the series leave a meeting edited by hand alone."),
    )
    change_reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    extra_invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extra invitees"),
        blank=True,
        related_name="extra_meetings",
    )
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    # Bumped on every change that calendar programs must pick up (RFC 5545 SEQUENCE).
    calendar_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence"],
                condition=Q(series__isnull=False),
                name="meeting_unique_occurrence",
                violation_error_message=_("The series already has this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(duration__gte=5, duration__lte=600),
                name="meeting_duration_range",
                violation_error_message=_("A meeting lasts between 5 and 600 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(
            self.date, self.start_time, tzinfo=timezone.get_default_timezone()
        )

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration)

    @property
    def calendar_uid(self) -> str:
        return f"meeting-{self.pk}@stoxothesia"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def was_moved(self) -> bool:
        """Moved off its planned date by the calendar (not by hand)."""
        return self.planned_date != self.date and not self.edited_by_hand

    @property
    def move_reason(self) -> str:
        """Why the planned date was not kept: the names of the holidays (or the weekend) it
        was moved past, joined ("Christmas Day, Glorifying Mother of God"); "" if kept. The
        municipality's local holidays as `with_local_holidays` gave them, else read now."""
        if not self.was_moved:
            return ""
        local = getattr(self, "local_holidays", None)
        if local is None:
            local = workdays.local_holidays()
        return workdays.reasons_between(self.planned_date, self.date, local)

    def invitees(self):
        """The General Secretary, the deputies, the heads of directorates (and their acting
        heads in force on the meeting's day), the Mayor when attending, the meeting's extra
        invitees, and the deputies heads send in their place."""
        roles = [Role.GENERAL_SECRETARY, Role.DEPUTY_MAYOR]
        if self.mayor_attends:
            roles.append(Role.MAYOR)
        # Each way of being invited read on its own index, then joined: one condition over
        # every person's row would read the whole staff of the municipality.
        memberships = User.groups.through.objects.filter(group__name__in=roles)
        extra = Meeting.extra_invitees.through.objects.filter(meeting=self)
        deputies = self.rsvps.filter(deputy__isnull=False)
        acting = ActingHead.objects.in_force(self.date).filter(directorate__is_active=True)
        people = memberships.values_list("user_id").union(
            Directorate.objects.filter(is_active=True, head__isnull=False).values_list("head_id"),
            acting.values_list("person_id"),
            extra.values_list("user_id"),
            deputies.values_list("deputy_id"),
        )
        return User.objects.filter(pk__in=people, is_active=True).select_related("directorate")


class AgendaItemQuerySet(models.QuerySet):
    def on_agenda(self):
        return self.filter(status=AgendaItem.Status.ACCEPTED)

    def proposed(self):
        """Items waiting for the General Secretary to accept or decline them."""
        return self.filter(status=AgendaItem.Status.PROPOSED)


class AgendaItem(models.Model):
    """An item on a meeting's agenda (θέμα ημερήσιας διάταξης), with its part of the minutes."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("On the agenda")
        DECLINED = "declined", _("Declined")

    class Source(models.TextChoices):
        """Where a suggested item came from; empty for an item a person wrote."""

        OBSERVATIONS = "observations", _("new observations")
        GOALS = "goals", _("goals needing attention")
        ACTIONS = "actions", _("open action items")
        BLOCKERS = "blockers", _("risks and blockers")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duration = models.PositiveSmallIntegerField(_("estimated duration (minutes)"), default=10)
    directorates = models.ManyToManyField(
        Directorate, verbose_name=_("directorates"), blank=True, related_name="agenda_items"
    )
    goals = models.ManyToManyField(
        "goals.Goal", verbose_name=_("goals"), blank=True, related_name="agenda_items"
    )
    observations = models.ManyToManyField(
        "goals.Observation",
        verbose_name=_("observations"),
        blank=True,
        related_name="agenda_items",
    )
    action_item = models.ForeignKey(
        "ActionItem",
        verbose_name=_("action item followed up"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACCEPTED)
    source = models.CharField(_("suggested from"), max_length=20, choices=Source, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    discussion = models.TextField(_("discussion"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    history = HistoricalRecords()
    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=1, duration__lte=240),
                name="agendaitem_duration_range",
                violation_error_message=_("An item takes between 1 and 240 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Minutes(models.Model):
    """The minutes (πρακτικό) of a meeting: draft → circulated → approved → locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated")
        APPROVED = "approved", _("Approved")
        LOCKED = "locked", _("Locked")

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    notes = models.TextField(_("general notes"), blank=True)
    # Checked on every save so that two people editing at once cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=1)
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at the meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
    )
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "locked"])
                | Q(approved_at_meeting__isnull=False),
                name="minutes_approved_at_a_meeting",
                violation_error_message=_("Approved minutes name the meeting that approved them."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})

    def get_absolute_url(self) -> str:
        return reverse("meetings:minutes", kwargs={"pk": self.meeting_id})

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.CIRCULATED}


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionItem.Status.OPEN)

    def pending_on(self, date: datetime.date):
        """Items decided before `date` that were still open on it."""
        return self.filter(meeting__date__lt=date).filter(
            Q(status=ActionItem.Status.OPEN) | Q(completed_on__gte=date)
        )

    def visible_to(self, user: User):
        if user.is_authenticated and user.sees_everything:
            return self.all()
        if not user.is_authenticated:
            return self.none()
        # Their directorate's, and those of the directorates they lead today.
        mine = {user.directorate_id, *user.headship.directorates} - {None}
        return self.filter(directorate_id__in=mine) if mine else self.none()


class ActionItem(models.Model):
    """An action (ενέργεια) decided at a meeting, owned by a directorate, due by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("decided at"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_actions",
    )
    description = models.TextField(_("description"))
    directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("owning directorate"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", completed_on__isnull=True)
                | (~Q(status="open") & Q(completed_on__isnull=False)),
                name="actionitem_completed_when_closed",
                violation_error_message=_("A closed action item records when it was closed."),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_items")

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


class Attendance(models.Model):
    """Whether one invitee was present at a meeting."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="attendance_once_per_person",
                violation_error_message=_("This person's attendance is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address: whoever knows the token reads their meetings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("meetings:feed", kwargs={"token": self.token})


def with_local_holidays(meetings) -> list[Meeting]:
    """The meetings of a list, each able to say why it was moved (`move_reason`): the
    municipality's local holidays read once for them all, and only if one of them was moved."""
    meetings = list(meetings)
    if any(meeting.was_moved for meeting in meetings):
        local = workdays.local_holidays()
        for meeting in meetings:
            meeting.local_holidays = local
    return meetings
