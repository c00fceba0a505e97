"""Acting heads (αναπληρωτές προϊστάμενοι) of units, with their dates and act."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.models.units import Department, Directorate
from directorates.models.users import User
from directorates.roles import acting_head_title


class ActingHeadQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        """The appointments in force on that day (an open end: until further notice)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class ActingHead(models.Model):
    """An acting head (αναπληρωτής προϊστάμενος) of a directorate or a department, for a period,
    by an act: acts with the head's powers while in force, and the records say so."""

    directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acting_heads",
        help_text=_("The directorate, or leave empty and choose the department."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acting_heads",
    )
    person = models.ForeignKey(
        User,
        verbose_name=_("acting head"),
        on_delete=models.PROTECT,
        related_name="acting_headships",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    act = models.CharField(
        _("act of appointment"),
        max_length=300,
        help_text=_('The act that appointed them, e.g. "Απόφαση Δημάρχου 245/2026".'),
    )

    history = HistoricalRecords()
    objects = ActingHeadQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("acting head")
        verbose_name_plural = _("acting heads")
        constraints = [
            models.CheckConstraint(
                condition=Q(directorate__isnull=True, department__isnull=False)
                | Q(directorate__isnull=False, department__isnull=True),
                name="acting_head_of_one_unit",
                violation_error_message=_(
                    "An acting head stands in for one unit: a directorate or a department."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="acting_head_ends_after_start",
                violation_error_message=_("The appointment ends on or after the day it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.unit}"

    @property
    def title(self) -> str:
        """The acting head's title by their gender: "Αναπληρώτρια Προϊσταμένη"."""
        return acting_head_title(self.person.gender)

    @property
    def unit(self) -> Directorate | Department | None:
        return self.directorate or self.department

    def is_in_force(self, on: datetime.date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)
