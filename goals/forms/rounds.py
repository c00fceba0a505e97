"""The General Secretary's form to open a monthly reporting round."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from directorates.models import Municipality


class RoundForm(forms.Form):
    """The month reported on, and the working days each level has after it."""

    month = forms.TypedChoiceField(label=_("Month"), choices=list(MONTHS.items()), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    department_working_days = forms.IntegerField(
        label=_("Working days for the departments"),
        min_value=1,
        max_value=40,
        help_text=_(
            "Counted after the end of the month, skipping weekends, public holidays and the "
            "municipality's local holidays."
        ),
    )
    directorate_working_days = forms.IntegerField(
        label=_("Working days for the directorates"),
        min_value=1,
        max_value=60,
        help_text=_("More than the departments': the directorates report after them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = Municipality.load()
        today = timezone.localdate()
        last_month = today.replace(day=1) - datetime.timedelta(days=1)
        self.fields["month"].initial = last_month.month
        self.fields["year"].initial = last_month.year
        self.fields["department_working_days"].initial = municipality.round_department_days
        self.fields["directorate_working_days"].initial = municipality.round_directorate_days

    def clean(self):
        cleaned = super().clean()
        departments = cleaned.get("department_working_days")
        directorates = cleaned.get("directorate_working_days")
        if departments and directorates and directorates <= departments:
            self.add_error(
                "directorate_working_days",
                _("The directorates report after their departments: give them more working days."),
            )
        return cleaned

    @property
    def period(self) -> datetime.date:
        return datetime.date(self.cleaned_data["year"], self.cleaned_data["month"], 1)
