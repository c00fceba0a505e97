from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.roles import COORDINATORS, OVERSIGHT, TWO_FACTOR_REQUIRED, Role


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class BilingualNameMixin:
    """A unit's name in the active language: English when chosen and given, Greek otherwise."""

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Directorate(BilingualNameMixin, models.Model):
    """A directorate, an independent department or an office reporting to the Mayor."""

    class Kind(models.TextChoices):
        DIRECTORATE = "directorate", _("Directorate")
        INDEPENDENT_DEPARTMENT = "independent_department", _("Independent department")
        OFFICE = "office", _("Office")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.DIRECTORATE)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_directorates",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("directorate")
        verbose_name_plural = _("directorates")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("directorates:detail", kwargs={"code": self.code})


class Department(BilingualNameMixin, models.Model):
    """A department (Τμήμα) of one directorate."""

    directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["directorate__order", "order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.display_name


class StoxothesiaUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person who uses Stoxothesia: belongs to a unit and holds roles (Django groups)."""

    email = models.EmailField(_("e-mail address"), blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = StoxothesiaUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("Another user already has this e-mail address."),
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ci",
                violation_error_message=_("Another user already has this username."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("directorates:profile")

    # --- Roles: what this person may do (see directorates/roles.py) ---------------------------
    @cached_property
    def roles(self) -> frozenset[str]:
        """The person's role names; a superuser counts as an administrator."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        names = {group.name for group in self.groups.all()}
        if self.is_superuser:
            names.add(Role.ADMINISTRATOR)
        return frozenset(names)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(name).label for name in Role.values if name in self.roles]

    @property
    def is_coordinator(self) -> bool:
        """Runs the cycle: the General Secretary or an administrator."""
        return bool(self.roles & COORDINATORS)

    @property
    def sees_everything(self) -> bool:
        """Reads every directorate's data: Mayor, deputies, General Secretary, admins."""
        return bool(self.roles & OVERSIGHT)

    @property
    def requires_two_factor(self) -> bool:
        """Must use a second factor: the Mayor, the General Secretary, anyone with admin access."""
        return self.is_staff or bool(self.roles & TWO_FACTOR_REQUIRED)

    @property
    def is_mayor(self) -> bool:
        return Role.MAYOR in self.roles

    @property
    def is_administrator(self) -> bool:
        return Role.ADMINISTRATOR in self.roles

    @property
    def is_head_of_directorate(self) -> bool:
        return Role.HEAD_OF_DIRECTORATE in self.roles and self.directorate_id is not None

    @property
    def is_head_of_department(self) -> bool:
        return Role.HEAD_OF_DEPARTMENT in self.roles and self.department_id is not None
