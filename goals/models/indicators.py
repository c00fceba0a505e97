"""A goal's further indicators: the law measures a goal by one or more indicators.

The goal's own fields (indicator, unit of measure, kind of target, baseline, target) are its
first indicator, so a goal measured by one indicator has no rows here. Each further indicator
is a `GoalIndicator` with its own weight; the first indicator weighs the rest of 100
(`Goal.first_indicator_weight`). A progress update carries the value of the first indicator in
its own `value` and one `IndicatorValue` per further indicator.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models.decisions import GoalVersion, MayoralDecision
from goals.models.goals import Goal, target_constraints, target_errors
from goals.models.monitoring import ProgressUpdate


class InForceIndicators(models.Manager):
    """The further indicators that measure their goals: not those an amendment dropped."""

    def get_queryset(self):
        return super().get_queryset().filter(dropped_by_decision__isnull=True)


class IndicatorTarget(models.Model):
    """What a further indicator measures and aims at, with its weight: the fields a goal's
    indicator and its frozen copy in a goal's version share, and their rules."""

    name = models.CharField(_("indicator"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100, blank=True)
    target_kind = models.CharField(_("kind of target"), max_length=20, choices=Goal.TargetKind)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        help_text=_("The indicator's part in the goal's achievement; all add up to 100."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = target_errors(kind=self.target_kind, baseline=self.baseline, target=self.target)
        if errors:
            raise ValidationError(errors)

    @property
    def is_milestone(self) -> bool:
        return self.target_kind == Goal.TargetKind.MILESTONE


def indicator_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The database rules of an `IndicatorTarget`, named `<prefix>_…`."""
    return [
        *target_constraints(prefix),
        # The goal's first indicator keeps at least 1 of the 100.
        models.CheckConstraint(
            condition=Q(weight__gte=1, weight__lte=99),
            name=f"{prefix}_weight_between_1_and_99",
            violation_error_message=_("An indicator's weight lies between 1 and 99."),
        ),
    ]


class GoalIndicator(IndicatorTarget):
    """A further indicator of a goal, with its own target and weight.

    An amending decision may drop it: it stays, with the values reported on it, marked with the
    decision (`dropped_by_decision`), and no longer counts in the goal's achievement. The
    default manager (`objects`, and a goal's `extra_indicators`) holds only those in force;
    `every_indicator` holds the dropped ones too.
    """

    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        on_delete=models.CASCADE,
        related_name="extra_indicators",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    dropped_by_decision = models.ForeignKey(
        MayoralDecision,
        verbose_name=_("dropped by decision"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()
    every_indicator = models.Manager()
    objects = InForceIndicators()

    class Meta:
        base_manager_name = "every_indicator"
        default_manager_name = "objects"
        ordering = ["goal", "order", "pk"]
        verbose_name = _("further indicator")
        verbose_name_plural = _("further indicators")
        constraints = indicator_constraints("indicator")


class IndicatorValue(models.Model):
    """The value a progress update measured for one further indicator of its goal."""

    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        GoalIndicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="values",
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["update", "indicator__order", "indicator__pk"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["update", "indicator"],
                name="indicator_value_once_per_update",
                violation_error_message=_("This update already has a value for this indicator."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class GoalVersionIndicator(IndicatorTarget):
    """A further indicator as one decision set it: frozen with the goal's version on adoption,
    or the new value an amendment gives it. `source` is the goal's indicator it freezes or
    changes; an indicator an amendment adds has none until the amendment takes effect."""

    version = models.ForeignKey(
        GoalVersion,
        verbose_name=_("goal version"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    source = models.ForeignKey(
        GoalIndicator,
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        related_name="versions",
        null=True,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    # The fields frozen from a `GoalIndicator`, in the order of its form.
    FROZEN_FIELDS = ["name", "unit_of_measure", "target_kind", "baseline", "target", "weight"]

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("further indicator of a goal version")
        verbose_name_plural = _("further indicators of goal versions")
        constraints = indicator_constraints("version_indicator")

    @classmethod
    def frozen_from(cls, indicator: GoalIndicator, *, version: GoalVersion, order: int):
        """An unsaved frozen copy of a goal's indicator for a version."""
        values = {name: getattr(indicator, name) for name in cls.FROZEN_FIELDS}
        return cls(version=version, source=indicator, order=order, **values)
