"""Risks and blockers on a goal: raising one, and saying how it was resolved."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.forms.fields import DateInput
from goals.models import GoalBlocker


class GoalBlockerForm(forms.ModelForm):
    class Meta:
        model = GoalBlocker
        fields = ["kind", "description", "impact", "since", "help_needed"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "impact": forms.Textarea(attrs={"rows": 3}),
            "since": DateInput(),
            "help_needed": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": _("A risk may stop the goal; a blocker already stops it."),
            "help_needed": _("From whom, and what: another directorate, the General Secretary…"),
        }


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
