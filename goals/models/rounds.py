"""Monthly reporting rounds: the General Secretary asks every unit for the figures of a month,
the departments first, then the directorates; closing the round locks those figures, the ones
the fortnightly coordination meeting discusses.

A progress update belongs to a round by its date: the round of a month holds the updates
measured in that month (`ProgressUpdate.measured_on`), whenever they were recorded. Membership
is worked out from the period, not stored on the update, so that an update recorded before the
round was opened counts too, and nothing has to be moved when a round opens or closes. Once the
round is closed, no update measured in its month can be recorded (`record_progress` refuses),
so its figures stay as they were at closing.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.workdays import month_end
from goals.models.cycles import GoalCycle


class ReportingRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReportingRound.Status.OPEN)

    def closed(self):
        return self.filter(status=ReportingRound.Status.CLOSED)

    def covering(self, day: datetime.date):
        """The round of the month `day` falls in."""
        return self.filter(period=day.replace(day=1))


class ReportingRound(models.Model):
    """A month's reporting round (e.g. "Ιούνιος 2025"), with its due dates and its closing."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cycle = models.ForeignKey(
        GoalCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="rounds"
    )
    period = models.DateField(
        _("month reported on"), help_text=_("Stored as the first day of the month.")
    )
    department_working_days = models.PositiveSmallIntegerField(
        _("working days for the departments")
    )
    directorate_working_days = models.PositiveSmallIntegerField(
        _("working days for the directorates")
    )
    departments_due_on = models.DateField(_("departments report by"))
    directorates_due_on = models.DateField(_("directorates report by"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-period"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                name="round_once_per_month",
                violation_error_message=_("There is already a reporting round for this month."),
            ),
            models.CheckConstraint(
                condition=Q(period__day=1),
                name="round_period_is_a_month",
                violation_error_message=_("A round covers a whole month."),
            ),
            models.CheckConstraint(
                condition=Q(directorates_due_on__gt=F("departments_due_on")),
                name="round_directorates_after_departments",
                violation_error_message=_(
                    "The directorates report after their departments: their due date comes later."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True, closed_by__isnull=True)
                | Q(status="closed", closed_at__isnull=False, closed_by__isnull=False),
                name="round_closed_with_who_and_when",
                violation_error_message=_("A closed round says who closed it and when."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:round", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        """The month and year in the nominative: "Ιούνιος 2025"."""
        return date_format(self.period, "F Y")

    @property
    def period_end(self) -> datetime.date:
        return month_end(self.period)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def covers(self, day: datetime.date) -> bool:
        return self.period <= day <= self.period_end


class RoundReminder(models.Model):
    """A reminder of a round sent about one unit's missing figures: to the person who answers
    for it, then, once late, to the level above, then to the General Secretary. Each stage is
    sent once per unit and round; the row records that it was."""

    class Stage(models.TextChoices):
        DUE = "due", _("Reminder before the due date")
        TO_HEAD = "to_head", _("Escalated to the head of directorate")
        TO_SECRETARY = "to_secretary", _("Escalated to the General Secretary")

    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("reporting round"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage)
    directorate = models.ForeignKey(
        "directorates.Directorate",
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "directorates.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("round reminder")
        verbose_name_plural = _("round reminders")
        constraints = [
            models.CheckConstraint(
                condition=Q(directorate__isnull=True) ^ Q(department__isnull=True),
                name="round_reminder_one_unit",
                violation_error_message=_("A reminder concerns one directorate or department."),
            ),
            models.UniqueConstraint(
                fields=["round", "stage", "directorate"],
                condition=Q(directorate__isnull=False),
                name="round_reminder_once_per_directorate",
                violation_error_message=_("This reminder was sent already."),
            ),
            models.UniqueConstraint(
                fields=["round", "stage", "department"],
                condition=Q(department__isnull=False),
                name="round_reminder_once_per_department",
                violation_error_message=_("This reminder was sent already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_stage_display()} · {self.unit}"

    @property
    def unit(self):
        return self.department or self.directorate
