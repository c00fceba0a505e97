"""Issuing a head of directorate's allocation act."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.forms.fields import DateInput


class IssueActForm(forms.Form):
    """The protocol number and date the act is issued with."""

    protocol_number = forms.CharField(label=_("Protocol number"), max_length=30)
    issued_on = forms.DateField(label=_("Date"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()

    def clean_protocol_number(self) -> str:
        """A protocol number is written without a thousands separator: "6.842" is 6842."""
        number = self.cleaned_data["protocol_number"].strip()
        if re.fullmatch(r"\d{1,3}(?:[.\s]\d{3})+", number):
            number = re.sub(r"[.\s]", "", number)
        return number
