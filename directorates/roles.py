"""The roles people hold, and what each role may do.

This module is the one place that decides who may do what at the level of roles. Object-level
rules (which goal, which meeting) are QuerySet methods such as `Goal.objects.visible_to(user)`,
built on the predicates here. Roles are Django groups whose names are the `Role` values; a data
migration creates them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MAYOR = "mayor", _("Mayor")
    DEPUTY_MAYOR = "deputy_mayor", _("Deputy Mayor")
    GENERAL_SECRETARY = "general_secretary", _("General Secretary")
    HEAD_OF_DIRECTORATE = "head_of_directorate", _("Head of Directorate")
    HEAD_OF_DEPARTMENT = "head_of_department", _("Head of Department")
    STAFF = "staff", _("Staff")
    ADMINISTRATOR = "administrator", _("Administrator")


# Who runs the cycle: the General Secretary, and admins standing in for them.
COORDINATORS = frozenset({Role.GENERAL_SECRETARY, Role.ADMINISTRATOR})
# Who reads everything in the municipality.
OVERSIGHT = frozenset({Role.MAYOR, Role.DEPUTY_MAYOR, Role.GENERAL_SECRETARY, Role.ADMINISTRATOR})
# Who must log in with a second factor (an authenticator app); everyone may choose to.
TWO_FACTOR_REQUIRED = frozenset({Role.MAYOR, Role.GENERAL_SECRETARY, Role.ADMINISTRATOR})


def grant_app_permissions(apps, role: str, app_label: str) -> None:
    """Give a role every model permission of one app; for use inside data migrations.

    Permissions are normally created after all migrations ran; creating them here lets a
    migration assign them at once, and is harmless when they already exist.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=role)
    group.permissions.add(*permission_model.objects.filter(content_type__app_label=app_label))
