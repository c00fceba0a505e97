from django import forms
from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate
from goals.models import Goal, GoalCycle, Observation


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
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "participating_directorates": forms.CheckboxSelectMultiple,
        }
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
                phase__in=[GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION]
            )
            self.fields["directorate"].queryset = active.filter(pk=user.directorate_id)
            self.fields["directorate"].initial = user.directorate_id
            del self.fields["status"]
        self.fields["cycle"].empty_label = None
        if self.instance.pk:
            # A goal stays in its cycle: moving it would break its code and its history.
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
