"""Mayoral decisions that adopt or amend a cycle's goals, and the goal versions they froze."""

import datetime
import unicodedata

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from goals.changes import FieldChange, goal_changes
from goals.models.cycles import GoalCycle
from goals.models.goals import Goal
from goals.models.programme import validate_budget_code
from goals.uploads import PDF, random_name

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
    return random_name("decisions", PDF)


class MayoralDecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MayoralDecisionQuerySet":
        """Signed decisions are public inside the body; drafts only to the Mayor's office and GS."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        return self.exclude(status=MayoralDecision.Status.DRAFT)

    def posted(self) -> "MayoralDecisionQuerySet":
        """Posted on Diavgeia, so in force (Law 3861/2010 art. 2)."""
        return self.filter(status=MayoralDecision.Status.POSTED)

    def posting_late(self, *, today: datetime.date, days: int) -> "MayoralDecisionQuerySet":
        """Signed but still not posted, more than `days` days after their date."""
        return self.filter(_posting_late(today=today, days=days))

    def with_posting_late(self, *, today: datetime.date, days: int) -> "MayoralDecisionQuerySet":
        """Each decision with `posting_late`: whether `posting_late` would list it."""
        return self.annotate(
            posting_late=ExpressionWrapper(
                _posting_late(today=today, days=days), output_field=models.BooleanField()
            )
        )


def _posting_late(*, today: datetime.date, days: int) -> Q:
    return Q(status="signed", decision_date__lt=today - datetime.timedelta(days=days))


class MayoralDecision(models.Model):
    """A decision of the Mayor (απόφαση Δημάρχου) adopting a cycle's goals, amending them, or
    re-issuing a decision corrected (ορθή επανάληψη).

    Its life: a draft prepared by the General Secretary; signed by the Mayor or a Deputy Mayor
    "by order of the Mayor" (number, protocol number, date); posted on Diavgeia, which gives it
    its ΑΔΑ and puts it in force: only then does it adopt or amend goals.
    """

    class Kind(models.TextChoices):
        ADOPTION = "adoption", _("Adoption of the goals")
        AMENDMENT = "amendment", _("Amendment of an earlier decision")
        CORRECTION = "correction", _("Corrected re-issue of an earlier decision")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed, not yet posted")
        POSTED = "posted", _("Posted on Diavgeia, in force")

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
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects decision"),
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
    )
    correction_note = models.TextField(
        _("what is corrected"),
        blank=True,
        help_text=_('Said on both decisions, e.g. "the target of goal OIK-01".'),
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
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="signed_decisions",
        null=True,
        blank=True,
        help_text=_("The Mayor, or a Deputy Mayor signing by order of the Mayor."),
    )
    by_order_of_the_mayor = models.BooleanField(
        _("signed by order of the Mayor"),
        default=False,
        help_text=_('A Deputy Mayor signed it "by order of the Mayor" (με εντολή Δημάρχου).'),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signature recorded by"),
        on_delete=models.PROTECT,
        related_name="recorded_decisions",
        null=True,
        blank=True,
    )
    signed_at = models.DateTimeField(_("signature recorded at"), null=True, blank=True)
    recorded_on_behalf = models.BooleanField(
        _("recorded on the signatory's behalf"),
        default=False,
        help_text=_("An administrator recorded the decision the signatory signed."),
    )
    posted_on = models.DateField(_("posted on Diavgeia on"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posting recorded by"),
        on_delete=models.PROTECT,
        related_name="posted_decisions",
        null=True,
        blank=True,
    )
    posted_at = models.DateTimeField(_("posting recorded at"), null=True, blank=True)
    scan = models.FileField(
        _("signed decision (scan)"), upload_to=decision_scan_path, blank=True, max_length=200
    )
    # An amendment dated outside its cycle's revision window takes effect only with the General
    # Secretary's override, recorded with who, when and why.
    window_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revision window overridden by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    window_overridden_at = models.DateTimeField(
        _("revision window overridden at"), null=True, blank=True
    )
    window_override_reason = models.TextField(_("reason for the override"), blank=True)
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
                    & Q(decision_date__isnull=False, signatory__isnull=False)
                    & Q(recorded_by__isnull=False, signed_at__isnull=False)
                ),
                name="decision_signed_is_complete",
                violation_error_message=_(
                    "A signed decision has a number, a protocol number, a date and who signed it."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="posted")
                    & ~Q(ada="")
                    & Q(posted_on__isnull=False, posted_by__isnull=False, posted_at__isnull=False)
                )
                | (~Q(status="posted") & Q(ada="", posted_on__isnull=True)),
                name="decision_ada_once_posted",
                violation_error_message=_(
                    "A decision has an ΑΔΑ once it is posted on Diavgeia, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="adoption", amends__isnull=True, corrects__isnull=True)
                | Q(kind="amendment", amends__isnull=False, corrects__isnull=True)
                | Q(kind="correction", amends__isnull=True, corrects__isnull=False),
                name="decision_names_what_it_amends_or_corrects",
                violation_error_message=_(
                    "An amendment names the decision it amends; a corrected re-issue, the one "
                    "it corrects."
                ),
            ),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(kind="adoption") & ~Q(status="draft"),
                name="decision_one_signed_adoption_per_cycle",
                violation_error_message=_("The goals of this cycle were already adopted."),
            ),
            models.CheckConstraint(
                condition=Q(window_overridden_by__isnull=True)
                | (
                    Q(kind="amendment", window_overridden_at__isnull=False)
                    & ~Q(window_override_reason="")
                ),
                name="decision_window_override_is_recorded",
                violation_error_message=_(
                    "An override of the revision window is recorded with when and why, on an "
                    "amendment."
                ),
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
            return _("Decision %(reference)s") % {"reference": self.reference}
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
    def is_signed(self) -> bool:
        """Signed and not yet posted: not in force."""
        return self.status == self.Status.SIGNED

    @property
    def is_posted(self) -> bool:
        """Posted on Diavgeia: in force."""
        return self.status == self.Status.POSTED

    @property
    def is_amendment(self) -> bool:
        return self.kind == self.Kind.AMENDMENT

    @property
    def is_correction(self) -> bool:
        return self.kind == self.Kind.CORRECTION

    @property
    def corrected_or_self(self) -> "MayoralDecision":
        """The decision whose goals this one's document lists: the corrected one, for a
        corrected re-issue (which replaces the wording, not the goals)."""
        return self.corrects if self.corrects_id else self

    def posting_due_on(self, days: int) -> datetime.date | None:
        """The last day to post a signed decision on Diavgeia before it is flagged."""
        if not self.decision_date:
            return None
        return self.decision_date + datetime.timedelta(days=days)

    @property
    def reference(self) -> str:
        """The decision's number and year as cited ("118/2024"); empty for a draft."""
        if not self.number:
            return ""
        year = self.decision_date.year if self.decision_date else self.cycle.year
        return f"{self.number}/{year}"

    @property
    def consideration_lines(self) -> list[str]:
        return [line.strip() for line in self.considerations.splitlines() if line.strip()]

    @property
    def is_window_overridden(self) -> bool:
        return self.window_overridden_by_id is not None

    @property
    def diavgeia_url(self) -> str:
        return f"https://diavgeia.gov.gr/decision/view/{self.ada}" if self.ada else ""


class GoalVersion(models.Model):
    """A goal's values as one decision set them: frozen on adoption; added, changed or withdrawn
    by an amendment."""

    class Change(models.TextChoices):
        ADOPTED = "adopted", pgettext_lazy("goal in a decision", "Adopted")
        ADDED = "added", pgettext_lazy("goal in a decision", "Added")
        CHANGED = "changed", pgettext_lazy("goal in a decision", "Changed")
        WITHDRAWN = "withdrawn", pgettext_lazy("goal in a decision", "Withdrawn")

    decision = models.ForeignKey(
        MayoralDecision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="goal_versions",
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="versions"
    )
    change = models.CharField(
        _("what the decision does"), max_length=20, choices=Change, default=Change.ADOPTED
    )
    directorate = models.ForeignKey(
        "directorates.Directorate",
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    participating_directorates = models.ManyToManyField(
        "directorates.Directorate",
        verbose_name=_("participating directorates"),
        related_name="+",
        blank=True,
    )
    category = models.CharField(_("category"), max_length=20, choices=Goal.Category)
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100, blank=True)
    target_kind = models.CharField(_("kind of target"), max_length=20, choices=Goal.TargetKind)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    programme_action = models.ForeignKey(
        "goals.ProgrammeAction",
        verbose_name=_("operational programme action"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    budget_code = models.CharField(
        _("budget code of expenditure"),
        max_length=20,
        blank=True,
        validators=[validate_budget_code],
    )
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
            models.CheckConstraint(
                condition=~Q(change="withdrawn") | ~Q(reason=""),
                name="goalversion_withdrawal_has_a_reason",
                violation_error_message=_("Give the reason the goal is withdrawn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code} · {self.decision}"

    # The goal fields a decision sets, in the order of the goal's form. Besides these, a version
    # freezes the participating directorates (`participants`, a many-to-many) and the further
    # indicators (`GoalVersionIndicator`).
    FROZEN_FIELDS = [
        "directorate",
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
        "budget_code",
    ]

    @classmethod
    def frozen_values(cls, source) -> dict[str, object]:
        """The frozen fields of a goal or a version, by column (`directorate_id`): no query."""
        return {
            Goal._meta.get_field(name).attname: getattr(source, Goal._meta.get_field(name).attname)
            for name in cls.FROZEN_FIELDS
        }

    @classmethod
    def snapshot(
        cls, *, goal: Goal, decision: MayoralDecision, change: str = Change.ADOPTED
    ) -> "GoalVersion":
        """An unsaved version holding the goal's current values."""
        return cls(decision=decision, goal=goal, change=change, **cls.frozen_values(goal))

    @property
    def is_added(self) -> bool:
        return self.change == self.Change.ADDED

    @property
    def is_withdrawal(self) -> bool:
        return self.change == self.Change.WITHDRAWN

    def differences_from(
        self, other: "GoalVersion | Goal", *, participants=None
    ) -> list[FieldChange]:
        """Field by field, what this version changes compared with another one (or the goal);
        `participants` are this version's participating directorates when not saved yet."""
        fields = list(self.FROZEN_FIELDS)
        fields.insert(1, "participating_directorates")
        return goal_changes(other, self, fields=fields, participants_after=participants)
