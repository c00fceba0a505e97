import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BaseCSVWidget

from directorates.models import Department, Directorate
from goals.forms.fields import QuickCSVSelect, QuickInput, QuickSelect
from goals.models import Allocation, Goal, GoalCycle
from goals.rules import may_see_smart_warnings_at_all
from goals.services.monitoring import overdue_goals
from goals.smart import seen_warned

# The goal list's choices for a goal's allocation and progress: what the start pages' cards count.
NOT_ALLOCATED = "none"
ALLOCATED = "allocated"
REPORTED_BEHIND = "behind"
UPDATE_DUE = "due"
# The goal list's choices for the SMART check of draft goals.
WITH_WARNINGS = "warnings"
WITHOUT_WARNINGS = "none"


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
    owner = django_filters.ModelChoiceFilter(
        label=_("Owning directorate"),
        field_name="directorate",
        queryset=Directorate.objects.active(),
        empty_label=_("Any"),
        help_text=_("Only the goals it owns, without those it takes part in."),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Allocated to the department"),
        queryset=Department.objects.select_related("directorate").order_by(
            "directorate__order", "order", "name"
        ),
        method="allocated_to",
        empty_label=_("Any department"),
        help_text=_("The departments of the directorate chosen above."),
    )
    allocation = django_filters.ChoiceFilter(
        label=_("Allocation"),
        choices=[(NOT_ALLOCATED, _("Not allocated")), (ALLOCATED, _("Allocated"))],
        method="by_allocation",
        empty_label=_("Allocated or not"),
    )
    progress = django_filters.ChoiceFilter(
        label=_("Progress"),
        choices=[
            (REPORTED_BEHIND, _("Reported behind")),
            (UPDATE_DUE, _("No update for over 30 days")),
        ],
        method="by_progress",
        empty_label=_("Any progress"),
    )
    smart = django_filters.ChoiceFilter(
        label=_("SMART warnings"),
        choices=[(WITH_WARNINGS, _("With warnings")), (WITHOUT_WARNINGS, _("Without warnings"))],
        method="by_smart_check",
        empty_label=_("With or without warnings"),
        help_text=_("Draft goals the SMART check warns about."),
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
        fields = [
            "q",
            "cycle",
            "directorate",
            "category",
            "status",
            "owner",
            "department",
            "allocation",
            "progress",
            "smart",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only those who read the SMART warnings filter by them (before the form is built).
        user = getattr(self.request, "user", None)
        if user is None or not may_see_smart_warnings_at_all(user):
            del self.filters["smart"]
        self.form.fields["cycle"].label_from_instance = lambda cycle: str(cycle.year)
        # Every widget written in one pass, not through Django's templates.
        for field in self.form.fields.values():
            widget = field.widget
            if type(widget) is forms.Select:
                field.widget = QuickSelect(attrs=widget.attrs, choices=field.choices)
            elif type(widget) is forms.TextInput:
                field.widget = QuickInput(attrs=widget.attrs)
            elif isinstance(widget, BaseCSVWidget):  # the sort, which reads a list
                field.widget = QuickCSVSelect(attrs=widget.attrs, choices=widget.choices)
        # The owning directorate offers the same directorates: read them once for both.
        # (A comprehension, not list(): that would ask the choices' length, a COUNT query.)
        directorates = [choice for choice in self.form.fields["directorate"].choices][1:]
        for name in ("directorate", "owner"):
            field = self.form.fields[name]
            field.widget.choices = [("", field.empty_label), *directorates]
        self.form.fields["department"].widget.choices = self._department_choices()
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    def _department_choices(self) -> list[tuple]:
        """The departments of the directorate chosen (or of the department chosen), not every
        department of the municipality: the list stays short whatever the organisation's size.
        Any department is still accepted (the field's queryset holds them all)."""
        field = self.form.fields["department"]
        data = self.data or {}

        def chosen(name: str) -> int | None:
            value = str(data.get(name) or "")
            return int(value) if value.isdigit() and len(value) < 10 else None

        directorate, department = chosen("directorate") or chosen("owner"), chosen("department")
        if directorate:
            scope = Q(directorate_id=directorate)
        elif department:
            scope = Q(directorate__departments=department)
        else:
            return [("", field.empty_label)]
        departments = (
            Department.objects.filter(scope)
            .select_related("directorate")
            .only("name", "name_en", "directorate__code")
            .order_by("order", "name")
        )
        return [
            ("", field.empty_label),
            *((d.pk, f"{d.directorate.code} · {d}") for d in departments),
        ]

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

    def by_smart_check(self, queryset, name, value):
        """The goals with warnings this person may read (asked of the database), or the others."""
        cycle = self.form.cleaned_data.get("cycle")
        warned = seen_warned(Goal.objects.all(), self.request.user, cycle).values("pk")
        if value == WITH_WARNINGS:
            return queryset.filter(pk__in=warned)
        return queryset.exclude(pk__in=warned)

    def search(self, queryset, name, value):
        return queryset.search(value)

    def concerning(self, queryset, name, value):
        """A directorate's goals include the cross-cutting goals it takes part in."""
        return queryset.concerning(value.pk)

    def allocated_to(self, queryset, name, value):
        """Goals with a share allocated to the department."""
        return queryset.filter(pk__in=Allocation.objects.filter(department=value).values("goal_id"))

    def by_allocation(self, queryset, name, value):
        allocated = Exists(Allocation.objects.filter(goal=OuterRef("pk")))
        return queryset.filter(allocated if value == ALLOCATED else ~allocated)

    def by_progress(self, queryset, name, value):
        """Reported behind (the latest update's status), or overdue as the reminders count it."""
        if value == REPORTED_BEHIND:
            return queryset.filter(is_behind=True)
        return queryset.filter(pk__in=overdue_goals().values("pk"))
