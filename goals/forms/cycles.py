"""The General Secretary's form of a cycle: its year, consultation dates and revision window."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.forms.fields import DateInput
from goals.models import (
    GoalCycle,
)


class GoalCycleForm(forms.ModelForm):
    class Meta:
        model = GoalCycle
        fields = [
            "year",
            "consultation_opens_on",
            "consultation_closes_on",
            "revision_opens_on",
            "revision_closes_on",
        ]
        widgets = {
            "consultation_opens_on": DateInput(),
            "consultation_closes_on": DateInput(),
            "revision_opens_on": DateInput(),
            "revision_closes_on": DateInput(),
        }
        help_texts = {
            "revision_opens_on": _(
                "The revision window set by the Ministry's circular: amendments dated outside "
                "it need the General Secretary's recorded override."
            ),
        }
