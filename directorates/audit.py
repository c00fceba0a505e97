"""The security log: authentication events and refusals, on the `stoxothesia.security` logger.

One line per event, `event key=value ...`, so that a log collector can filter and count them.
Passwords and codes are never logged.
"""

import logging

from django.http import HttpRequest

logger = logging.getLogger("stoxothesia.security")


def log_event(request: HttpRequest, event: str, *, level: int = logging.INFO, **details) -> None:
    user = getattr(request, "user", None)
    fields = {
        "user": user.get_username() if user is not None and user.is_authenticated else "-",
        "ip": request.META.get("REMOTE_ADDR", "-"),
        **details,
    }
    logger.log(level, "%s %s", event, " ".join(f"{k}={v!r}" for k, v in fields.items()))
