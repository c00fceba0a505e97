"""The goal setting of one year and its phases."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class GoalCycleQuerySet(models.QuerySet):
    def current(self) -> "GoalCycle | None":
        """The cycle people work on: the latest one not closed, else the latest one."""
        return (
            self.exclude(phase=GoalCycle.Phase.CLOSED).order_by("-year").first()
            or self.order_by("-year").first()
        )


class GoalCycle(models.Model):
    """The goal setting of one year (evaluation period), moving through its phases in order."""

    class Phase(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        CONSULTATION = "consultation", _("Consultation")
        ADOPTED = "adopted", _("Adopted")
        ALLOCATION = "allocation", _("Allocation")
        MONITORING = "monitoring", _("Monitoring")
        EVALUATION = "evaluation", _("Evaluation")
        CLOSED = "closed", _("Closed")

    # While goals are drafted or consulted on, heads may propose goals and edit their proposals.
    PROPOSAL_PHASES = (Phase.DRAFTING, Phase.CONSULTATION)
    # Once allocated, the goals are monitored: progress is reported, amendments are made.
    MONITORED_PHASES = (Phase.ALLOCATION, Phase.MONITORING)

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase, default=Phase.DRAFTING)
    consultation_opens_on = models.DateField(_("consultation opens on"), null=True, blank=True)
    consultation_closes_on = models.DateField(_("consultation closes on"), null=True, blank=True)
    # The revision window the Ministry's yearly circular sets: amendments dated outside it need
    # the General Secretary's recorded override (`MayoralDecision.window_overridden_by`).
    revision_opens_on = models.DateField(_("revision opens on"), null=True, blank=True)
    revision_closes_on = models.DateField(_("revision closes on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Published on the public pages and as open data by the General Secretary, who may withdraw
    # it; the last publication and the last withdrawal, with who made them (and the history).
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()
    objects = GoalCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("goal-setting cycle")
        verbose_name_plural = _("goal-setting cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="goalcycle_year_plausible",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(consultation_opens_on__isnull=True)
                | Q(consultation_closes_on__isnull=True)
                | Q(consultation_closes_on__gte=F("consultation_opens_on")),
                name="goalcycle_consultation_closes_after_opening",
                violation_error_message=_("The consultation cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(revision_opens_on__isnull=True)
                | Q(revision_closes_on__isnull=True)
                | Q(revision_closes_on__gte=F("revision_opens_on")),
                name="goalcycle_revision_closes_after_opening",
                violation_error_message=_("The revision window cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return _("Goal setting %(year)s") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("goals:list") + f"?cycle={self.pk}"

    @property
    def next_phase(self) -> str | None:
        """The phase that follows this one, or None when the cycle is closed."""
        phases = list(self.Phase.values)
        position = phases.index(self.phase)
        return phases[position + 1] if position + 1 < len(phases) else None

    @property
    def next_phase_label(self) -> str:
        return self.Phase(self.next_phase).label if self.next_phase else ""

    @property
    def accepts_proposals(self) -> bool:
        return self.phase in self.PROPOSAL_PHASES

    @property
    def is_adopted(self) -> bool:
        """The Mayor's decision adopted its goals: from the phase "adopted" on."""
        return self.phase not in self.PROPOSAL_PHASES

    @property
    def is_monitored(self) -> bool:
        return self.phase in self.MONITORED_PHASES

    def is_consultation_open(self, today: date | None = None) -> bool:
        """In the consultation phase and within its dates (either date may be left open)."""
        today = today or timezone.localdate()
        if self.phase != self.Phase.CONSULTATION:
            return False
        if self.consultation_opens_on and today < self.consultation_opens_on:
            return False
        return not (self.consultation_closes_on and today > self.consultation_closes_on)

    @property
    def has_revision_window(self) -> bool:
        return bool(self.revision_opens_on or self.revision_closes_on)

    def is_within_revision_window(self, day: date) -> bool:
        """Whether an amendment dated `day` falls in the revision window (either date may be
        left open); a cycle with no window set has none to keep, so every day is within it."""
        if self.revision_opens_on and day < self.revision_opens_on:
            return False
        return not (self.revision_closes_on and day > self.revision_closes_on)
