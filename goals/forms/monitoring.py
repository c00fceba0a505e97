"""Allocation to departments, progress updates and year-end evaluation."""

from decimal import Decimal

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from goals.forms.fields import DateInput
from goals.models import (
    Allocation,
    Goal,
    ProgressUpdate,
)

# What the head of directorate writes for each department goal.
ALLOCATION_FIELDS = [
    "department",
    "title",
    "specification",
    "indicator",
    "unit_of_measure",
    "baseline",
    "target",
    "deadline",
    "share",
]


def derived_from(goal: Goal) -> dict:
    """What a department goal starts from: its directorate goal's title, indicator and target."""
    derived = {
        "title": goal.title,
        "indicator": goal.indicator,
        "unit_of_measure": goal.unit_of_measure,
        "deadline": goal.deadline,
    }
    if not goal.is_milestone:
        derived |= {"baseline": goal.baseline, "target": goal.target}
    return derived


class AllocationForm(forms.ModelForm):
    """One department's goal: its part of a directorate goal, with its own title, indicator and
    target; a new row starts from the goal's."""

    class Meta:
        model = Allocation
        fields = ALLOCATION_FIELDS
        widgets = {"deadline": DateInput(), "specification": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, goal: Goal, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["department"].queryset = departments
        for name, value in derived_from(goal).items():
            self.fields[name].initial = value
        if goal.is_milestone:
            del self.fields["baseline"]
            del self.fields["target"]
        else:
            self.fields["target"].required = True

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline.year != self.goal.cycle.year:
            raise forms.ValidationError(_("The deadline falls within the cycle's year."))
        return deadline


class BaseAllocationFormSet(forms.BaseFormSet):
    """The departments' parts of a goal, among `departments`: those of the directorates the
    person allocates it for (its own; a participating one's for a cross-cutting goal)."""

    def __init__(self, *args, goal: Goal, departments, **kwargs):
        self.goal = goal
        self.departments = departments
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "goal": self.goal,
            "departments": self.departments,
        }

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            use_required_attribute=False,
            goal=self.goal,
            departments=self.departments,
        )
        self.add_fields(form, None)
        return form

    def rows(self) -> list[dict]:
        """The filled-in rows, without the ones marked for deletion or left empty."""
        rows = []
        for form in self.forms:
            if not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        return rows

    def clean(self):
        if any(self.errors):
            return
        rows = self.rows()
        departments = [row["department"] for row in rows]
        if len(set(departments)) != len(departments):
            raise forms.ValidationError(_("Each department appears once."))
        total = sum((row["share"] for row in rows), Decimal(0))
        if rows and total != 100:
            raise forms.ValidationError(
                _("The shares add up to %(total)s%%; they must add up to 100%%.")
                % {"total": floatformat(total, "-2")}
            )


def allocation_formset(*, extra: int) -> type[BaseAllocationFormSet]:
    """A formset with room for `extra` more departments (one row per department is enough)."""
    return forms.formset_factory(
        AllocationForm, formset=BaseAllocationFormSet, extra=extra, can_delete=True
    )


def indicator_value_field(*, kind: str, label: str, unit: str) -> forms.Field:
    """The field of one indicator's measured value: a number, or done/not yet for a milestone."""
    if kind == Goal.TargetKind.MILESTONE:
        return forms.TypedChoiceField(
            label=label,
            choices=[("0", _("Not yet")), ("1", _("Yes, done"))],
            coerce=Decimal,
        )
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, help_text=unit)


def add_indicator_fields(form: forms.BaseForm, goal: Goal, *, first: str, before=()) -> None:
    """Give a value form one field per further indicator of the goal (`goal.indicator_list`,
    from `goals.indicators.attach_indicators`), after the field of the first indicator, which
    then takes the indicator's name as its label."""
    form.indicators = getattr(goal, "indicator_list", None)
    if form.indicators is None:  # a goal loaded without them: one query
        form.indicators = list(goal.extra_indicators.order_by("order", "pk"))
    if not form.indicators:
        return
    form.fields[first].label = goal.indicator
    for indicator in form.indicators:
        form.fields[f"indicator_{indicator.pk}"] = indicator_value_field(
            kind=indicator.target_kind, label=indicator.name, unit=indicator.unit_of_measure
        )
    form.order_fields([*before, first, *(f"indicator_{i.pk}" for i in form.indicators)])


def further_values(form: forms.BaseForm) -> dict:
    """The cleaned values of the further indicators, by the indicator's id."""
    return {
        indicator.pk: form.cleaned_data[f"indicator_{indicator.pk}"]
        for indicator in form.indicators
    }


class ProgressForm(forms.ModelForm):
    """A measured value, one for each of the goal's indicators (`goal` from
    `reports.with_achievement`); the allocation choices are those the person reports on."""

    class Meta:
        model = ProgressUpdate
        fields = ["allocation", "value", "measured_on", "status", "comment"]
        widgets = {"measured_on": DateInput(), "comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, goal: Goal, allocations, whole_goal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = allocations
        self.fields["allocation"].required = not whole_goal
        self.fields["allocation"].empty_label = _("The whole goal") if whole_goal else None
        self.fields["allocation"].label = _("Reported for")
        self.fields["allocation"].help_text = ""
        if goal.is_milestone:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Done?"),
                choices=[("0", _("Not yet")), ("1", _("Yes, done"))],
                coerce=Decimal,
            )
        else:
            self.fields["value"].help_text = goal.unit_of_measure
        self.indicators = goal.indicator_list
        if self.indicators:
            self.fields["value"].label = goal.indicator
        for indicator in self.indicators:
            field = indicator_value_field(
                kind=indicator.target_kind, label=indicator.name, unit=indicator.unit_of_measure
            )
            self.fields[f"indicator_{indicator.pk}"] = field
        # The further indicators' values follow the first's, before the date.
        self.order_fields(["allocation", "value", *(f"indicator_{i.pk}" for i in self.indicators)])

    def measurement(self) -> dict:
        """What `record_progress` takes, from the cleaned form."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["indicator_values"] = {
            indicator.pk: self.cleaned_data[f"indicator_{indicator.pk}"]
            for indicator in self.indicators
        }
        return data


class EvaluationForm(forms.Form):
    final_value = forms.DecimalField(label=_("Final value"), max_digits=14, decimal_places=2)
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required when the goal falls short of 100%."),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        if goal.is_milestone:
            self.fields["final_value"] = forms.TypedChoiceField(
                label=_("Achieved?"),
                choices=[("0", _("No")), ("1", _("Yes"))],
                coerce=Decimal,
            )
        add_indicator_fields(self, goal, first="final_value")

    def clean(self):
        cleaned = super().clean()
        names = ["final_value", *(f"indicator_{i.pk}" for i in self.indicators)]
        if any(name not in cleaned for name in names):
            return cleaned
        percent = self.goal.achievement_of(
            cleaned["final_value"],
            {str(pk): str(value) for pk, value in further_values(self).items()},
        )
        if percent < 100 and not cleaned.get("justification", "").strip():
            self.add_error(
                "justification",
                _("The goal reaches %(percent)s%%: explain why it fell short of 100%%.")
                % {"percent": floatformat(percent, "-1")},
            )
        return cleaned
