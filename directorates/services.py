"""Workflows about people's accounts: the second factor (TOTP app and recovery codes).

Devices are django-otp's: one `TOTPDevice` (an authenticator app) and one `StaticDevice` that
holds the one-time recovery codes. Each code is deleted when it is used.
"""

import re
from base64 import b32encode

import segno
from django.db import transaction
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from directorates.models import User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"

# What the session still needs before the person may use the application: "verify" (a code),
# "setup" (a device first) or "" (nothing), decided once at login so that pages need not ask the
# database each time (the project's TwoFactorMiddleware reads it).
SESSION_TWO_FACTOR_STEP = "two_factor_step"


def two_factor_step(*, user: User) -> str:
    """What a freshly logged-in person must do first: "verify" a code, "setup" a device, or ""."""
    if user_has_device(user):
        return "verify"
    if user.requires_two_factor:
        return "setup"
    return ""


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The not yet confirmed authenticator-app device of a person setting one up."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The set-up address as a QR code, an inline SVG drawn by the server (no outside service)."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        scale=5, border=4, svgclass="qr-code", omitsize=True, title=_("QR code to scan")
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def confirm_totp_device(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new app with a first code; replace any older app and issue recovery codes.

    Returns the new recovery codes, or None when the code is wrong.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if not device.verify_token(_normalise(code)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return regenerate_recovery_codes(user=user)


def regenerate_recovery_codes(*, user: User) -> list[str]:
    """Replace the person's recovery codes with new ones; the old ones stop working."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def verify_second_factor(*, user: User, code: str) -> Device | None:
    """The device that accepts this code: six digits are an app's, anything else a recovery code.

    A TOTP code is accepted once (django-otp refuses a code at or before the last one used) and
    a recovery code is deleted when used. Each device slows down repeated wrong codes.
    """
    code = _normalise(code)
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if isinstance(device, model) and device.verify_token(code):
                return device
    return None


def remaining_recovery_codes(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove_second_factor(*, user: User) -> None:
    """Delete all of a person's devices (apps and recovery codes)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()
