"""Observations on goals and the General Secretary's answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.forms.fields import DateInput
from goals.models import (
    Observation,
)


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
