"""Widgets and fields that several forms use (the meetings' forms too)."""

import html

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django_filters.widgets import BaseCSVWidget


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuickSelect(forms.Select):
    """A `<select>` with the same HTML as Django's, written in one pass: Django renders a template
    for each `<option>`, which is most of a filter form's cost when it lists every directorate."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = "".join(
                f'<option value="{_escape(option["value"])}"{_attributes(option["attrs"])}>'
                f"{_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                rendered = f'<optgroup label="{_escape(group_name)}">{rendered}</optgroup>'
            groups.append(rendered)
        return mark_safe(  # noqa: S308 (every value above is escaped)
            f'<select name="{_escape(widget["name"])}"{_attributes(widget["attrs"])}>'
            f"{''.join(groups)}</select>"
        )


class QuickInput(forms.TextInput):
    """An `<input>` with the same HTML as Django's, written in one pass (Django renders two
    templates for it)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{_escape(widget["value"])}"'
        return mark_safe(  # noqa: S308 (every value above is escaped)
            f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
            f"{shown}{_attributes(widget['attrs'])}>"
        )


class QuickCSVSelect(BaseCSVWidget, QuickSelect):
    """django-filter's select of a list of values (a sort's), written in one pass."""

    surrogate = QuickInput


def _escape(value) -> str:
    """As Django's `escape`, without its check for lazy strings on every call (an option's
    value and label are plain)."""
    return html.escape(str(value))


def _attributes(attrs: dict) -> str:
    """As Django's `flatatt`: `True` writes the bare attribute, `False` and `None` leave it out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


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
