"""Monitoring: allocation of goals to departments, progress updates and year-end evaluation."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.roles import signed_by
from goals.models.cycles import GoalCycle
from goals.models.goals import Goal


class GoalScopedQuerySet(models.QuerySet):
    """Rows that belong to a goal: oversight reads all, a directorate's people their own."""

    def visible_to(self, user):
        """Also what concerns the directorates they lead today (acting, or from above), and a
        cross-cutting goal's rows for the people of its participating directorates."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        mine = list({user.directorate_id, *user.headship.unit_directorate_ids} - {None})
        if not mine:
            return self.none()
        participates = Goal.participating_directorates.through.objects.filter(
            goal_id=OuterRef("goal_id"), directorate_id__in=mine
        )
        return self.filter(Q(goal__directorate_id__in=mine) | Exists(participates))


class AllocationQuerySet(GoalScopedQuerySet):
    def reportable_by(self, user) -> "AllocationQuerySet":
        """What this person reports progress on: their department's or directorate's allocations."""
        queryset = self.filter(goal__cycle__phase__in=GoalCycle.MONITORED_PHASES)
        led = user.headship
        if not (led.directorates or led.departments):
            return self.none()
        return queryset.filter(
            Q(goal__directorate_id__in=led.directorate_ids)
            | Q(department__directorate_id__in=led.directorate_ids)
            | Q(department_id__in=led.department_ids)
        )


class Allocation(models.Model):
    """A department goal (εξειδίκευση): a directorate goal's share for one department, with its
    own title, indicator and target, derived from the goal when allocated and editable by the
    head of directorate; the goal's achievement rolls up from its department goals by share."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="allocations"
    )
    department = models.ForeignKey(
        "directorates.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("The department goal, in the department's words.")
    )
    specification = models.TextField(
        _("specification"), blank=True, help_text=_("What the department does towards the goal.")
    )
    indicator = models.CharField(_("indicator"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"))
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The department's part of the goal; the shares of a goal add up to 100."),
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("allocated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    as_acting_head = models.BooleanField(
        _("as acting head"),
        default=False,
        help_text=_("Recorded by an acting head (ως αναπληρωτής)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "department__order", "department__name"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "department"],
                name="allocation_once_per_department",
                violation_error_message=_("This goal is already allocated to this department."),
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=100),
                name="allocation_share_between_0_and_100",
                violation_error_message=_("A share lies above 0 and up to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code} → {self.department}"

    @property
    def signed_by(self) -> str:
        """Who allocated it, "ως αναπληρωτής" when they did so as acting head."""
        return signed_by(self.allocated_by, as_acting_head=self.as_acting_head)


class ProgressUpdate(models.Model):
    """A measured value of a goal, or of one department's allocation, on a date."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        BEHIND = "behind", _("Behind")

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="progress_updates"
    )
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("allocation"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
        null=True,
        blank=True,
        help_text=_("Empty when the head of directorate reports on the whole goal."),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    status = models.CharField(_("status"), max_length=20, choices=Status)
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    as_acting_head = models.BooleanField(
        _("as acting head"),
        default=False,
        help_text=_("Recorded by an acting head (ως αναπληρωτής)."),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The unit the update was reported for, kept when a new internal services organisation
    # moved its goal or allocation to another unit (goals.services.reorganisation); empty while
    # the goal and allocation are still where they were then.
    recorded_directorate = models.ForeignKey(
        "directorates.Directorate",
        verbose_name=_("directorate when recorded"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    recorded_department = models.ForeignKey(
        "directorates.Department",
        verbose_name=_("department when recorded"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = GoalScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-measured_on", "-created_at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [
            models.Index(fields=["goal", "-measured_on"], name="progress_goal_latest"),
            # A department's share shows its latest value (`reports.shares_with_latest`).
            models.Index(fields=["allocation", "-measured_on"], name="progress_allocation_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code} {self.measured_on}: {self.value}"

    @property
    def unit_when_recorded(self):
        """The unit the update was reported for, as it was then (select_related `goal__directorate`,
        `allocation__department`, `recorded_directorate` and `recorded_department`)."""
        if self.allocation_id:
            return self.recorded_department or self.allocation.department
        return self.recorded_directorate or self.goal.directorate

    @property
    def signed_by(self) -> str:
        """Its author, "ως αναπληρωτής" when they recorded it as acting head."""
        return signed_by(self.author, as_acting_head=self.as_acting_head)


class GoalEvaluation(models.Model):
    """A goal's final value at year end, its achievement, and why it fell short if it did: the
    value that counts, entered by the General Secretary or confirmed from the head's submission."""

    class Source(models.TextChoices):
        DIRECT = "direct", _("Entered by the General Secretary")
        CONFIRMED = "confirmed", _("Submitted by the head, confirmed")

    goal = models.OneToOneField(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="evaluation"
    )
    final_value = models.DecimalField(_("final value"), max_digits=14, decimal_places=2)
    further_values = models.JSONField(
        _("final values of the further indicators"),
        default=dict,
        blank=True,
        help_text=_("By the indicator's id, for a goal measured by several indicators."),
    )
    achievement = models.DecimalField(
        _("achievement (%)"), max_digits=7, decimal_places=1, editable=False
    )
    justification = models.TextField(
        _("justification"), blank=True, help_text=_("Required when the goal falls short of 100%.")
    )
    source = models.CharField(
        _("recorded as"),
        max_length=20,
        choices=Source,
        default=Source.DIRECT,
        help_text=_("Entered by the General Secretary, or submitted by the head and confirmed."),
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal"]
        verbose_name = _("goal evaluation")
        verbose_name_plural = _("goal evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(achievement__gte=100) | ~Q(justification=""),
                name="evaluation_shortfall_justified",
                violation_error_message=_("Explain why the goal fell short of 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code}: {self.achievement}%"

    def save(self, *args, **kwargs):
        self.achievement = self.goal.achievement_of(self.final_value, self.further_values)
        super().save(*args, **kwargs)
