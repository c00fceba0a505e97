from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from directorates.models import User


class LoginForm(AuthenticationForm):
    """Django's login form, with a label that says an e-mail address works too."""

    username = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the pages and of the e-mails you receive."),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "job_title", "language"]


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app (or, at login, a recovery code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
