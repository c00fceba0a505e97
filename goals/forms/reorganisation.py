"""The General Secretary's map of a new internal services organisation (ΟΕΥ): the successors of
each abolished unit, then, for a unit that splits, where each goal, allocation and person goes.

Choices are built once from the plan (`goals.services.reorganisation.reorganisation_plan`), so
the page's queries do not grow with the number of units."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.services.reorganisation import ReorganisationPlan, UnitMove


class UnitMapForm(forms.Form):
    """For each unit the act abolished, the unit or units that succeed it."""

    def __init__(self, *args, plan: ReorganisationPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        directorates = [(str(d.pk), str(d)) for d in plan.candidate_directorates]
        departments = {}
        for department in plan.candidate_departments:
            departments.setdefault(str(department.directorate), []).append(
                (str(department.pk), str(department))
            )
        department_choices = list(departments.items())
        for move in plan.moves:
            choices = directorates if move.is_directorate else department_choices
            name = self.field_name(move)
            self.fields[name] = forms.MultipleChoiceField(
                label=move.unit.display_name,
                choices=choices,
                widget=forms.SelectMultiple(attrs={"size": 6}),
                help_text=_(
                    "One unit, or several when the unit splits (hold Ctrl, or ⌘ on a Mac, to "
                    "choose more than one)."
                ),
                error_messages={"required": _("Choose the unit or units that succeed it.")},
            )
            self.initial.setdefault(name, [str(unit.pk) for unit in move.successors])

    @staticmethod
    def field_name(move: UnitMove) -> str:
        prefix = "directorate" if move.is_directorate else "department"
        return f"{prefix}_{move.unit.pk}"

    def successors(self) -> tuple[dict, dict]:
        """The chosen successors, as the service takes them."""
        directorates = {d.pk: d for d in self.plan.candidate_directorates}
        departments = {d.pk: d for d in self.plan.candidate_departments}
        by_directorate, by_department = {}, {}
        for move in self.plan.moves:
            chosen = [int(pk) for pk in self.cleaned_data[self.field_name(move)]]
            if move.is_directorate:
                by_directorate[move.unit.pk] = [directorates[pk] for pk in chosen]
            else:
                by_department[move.unit.pk] = [departments[pk] for pk in chosen]
        return by_directorate, by_department


class SplitForm(forms.Form):
    """For each unit that splits: where each of its open goals, allocations and people goes."""

    KINDS = ("goal", "allocation", "person")

    def __init__(self, *args, plan: ReorganisationPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for move in plan.splits:
            choices = [("", _("— choose —"))] + [(str(u.pk), str(u)) for u in move.successors]
            names = []
            items = [("goal", goal, f"{goal.code} {goal.title}") for goal in move.goals]
            items += [("allocation", a, f"{a.goal.code} {a.goal.title}") for a in move.allocations]
            items += [("person", person, str(person)) for person in move.people]
            for kind, item, label in items:
                name = f"{kind}_{item.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    error_messages={"required": _("Choose where it goes.")},
                )
                names.append(name)
            self.groups.append({"move": move, "names": names})

    def destinations(self) -> dict[tuple[str, int], int]:
        chosen = {}
        for name, value in self.cleaned_data.items():
            kind, pk = name.split("_", 1)
            chosen[(kind, int(pk))] = int(value)
        return chosen

    def grouped_fields(self) -> list[dict]:
        """The fields of each splitting unit, for the template to show under its name."""
        return [
            {"move": group["move"], "fields": [self[name] for name in group["names"]]}
            for group in self.groups
        ]
