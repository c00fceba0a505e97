"""Goals: one directorate's goal for a year, with indicator and target, and how they are searched.

Access rules are QuerySet methods (`Goal.objects.visible_to(user)`), so a view cannot forget them.
"""

import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.achievement import achievement as compute_achievement
from goals.achievement import with_further_indicators
from goals.models.cycles import GoalCycle
from goals.models.programme import ActionProgramme, ProgrammeAction, validate_budget_code


def normalise_for_search(text: str) -> str:
    """Lower-case text without accents, so `ΣΤΟΧΟΘΕΣΊΑ` and `στοχοθεσια` compare equal.

    `casefold()` also turns the Greek final sigma (ς) into σ. The same function normalises the
    stored search column and the query, so the search works alike on SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def title_key(title: str) -> str:
    """A title's words as the SMART check compares them: without accents, case, commas and full
    stops, one space apart (`Goal.title_key`)."""
    return " ".join(normalise_for_search(title).replace(",", " ").replace(".", " ").split())


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GoalQuerySet":
        """Everyone logged in reads every goal (the goal-setting is public inside the body)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self

    def editable_by(self, user) -> "GoalQuerySet":
        """The General Secretary edits any goal; a head, their directorate's open proposals."""
        # Once a decision adopted them, goals change only through an amendment; a goal written
        # during the year stays editable until the amendment that adds it takes effect.
        open_phases = [
            GoalCycle.Phase.DRAFTING,
            GoalCycle.Phase.CONSULTATION,
            GoalCycle.Phase.ADOPTED,
            *GoalCycle.MONITORED_PHASES,
        ]
        if user.is_coordinator:
            return self.filter(cycle__phase__in=open_phases).exclude(
                status__in=[Goal.Status.ADOPTED, Goal.Status.WITHDRAWN]
            )
        if user.is_head_of_directorate:
            return self.filter(
                directorate_id__in=user.headship.directorate_ids,
                status=Goal.Status.PROPOSED,
                cycle__phase__in=GoalCycle.PROPOSAL_PHASES,
            )
        return self.none()

    def current(self) -> "GoalQuerySet":
        """Goals of the current cycle (see `GoalCycleQuerySet.current`)."""
        cycle = GoalCycle.objects.current()
        return self.filter(cycle=cycle) if cycle else self.none()

    def concerning(self, directorate_id: int | list[int]) -> "GoalQuerySet":
        """Goals a directorate (or any of several) owns or takes part in (cross-cutting goals)."""
        ids = directorate_id if isinstance(directorate_id, list) else [directorate_id]
        # Both ways read on their own index and joined: a condition with OR over the two
        # would read every goal of the cycle.
        owned = Goal.objects.filter(directorate_id__in=ids).values_list("pk")
        taking_part = Goal.participating_directorates.through.objects.filter(
            directorate_id__in=ids
        ).values_list("goal_id")
        return self.filter(pk__in=owned.union(taking_part))

    def open_for_observations_by(self, user) -> "GoalQuerySet":
        """Goals on which this person may submit an observation now: empty for most people."""
        if not user.is_head_of_directorate:
            return self.none()
        open_cycles = [c.pk for c in GoalCycle.objects.all() if c.is_consultation_open()]
        return self.filter(cycle_id__in=open_cycles).concerning(user.headship.directorate_ids)

    def search(self, text: str) -> "GoalQuerySet":
        """Goals whose code, title, description or indicator contain every word of the text."""
        queryset = self
        for word in normalise_for_search(text).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


# The fields people set on a goal, in the order of its form and of its history.
GOAL_FIELDS = [
    "directorate",
    "participating_directorates",
    "category",
    "code",
    "title",
    "description",
    "indicator",
    "unit_of_measure",
    "target_kind",
    "baseline",
    "target",
    "deadline",
    "weight",
    "programme_action",
    "status",
]


class GoalHistoryBase(models.Model):
    """Extra column of a goal's history rows: the observation whose answer caused the change."""

    applied_observation = models.ForeignKey(
        "goals.Observation",
        verbose_name=_("applied observation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        abstract = True


def target_errors(*, kind: str, baseline, target) -> dict[str, str]:
    """What is wrong with a target for its kind, by field: the rules of a goal's indicator and
    of each of its other indicators (`GoalIndicator`)."""
    errors = {}
    if kind == Goal.TargetKind.MILESTONE:
        if target not in (None, 0, 1):
            errors["target"] = _("A milestone has no numeric target: leave it empty.")
    elif target is None:
        errors["target"] = _("Give a target value.")
    elif kind == Goal.TargetKind.DECREASE:
        if baseline is None:
            errors["baseline"] = _("A number to decrease needs a baseline.")
        elif target >= baseline:
            errors["target"] = _(
                "The target of a number to decrease must be below the baseline (%(baseline)s)."
            ) % {"baseline": number_format(baseline)}
    elif kind == Goal.TargetKind.INCREASE:
        if baseline is not None and target <= baseline:
            errors["target"] = _(
                "The target of a number to increase must be above the baseline (%(baseline)s)."
            ) % {"baseline": number_format(baseline)}
    elif kind == Goal.TargetKind.PERCENTAGE:
        if not 0 <= target <= 100:
            errors["target"] = _("A percentage lies between 0 and 100.")
        if baseline is not None and not 0 <= baseline <= 100:
            errors["baseline"] = _("A percentage lies between 0 and 100.")
    return errors


def target_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The rules of a target for its kind in the database, named `<prefix>_…`: those of a goal's
    own indicator and of each of its further indicators (`GoalIndicator`)."""
    return [
        models.CheckConstraint(
            condition=Q(target_kind="milestone") | Q(target__isnull=False),
            name=f"{prefix}_target_required",
            violation_error_message=_("Give a target value."),
        ),
        models.CheckConstraint(
            condition=~Q(target_kind="percentage")
            | (
                Q(target__gte=0, target__lte=100)
                & (Q(baseline__isnull=True) | Q(baseline__gte=0, baseline__lte=100))
            ),
            name=f"{prefix}_percentage_between_0_and_100",
            violation_error_message=_("A percentage lies between 0 and 100."),
        ),
        models.CheckConstraint(
            condition=~Q(target_kind="decrease")
            | Q(baseline__isnull=False, target__lt=F("baseline")),
            name=f"{prefix}_decrease_below_baseline",
            violation_error_message=_(
                "A number to decrease needs a baseline, and a target below it."
            ),
        ),
        models.CheckConstraint(
            condition=~Q(target_kind="increase")
            | Q(baseline__isnull=True)
            | Q(target__gt=F("baseline")),
            name=f"{prefix}_increase_above_baseline",
            violation_error_message=_("A number to increase needs a target above the baseline."),
        ),
    ]


class Goal(models.Model):
    """A goal of one directorate for one year, with its indicator and target."""

    class Category(models.TextChoices):
        SERVICES = "services", _("Services provided")
        ORGANISATION = "organisation", _("Internal organisation and operation")
        SKILLS = "skills", _("Knowledge, skills and abilities")

    class TargetKind(models.TextChoices):
        INCREASE = "increase", _("Number to increase")
        DECREASE = "decrease", _("Number to decrease")
        PERCENTAGE = "percentage", _("Percentage")
        MILESTONE = "milestone", _("Yes/no milestone")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by the directorate")
        ACCEPTED = "accepted", _("Accepted in the draft")
        REJECTED = "rejected", _("Not accepted")
        ADOPTED = "adopted", _("Adopted by decision")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Goals no decision adopted yet: those written during the year wait for an amendment.
    AWAITING_ADOPTION = (Status.PROPOSED, Status.ACCEPTED)

    cycle = models.ForeignKey(
        GoalCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="goals"
    )
    directorate = models.ForeignKey(
        "directorates.Directorate",
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    participating_directorates = models.ManyToManyField(
        "directorates.Directorate",
        verbose_name=_("participating directorates"),
        related_name="cross_cutting_goals",
        blank=True,
        help_text=_("For cross-cutting goals: the other directorates that take part."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    code = models.CharField(
        _("code"), max_length=30, help_text=_("Unique in the cycle, e.g. PROG-03.")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100, blank=True)
    target_kind = models.CharField(_("kind of target"), max_length=20, choices=TargetKind)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("Relative importance, from 1 to 100.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACCEPTED)
    programme_action = models.ForeignKey(
        ProgrammeAction,
        verbose_name=_("operational programme action"),
        on_delete=models.PROTECT,
        related_name="goals",
        null=True,
        blank=True,
        help_text=_("An action of the year's Annual Action Programme that the goal serves."),
    )
    budget_code = models.CharField(
        _("budget code of expenditure"),
        max_length=20,
        blank=True,
        validators=[validate_budget_code],
        help_text=_("Optional: the budget code (ΚΑ εξόδων) that pays for it, e.g. 02.30.7331.001."),
    )
    # A goal withdrawn by an amending decision stays, marked, and leaves every roll-up.
    withdrawn_by_decision = models.ForeignKey(
        "goals.MayoralDecision",
        verbose_name=_("withdrawn by decision"),
        on_delete=models.PROTECT,
        related_name="withdrawn_goals",
        null=True,
        blank=True,
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="proposed_goals",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every save: detects concurrent edits.")
    )
    search_text = models.TextField(editable=False, default="")
    # The title's words as the SMART check compares them (`title_key`), kept by save(), so that
    # the database finds activity titles and titles copied from unit to unit (goals.smart).
    title_key = models.TextField(editable=False, default="")
    # Worked out from the progress updates, allocations and evaluation by
    # `goals.services.monitoring.store_achievement`, which every service (and Django admin)
    # that changes one of them calls, so that municipality-wide pages sum them in the database
    # instead of loading every update.
    current_achievement = models.DecimalField(
        _("achievement so far"), max_digits=7, decimal_places=1, null=True, editable=False
    )
    last_measured_on = models.DateField(_("last measured on"), null=True, editable=False)
    is_behind = models.BooleanField(_("reported behind"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[participating_directorates],
        excluded_fields=[
            "search_text",
            "title_key",
            "updated_at",
            "current_achievement",
            "last_measured_on",
            "is_behind",
        ],
        bases=[GoalHistoryBase],
    )
    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "directorate__order", "code"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        indexes = [
            models.Index(fields=["cycle", "title_key"], name="goal_cycle_title_key"),
            models.Index(fields=["cycle", "directorate"], name="goal_cycle_directorate"),
            # A cycle's goals in one status (its adopted goals, its drafts).
            models.Index(fields=["cycle", "status"], name="goal_cycle_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "code"],
                name="goal_code_unique_in_cycle",
                violation_error_message=_("Another goal of this cycle already has this code."),
            ),
            *target_constraints("goal"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="goal_weight_between_1_and_100",
                violation_error_message=_("The weight lies between 1 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = normalise_for_search(
            " ".join([self.code, self.title, self.description, self.indicator])
        )
        self.title_key = title_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", kwargs={"pk": self.pk})

    def clean(self):
        """The target must agree with its kind, and the deadline fall in the cycle's year.

        The database constraints hold the same rules; here the message attaches to its field.
        """
        errors = target_errors(kind=self.target_kind, baseline=self.baseline, target=self.target)
        if self.cycle_id and self.deadline and self.deadline.year != self.cycle.year:
            errors["deadline"] = _("The deadline must fall within %(year)s, the cycle's year.") % {
                "year": self.cycle.year
            }
        if self.programme_action_id and self.cycle_id and not self._action_in_programme():
            errors["programme_action"] = _(
                "This action is not in the Annual Action Programme of %(year)s: choose one of "
                "that year's actions."
            ) % {"year": self.cycle.year}
        if errors:
            raise ValidationError(errors)

    def _action_in_programme(self) -> bool:
        """A goal serves an action of its own year's action programme, no other."""
        return ActionProgramme.objects.filter(
            year=self.cycle.year, actions=self.programme_action_id
        ).exists()

    @property
    def is_milestone(self) -> bool:
        return self.target_kind == self.TargetKind.MILESTONE

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    def achievement_of(self, value, further_values: Mapping[str, str] | None = None):
        """The achievement of a (final) value of the goal's indicator with the values of its
        further indicators (by the indicator's id, as `GoalEvaluation.further_values` keeps
        them); one query for the further indicators, unless `indicator_list` was attached."""
        first = compute_achievement(
            kind=self.target_kind, baseline=self.baseline, target=self.target, value=value
        )
        indicators = getattr(self, "indicator_list", None)
        if indicators is None:
            indicators = list(self.extra_indicators.order_by("order", "pk"))
        values = {int(pk): Decimal(given) for pk, given in (further_values or {}).items()}
        return with_further_indicators(first, indicators, values)

    def is_open_for_observations_by(self, user) -> bool:
        """What `GoalQuerySet.open_for_observations_by` says of this one goal; no query when the
        goal is the person's directorate's own or its participants are prefetched."""
        if not user.is_head_of_directorate or not self.cycle.is_consultation_open():
            return False
        led = user.headship.directorates
        if self.directorate_id in led:
            return True
        if "participating_directorates" in getattr(self, "_prefetched_objects_cache", {}):
            return any(d.pk in led for d in self.participating_directorates.all())
        return self.participating_directorates.filter(pk__in=led).exists()
