"""Year end: the final values the heads of directorates submit, with their evidence, for the
General Secretary to confirm or return. Only a confirmed value (or one the General Secretary
enters directly) becomes the goal's `GoalEvaluation`, which is what counts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from goals.models.goals import Goal
from goals.uploads import KINDS_BY_EXTENSION, random_name


class SubmissionQuerySet(models.QuerySet):
    """Read as the goals they are about are followed: oversight all, a directorate its own."""

    def visible_to(self, user) -> "SubmissionQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.directorate_id:
            return self.filter(goal__directorate_id=user.directorate_id)
        return self.none()


class FinalValueSubmission(models.Model):
    """A head of directorate's final value of one goal, with an explanation and evidence."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Saved, not submitted")
        SUBMITTED = "submitted", pgettext_lazy("final value", "Submitted")
        RETURNED = "returned", pgettext_lazy("final value", "Returned")
        CONFIRMED = "confirmed", pgettext_lazy("final value", "Confirmed")

    # The head edits the submission in these states; the General Secretary reviews SUBMITTED.
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    goal = models.OneToOneField(
        Goal,
        verbose_name=_("goal"),
        on_delete=models.PROTECT,
        related_name="final_value_submission",
    )
    final_value = models.DecimalField(_("final value"), max_digits=14, decimal_places=2)
    further_values = models.JSONField(
        _("final values of the further indicators"),
        default=dict,
        blank=True,
        help_text=_("By the indicator's id, for a goal measured by several indicators."),
    )
    explanation = models.TextField(
        _("explanation"), help_text=_("How the value was measured, and why it fell short if so.")
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Goes up with every change, to detect stale pages.")
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["goal__directorate__order", "goal__code"]
        verbose_name = _("submitted final value")
        verbose_name_plural = _("submitted final values")
        indexes = [models.Index(fields=["state"], name="final_value_state")]

    def __str__(self) -> str:
        return f"{self.goal.code}: {self.final_value} ({self.get_state_display()})"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES


def evidence_path(instance, filename: str) -> str:
    """A random name with the extension of the kind the file was found to be."""
    return random_name("evidence", KINDS_BY_EXTENSION[instance.kind])


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvidenceQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.directorate_id:
            return self.filter(submission__goal__directorate_id=user.directorate_id)
        return self.none()


class FinalValueEvidence(models.Model):
    """One file in evidence of a submitted final value (a PDF, a picture, an office document)."""

    submission = models.ForeignKey(
        FinalValueSubmission,
        verbose_name=_("submitted final value"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name

    @property
    def content_type(self) -> str:
        return KINDS_BY_EXTENSION[self.kind].content_type
