from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from directorates import limits, services
from directorates.models import User


class ChartDateForm(forms.Form):
    """The date the organisation chart shows the units of (today unless one is chosen)."""

    on = forms.DateField(
        label=_("Units in force on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


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


class ConfirmIdentityForm(forms.Form):
    """The password again, and a code of the second factor where one is set up.

    Asked before the changes that would let someone who found a session left open keep the
    account: turning two-factor authentication off, changing the e-mail address (where password
    resets go) and making new recovery codes. Wrong answers are limited per person
    (CONFIRMATION_FAILURES in CONFIRMATION_WINDOW seconds), so the form cannot be used to guess
    the password past the login's lockout.
    """

    CONFIRMATION_FAILURES = 5
    CONFIRMATION_WINDOW = 15 * 60

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Or one of your recovery codes."),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user_has_device(user):
            del self.fields["code"]

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        key = str(self.user.pk)
        if limits.counted_in_window("confirm-identity", key) >= self.CONFIRMATION_FAILURES:
            raise forms.ValidationError(
                _("Too many wrong tries. Wait a quarter of an hour and try again."),
                code="too_many_tries",
            )
        if not self.user.check_password(cleaned_data["password"]):
            self.add_error("password", _("This is not your password."))
        elif "code" in self.fields and not services.verify_second_factor(
            user=self.user, code=cleaned_data["code"]
        ):
            self.add_error(
                "code", _("This code is not valid, or was already used. Wait for the next one.")
            )
        if self.errors:
            limits.count_in_window("confirm-identity", key, window=self.CONFIRMATION_WINDOW)
        return cleaned_data
