from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoxothesiaConfig(AppConfig):
    name = "stoxothesia"
    verbose_name = _("Stoxothesia")
