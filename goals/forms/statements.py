"""Choosing the year of the statements, and uploading the national platform's sheet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.forms.sheets import SpreadsheetUploadForm
from goals.models import GoalCycle


class StatementCycleForm(forms.Form):
    """The evaluation period whose statements are listed."""

    cycle = forms.ModelChoiceField(
        label=_("Evaluation period"),
        queryset=GoalCycle.objects.exclude(
            phase__in=[GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION]
        ).order_by("-year"),
        required=False,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class NationalImportForm(SpreadsheetUploadForm):
    """The sheet comes back for a year whose goals are followed or evaluated."""

    phases = (*GoalCycle.MONITORED_PHASES, GoalCycle.Phase.EVALUATION)
    help_text = _("The national platform's sheet downloaded from here, with your changes.")
