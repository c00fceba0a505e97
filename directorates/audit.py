"""The security log: authentication events and refusals, on the `stoxothesia.security` logger.

One line per event, `event key=value ...`, so that a log collector can filter and count them.
Passwords and codes are never logged.
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger("stoxothesia.security")


def client_address(request: HttpRequest) -> str:
    """The address of the person's computer, for the security log, lockouts and limits.

    Behind `PROXY_COUNT` reverse proxies, each of which appends the address it was reached from
    to X-Forwarded-For, the client is the entry that the outermost of them appended: the
    PROXY_COUNT-th from the right. Entries further left were written by the client itself and
    are not believed. Without proxies, or with a header shorter than the count (the request did
    not come through them all), it is the address the connection came from.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def log_event(request: HttpRequest, event: str, *, level: int = logging.INFO, **details) -> None:
    user = getattr(request, "user", None)
    fields = {
        "user": user.get_username() if user is not None and user.is_authenticated else "-",
        "ip": client_address(request) or "-",
        **details,
    }
    logger.log(level, "%s %s", event, " ".join(f"{k}={v!r}" for k, v in fields.items()))
