"""Year end: the head's final value with evidence, the General Secretary's review, the queue's
filters."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate
from goals.forms.monitoring import add_indicator_fields
from goals.models import FinalValueSubmission, Goal
from goals.uploads import EVIDENCE_KINDS

ACCEPTED = ",".join(
    [f".{kind.extension}" for kind in EVIDENCE_KINDS]
    + [".jpeg"]
    + [kind.content_type for kind in EVIDENCE_KINDS]
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (as Django's documentation shows): a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class FinalValueForm(forms.Form):
    """The head's final value of one goal, how it was measured, and the files that show it."""

    final_value = forms.DecimalField(label=_("Final value"), max_digits=14, decimal_places=2)
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the value was measured, and why the goal fell short if it did."),
    )
    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_(
            "One or more files: PDF, pictures (PNG, JPEG) or office documents (Word, Excel, "
            "PowerPoint, OpenDocument), up to 10 MB each."
        ),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        if goal.is_milestone:
            self.fields["final_value"] = forms.TypedChoiceField(
                label=_("Achieved?"),
                choices=[("0", _("No")), ("1", _("Yes"))],
                coerce=Decimal,
            )
        elif goal.unit_of_measure:
            self.fields["final_value"].help_text = goal.unit_of_measure
        add_indicator_fields(self, goal, first="final_value")


class ReviewForm(forms.Form):
    """The General Secretary confirms the submitted value, or returns it saying why."""

    CONFIRM, RETURN = "confirm", "return"

    action = forms.ChoiceField(
        choices=[(CONFIRM, _("Confirm")), (RETURN, _("Return"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required to return the value: what the head should correct."),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.RETURN and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the final value is returned."))
        return cleaned


class QueueFilterForm(forms.Form):
    """The queue's filters: one directorate, one state."""

    directorate = forms.ModelChoiceField(
        label=_("Directorate"),
        queryset=Directorate.objects.order_by("order", "name"),
        required=False,
        empty_label=_("All directorates"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All states")),
            *[
                (value, label)
                for value, label in FinalValueSubmission.State.choices
                if value != FinalValueSubmission.State.DRAFT
            ],
        ],
    )
