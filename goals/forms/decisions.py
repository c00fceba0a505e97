"""Mayoral decisions: the draft's wording, signing, posting, amendments' changes, the scan."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate, User
from directorates.roles import Role
from goals.forms.fields import DateInput, ModelIdsField
from goals.indicators import weights_refusal
from goals.models import (
    Goal,
    GoalIndicator,
    GoalVersion,
    GoalVersionIndicator,
    MayoralDecision,
    ProgrammeAction,
)
from goals.models.decisions import ada_validator, normalise_ada


class DecisionDraftForm(forms.ModelForm):
    """The General Secretary's wording of a draft decision (and what a correction corrects)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = MayoralDecision
        fields = ["subject", "correction_note", "considerations", "text"]
        widgets = {
            "correction_note": forms.Textarea(attrs={"rows": 2}),
            "considerations": forms.Textarea(attrs={"rows": 6}),
            "text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_correction:
            self.fields["correction_note"].required = True
        else:
            del self.fields["correction_note"]


class SignDecisionForm(forms.Form):
    """What is recorded when the Mayor, or a Deputy Mayor, signs the decision."""

    signatory = forms.ModelChoiceField(
        label=_("Signed by"),
        queryset=User.objects.none(),
        help_text=_('A Deputy Mayor signs "by order of the Mayor"; the decision says so.'),
    )
    number = forms.CharField(label=_("Decision number"), max_length=30)
    protocol_number = forms.CharField(label=_("Protocol number"), max_length=30)
    decision_date = forms.DateField(label=_("Date"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, decision: MayoralDecision, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        # Who may be named: oneself, unless an administrator records someone's signature.
        people = signatories()
        if not user.is_administrator:
            people = people.filter(pk=user.pk)
            self.fields["signatory"].initial = user.pk
        self.fields["signatory"].queryset = people
        self.fields["signatory"].label_from_instance = _signatory_label

    def clean_protocol_number(self) -> str:
        """A protocol number is written without a thousands separator: "6.842" is 6842."""
        number = self.cleaned_data["protocol_number"].strip()
        if re.fullmatch(r"\d{1,3}(?:[.\s]\d{3})+", number):
            number = re.sub(r"[.\s]", "", number)
        return number

    def clean_decision_date(self):
        decision_date = self.cleaned_data["decision_date"]
        if decision_date > timezone.localdate():
            raise forms.ValidationError(_("A decision cannot be dated in the future."))
        if decision_date.year < self.decision.cycle.year - 1:
            raise forms.ValidationError(_("The date is too early for this cycle."))
        return decision_date


def signatories():
    """Who may sign a decision: the Mayor and the Deputy Mayors."""
    return (
        User.objects.filter(groups__name__in=[Role.MAYOR, Role.DEPUTY_MAYOR], is_active=True)
        .distinct()
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "pk")
    )


def _signatory_label(user: User) -> str:
    role = Role.MAYOR if user.is_mayor else Role.DEPUTY_MAYOR
    return f"{user} ({user.title(role)})"


class PostDecisionForm(forms.Form):
    """The posting on Diavgeia: the ΑΔΑ it gave and the day."""

    ada = forms.CharField(
        label=_("ΑΔΑ (Diavgeia)"),
        max_length=20,
        help_text=_("The decision's unique number on Diavgeia, e.g. Ψ4ΚΣΩΗΓ-3ΞΛ."),
    )
    posted_on = forms.DateField(label=_("Posted on"), widget=DateInput())
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

    def clean_posted_on(self):
        posted_on = self.cleaned_data["posted_on"]
        if posted_on > timezone.localdate():
            raise forms.ValidationError(_("The posting date cannot be in the future."))
        if self.decision.decision_date and posted_on < self.decision.decision_date:
            raise forms.ValidationError(_("A decision is posted on or after the day it is signed."))
        return posted_on


class AmendmentChoiceForm(forms.Form):
    """An adopted goal the draft amendment does not touch yet, to change or to withdraw."""

    goal = forms.ModelChoiceField(label=_("Adopted goal"), queryset=Goal.objects.none())

    def __init__(self, *args, decision: MayoralDecision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = decision.cycle.goals.filter(
            status=Goal.Status.ADOPTED
        ).exclude(versions__decision=decision)


class GoalAdditionForm(forms.Form):
    """A goal written during the year, which the amendment adopts, and why."""

    goal = forms.ModelChoiceField(label=_("Goal to add"), queryset=Goal.objects.none())
    reason = forms.CharField(
        label=_("Reason for the addition"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, decision: MayoralDecision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = decision.cycle.goals.filter(
            status__in=Goal.AWAITING_ADOPTION
        ).exclude(versions__decision=decision)


class GoalWithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason the goal is withdrawn.")},
    )


class WindowOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the override"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the override.")},
    )


class GoalChangeForm(forms.ModelForm):
    """The new values an amendment gives to one goal: any of the fields a decision sets, its
    participating directorates among them (its further indicators: `version_indicator_formset`).
    """

    class Meta:
        model = GoalVersion
        fields = [
            GoalVersion.FROZEN_FIELDS[0],
            "participating_directorates",
            *GoalVersion.FROZEN_FIELDS[1:],
            "reason",
        ]
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "participating_directorates": forms.CheckboxSelectMultiple,
        }
        field_classes = {"participating_directorates": ModelIdsField}
        help_texts = {
            "directorate": _(
                "A goal moves to another directorate only while no department has reported "
                "progress on it; its allocations then end, and the new head allocates it."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["directorate"].queryset = Directorate.objects.active()
        self.fields["participating_directorates"].queryset = Directorate.objects.active()
        self.fields["participating_directorates"].help_text = _(
            "A cross-cutting goal: the other directorates that take part in it."
        )
        self.fields["programme_action"].queryset = ProgrammeAction.objects.select_related("measure")
        self.fields["programme_action"].empty_label = _("No link to the programme")


class VersionIndicatorForm(forms.ModelForm):
    """One further indicator as the amendment leaves it; `source` names the goal's indicator it
    changes (empty for a new one)."""

    source = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = GoalVersionIndicator
        fields = GoalVersionIndicator.FROZEN_FIELDS
        help_texts = {
            "baseline": _("The value at the start. Leave empty for a milestone."),
            "target": _("The value to reach. Leave empty for a milestone."),
        }


class BaseVersionIndicatorFormSet(forms.BaseFormSet):
    """The further indicators an amendment gives a goal; with the goal's own indicator their
    weights add up to 100 (the goal form's rule and message)."""

    def __init__(self, *args, goal: Goal, **kwargs):
        self.goal = goal
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        # A row standing for an indicator of the goal is checked even when unchanged (a form
        # whose INITIAL_FORMS undercounts them would otherwise skip it as an empty extra row).
        form = super()._construct_form(i, **kwargs)
        if i < len(self.initial or []):
            form.empty_permitted = False
        return form

    def rows(self) -> list[dict]:
        """The kept rows in the form's order, each with `source`: the goal's indicator or None."""
        in_force = {indicator.pk: indicator for indicator in self.goal.extra_indicators.all()}
        rows = []
        for form in self.forms:
            if self._should_delete_form(form) or not form.has_changed() and not form.initial:
                continue
            row = {name: form.cleaned_data[name] for name in GoalVersionIndicator.FROZEN_FIELDS}
            row["source"] = in_force.get(form.cleaned_data.get("source"))
            rows.append(row)
        return rows

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        message = weights_refusal(row["weight"] for row in self.rows())
        if message:
            raise forms.ValidationError(message)


def version_indicator_formset(*, extra: int = 1) -> type[BaseVersionIndicatorFormSet]:
    """Room for `extra` more indicators below the goal's: leave a row empty to skip it."""
    return forms.formset_factory(
        VersionIndicatorForm, formset=BaseVersionIndicatorFormSet, extra=extra, can_delete=True
    )


def version_indicator_initial(indicators) -> list[dict]:
    """A formset's initial rows from a goal's indicators or a version's frozen ones."""
    return [
        {
            **{name: getattr(row, name) for name in GoalVersionIndicator.FROZEN_FIELDS},
            "source": row.pk if isinstance(row, GoalIndicator) else row.source_id,
        }
        for row in indicators
    ]


class ScanForm(forms.Form):
    scan = forms.FileField(
        label=_("Signed decision (PDF, up to 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
