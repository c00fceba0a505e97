"""The error summary of a page whose form failed: every form page gets it from base.html.

`{% failed_form_errors as page_errors %}` finds, among the page's context, the forms and formsets
that were submitted and validated with errors, and lists each error with a link to its field.
base.html then starts the page's title with "Error:" and shows `includes/_error_summary.html` at
the top of the page, which `static/js/error-summary.js` focuses. Forms that were never validated
are left alone (asking for their errors would validate them, with its queries).
"""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet
from django.forms.utils import ErrorDict

register = template.Library()

# Widgets whose label points at no element of its own: the link goes to the first choice.
CHOICE_INPUTS = {"radio", "checkbox"}


@dataclass(frozen=True)
class PageError:
    label: str  # the field's label, or "" for an error of the whole form
    message: str
    href: str  # "#id_field", or "" when there is no field to go to


@register.simple_tag(takes_context=True)
def failed_form_errors(context) -> list[PageError]:
    errors: list[PageError] = []
    seen: set[int] = set()
    for value in context.flatten().values():
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, BaseFormSet):
            errors += _formset_errors(value)
        elif isinstance(value, BaseForm):
            errors += _form_errors(value)
    return errors


def _was_validated(form) -> bool:
    return form.is_bound and getattr(form, "_errors", None) is not None


def _formset_errors(formset: BaseFormSet) -> list[PageError]:
    if not _was_validated(formset):
        return []
    errors = [PageError("", message, "") for message in formset.non_form_errors()]
    for form in formset.forms:
        errors += _form_errors(form)
    return errors


def _form_errors(form: BaseForm) -> list[PageError]:
    if not _was_validated(form) or not form.errors:
        return []
    errors = []
    field_errors: ErrorDict = form.errors
    for name, messages in field_errors.items():
        if name not in form.fields:  # NON_FIELD_ERRORS, or an error added for no field
            errors += [PageError("", message, "") for message in messages]
            continue
        bound = form[name]
        href = "" if bound.is_hidden else f"#{_target_id(bound)}"
        errors += [PageError(str(bound.label or ""), message, href) for message in messages]
    return errors


def _target_id(bound) -> str:
    """The id of the element a field's label points at (the first choice of a radio list)."""
    if bound.id_for_label:
        return bound.id_for_label
    if getattr(bound.field.widget, "input_type", "") in CHOICE_INPUTS:
        return f"{bound.auto_id}_0"
    return bound.auto_id or bound.html_name
