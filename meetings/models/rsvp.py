from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models.meetings import Meeting


class Rsvp(models.Model):
    """An invitee's answer to a meeting's invitation: attending, cannot attend, or a deputy."""

    class Answer(models.TextChoices):
        ATTEND = "attend", _("I will attend")
        DECLINE = "decline", _("I cannot attend")
        DEPUTY = "deputy", _("A deputy attends for me")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="rsvps"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="meeting_rsvps",
    )
    answer = models.CharField(_("answer"), max_length=20, choices=Answer)
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_deputyships",
    )
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person"]
        verbose_name = _("answer to an invitation")
        verbose_name_plural = _("answers to invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="rsvp_once_per_person",
                violation_error_message=_("This person has already answered."),
            ),
            models.CheckConstraint(
                condition=Q(answer="deputy", deputy__isnull=False)
                | (~Q(answer="deputy") & Q(deputy__isnull=True)),
                name="rsvp_deputy_with_deputy_answer",
                violation_error_message=_("A deputy is named when, and only when, one attends."),
            ),
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=F("person")),
                name="rsvp_deputy_not_self",
                violation_error_message=_("A person cannot be their own deputy."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_answer_display()}"
