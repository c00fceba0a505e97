"""An employee's goal, its mid-year review and its year-end value: the evaluator's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.forms.fields import DateInput
from goals.models import Allocation, Goal, StaffGoal
from goals.services.staff import other_weights, weight_refusal


class ServedGoalSelect(forms.Select):
    """The goals an employee's goal may serve; each option carries the goal's indicator and unit
    of measure, which the page copies into the empty fields when one is chosen."""

    def __init__(self, *args, details=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.details = details or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        indicator, unit = self.details.get(str(value), ("", ""))
        option["attrs"].update({"data-indicator": indicator, "data-unit": unit})
        return option


def served_goals(employee, cycle) -> tuple[list[Allocation], list[Goal]]:
    """What an employee's goal may serve: their department's share of the year's adopted goals,
    and the adopted goals of their directorate (own or cross-cutting). Two queries."""
    allocations = []
    if employee.department_id:
        allocations = list(
            Allocation.objects.filter(
                department_id=employee.department_id,
                goal__cycle=cycle,
                goal__status=Goal.Status.ADOPTED,
            )
            .select_related("goal", "department")
            .order_by("goal__code")
        )
    goals = []
    if employee.directorate_id:
        goals = list(
            Goal.objects.filter(cycle=cycle, status=Goal.Status.ADOPTED)
            .concerning(employee.directorate_id)
            .order_by("code")
        )
    return allocations, goals


class StaffGoalForm(forms.ModelForm):
    """An employee's goal, linked to a goal of their department or directorate."""

    goal = forms.ChoiceField(
        label=_("Goal served"),
        help_text=_("The department's or the directorate's goal that this goal serves."),
        error_messages={
            "required": _("Choose the department's or directorate's goal that this goal serves."),
            "invalid_choice": _(
                "This goal is not one of the employee's department or directorate for this "
                "year: choose a goal of their unit."
            ),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StaffGoal
        fields = [
            "title",
            "indicator",
            "unit_of_measure",
            "baseline",
            "target",
            "deadline",
            "weight",
        ]
        widgets = {"deadline": DateInput()}
        help_texts = {
            "indicator": _("Left empty, it takes the indicator of the goal served."),
            "unit_of_measure": _("Left empty, it takes the unit of the goal served."),
            "baseline": _("The value at the start of the year, if known."),
            "weight": _("From 1 to 100; the employee's goals of the year add up to 100."),
        }
        error_messages = {
            "target": {"required": _("Set the target the employee is to reach.")},
            "weight": {"required": _("Give the goal a weight, from 1 to 100.")},
            "deadline": {"required": _("Set the date by which the goal is to be reached.")},
        }

    def __init__(self, *args, employee, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.employee = employee
        self.instance.cycle = cycle
        self.fields["version"].initial = self.instance.version
        self.fields["indicator"].required = False
        allocations, goals = served_goals(employee, cycle)
        self.served = {f"a{a.pk}": (a.goal, a) for a in allocations}
        self.served.update({f"g{goal.pk}": (goal, None) for goal in goals})
        choices = [("", _("Choose the goal served"))]
        if allocations:
            choices.append(
                (
                    _("Goals of the department"),
                    [(f"a{a.pk}", f"{a.goal.code} {a.goal.title}") for a in allocations],
                )
            )
        if goals:
            choices.append(
                (
                    _("Goals of the directorate"),
                    [(f"g{goal.pk}", f"{goal.code} {goal.title}") for goal in goals],
                )
            )
        details = {
            key: (goal.indicator, goal.unit_of_measure) for key, (goal, _a) in self.served.items()
        }
        self.fields["goal"].choices = choices
        self.fields["goal"].widget = ServedGoalSelect(choices=choices, details=details)
        if self.instance.goal_id:
            key = f"a{self.instance.allocation_id}" if self.instance.allocation_id else None
            self.initial["goal"] = key or f"g{self.instance.goal_id}"
        elif not self.is_bound:
            self.initial["deadline"] = f"{cycle.year}-12-31"

    def clean(self):
        cleaned = super().clean()
        chosen = self.served.get(cleaned.get("goal") or "")
        if chosen:
            goal, allocation = chosen
            self.instance.goal, self.instance.allocation = goal, allocation
            if not cleaned.get("indicator"):
                cleaned["indicator"] = goal.indicator
            if not cleaned.get("unit_of_measure"):
                cleaned["unit_of_measure"] = goal.unit_of_measure
        weight = cleaned.get("weight")
        if weight is not None:
            others = other_weights(
                employee=self.instance.employee,
                cycle=self.instance.cycle,
                excluding=self.instance.pk,
            )
            refusal = weight_refusal(weight=weight, others=others)
            if refusal:
                self.add_error("weight", refusal)
        return cleaned


class MidyearReviewForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StaffGoal
        fields = ["midyear_review"]
        widgets = {"midyear_review": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"midyear_review": _("How the goal is going, and what should change.")}
        error_messages = {"midyear_review": {"required": _("Write the mid-year review.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["midyear_review"].required = True
        self.fields["version"].initial = self.instance.version


class YearEndForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StaffGoal
        fields = ["final_value", "year_end_comment"]
        widgets = {"year_end_comment": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "final_value": _("The value of the indicator reached by the end of the year."),
            "year_end_comment": _("The evaluator's comment on the year's achievement."),
        }
        error_messages = {
            "final_value": {"required": _("Enter the value reached by the end of the year.")},
            "year_end_comment": {"required": _("Comment on the year's achievement.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["final_value"].required = True
        self.fields["year_end_comment"].required = True
        self.fields["version"].initial = self.instance.version
