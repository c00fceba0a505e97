"""Each employee's goals for the year (στοχοθεσία προσωπικού): set by their head, linked to a
directorate or department goal, acknowledged by the employee, reviewed mid-year and evaluated at
year end.

Staff evaluation data is personal: only the person, their evaluators (their head and the head
above), the General Secretary and administrators read it. The Mayor and deputy mayors, who read
every directorate's goals, do not read these (`StaffGoal.objects.visible_to`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.achievement import achievement as compute_achievement
from goals.models.cycles import GoalCycle
from goals.models.goals import Goal
from goals.models.monitoring import Allocation

# An employee's goals of one year weigh 100 in all.
TOTAL_WEIGHT = 100


class StaffGoalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StaffGoalQuerySet":
        """The person's own goals; for a head, those of the people they evaluate and of the
        people of the departments under the directorates they lead (the head above); all of
        them for the General Secretary and administrators. Nobody else: not a colleague, not
        the Mayor or a deputy mayor."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator:
            return self
        led = user.headship
        return self.filter(
            Q(employee=user)
            | Q(employee__department_id__in=led.department_ids)
            | Q(employee__directorate_id__in=led.directorate_ids)
            | Q(employee__department__directorate_id__in=led.directorate_ids)
        )

    def of(self, employee, cycle) -> "StaffGoalQuerySet":
        return self.filter(employee=employee, cycle=cycle)


class StaffGoal(models.Model):
    """One goal of one employee for one year, with indicator, target and weight."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="staff_goals",
    )
    cycle = models.ForeignKey(
        GoalCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="staff_goals"
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("directorate goal served"),
        on_delete=models.PROTECT,
        related_name="staff_goals",
    )
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("department goal served"),
        on_delete=models.PROTECT,
        related_name="staff_goals",
        null=True,
        blank=True,
        help_text=_("The department's share of the goal, for the staff of a department."),
    )
    title = models.CharField(_("title"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    deadline = models.DateField(_("deadline"))
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        help_text=_("The goal's part in the employee's year; their weights add up to 100."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    midyear_review = models.TextField(_("mid-year review"), blank=True)
    midyear_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mid-year review by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    midyear_reviewed_at = models.DateTimeField(_("mid-year review at"), null=True, blank=True)
    final_value = models.DecimalField(
        _("final value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    achievement = models.DecimalField(
        _("achievement (%)"), max_digits=7, decimal_places=1, null=True, editable=False
    )
    year_end_comment = models.TextField(_("year-end comment"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every save: detects concurrent edits.")
    )

    history = HistoricalRecords()
    objects = StaffGoalQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "employee", "-weight", "pk"]
        verbose_name = _("staff goal")
        verbose_name_plural = _("staff goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=TOTAL_WEIGHT),
                name="staffgoal_weight_between_1_and_100",
                violation_error_message=_("The weight lies between 1 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(final_value__isnull=True) | Q(evaluated_at__isnull=False),
                name="staffgoal_final_value_evaluated",
                violation_error_message=_("A final value records when it was evaluated."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.title}"

    def save(self, *args, **kwargs):
        self.achievement = self.achievement_of(self.final_value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "achievement"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("goals:staff_goal", kwargs={"pk": self.pk})

    def achievement_of(self, value):
        """The achievement of a value, as a goal of the kind of the goal it serves (a number
        to increase or decrease, a percentage, a yes/no milestone)."""
        return compute_achievement(
            kind=self.goal.target_kind, baseline=self.baseline, target=self.target, value=value
        )

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def is_evaluated(self) -> bool:
        return self.evaluated_at is not None
