"""The roles people hold, and what each role may do.

This module is the one place that decides who may do what at the level of roles. Object-level
rules (which goal, which meeting) are QuerySet methods such as `Goal.objects.visible_to(user)`,
built on the predicates here. Roles are Django groups whose names are the `Role` values; a data
migration creates them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


# Titles by the person's gender, as Greek writes them: ο Προϊστάμενος / η Προϊσταμένη,
# ο Γενικός Γραμματέας / η Γενική Γραμματέας (a person: never "η Γενική Γραμματεία").
_FEMALE_TITLES = {
    Role.MAYOR: pgettext_lazy("female", "Mayor"),
    Role.DEPUTY_MAYOR: pgettext_lazy("female", "Deputy Mayor"),
    Role.GENERAL_SECRETARY: pgettext_lazy("female", "General Secretary"),
    Role.HEAD_OF_DIRECTORATE: pgettext_lazy("female", "Head of Directorate"),
    Role.HEAD_OF_DEPARTMENT: pgettext_lazy("female", "Head of Department"),
    Role.STAFF: pgettext_lazy("female", "Staff"),
    Role.ADMINISTRATOR: pgettext_lazy("female", "Administrator"),
}
_MALE_TITLES = {
    Role.MAYOR: pgettext_lazy("male", "Mayor"),
    Role.DEPUTY_MAYOR: pgettext_lazy("male", "Deputy Mayor"),
    Role.GENERAL_SECRETARY: pgettext_lazy("male", "General Secretary"),
    Role.HEAD_OF_DIRECTORATE: pgettext_lazy("male", "Head of Directorate"),
    Role.HEAD_OF_DEPARTMENT: pgettext_lazy("male", "Head of Department"),
    Role.STAFF: pgettext_lazy("male", "Staff"),
    Role.ADMINISTRATOR: pgettext_lazy("male", "Administrator"),
}


# The head of a unit reporting to the Mayor, by the unit's kind (Directorate.Kind).
_HEAD_TITLES = {
    ("independent_department", "female"): pgettext_lazy("female", "Head of Independent Department"),
    ("independent_department", "male"): pgettext_lazy("male", "Head of Independent Department"),
    ("office", "female"): pgettext_lazy("female", "Head of Office"),
    ("office", "male"): pgettext_lazy("male", "Head of Office"),
}


def unit_head_title(kind: str, gender: str = "") -> str:
    """The title of a directorate's (or independent department's, or office's) head."""
    if title := _HEAD_TITLES.get((kind, gender or "male")):
        return str(title)
    return role_title(Role.HEAD_OF_DIRECTORATE, gender)


def role_title(role: str, gender: str = "") -> str:
    """A role as the title of a person of that gender ("female", "male"); the role's own
    label (the masculine, as Greek uses for an unknown person) when the gender is not given."""
    if gender == "female":
        return str(_FEMALE_TITLES[role])
    if gender == "male":
        return str(_MALE_TITLES[role])
    return str(Role(role).label)


# What an acting head records says so, by their gender: "ως αναπληρωτής" / "ως αναπληρώτρια".
_AS_ACTING = {
    "female": pgettext_lazy("female", "as acting head"),
    "male": pgettext_lazy("male", "as acting head"),
}


# An acting head's title on the organisation chart, by their gender.
_ACTING_HEAD_TITLES = {
    "female": pgettext_lazy("female", "Acting head"),
    "male": pgettext_lazy("male", "Acting head"),
}


def acting_head_title(gender: str = "") -> str:
    """ "Αναπληρωτής Προϊστάμενος" or "Αναπληρώτρια Προϊσταμένη"; the masculine when unknown."""
    return str(_ACTING_HEAD_TITLES.get(gender, _ACTING_HEAD_TITLES["male"]))


def signed_by(person, *, as_acting_head: bool) -> str:
    """A record's author as it prints: "Μαρία Παππά (ως αναπληρώτρια)" for an acting head."""
    if not as_acting_head:
        return str(person)
    capacity = _AS_ACTING.get(person.gender, _AS_ACTING["male"])
    return f"{person} ({capacity})"
