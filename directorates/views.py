import datetime
import logging
from functools import partial

import django_otp
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from directorates import limits, services, tasks
from directorates.audit import client_address, log_event
from directorates.forms import (
    ChartDateForm,
    ConfirmIdentityForm,
    LoginForm,
    ProfileForm,
    TwoFactorCodeForm,
)
from directorates.models import ActingHead, Department, Directorate, User
from directorates.rules import may_reorganise, may_turn_off_two_factor, require
from directorates.services import SESSION_TWO_FACTOR_STEP

SESSION_NEW_RECOVERY_CODES = "two_factor_new_recovery_codes"

# Password resets asked for in an hour: per e-mail address typed, and per client address (a
# municipality's offices may share one address behind their router).
PASSWORD_RESET_WINDOW = 60 * 60
PASSWORD_RESETS_PER_ADDRESS = 3
PASSWORD_RESETS_PER_CLIENT = 20

UNITS_PER_PAGE = 30  # of the organisation chart: a municipality's whole chart on one page


# What the organisation chart shows of a head: their name (`User.__str__`).
HEAD_NAME = ("head__first_name", "head__last_name", "head__username", "head__gender")


def _acting_heads(on: datetime.date) -> Prefetch:
    """A unit's acting heads in force on a date, as `unit.acting_in_force`."""
    acting = ActingHead.objects.in_force(on).select_related("person").order_by("starts_on")
    return Prefetch("acting_heads", queryset=acting, to_attr="acting_in_force")


def _chart_units(on: datetime.date):
    """Units in force on a date with their departments, heads and acting heads, in four queries
    of only the columns a card of the organisation chart shows (people's rows are wide; the
    chart shows names)."""
    departments = (
        Department.objects.on_chart(on)
        .select_related("head")
        .only("directorate", "name", "name_en", *HEAD_NAME)
        .order_by("order", "name")
        .prefetch_related(_acting_heads(on))
    )
    return (
        Directorate.objects.on_chart(on)
        .select_related("head")
        .only("code", "name", "name_en", "kind", *HEAD_NAME)
        .prefetch_related(
            _acting_heads(on),
            Prefetch("departments", queryset=departments, to_attr="active_departments"),
        )
    )


def directorate_list(request):
    """The organisation chart: directorates first, then the independent units, a page at a time
    (a municipality's whole chart fits on one page; a far larger organisation gets pages). As of
    today, or of a past date chosen: the units in force then."""
    today = timezone.localdate()
    date_form = ChartDateForm(request.GET or None, initial={"on": today})
    on = (date_form.cleaned_data["on"] or today) if date_form.is_valid() else today
    is_directorate = Q(kind=Directorate.Kind.DIRECTORATE)
    counts = Directorate.objects.on_chart(on).aggregate(
        directorates=Count("pk", filter=is_directorate),
        independent_units=Count("pk", filter=~is_directorate),
    )
    units = _chart_units(on).annotate(
        independent=Case(When(is_directorate, then=Value(0)), default=Value(1))
    )
    paginator = Paginator(units.order_by("independent", "order", "name"), UNITS_PER_PAGE)
    paginator.count = counts["directorates"] + counts["independent_units"]  # no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    ctx = {
        "page_obj": page,
        "directorate_count": counts["directorates"],
        "independent_count": counts["independent_units"],
        "directorates": [d for d in page if d.kind == Directorate.Kind.DIRECTORATE],
        "independent_units": [d for d in page if d.kind != Directorate.Kind.DIRECTORATE],
        "date_form": date_form,
        "on": on,
        "is_today": on == today,
        "query_string": "" if on == today else urlencode({"on": on.isoformat()}),
        "may_reorganise": may_reorganise(request.user),
    }
    return render(request, "directorates/directorate_list.html", ctx)


def directorate_detail(request, code):
    """A unit with its departments and people; an abolished unit as it was on its last day."""
    directorate = get_object_or_404(
        Directorate.objects.filter(Q(is_active=True) | Q(valid_to__isnull=False))
        .select_related("head", "abolished_by_act")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True))),
        code=code,
    )
    today = timezone.localdate()
    on = (
        today
        if directorate.is_in_force(today) or not directorate.valid_to
        else directorate.valid_to
    )
    directorate.active_departments = list(
        directorate.departments.on_chart(on)
        .select_related("head")
        .prefetch_related(_acting_heads(on))
        .order_by("order", "name")
    )
    directorate.acting_in_force = list(
        directorate.acting_heads.in_force(on).select_related("person").order_by("starts_on")
    )
    members = (
        User.objects.filter(directorate=directorate, is_active=True)
        .select_related("department")
        .prefetch_related("groups")
    )
    ctx = {"directorate": directorate, "members": members}
    return render(request, "directorates/directorate_detail.html", ctx)


def profile(request):
    user = get_object_or_404(
        User.objects.select_related("directorate", "department").prefetch_related("groups"),
        pk=request.user.pk,
    )
    confirm_form = _confirm_identity_form(request, prefix="confirm")
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            email_changed = "email" in form.changed_data
            if not email_changed or _identity_confirmed(request, confirm_form, "email.change"):
                form.save()
                if email_changed:
                    log_event(request, "account.email_changed")
                messages.success(request, _("Your profile was saved."))
                response = redirect("directorates:profile")
                if user.language:
                    response.set_cookie(
                        "django_language", user.language, max_age=60 * 60 * 24 * 365
                    )
                return response
    else:
        form = ProfileForm(instance=user)
    ctx = {
        "profile_user": user,
        "form": form,
        "confirm_form": confirm_form,
        "has_two_factor": bool(request.user.is_verified()),
        "recovery_codes_left": services.remaining_recovery_codes(user=user),
    }
    return render(request, "directorates/profile.html", ctx)


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the person's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(
        ProfileForm.base_fields["language"].choices
    ):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


# --- Authentication, with every event in the security log ----------------------------------
class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[SESSION_TWO_FACTOR_STEP] = services.two_factor_step(
            user=self.request.user
        )
        log_event(self.request, "login.succeeded")
        return response

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")[:150]
        log_event(self.request, "login.failed", level=logging.WARNING, username=username)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        log_event(request, "logout")
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        log_event(self.request, "password.changed")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Queue the reset e-mail and answer at once, the same way for every address.

    Whether the address belongs to an account is found out by the task worker
    (directorates.tasks.send_password_reset), so neither the answer nor its timing tells. Resets
    are limited per address typed and per client address; the limit counts every address,
    known or not, so being told of it reveals nothing either.
    """

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        client = client_address(self.request)
        per_address = limits.count_in_window(
            "password-reset-email", email.strip().lower(), window=PASSWORD_RESET_WINDOW
        )
        per_client = limits.count_in_window(
            "password-reset-client", client, window=PASSWORD_RESET_WINDOW
        )
        if per_address > PASSWORD_RESETS_PER_ADDRESS or per_client > PASSWORD_RESETS_PER_CLIENT:
            log_event(self.request, "password.reset_limited", level=logging.WARNING, email=email)
            form.add_error(
                None,
                _(
                    "Too many password resets were asked for this address or from this "
                    "computer. Look for the e-mail already sent (also in the spam folder), or "
                    "try again in an hour."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        log_event(self.request, "password.reset_requested", email=email)
        transaction.on_commit(partial(tasks.send_password_reset.enqueue, email=email))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        log_event(self.request, "password.reset_completed", account=form.user.get_username())
        return response


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer while an account is locked: logged, then explained to the person."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    log_event(request, "login.locked_out", level=logging.WARNING, username=username[:150])
    return render(request, "registration/lockout.html", status=429)


# --- Two-factor authentication -------------------------------------------------------------
def _next_url(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
def two_factor_verify(request):
    """The second step of logging in: a code from the app, or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if request.session.get(SESSION_TWO_FACTOR_STEP) != "verify":
        return redirect("home")
    if not user_has_device(request.user):
        # The devices were removed meanwhile (by an administrator): set up anew, if required.
        request.session[SESSION_TWO_FACTOR_STEP] = services.two_factor_step(user=request.user)
        return redirect("home")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = services.remaining_recovery_codes(user=request.user)
                log_event(request, "two_factor.recovery_code_used", codes_left=left)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)d is left. Make new ones on your "
                        "profile if you are running short.",
                        "You used a recovery code; %(count)d are left. Make new ones on your "
                        "profile if you are running short.",
                        left,
                    )
                    % {"count": left},
                )
            else:
                log_event(request, "two_factor.verified")
            return redirect(_next_url(request))
        log_event(request, "two_factor.refused", level=logging.WARNING)
        form.add_error(
            "code",
            _(
                "This code is not valid, or was already used. Wait for the next code in your "
                "app and try again; after several wrong codes you must wait a little longer."
            ),
        )
    ctx = {"form": form, "next": _next_url(request, default="")}
    return render(request, "registration/two_factor_verify.html", ctx)


@never_cache
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm one code."""
    device = services.pending_totp_device(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_totp_device(
            user=request.user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            django_otp.login(request, device)
            request.session[SESSION_TWO_FACTOR_STEP] = "verify"
            request.session[SESSION_NEW_RECOVERY_CODES] = codes
            log_event(request, "two_factor.enrolled")
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_recovery_codes_url(request))
        log_event(request, "two_factor.enrolment_refused", level=logging.WARNING)
        form.add_error(
            "code", _("This code is not valid. Check the clock of your phone and try again.")
        )
    ctx = {
        "form": form,
        "qr_svg": services.totp_qr_svg(device),
        "secret": services.totp_secret(device),
        "required": request.user.requires_two_factor,
        "next": _next_url(request, default=""),
    }
    return render(request, "registration/two_factor_setup.html", ctx)


def _recovery_codes_url(request) -> str:
    """The recovery codes page, which then leads on to where the person was going."""
    target = _next_url(request, default="")
    url = reverse("two_factor_recovery_codes")
    return f"{url}?{urlencode({'next': target})}" if target else url


@never_cache
def two_factor_recovery_codes(request):
    """New recovery codes are shown once; POST, with the password and a code, replaces them."""
    if not request.user.is_verified():
        return redirect("two_factor_setup")
    form = _confirm_identity_form(request)
    if request.method == "POST" and _identity_confirmed(request, form, "recovery_codes.make"):
        request.session[SESSION_NEW_RECOVERY_CODES] = services.regenerate_recovery_codes(
            user=request.user
        )
        log_event(request, "two_factor.recovery_codes_regenerated")
        return redirect("two_factor_recovery_codes")
    ctx = {
        "form": form,
        "codes": request.session.pop(SESSION_NEW_RECOVERY_CODES, None),
        "codes_left": services.remaining_recovery_codes(user=request.user),
        "next": _next_url(request, default=""),
    }
    return render(request, "registration/two_factor_recovery_codes.html", ctx)


@never_cache
def two_factor_disable(request):
    """Turn two-factor authentication off, with the password and a code; not for the roles that
    must use it."""
    require(may_turn_off_two_factor(request.user))
    form = _confirm_identity_form(request)
    if request.method == "POST" and _identity_confirmed(request, form, "two_factor.disable"):
        services.remove_second_factor(user=request.user)
        request.session[SESSION_TWO_FACTOR_STEP] = ""
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        log_event(request, "two_factor.disabled")
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("directorates:profile")
    return render(request, "registration/two_factor_disable.html", {"form": form})


# --- Changes that need the password (and the second factor) again ------------------------------
def _confirm_identity_form(request, prefix: str | None = None) -> ConfirmIdentityForm:
    data = request.POST if request.method == "POST" else None
    return ConfirmIdentityForm(data, user=request.user, prefix=prefix)


def _identity_confirmed(request, form: ConfirmIdentityForm, action: str) -> bool:
    """Whether the person confirmed who they are; a refusal goes to the security log."""
    if form.is_valid():
        return True
    log_event(request, "account.confirmation_refused", level=logging.WARNING, action=action)
    return False
