"""Uploading a workbook to import goals or progress updates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.models import (
    GoalCycle,
)


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

    phases = GoalCycle.MONITORED_PHASES
    help_text = _("The progress workbook downloaded from here, with the new values filled in.")
