from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import apps as otp_static_apps
from django_otp.plugins.otp_totp import apps as otp_totp_apps
from django_tasks_db import apps as tasks_db_apps


class StoxothesiaConfig(AppConfig):
    name = "stoxothesia"
    verbose_name = _("Stoxothesia")


class AdminConfig(admin_apps.AdminConfig):
    """Django admin, served by the site that requires a verified second factor."""

    default_site = "stoxothesia.admin_site.AdminSite"
    default = False


# The libraries' apps under Greek names in Django admin: django-otp's plugins and django-tasks-db
# give none that can be translated ("Otp_Totp", "Tasks Database Backend"), django-axes none.
class TOTPDevicesConfig(otp_totp_apps.DefaultConfig):
    verbose_name = _("Authenticator apps")
    default = False


class RecoveryCodesConfig(otp_static_apps.DefaultConfig):
    verbose_name = _("Recovery codes")
    default = False


class LoginAttemptsConfig(axes_apps.AppConfig):
    verbose_name = _("Login attempts")
    default = False


class BackgroundTasksConfig(tasks_db_apps.TasksAppConfig):
    verbose_name = _("Background tasks")
    default = False
