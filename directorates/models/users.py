"""The people who use Stoxothesia, with their unit and roles."""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.models.units import Department, Directorate
from directorates.roles import (
    COORDINATORS,
    OVERSIGHT,
    TWO_FACTOR_REQUIRED,
    Role,
    role_title,
)


class StoxothesiaUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person who uses Stoxothesia: belongs to a unit and holds roles (Django groups)."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

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
    registry_number = models.CharField(
        _("registry number"),
        max_length=20,
        blank=True,
        help_text=_(
            "The tax number (ΑΦΜ) or staff registry number by which the national evaluation "
            "platform knows the person; their username stands in for it when empty."
        ),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=Gender,
        blank=True,
        help_text=_(
            'Greek titles follow it: Head of Directorate is "Προϊστάμενος" or '
            '"Προϊσταμένη", General Secretary "Γενικός" or "Γενική Γραμματέας".'
        ),
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

    @property
    def platform_identifier(self) -> str:
        """How the national evaluation platform knows the person: the registry number (ΑΦΜ or
        staff registry number) if held, else the username."""
        return self.registry_number or self.username

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
        """The person's roles as their titles, by their gender ("Προϊσταμένη Διεύθυνσης")."""
        return [role_title(name, self.gender) for name in Role.values if name in self.roles]

    def title(self, role: str) -> str:
        """One role as this person's title: `mayor.title(Role.MAYOR)`."""
        return role_title(role, self.gender)

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

    # --- Headship: the units this person leads today (see directorates/headship.py) ---------
    @cached_property
    def headship(self):
        """As head, as acting head in force, or from the level above a headless unit."""
        from directorates.headship import headship_of

        return headship_of(self)

    @property
    def is_head_of_directorate(self) -> bool:
        """Leads a directorate today: their own, as acting head, or a headless one."""
        return bool(self.headship.directorates)

    @property
    def is_head_of_department(self) -> bool:
        """Leads a department today: their own, as acting head, or a headless one."""
        return bool(self.headship.departments)

    def leads_directorate(self, directorate_id: int | None) -> bool:
        return directorate_id in self.headship.directorates

    def leads_department(self, department_id: int | None) -> bool:
        return department_id in self.headship.departments


# A signed decision is posted on Diavgeia at once (Law 3861/2010 art. 2): it has no effect until
# then. Past this many days after its date it is flagged; each municipality can change it.
