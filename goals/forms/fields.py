"""Widgets and fields that several forms use (the meetings' forms too)."""

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Chosen objects; an id that no database integer can hold is refused as unknown, not sent to
    the database (SQLite raises OverflowError on it: a 500)."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or int(pk) > 2**63 - 1:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
