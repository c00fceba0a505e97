from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models.goals import Goal


class GoalBlockerQuerySet(models.QuerySet):
    def unresolved(self) -> "GoalBlockerQuerySet":
        return self.exclude(status=GoalBlocker.Status.RESOLVED)


class GoalBlocker(models.Model):
    """A risk or a blocker a head raises on a goal: what, its impact, since when, the help
    needed; resolved, or escalated to the General Secretary's coordination meeting."""

    class Kind(models.TextChoices):
        RISK = "risk", _("Risk")
        BLOCKER = "blocker", _("Blocker")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="blockers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.BLOCKER)
    description = models.TextField(_("what stands in the way"))
    impact = models.TextField(_("impact on the goal"))
    since = models.DateField(_("since"))
    help_needed = models.TextField(_("help needed"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)

    history = HistoricalRecords()
    objects = GoalBlockerQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("risk or blocker")
        verbose_name_plural = _("risks and blockers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                name="goalblocker_resolved_when",
                violation_error_message=_("A resolved blocker records when it was resolved."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code}: {self.description[:80]}"

    def get_absolute_url(self) -> str:
        return f"{self.goal.get_absolute_url()}#blocker-{self.pk}"

    @property
    def is_unresolved(self) -> bool:
        return self.status != self.Status.RESOLVED
