import datetime
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
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
        """Units people work with today: not switched off, and in force today (the forms offer
        only these)."""
        return self.filter(is_active=True).in_force(timezone.localdate())

    def on_chart(self, on: datetime.date):
        """Units of the organisation chart on a date: in force then, and not switched off
        without an end (an abolished unit stays on the charts of its days)."""
        return self.in_force(on).filter(Q(is_active=True) | Q(valid_to__isnull=False))

    def in_force(self, on: datetime.date):
        """Units the internal services organisation (ΟΕΥ) had in force on a date."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )


class UnitInForce(models.Model):
    """When a unit is in force, and the acts of the internal services organisation (ΟΕΥ) that
    created and abolished it. Empty dates reach back to the start, or on with no end."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("The last day the unit is in force.")
    )
    created_by_act = models.ForeignKey(
        "directorates.OrganisationAct",
        verbose_name=_("created by the act"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_%(class)ss",
    )
    abolished_by_act = models.ForeignKey(
        "directorates.OrganisationAct",
        verbose_name=_("abolished by the act"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="abolished_%(class)ss",
    )

    class Meta:
        abstract = True

    @staticmethod
    def validity_constraints(model: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name=f"{model}_valid_to_not_before_valid_from",
                violation_error_message=_("A unit cannot cease before it comes into force."),
            )
        ]

    def is_in_force(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


class BilingualNameMixin:
    """A unit's name in the active language: English when chosen and given, Greek otherwise."""

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Directorate(BilingualNameMixin, UnitInForce, models.Model):
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
        constraints = UnitInForce.validity_constraints("directorate")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("directorates:detail", kwargs={"code": self.code})

    @property
    def head_title(self) -> str:
        """Its head's title, by the unit's kind and the head's gender ("Προϊσταμένη
        Διεύθυνσης", "Προϊστάμενος Αυτοτελούς Τμήματος")."""
        return unit_head_title(self.kind, self.head.gender if self.head else "")


class Department(BilingualNameMixin, UnitInForce, models.Model):
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
        constraints = UnitInForce.validity_constraints("department")

    def __str__(self) -> str:
        return self.display_name


# --- The organisation changes: acts of the internal services organisation (ΟΕΥ) -------------
class OrganisationAct(models.Model):
    """An internal services organisation (Οργανισμός Εσωτερικής Υπηρεσίας, ΟΕΥ) or its amendment,
    published in the Government Gazette (ΦΕΚ): it creates and abolishes units from a date."""

    title = models.CharField(_("title"), max_length=300)
    decision_number = models.CharField(
        _("decision number"),
        max_length=100,
        help_text=_("The number of the decision that adopted it, e.g. 112/2024."),
    )
    gazette_issue = models.CharField(
        _("Government Gazette issue"),
        max_length=100,
        help_text=_("Where it was published, e.g. ΦΕΚ Β' 1234/2024."),
    )
    effective_on = models.DateField(_("date of effect"))
    applied_at = models.DateTimeField(_("map applied at"), null=True, blank=True, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("map applied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("internal services organisation act")
        verbose_name_plural = _("internal services organisation acts")
        constraints = [
            models.UniqueConstraint(
                fields=["gazette_issue"],
                name="organisationact_gazette_issue_unique",
                violation_error_message=_("Another act was published in this gazette issue."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.gazette_issue})"

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None


class UnitSuccession(models.Model):
    """One line of an act's map: a unit it abolished and one unit that takes over from it (a
    merge has several lines to one successor, a split several successors of one unit)."""

    act = models.ForeignKey(
        OrganisationAct, verbose_name=_("act"), on_delete=models.CASCADE, related_name="successions"
    )
    old_directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("abolished directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("succeeding directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    old_department = models.ForeignKey(
        Department,
        verbose_name=_("abolished department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_department = models.ForeignKey(
        Department,
        verbose_name=_("succeeding department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["act", "pk"]
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    old_directorate__isnull=False,
                    new_directorate__isnull=False,
                    old_department__isnull=True,
                    new_department__isnull=True,
                )
                | Q(
                    old_directorate__isnull=True,
                    new_directorate__isnull=True,
                    old_department__isnull=False,
                    new_department__isnull=False,
                ),
                name="unitsuccession_one_kind_of_unit",
                violation_error_message=_(
                    "A directorate is succeeded by a directorate, a department by a department."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.old_directorate_id:
            return f"{self.old_directorate} → {self.new_directorate}"
        return f"{self.old_department} → {self.new_department}"


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

    @property
    def is_head_of_directorate(self) -> bool:
        return Role.HEAD_OF_DIRECTORATE in self.roles and self.directorate_id is not None

    @property
    def is_head_of_department(self) -> bool:
        return Role.HEAD_OF_DEPARTMENT in self.roles and self.department_id is not None


# A signed decision is posted on Diavgeia at once (Law 3861/2010 art. 2): it has no effect until
# then. Past this many days after its date it is flagged; each municipality can change it.
DAYS_TO_POST = 5

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
    days_to_post = models.PositiveSmallIntegerField(
        _("days allowed to post a decision"),
        default=DAYS_TO_POST,
        help_text=_(
            "A signed decision not posted on Diavgeia within this many days of its date is "
            "flagged to the General Secretary."
        ),
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
