"""The yearly goal-setting cycle: cycles, goals, observations and the operational programme.

Access rules are QuerySet methods (`Goal.objects.visible_to(user)`,
`Observation.objects.visible_to(user)`), so a view cannot forget them.
"""

import unicodedata
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.achievement import achievement as compute_achievement


def normalise_for_search(text: str) -> str:
    """Lower-case text without accents, so `ΣΤΟΧΟΘΕΣΊΑ` and `στοχοθεσια` compare equal.

    `casefold()` also turns the Greek final sigma (ς) into σ. The same function normalises the
    stored search column and the query, so the search works alike on SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


# --- Operational programme (maintained in admin) ------------------------------------------------
class ProgrammeItem(models.Model):
    """What every level of the Operational Programme has: a code and a title."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgrammeAxis(ProgrammeItem):
    """An axis (άξονας) of the municipality's Operational Programme."""

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme axis")
        verbose_name_plural = _("programme axes")


class ProgrammeMeasure(ProgrammeItem):
    """A measure (μέτρο) of one axis of the Operational Programme."""

    axis = models.ForeignKey(
        ProgrammeAxis, verbose_name=_("axis"), on_delete=models.PROTECT, related_name="measures"
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme measure")
        verbose_name_plural = _("programme measures")


class ProgrammeAction(ProgrammeItem):
    """An action (δράση) of one measure of the Operational Programme; goals may refer to it."""

    measure = models.ForeignKey(
        ProgrammeMeasure,
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        related_name="actions",
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme action")
        verbose_name_plural = _("programme actions")


# --- Cycles ---------------------------------------------------------------------------------------
class GoalCycleQuerySet(models.QuerySet):
    def current(self) -> "GoalCycle | None":
        """The cycle people work on: the latest one not closed, else the latest one."""
        return (
            self.exclude(phase=GoalCycle.Phase.CLOSED).order_by("-year").first()
            or self.order_by("-year").first()
        )


class GoalCycle(models.Model):
    """The goal setting of one year (evaluation period), moving through its phases in order."""

    class Phase(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        CONSULTATION = "consultation", _("Consultation")
        ADOPTED = "adopted", _("Adopted")
        ALLOCATION = "allocation", _("Allocation")
        MONITORING = "monitoring", _("Monitoring")
        EVALUATION = "evaluation", _("Evaluation")
        CLOSED = "closed", _("Closed")

    # While goals are drafted or consulted on, heads may propose goals and edit their proposals.
    PROPOSAL_PHASES = (Phase.DRAFTING, Phase.CONSULTATION)

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase, default=Phase.DRAFTING)
    consultation_opens_on = models.DateField(_("consultation opens on"), null=True, blank=True)
    consultation_closes_on = models.DateField(_("consultation closes on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = GoalCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("goal-setting cycle")
        verbose_name_plural = _("goal-setting cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="goalcycle_year_plausible",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(consultation_opens_on__isnull=True)
                | Q(consultation_closes_on__isnull=True)
                | Q(consultation_closes_on__gte=F("consultation_opens_on")),
                name="goalcycle_consultation_closes_after_opening",
                violation_error_message=_("The consultation cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return _("Goal setting %(year)s") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("goals:list") + f"?cycle={self.pk}"

    @property
    def next_phase(self) -> str | None:
        """The phase that follows this one, or None when the cycle is closed."""
        phases = list(self.Phase.values)
        position = phases.index(self.phase)
        return phases[position + 1] if position + 1 < len(phases) else None

    @property
    def next_phase_label(self) -> str:
        return self.Phase(self.next_phase).label if self.next_phase else ""

    @property
    def accepts_proposals(self) -> bool:
        return self.phase in self.PROPOSAL_PHASES

    def is_consultation_open(self, today: date | None = None) -> bool:
        """In the consultation phase and within its dates (either date may be left open)."""
        today = today or timezone.localdate()
        if self.phase != self.Phase.CONSULTATION:
            return False
        if self.consultation_opens_on and today < self.consultation_opens_on:
            return False
        return not (self.consultation_closes_on and today > self.consultation_closes_on)


# --- Goals ----------------------------------------------------------------------------------------
class GoalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GoalQuerySet":
        """Everyone logged in reads every goal (the goal-setting is public inside the body)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self

    def editable_by(self, user) -> "GoalQuerySet":
        """The General Secretary edits any goal; a head, their directorate's open proposals."""
        # Once a decision adopted them, goals change only through an amendment (issue 4).
        open_phases = [GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION]
        if user.is_coordinator:
            return self.filter(cycle__phase__in=open_phases).exclude(status=Goal.Status.ADOPTED)
        if user.is_head_of_directorate:
            return self.filter(
                directorate_id=user.directorate_id,
                status=Goal.Status.PROPOSED,
                cycle__phase__in=GoalCycle.PROPOSAL_PHASES,
            )
        return self.none()

    def current(self) -> "GoalQuerySet":
        """Goals of the current cycle (see `GoalCycleQuerySet.current`)."""
        cycle = GoalCycle.objects.current()
        return self.filter(cycle=cycle) if cycle else self.none()

    def concerning(self, directorate_id: int) -> "GoalQuerySet":
        """Goals a directorate owns or takes part in (cross-cutting goals)."""
        participates = Goal.participating_directorates.through.objects.filter(
            goal_id=OuterRef("pk"), directorate_id=directorate_id
        )
        return self.filter(Q(directorate_id=directorate_id) | Exists(participates))

    def open_for_observations_by(self, user) -> "GoalQuerySet":
        """Goals on which this person may submit an observation now: empty for most people."""
        if not user.is_head_of_directorate:
            return self.none()
        open_cycles = [c.pk for c in GoalCycle.objects.all() if c.is_consultation_open()]
        return self.filter(cycle_id__in=open_cycles).concerning(user.directorate_id)

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
    )
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
    # Worked out from the progress updates, allocations and evaluation by
    # `goals.reports.store_achievement` whenever one of them changes, so that municipality-wide
    # pages sum them in the database instead of loading every update.
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
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "code"],
                name="goal_code_unique_in_cycle",
                violation_error_message=_("Another goal of this cycle already has this code."),
            ),
            models.CheckConstraint(
                condition=Q(target_kind="milestone") | Q(target__isnull=False),
                name="goal_target_required",
                violation_error_message=_("Give a target value."),
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="percentage")
                | (
                    Q(target__gte=0, target__lte=100)
                    & (Q(baseline__isnull=True) | Q(baseline__gte=0, baseline__lte=100))
                ),
                name="goal_percentage_between_0_and_100",
                violation_error_message=_("A percentage lies between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="decrease")
                | Q(baseline__isnull=False, target__lt=F("baseline")),
                name="goal_decrease_below_baseline",
                violation_error_message=_(
                    "A number to decrease needs a baseline, and a target below it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="increase")
                | Q(baseline__isnull=True)
                | Q(target__gt=F("baseline")),
                name="goal_increase_above_baseline",
                violation_error_message=_(
                    "A number to increase needs a target above the baseline."
                ),
            ),
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
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", kwargs={"pk": self.pk})

    def clean(self):
        """The target must agree with its kind, and the deadline fall in the cycle's year.

        The database constraints hold the same rules; here the message attaches to its field.
        """
        errors = {}
        kind, baseline, target = self.target_kind, self.baseline, self.target
        if kind == self.TargetKind.MILESTONE:
            if target not in (None, 0, 1):
                errors["target"] = _("A milestone has no numeric target: leave it empty.")
        elif target is None:
            errors["target"] = _("Give a target value.")
        elif kind == self.TargetKind.DECREASE:
            if baseline is None:
                errors["baseline"] = _("A number to decrease needs a baseline.")
            elif target >= baseline:
                errors["target"] = _(
                    "The target of a number to decrease must be below the baseline (%(baseline)s)."
                ) % {"baseline": number_format(baseline)}
        elif kind == self.TargetKind.INCREASE:
            if baseline is not None and target <= baseline:
                errors["target"] = _(
                    "The target of a number to increase must be above the baseline (%(baseline)s)."
                ) % {"baseline": number_format(baseline)}
        elif kind == self.TargetKind.PERCENTAGE:
            if not 0 <= target <= 100:
                errors["target"] = _("A percentage lies between 0 and 100.")
            if baseline is not None and not 0 <= baseline <= 100:
                errors["baseline"] = _("A percentage lies between 0 and 100.")
        if self.cycle_id and self.deadline and self.deadline.year != self.cycle.year:
            errors["deadline"] = _("The deadline must fall within %(year)s, the cycle's year.") % {
                "year": self.cycle.year
            }
        if errors:
            raise ValidationError(errors)

    @property
    def is_milestone(self) -> bool:
        return self.target_kind == self.TargetKind.MILESTONE

    def is_open_for_observations_by(self, user) -> bool:
        """What `GoalQuerySet.open_for_observations_by` says of this one goal; no query when the
        goal is the person's directorate's own or its participants are prefetched."""
        if not user.is_head_of_directorate or not self.cycle.is_consultation_open():
            return False
        if self.directorate_id == user.directorate_id:
            return True
        if "participating_directorates" in getattr(self, "_prefetched_objects_cache", {}):
            return any(d.pk == user.directorate_id for d in self.participating_directorates.all())
        return self.participating_directorates.filter(pk=user.directorate_id).exists()


# --- Observations ---------------------------------------------------------------------------------
class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ObservationQuerySet":
        """The author's directorate reads them; so do the Mayor, deputies, the GS and admins."""
        if user.sees_everything:
            return self
        if user.is_authenticated and user.directorate_id:
            return self.filter(directorate_id=user.directorate_id)
        return self.none()

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


# =================================================================================================
# Issue 4: mayoral decisions, goal versions, allocation to departments, progress and evaluation.
# =================================================================================================
# A Diavgeia ΑΔΑ: Greek capital letters and digits, a hyphen, three more. Decisions published
# since 2013 have seven characters before the hyphen (Ψ4ΚΣΩΗΓ-3ΞΛ), older ones ten
# (4ΑΘ2469Β7Η-ΑΨΕ); shorter forms are accepted from 4 characters on.
ADA_REGEX = r"^[0-9Α-Ω]{4,10}-[0-9Α-Ω]{3}$"
ada_validator = RegexValidator(
    ADA_REGEX,
    _("An ΑΔΑ looks like Ψ4ΚΣΩΗΓ-3ΞΛ: Greek capital letters and digits, a hyphen, three more."),
)


def normalise_ada(text: str) -> str:
    """Upper-case, without accents or spaces, with Latin look-alikes turned into Greek letters."""
    lookalikes = str.maketrans("ABEZHIKMNOPTYX", "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")
    decomposed = unicodedata.normalize("NFD", text.strip().upper())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.replace(" ", "").translate(lookalikes)


def decision_scan_path(instance, filename: str) -> str:
    """A random name: the uploaded file's own name never reaches the disk."""
    return f"decisions/{uuid.uuid4().hex}.pdf"


class MayoralDecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MayoralDecisionQuerySet":
        """Issued decisions are public inside the body; drafts only to the Mayor's office and GS."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(status=MayoralDecision.Status.ISSUED)

    def issued(self) -> "MayoralDecisionQuerySet":
        return self.filter(status=MayoralDecision.Status.ISSUED)


class MayoralDecision(models.Model):
    """A decision of the Mayor (απόφαση Δημάρχου) adopting a cycle's goals or amending them."""

    class Kind(models.TextChoices):
        ADOPTION = "adoption", _("Adoption of the goals")
        AMENDMENT = "amendment", _("Amendment of an earlier decision")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    cycle = models.ForeignKey(
        GoalCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.ADOPTION)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends decision"),
        on_delete=models.PROTECT,
        related_name="amendments",
        null=True,
        blank=True,
    )
    number = models.CharField(_("decision number"), max_length=30, blank=True)
    protocol_number = models.CharField(_("protocol number"), max_length=30, blank=True)
    decision_date = models.DateField(_("date"), null=True, blank=True)
    ada = models.CharField(
        _("ΑΔΑ (Diavgeia)"),
        max_length=20,
        blank=True,
        validators=[ada_validator],
        help_text=_("The decision's unique number on Diavgeia, e.g. Ψ4ΚΣΩΗΓ-3ΞΛ."),
    )
    subject = models.CharField(_("subject"), max_length=500)
    considerations = models.TextField(
        _("having regard to"), blank=True, help_text=_("The legal basis, one per line.")
    )
    text = models.TextField(_("decision text"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="prepared_decisions",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="issued_decisions",
        null=True,
        blank=True,
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    recorded_on_behalf = models.BooleanField(
        _("recorded on the Mayor's behalf"),
        default=False,
        help_text=_("An administrator recorded the Mayor's signed decision."),
    )
    scan = models.FileField(
        _("signed decision (scan)"), upload_to=decision_scan_path, blank=True, max_length=200
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MayoralDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__year", "-decision_date", "-pk"]
        verbose_name = _("mayoral decision")
        verbose_name_plural = _("mayoral decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    ~Q(number="")
                    & ~Q(protocol_number="")
                    & ~Q(ada="")
                    & Q(decision_date__isnull=False, issued_by__isnull=False)
                    & Q(issued_at__isnull=False)
                ),
                name="decision_issued_is_complete",
                violation_error_message=_(
                    "An issued decision has a number, a protocol number, a date, an ΑΔΑ "
                    "and who issued it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="adoption", amends__isnull=True)
                | Q(kind="amendment", amends__isnull=False),
                name="decision_amendment_names_what_it_amends",
                violation_error_message=_("An amendment names the decision it amends."),
            ),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(kind="adoption", status="issued"),
                name="decision_one_issued_adoption_per_cycle",
                violation_error_message=_("The goals of this cycle were already adopted."),
            ),
            models.UniqueConstraint(
                fields=["ada"],
                condition=~Q(ada=""),
                name="decision_ada_unique",
                violation_error_message=_("Another decision already has this ΑΔΑ."),
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            return _("Decision %(number)s/%(year)s") % {
                "number": self.number,
                "year": self.decision_date.year if self.decision_date else self.cycle.year,
            }
        return _("Draft decision: %(subject)s") % {"subject": self.subject}

    def save(self, *args, **kwargs):
        self.ada = normalise_ada(self.ada)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("goals:decision_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_amendment(self) -> bool:
        return self.kind == self.Kind.AMENDMENT

    @property
    def consideration_lines(self) -> list[str]:
        return [line.strip() for line in self.considerations.splitlines() if line.strip()]

    @property
    def diavgeia_url(self) -> str:
        return f"https://diavgeia.gov.gr/decision/view/{self.ada}" if self.ada else ""


class GoalVersion(models.Model):
    """A goal's values as one decision set them: frozen on adoption, proposed by an amendment."""

    decision = models.ForeignKey(
        MayoralDecision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="goal_versions",
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="versions"
    )
    title = models.CharField(_("title"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    reason = models.TextField(_("reason for the change"), blank=True)

    class Meta:
        ordering = ["decision", "goal__directorate__order", "goal__code"]
        verbose_name = _("goal version")
        verbose_name_plural = _("goal versions")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "goal"],
                name="goalversion_once_per_decision",
                violation_error_message=_("This decision already sets this goal."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="goalversion_weight_between_1_and_100",
                violation_error_message=_("The weight lies between 1 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code} · {self.decision}"

    # The goal fields a decision freezes, in the order the documents show them.
    FROZEN_FIELDS = [
        "title",
        "indicator",
        "unit_of_measure",
        "baseline",
        "target",
        "deadline",
        "weight",
    ]

    @classmethod
    def snapshot(cls, *, goal: Goal, decision: MayoralDecision) -> "GoalVersion":
        """An unsaved version holding the goal's current values."""
        values = {field: getattr(goal, field) for field in cls.FROZEN_FIELDS}
        return cls(decision=decision, goal=goal, **values)

    def differences_from(self, other: "GoalVersion | Goal") -> list[dict[str, object]]:
        """Field by field, what this version changes compared with another one (or the goal)."""
        changes = []
        for field in self.FROZEN_FIELDS:
            before, after = getattr(other, field), getattr(self, field)
            if before != after:
                label = self._meta.get_field(field).verbose_name
                changes.append({"field": field, "label": label, "old": before, "new": after})
        return changes


class GoalScopedQuerySet(models.QuerySet):
    """Rows that belong to a goal: oversight reads all, a directorate's people their own."""

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        if user.directorate_id:
            return self.filter(goal__directorate_id=user.directorate_id)
        return self.none()


class AllocationQuerySet(GoalScopedQuerySet):
    def reportable_by(self, user) -> "AllocationQuerySet":
        """What this person reports progress on: their department's or directorate's allocations."""
        open_phases = [GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING]
        queryset = self.filter(goal__cycle__phase__in=open_phases)
        if user.is_head_of_directorate:
            return queryset.filter(goal__directorate_id=user.directorate_id)
        if user.is_head_of_department:
            return queryset.filter(department_id=user.department_id)
        return self.none()


class Allocation(models.Model):
    """A goal's share for one department (επιμερισμός), with the department's own target."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="allocations"
    )
    department = models.ForeignKey(
        "directorates.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    specification = models.TextField(
        _("specification"), blank=True, help_text=_("What the department does towards the goal.")
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"))
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The department's part of the goal; the shares of a goal add up to 100."),
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("allocated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "department__order", "department__name"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "department"],
                name="allocation_once_per_department",
                violation_error_message=_("This goal is already allocated to this department."),
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=100),
                name="allocation_share_between_0_and_100",
                violation_error_message=_("A share lies above 0 and up to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code} → {self.department}"


class ProgressUpdate(models.Model):
    """A measured value of a goal, or of one department's allocation, on a date."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        BEHIND = "behind", _("Behind")

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="progress_updates"
    )
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("allocation"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
        null=True,
        blank=True,
        help_text=_("Empty when the head of directorate reports on the whole goal."),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    status = models.CharField(_("status"), max_length=20, choices=Status)
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = GoalScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-measured_on", "-created_at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["goal", "-measured_on"], name="progress_goal_latest")]

    def __str__(self) -> str:
        return f"{self.goal.code} {self.measured_on}: {self.value}"


class GoalEvaluation(models.Model):
    """A goal's final value at year end, its achievement, and why it fell short if it did."""

    goal = models.OneToOneField(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="evaluation"
    )
    final_value = models.DecimalField(_("final value"), max_digits=14, decimal_places=2)
    achievement = models.DecimalField(
        _("achievement (%)"), max_digits=7, decimal_places=1, editable=False
    )
    justification = models.TextField(
        _("justification"), blank=True, help_text=_("Required when the goal falls short of 100%.")
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal"]
        verbose_name = _("goal evaluation")
        verbose_name_plural = _("goal evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(achievement__gte=100) | ~Q(justification=""),
                name="evaluation_shortfall_justified",
                violation_error_message=_("Explain why the goal fell short of 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code}: {self.achievement}%"

    def save(self, *args, **kwargs):
        self.achievement = compute_achievement(
            kind=self.goal.target_kind,
            baseline=self.goal.baseline,
            target=self.goal.target,
            value=self.final_value,
        )
        super().save(*args, **kwargs)
