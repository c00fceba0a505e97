"""A goal's form, limited to what the person may choose."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate
from goals.forms.fields import DateInput, ModelIdsField
from goals.models import (
    Goal,
    GoalCycle,
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
