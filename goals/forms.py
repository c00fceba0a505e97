from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate
from goals.achievement import achievement as compute_achievement
from goals.models import (
    GOAL_FIELDS,
    Allocation,
    Goal,
    GoalCycle,
    GoalVersion,
    MayoralDecision,
    Observation,
    ProgressUpdate,
    ada_validator,
    normalise_ada,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class GoalCycleForm(forms.ModelForm):
    class Meta:
        model = GoalCycle
        fields = ["year", "consultation_opens_on", "consultation_closes_on"]
        widgets = {
            "consultation_opens_on": DateInput(),
            "consultation_closes_on": DateInput(),
        }


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Chosen objects; an id that no database integer can hold is refused as unknown, not sent to
    the database (SQLite raises OverflowError on it: a 500)."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or int(pk) > 2**63 - 1:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class GoalForm(forms.ModelForm):
    """A goal; the choices are limited to what the person may use.

    The General Secretary chooses any open cycle, directorate and status; a head proposes for
    their own directorate, in a cycle that accepts proposals, and does not set the status.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["cycle", *GOAL_FIELDS]
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "participating_directorates": forms.CheckboxSelectMultiple,
        }
        field_classes = {"participating_directorates": ModelIdsField}
        help_texts = {
            "baseline": _("The value at the start. Leave empty for a milestone."),
            "target": _("The value to reach. Leave empty for a milestone."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        active = Directorate.objects.active()
        self.fields["participating_directorates"].queryset = active
        self.fields["programme_action"].queryset = self.fields[
            "programme_action"
        ].queryset.select_related("measure")
        if user.is_coordinator:
            self.fields["cycle"].queryset = GoalCycle.objects.exclude(phase=GoalCycle.Phase.CLOSED)
            self.fields["directorate"].queryset = active
        else:
            self.fields["cycle"].queryset = GoalCycle.objects.filter(
                phase__in=GoalCycle.PROPOSAL_PHASES
            )
            self.fields["directorate"].queryset = active.filter(pk=user.directorate_id)
            self.fields["directorate"].initial = user.directorate_id
            del self.fields["status"]
        self.fields["cycle"].empty_label = None
        self.fields["programme_action"].empty_label = _("No link to the programme")
        if self.instance.pk:
            # A goal stays in its cycle: moving it would break its code and its history.
            self.fields["cycle"].queryset = GoalCycle.objects.filter(pk=self.instance.cycle_id)
            self.fields["cycle"].disabled = True


class ObservationForm(forms.ModelForm):
    """An observation on one goal, optionally proposing a change to it."""

    class Meta:
        model = Observation
        fields = [
            "text",
            "proposed_title",
            "proposed_indicator",
            "proposed_target",
            "proposed_deadline",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "proposed_deadline": DateInput(),
        }
        help_texts = {
            "proposed_title": _("Leave empty to keep the current wording."),
            "proposed_indicator": _("Leave empty to keep the current indicator."),
        }


class GeneralObservationForm(forms.ModelForm):
    """An observation on a directorate's goal set as a whole."""

    class Meta:
        model = Observation
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[c for c in Observation.Status.choices if c[0] != Observation.Status.PENDING],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    apply_change = forms.BooleanField(
        label=_("Apply the proposed change to the goal now"),
        required=False,
        help_text=_("Only for an accepted or partly accepted observation."),
    )

    def __init__(self, *args, observation: Observation, **kwargs):
        super().__init__(*args, **kwargs)
        if not observation.proposes_change:
            del self.fields["apply_change"]

    def clean(self):
        cleaned = super().clean()
        accepting = cleaned.get("status") in (
            Observation.Status.ACCEPTED,
            Observation.Status.PARTLY_ACCEPTED,
        )
        if cleaned.get("apply_change") and not accepting:
            self.add_error("apply_change", _("Only an accepted observation can change the goal."))
        return cleaned


# =================================================================================================
# Issue 4: decisions, allocation, progress and evaluation.
# =================================================================================================
class DecisionDraftForm(forms.ModelForm):
    """The General Secretary's wording of a draft decision."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = MayoralDecision
        fields = ["subject", "considerations", "text"]
        widgets = {
            "considerations": forms.Textarea(attrs={"rows": 6}),
            "text": forms.Textarea(attrs={"rows": 6}),
        }


class IssueDecisionForm(forms.Form):
    """What the Mayor's office records when the signed decision is issued."""

    number = forms.CharField(label=_("Decision number"), max_length=30)
    protocol_number = forms.CharField(label=_("Protocol number"), max_length=30)
    decision_date = forms.DateField(label=_("Date"), widget=DateInput())
    ada = forms.CharField(
        label=_("ΑΔΑ (Diavgeia)"),
        max_length=20,
        help_text=_("The decision's unique number on Diavgeia, e.g. Ψ4ΚΣΩΗΓ-3ΞΛ."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, decision: MayoralDecision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision

    def clean_ada(self) -> str:
        ada = normalise_ada(self.cleaned_data["ada"])
        ada_validator(ada)
        taken = MayoralDecision.objects.filter(ada=ada).exclude(pk=self.decision.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another decision already has this ΑΔΑ."))
        return ada

    def clean_decision_date(self):
        decision_date = self.cleaned_data["decision_date"]
        if decision_date > timezone.localdate():
            raise forms.ValidationError(_("A decision cannot be dated in the future."))
        if decision_date.year < self.decision.cycle.year - 1:
            raise forms.ValidationError(_("The date is too early for this cycle."))
        return decision_date


class AmendmentChoiceForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal to change"), queryset=Goal.objects.none())

    def __init__(self, *args, decision: MayoralDecision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = decision.cycle.goals.filter(
            status=Goal.Status.ADOPTED
        ).exclude(versions__decision=decision)


class GoalChangeForm(forms.ModelForm):
    """The new values an amendment gives to one goal."""

    class Meta:
        model = GoalVersion
        fields = [*GoalVersion.FROZEN_FIELDS, "reason"]
        widgets = {"deadline": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True


class ScanForm(forms.Form):
    scan = forms.FileField(
        label=_("Signed decision (PDF, up to 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class AllocationForm(forms.ModelForm):
    """One department's part of a goal."""

    class Meta:
        model = Allocation
        fields = ["department", "specification", "baseline", "target", "deadline", "share"]
        widgets = {"deadline": DateInput(), "specification": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["department"].queryset = goal.directorate.departments.active()
        if goal.is_milestone:
            del self.fields["baseline"]
            del self.fields["target"]
        else:
            self.fields["target"].required = True

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline.year != self.goal.cycle.year:
            raise forms.ValidationError(_("The deadline falls within the cycle's year."))
        return deadline


class BaseAllocationFormSet(forms.BaseFormSet):
    def __init__(self, *args, goal: Goal, **kwargs):
        self.goal = goal
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "goal": self.goal}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            use_required_attribute=False,
            goal=self.goal,
        )
        self.add_fields(form, None)
        return form

    def rows(self) -> list[dict]:
        """The filled-in rows, without the ones marked for deletion or left empty."""
        rows = []
        for form in self.forms:
            if not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        return rows

    def clean(self):
        if any(self.errors):
            return
        rows = self.rows()
        departments = [row["department"] for row in rows]
        if len(set(departments)) != len(departments):
            raise forms.ValidationError(_("Each department appears once."))
        total = sum((row["share"] for row in rows), Decimal(0))
        if rows and total != 100:
            raise forms.ValidationError(
                _("The shares add up to %(total)s%%; they must add up to 100%%.")
                % {"total": floatformat(total, "-2")}
            )


def allocation_formset(*, extra: int) -> type[BaseAllocationFormSet]:
    """A formset with room for `extra` more departments (one row per department is enough)."""
    return forms.formset_factory(
        AllocationForm, formset=BaseAllocationFormSet, extra=extra, can_delete=True
    )


class ProgressForm(forms.ModelForm):
    """A measured value; the allocation choices are those the person reports on."""

    class Meta:
        model = ProgressUpdate
        fields = ["allocation", "value", "measured_on", "status", "comment"]
        widgets = {"measured_on": DateInput(), "comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, goal: Goal, allocations, whole_goal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = allocations
        self.fields["allocation"].required = not whole_goal
        self.fields["allocation"].empty_label = _("The whole goal") if whole_goal else None
        self.fields["allocation"].label = _("Reported for")
        self.fields["allocation"].help_text = ""
        if goal.is_milestone:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Done?"),
                choices=[("0", _("Not yet")), ("1", _("Yes, done"))],
                coerce=Decimal,
            )
        else:
            self.fields["value"].help_text = goal.unit_of_measure


class EvaluationForm(forms.Form):
    final_value = forms.DecimalField(label=_("Final value"), max_digits=14, decimal_places=2)
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required when the goal falls short of 100%."),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        if goal.is_milestone:
            self.fields["final_value"] = forms.TypedChoiceField(
                label=_("Achieved?"),
                choices=[("0", _("No")), ("1", _("Yes"))],
                coerce=Decimal,
            )

    def clean(self):
        cleaned = super().clean()
        if "final_value" not in cleaned:
            return cleaned
        percent = compute_achievement(
            kind=self.goal.target_kind,
            baseline=self.goal.baseline,
            target=self.goal.target,
            value=cleaned["final_value"],
        )
        if percent < 100 and not cleaned.get("justification", "").strip():
            self.add_error(
                "justification",
                _("The goal reaches %(percent)s%%: explain why it fell short of 100%%.")
                % {"percent": floatformat(percent, "-1")},
            )
        return cleaned


# --- Spreadsheets ---------------------------------------------------------------------------------
class SpreadsheetUploadForm(forms.Form):
    """A workbook to import into a cycle; subclasses say which cycles take one."""

    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=GoalCycle.objects.none())
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    phases: tuple[str, ...] = ()
    help_text = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = self.cycles()
        self.fields["cycle"].empty_label = None
        self.fields["file"].help_text = self.help_text

    @classmethod
    def cycles(cls):
        return GoalCycle.objects.filter(phase__in=cls.phases)


class GoalImportForm(SpreadsheetUploadForm):
    """Goals are imported into a cycle that is still in drafting or consultation."""

    phases = (GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION)
    help_text = _("Fill in the template, or a goal list exported from here, and upload it.")


class ProgressImportForm(SpreadsheetUploadForm):
    """Progress is imported for a cycle whose goals are being monitored."""

    phases = (GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING)
    help_text = _("The progress workbook downloaded from here, with the new values filled in.")
