from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public face: goals and progress of published cycles, open data, the API."""

    name = "portal"
    verbose_name = _("Public pages, open data and API")
    default_auto_field = "django.db.models.BigAutoField"
