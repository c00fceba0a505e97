"""Observations of the heads of directorates on the proposed goals, and their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.roles import signed_by
from goals.models.cycles import GoalCycle
from goals.models.goals import Goal


class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ObservationQuerySet":
        """The author's directorate reads them (and whoever leads it today); so do the Mayor,
        deputies, the GS and admins."""
        if user.sees_everything:
            return self
        if not user.is_authenticated:
            return self.none()
        mine = {user.directorate_id, *user.headship.directorates} - {None}
        return self.filter(directorate_id__in=mine) if mine else self.none()

    def current(self) -> "ObservationQuerySet":
        cycle = GoalCycle.objects.current()
        return self.filter(cycle=cycle) if cycle else self.none()

    def pending(self) -> "ObservationQuerySet":
        return self.filter(status=Observation.Status.PENDING)

    def answered(self) -> "ObservationQuerySet":
        return self.exclude(status=Observation.Status.PENDING)

    def not_yet_in_digest(self) -> "ObservationQuerySet":
        return self.filter(digest_sent_at__isnull=True)


class Observation(models.Model):
    """A head's observation (παρατήρηση) on a goal, or on their directorate's goal set."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
        REJECTED = "rejected", _("Rejected")
        NOTED = "noted", _("Noted")

    cycle = models.ForeignKey(
        GoalCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="observations"
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        on_delete=models.PROTECT,
        related_name="observations",
        null=True,
        blank=True,
        help_text=_("Empty for a general observation on the directorate's goal set."),
    )
    directorate = models.ForeignKey(
        "directorates.Directorate",
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="observations",
        help_text=_("The author's directorate."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    as_acting_head = models.BooleanField(
        _("as acting head"),
        default=False,
        help_text=_("Recorded by an acting head (ως αναπληρωτής)."),
    )
    text = models.TextField(_("observation"))
    proposed_title = models.CharField(_("proposed wording"), max_length=300, blank=True)
    proposed_indicator = models.CharField(_("proposed indicator"), max_length=300, blank=True)
    proposed_target = models.DecimalField(
        _("proposed target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    proposed_deadline = models.DateField(_("proposed deadline"), null=True, blank=True)
    status = models.CharField(_("answer"), max_length=20, choices=Status, default=Status.PENDING)
    reply = models.TextField(_("reply"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="answered_observations",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    applied = models.BooleanField(
        _("applied to the goal"),
        default=False,
        help_text=_("The proposed change was written into the goal."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    digest_sent_at = models.DateTimeField(
        _("included in a digest at"),
        null=True,
        blank=True,
        help_text=_("When the General Secretary's daily digest reported it."),
    )

    history = HistoricalRecords(excluded_fields=["digest_sent_at"])
    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [
            # The General Secretary's queue (the oldest waiting first) and its counts.
            models.Index(
                fields=["cycle", "status", "submitted_at", "id"], name="observation_queue"
            ),
            # A directorate's own observations in a cycle, the latest first.
            models.Index(
                fields=["directorate", "cycle", "-submitted_at", "-id"],
                name="observation_by_directorate",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="observation_text_required",
                violation_error_message=_("Write the observation."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="observation_answered_at_matches_status",
                violation_error_message=_("An answered observation records when it was answered."),
            ),
            models.CheckConstraint(
                condition=Q(applied=False) | Q(status__in=["accepted", "partly_accepted"]),
                name="observation_applied_only_when_accepted",
                violation_error_message=_("Only an accepted observation can be applied."),
            ),
            models.CheckConstraint(
                condition=Q(goal__isnull=False)
                | Q(
                    proposed_title="",
                    proposed_indicator="",
                    proposed_target__isnull=True,
                    proposed_deadline__isnull=True,
                ),
                name="observation_general_proposes_no_change",
                violation_error_message=_(
                    "A general observation cannot propose a change to one goal."
                ),
            ),
        ]

    def __str__(self) -> str:
        about = self.goal.code if self.goal_id else _("general")
        return _("Observation %(pk)s (%(about)s)") % {"pk": self.pk, "about": about}

    def get_absolute_url(self) -> str:
        return reverse("goals:observation", kwargs={"pk": self.pk})

    @property
    def signed_by(self) -> str:
        """Its author, "ως αναπληρωτής" when they submitted it as acting head."""
        return signed_by(self.author, as_acting_head=self.as_acting_head)

    @property
    def is_general(self) -> bool:
        return self.goal_id is None

    @property
    def is_answered(self) -> bool:
        return self.status != self.Status.PENDING

    @property
    def proposes_change(self) -> bool:
        return bool(
            self.proposed_title
            or self.proposed_indicator
            or self.proposed_target is not None
            or self.proposed_deadline
        )

    @property
    def proposed_changes(self) -> dict[str, object]:
        """The goal fields this observation would change, and their proposed values."""
        changes = {
            "title": self.proposed_title,
            "indicator": self.proposed_indicator,
            "target": self.proposed_target,
            "deadline": self.proposed_deadline,
        }
        return {field: value for field, value in changes.items() if value not in ("", None)}
