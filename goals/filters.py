import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate
from goals.forms.fields import QuickSelect
from goals.models import Goal, GoalCycle


class GoalFilter(django_filters.FilterSet):
    """The goal list's filters; the view fills in the current cycle when none is chosen."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Code, title, description or indicator; accents and case do not matter."),
    )
    cycle = django_filters.ModelChoiceFilter(
        label=_("Cycle"), queryset=GoalCycle.objects.all(), empty_label=None
    )
    directorate = django_filters.ModelChoiceFilter(
        label=_("Directorate"),
        queryset=Directorate.objects.active(),
        method="concerning",
        empty_label=_("All directorates"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Goal.Category.choices, empty_label=_("All categories")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Goal.Status.choices, empty_label=_("All statuses")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Directorate and code"),
        fields=[
            ("code", "code"),
            ("title", "title"),
            ("deadline", "deadline"),
            ("weight", "weight"),
        ],
        field_labels={
            "code": _("Code"),
            "title": _("Title"),
            "deadline": _("Deadline"),
            "weight": _("Weight"),
        },
    )

    class Meta:
        model = Goal
        fields = ["q", "cycle", "directorate", "category", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["cycle"].label_from_instance = lambda cycle: str(cycle.year)
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:  # not the sort's, which reads a list
                field.widget = QuickSelect(choices=field.choices)
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    def qs_without(self, *names: str):
        """The goals the other filters choose: e.g. without the category, to count per category.

        The form is validated once; its values are applied again, as `qs` applies them."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.form.is_valid()  # cleaned_data then holds the valid values, as `qs` uses them
        for name, value in self.form.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def search(self, queryset, name, value):
        return queryset.search(value)

    def concerning(self, queryset, name, value):
        """A directorate's goals include the cross-cutting goals it takes part in."""
        return queryset.concerning(value.pk)
