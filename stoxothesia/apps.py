from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StoxothesiaConfig(AppConfig):
    name = "stoxothesia"
    verbose_name = _("Stoxothesia")


class AdminConfig(admin_apps.AdminConfig):
    """Django admin, served by the site that requires a verified second factor."""

    default_site = "stoxothesia.admin_site.AdminSite"
    default = False
