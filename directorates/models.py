import datetime
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.roles import (
    COORDINATORS,
    OVERSIGHT,
    TWO_FACTOR_REQUIRED,
    Role,
    role_title,
    unit_head_title,
)


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def without_head(self, on: datetime.date):
        """Units with neither an active head (named as the unit's head, or holding the head's
        role in it) nor an acting head in force on that day: their duties fall to the level
        above (`directorates.headship`)."""
        if self.model._meta.model_name == "department":
            unit, role = "department", Role.HEAD_OF_DEPARTMENT
        else:
            unit, role = "directorate", Role.HEAD_OF_DIRECTORATE
        acting = ActingHead.objects.in_force(on).filter(**{unit: OuterRef("pk")})
        holders = User.objects.filter(is_active=True, groups__name=role, **{unit: OuterRef("pk")})
        return self.exclude(head__is_active=True).exclude(Exists(holders)).exclude(Exists(acting))


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

    @property
    def head_title(self) -> str:
        """Its head's title, by the unit's kind and the head's gender ("Προϊσταμένη
        Διεύθυνσης", "Προϊστάμενος Αυτοτελούς Τμήματος")."""
        return unit_head_title(self.kind, self.head.gender if self.head else "")


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


# Heraklion's details until an administrator changes them: the laws a decision on the goals
# has regard to, each with its Government Gazette (ΦΕΚ), and who receives the decisions.
HERAKLION_CONSIDERATIONS = "\n".join(
    [
        "Τις διατάξεις του άρθρου 58 του ν. 3852/2010 (ΦΕΚ Α' 87) «Νέα Αρχιτεκτονική της "
        "Αυτοδιοίκησης και της Αποκεντρωμένης Διοίκησης – Πρόγραμμα Καλλικράτης», όπως ισχύει.",
        "Τις διατάξεις του ν. 4940/2022 (ΦΕΚ Α' 112) «Σύστημα στοχοθεσίας, αξιολόγησης και "
        "επιβράβευσης για την ενίσχυση της αποτελεσματικότητας της δημόσιας διοίκησης», "
        "όπως ισχύει.",
        "Την υπ' αριθμ. ΔΣΣΚ/ΤΠΠ/Φ.1/οικ.386/2022 υπουργική απόφαση (ΦΕΚ Β' 46/2023) για τις "
        "κατηγορίες των στόχων.",
        "Τον Οργανισμό Εσωτερικής Υπηρεσίας του Δήμου Ηρακλείου, όπως ισχύει.",
        "Το Επιχειρησιακό Πρόγραμμα του Δήμου Ηρακλείου.",
        "Τις παρατηρήσεις των προϊσταμένων των οργανικών μονάδων κατά τη διαβούλευση.",
    ]
)
HERAKLION_DISTRIBUTION = "\n".join(
    [
        "Γραφείο Δημάρχου",
        "Γραφείο Γενικού Γραμματέα",
        "Γραφεία Αντιδημάρχων",
        "Όλες τις Διευθύνσεις και τα Αυτοτελή Τμήματα του Δήμου",
    ]
)


class Municipality(models.Model):
    """The municipality's details that head its documents (one row, edited in Django admin)."""

    name = models.CharField(_("name (Greek)"), max_length=200, default="Δήμος Ηρακλείου")
    name_en = models.CharField(
        _("name (English)"), max_length=200, blank=True, default="Municipality of Heraklion"
    )
    mayor_of = models.CharField(
        _("Mayor of (Greek)"),
        max_length=100,
        default="Ηρακλείου",
        help_text=_('The name in the genitive, as in "Ο ΔΗΜΑΡΧΟΣ ΗΡΑΚΛΕΙΟΥ".'),
    )
    mayor_of_en = models.CharField(
        _("Mayor of (English)"), max_length=100, blank=True, default="Heraklion"
    )
    region = models.CharField(_("region (Greek)"), max_length=200, default="Περιφέρεια Κρήτης")
    region_en = models.CharField(
        _("region (English)"), max_length=200, blank=True, default="Region of Crete"
    )
    issuing_service = models.CharField(
        _("issuing service (Greek)"),
        max_length=300,
        blank=True,
        default="Γραφείο Δημάρχου",
        help_text=_("The service that drafts the decisions, under the municipality's name."),
    )
    issuing_service_en = models.CharField(
        _("issuing service (English)"), max_length=300, blank=True, default="Office of the Mayor"
    )
    place = models.CharField(
        _("place (Greek)"),
        max_length=100,
        default="Ηράκλειο",
        help_text=_("Where the decisions are signed, written before their date."),
    )
    place_en = models.CharField(
        _("place (English)"), max_length=100, blank=True, default="Heraklion"
    )
    address = models.CharField(_("address"), max_length=200, blank=True, default="Αγίου Τίτου 1")
    postcode = models.CharField(_("postcode"), max_length=20, blank=True, default="712 02")
    phone = models.CharField(_("telephone"), max_length=50, blank=True, default="2813 409000")
    email = models.EmailField(_("e-mail address"), blank=True, default="dimarxos@heraklion.gr")
    website = models.CharField(_("website"), max_length=200, blank=True, default="www.heraklion.gr")
    considerations = models.TextField(
        _("legal basis of the goal decisions"),
        blank=True,
        default=HERAKLION_CONSIDERATIONS,
        help_text=_(
            "The laws a decision on the goals has regard to, with their Government Gazette "
            "(ΦΕΚ), one per line; a new draft starts from them."
        ),
    )
    distribution = models.TextField(
        _("internal distribution"),
        blank=True,
        default=HERAKLION_DISTRIBUTION,
        help_text=_("Who receives the decisions inside the municipality, one per line."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipality")

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def load(cls) -> "Municipality":
        """The municipality's row; its defaults (Heraklion's) until one is stored."""
        return cls.objects.order_by("pk").first() or cls()

    def _in_language(self, field: str) -> str:
        if get_language() == "en" and getattr(self, f"{field}_en"):
            return getattr(self, f"{field}_en")
        return getattr(self, field)

    @property
    def display_name(self) -> str:
        return self._in_language("name")

    @property
    def display_mayor_of(self) -> str:
        return self._in_language("mayor_of")

    @property
    def display_region(self) -> str:
        return self._in_language("region")

    @property
    def display_issuing_service(self) -> str:
        return self._in_language("issuing_service")

    @property
    def display_place(self) -> str:
        return self._in_language("place")

    @property
    def consideration_lines(self) -> list[str]:
        return [line.strip() for line in self.considerations.splitlines() if line.strip()]

    @property
    def distribution_lines(self) -> list[str]:
        return [line.strip() for line in self.distribution.splitlines() if line.strip()]


class ActingHeadQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        """The appointments in force on that day (an open end: until further notice)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class ActingHead(models.Model):
    """An acting head (αναπληρωτής προϊστάμενος) of a directorate or a department, for a period,
    by an act: acts with the head's powers while in force, and the records say so."""

    directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acting_heads",
        help_text=_("The directorate, or leave empty and choose the department."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acting_heads",
    )
    person = models.ForeignKey(
        User,
        verbose_name=_("acting head"),
        on_delete=models.PROTECT,
        related_name="acting_headships",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    act = models.CharField(
        _("act of appointment"),
        max_length=300,
        help_text=_('The act that appointed them, e.g. "Απόφαση Δημάρχου 245/2026".'),
    )

    history = HistoricalRecords()
    objects = ActingHeadQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("acting head")
        verbose_name_plural = _("acting heads")
        constraints = [
            models.CheckConstraint(
                condition=Q(directorate__isnull=True, department__isnull=False)
                | Q(directorate__isnull=False, department__isnull=True),
                name="acting_head_of_one_unit",
                violation_error_message=_(
                    "An acting head stands in for one unit: a directorate or a department."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="acting_head_ends_after_start",
                violation_error_message=_("The appointment ends on or after the day it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.unit}"

    @property
    def unit(self) -> Directorate | Department | None:
        return self.directorate or self.department

    def is_in_force(self, on: datetime.date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)
