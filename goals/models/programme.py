"""The municipality's planning chain (maintained in admin): the Operational Plan of a period of
years (Επιχειρησιακό Πρόγραμμα) with its axes, measures and actions, and each year's action
programme (Ετήσιο Πρόγραμμα Δράσης), which lists the plan's actions carried out that year. A goal
of a year names, at most, one action of that year's programme; it may also name the budget code
(ΚΑ εξόδων) that pays for it.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A budget code of expenditure (Κωδικός Αριθμός εξόδων) as the municipalities' budgets write
# it: the expenditure group (02), the service (30), the account of the classification (7331) and,
# where the budget splits the account, a sub-account of three or four digits (001).
BUDGET_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{4}(\.\d{3,4})?$")


def validate_budget_code(value: str) -> None:
    """A budget code of expenditure reads like 02.30.7331 or 02.30.7331.001."""
    if not BUDGET_CODE.match(value):
        raise ValidationError(
            _(
                "Write the budget code of expenditure as in the budget, e.g. 02.30.7331 or "
                "02.30.7331.001 (group, service, account and, if any, sub-account)."
            ),
            code="budget_code",
        )


class OperationalPlan(models.Model):
    """The Operational Plan of the municipality for a period of years, e.g. 2024–2028."""

    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    council_decision = models.CharField(
        _("decision of the Municipal Council"),
        max_length=200,
        blank=True,
        help_text=_("The Municipal Council's decision that approved it, e.g. 245/2023."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("operational plan")
        verbose_name_plural = _("operational plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="plan_period_in_order",
                violation_error_message=_("The last year cannot come before the first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class ProgrammeItem(models.Model):
    """What every level of the Operational Plan has: a code and a title."""

    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgrammeAxis(ProgrammeItem):
    """An axis (άξονας) of an Operational Plan."""

    plan = models.ForeignKey(
        OperationalPlan,
        verbose_name=_("operational plan"),
        on_delete=models.PROTECT,
        related_name="axes",
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme axis")
        verbose_name_plural = _("programme axes")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="axis_code_unique_in_plan",
                violation_error_message=_("Another axis of this plan already has this code."),
            ),
        ]


class ProgrammeMeasure(ProgrammeItem):
    """A measure (μέτρο) of one axis of the Operational Plan."""

    axis = models.ForeignKey(
        ProgrammeAxis, verbose_name=_("axis"), on_delete=models.PROTECT, related_name="measures"
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme measure")
        verbose_name_plural = _("programme measures")
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "code"],
                name="measure_code_unique_in_axis",
                violation_error_message=_("Another measure of this axis already has this code."),
            ),
        ]


class ProgrammeAction(ProgrammeItem):
    """An action (δράση) of one measure of the Operational Plan; goals may refer to it."""

    measure = models.ForeignKey(
        ProgrammeMeasure,
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        related_name="actions",
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme action")
        verbose_name_plural = _("programme actions")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "code"],
                name="action_code_unique_in_measure",
                violation_error_message=_("Another action of this measure already has this code."),
            ),
        ]


class ActionProgramme(models.Model):
    """A year's action programme (Ετήσιο Πρόγραμμα Δράσης): the plan's actions of that year."""

    plan = models.ForeignKey(
        OperationalPlan,
        verbose_name=_("operational plan"),
        on_delete=models.PROTECT,
        related_name="action_programmes",
    )
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    council_decision = models.CharField(
        _("decision of the Municipal Council"),
        max_length=200,
        blank=True,
        help_text=_("The Municipal Council's decision that approved it, e.g. 12/2024."),
    )
    actions = models.ManyToManyField(
        ProgrammeAction,
        verbose_name=_("actions"),
        related_name="action_programmes",
        blank=True,
    )

    history = HistoricalRecords(m2m_fields=[actions])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual action programme")
        verbose_name_plural = _("annual action programmes")

    def __str__(self) -> str:
        return _("Annual Action Programme %(year)s") % {"year": self.year}

    def clean(self):
        if self.plan_id and self.year and not self.plan.covers(self.year):
            raise ValidationError(
                {
                    "year": _("The year must fall within the plan's period, %(start)s–%(end)s.")
                    % {"start": self.plan.start_year, "end": self.plan.end_year}
                }
            )
