"""The General Secretary's form of a cycle: its year and consultation dates."""

from django import forms

from goals.forms.fields import DateInput
from goals.models import (
    GoalCycle,
)


class GoalCycleForm(forms.ModelForm):
    class Meta:
        model = GoalCycle
        fields = ["year", "consultation_opens_on", "consultation_closes_on"]
        widgets = {
            "consultation_opens_on": DateInput(),
            "consultation_closes_on": DateInput(),
        }
