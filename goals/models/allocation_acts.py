"""The allocation act (πράξη εξειδίκευσης/κατανομής στόχων) of a head of directorate: the
department goals of the directorate for a cycle, issued with a protocol number and a date.

A draft shows the department goals as they are; issuing it freezes them (`content`), so the
issued act reads the same whatever changes later. A later change needs a new act, which says it
replaces the earlier one (`replaces`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.roles import signed_by
from goals.models.cycles import GoalCycle


class AllocationActQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AllocationActQuerySet":
        """Oversight reads all; a directorate's people (its departments' heads and staff) and
        whoever leads it today read its acts."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        mine = list({user.directorate_id, *user.headship.unit_directorate_ids} - {None})
        return self.filter(directorate_id__in=mine)

    def issued(self) -> "AllocationActQuerySet":
        return self.filter(status=AllocationAct.Status.ISSUED)


class AllocationAct(models.Model):
    """A head of directorate's act allocating the directorate's goals to its departments."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    cycle = models.ForeignKey(
        GoalCycle,
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="allocation_acts",
    )
    directorate = models.ForeignKey(
        "directorates.Directorate",
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="allocation_acts",
    )
    sequence = models.PositiveSmallIntegerField(
        _("act number"), help_text=_("The directorate's first, second… act of the cycle.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    protocol_number = models.CharField(_("protocol number"), max_length=30, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    as_acting_head = models.BooleanField(
        _("as acting head"),
        default=False,
        help_text=_("Issued by an acting head (ως αναπληρωτής)."),
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces act"),
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
    )
    # The department goals as issued, grouped by department and category (`goals.acts`).
    content = models.JSONField(_("content as issued"), default=dict, blank=True, editable=False)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AllocationActQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__year", "directorate__order", "-sequence"]
        verbose_name = _("allocation act")
        verbose_name_plural = _("allocation acts")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "directorate", "sequence"],
                name="allocation_act_sequence_unique",
                violation_error_message=_("The directorate already has an act with this number."),
            ),
            models.UniqueConstraint(
                fields=["cycle", "directorate"],
                condition=Q(status="draft"),
                name="allocation_act_one_draft",
                violation_error_message=_("The directorate already has a draft act."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="draft", protocol_number="", issued_on__isnull=True)
                    & Q(issued_by__isnull=True)
                )
                | (
                    Q(status="issued", issued_on__isnull=False, issued_by__isnull=False)
                    & ~Q(protocol_number="")
                ),
                name="allocation_act_issued_is_complete",
                violation_error_message=_(
                    "An issued act has a protocol number, a date and who issued it; a draft none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Allocation act %(number)s/%(year)s of %(directorate)s")
            % {"number": self.sequence, "year": self.cycle.year, "directorate": self.directorate}
        )

    def get_absolute_url(self) -> str:
        return reverse("goals:allocation_act", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def signed_by(self) -> str:
        """Who issued it, "ως αναπληρωτής" when they did so as acting head."""
        if self.issued_by is None:
            return ""
        return signed_by(self.issued_by, as_acting_head=self.as_acting_head)
