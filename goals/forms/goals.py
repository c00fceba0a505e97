"""A goal's form, limited to what the person may choose, and its further indicators."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate
from goals.forms.fields import DateInput, ModelIdsField
from goals.indicators import weights_refusal
from goals.models import (
    Goal,
    GoalCycle,
    GoalIndicator,
    ProgrammeAction,
)
from goals.models.goals import GOAL_FIELDS
from goals.rules import may_draft_goals


class GoalForm(forms.ModelForm):
    """A goal; the choices are limited to what the person may use.

    The General Secretary chooses any open cycle, directorate and status; a head proposes for
    their own directorate, in a cycle that accepts proposals, and does not set the status.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = [
            "cycle",
            *GOAL_FIELDS[: GOAL_FIELDS.index("programme_action") + 1],
            "budget_code",
            *GOAL_FIELDS[GOAL_FIELDS.index("programme_action") + 1 :],
        ]
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
        if may_draft_goals(user):
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
        # The actions of the years' action programmes; the goal's own year is checked on saving.
        years = self.fields["cycle"].queryset.values("year")
        self.fields["programme_action"].queryset = (
            ProgrammeAction.objects.filter(action_programmes__year__in=years)
            .distinct()
            .order_by("code", "pk")
        )


class GoalIndicatorForm(forms.ModelForm):
    """One further indicator of a goal; its place in the form is its order."""

    class Meta:
        model = GoalIndicator
        fields = ["name", "unit_of_measure", "target_kind", "baseline", "target", "weight"]
        help_texts = {
            "baseline": _("The value at the start. Leave empty for a milestone."),
            "target": _("The value to reach. Leave empty for a milestone."),
        }


class BaseGoalIndicatorFormSet(forms.BaseInlineFormSet):
    """A goal's further indicators; with them, the weights of all its indicators add up to 100."""

    def rows(self) -> list[dict]:
        """The kept rows in the form's order, each with `indicator`: the stored one or None."""
        rows = []
        for form in self.forms:
            if self._should_delete_form(form) or not form.has_changed() and not form.instance.pk:
                continue
            row = {name: form.cleaned_data[name] for name in GoalIndicatorForm.Meta.fields}
            row["indicator"] = form.instance if form.instance.pk else None
            rows.append(row)
        return rows

    def removed(self) -> list[GoalIndicator]:
        return [form.instance for form in self.deleted_forms if form.instance.pk]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        message = weights_refusal(row["weight"] for row in self.rows())
        if message:
            raise forms.ValidationError(message)


def indicator_formset(*, extra: int = 1) -> type[BaseGoalIndicatorFormSet]:
    """Room for `extra` more indicators below the stored ones: leave a row empty to skip it."""
    return forms.inlineformset_factory(
        Goal,
        GoalIndicator,
        form=GoalIndicatorForm,
        formset=BaseGoalIndicatorFormSet,
        extra=extra,
        can_delete=True,
    )
