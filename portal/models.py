"""Tokens of the API, issued in Django admin to the municipality's other systems.

A token is shown once, when it is issued; only its SHA-256 digest is kept (the token is 256
random bits, so a plain digest cannot be reversed or guessed). Each token belongs to a person,
in whose name its writes are recorded, and carries a scope: reading the published data, or
that and recording progress values on the goals named on it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "stx_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        """Neither revoked nor expired, with an active owner."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, owner__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read the published data")
        PROGRESS = "progress", _("Read, and record progress on the goals named")

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses it, e.g. the GIS of Planning.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_(
            "The person in whose name the token's writes are recorded; they must be allowed to "
            "record progress on the goals named."
        ),
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope, default=Scope.READ)
    goals = models.ManyToManyField(
        "goals.Goal",
        verbose_name=_("goals it may record progress on"),
        related_name="+",
        blank=True,
    )
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: until it is revoked.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def issue_key(self) -> str:
        """A new secret for this token: returned once, only its digest kept."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.prefix = token[: len(TOKEN_PREFIX) + 6]
        self.key_digest = digest(token)
        return token

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
            and self.owner.is_active
        )

    @property
    def may_write_progress(self) -> bool:
        return self.scope == self.Scope.PROGRESS
