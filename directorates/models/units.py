"""The organisation's units (directorates and departments), the acts that change them and
the map from old units to new ones."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directorates.roles import (
    Role,
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

    def without_head(self, on: datetime.date):
        """Units with neither an active head (named as the unit's head, or holding the head's
        role in it) nor an acting head in force on that day: their duties fall to the level
        above (`directorates.headship`)."""
        if self.model._meta.model_name == "department":
            unit, role = "department", Role.HEAD_OF_DEPARTMENT
        else:
            unit, role = "directorate", Role.HEAD_OF_DIRECTORATE
        from directorates.models.acting import ActingHead
        from directorates.models.users import User

        acting = ActingHead.objects.in_force(on).filter(**{unit: OuterRef("pk")})
        holders = User.objects.filter(is_active=True, groups__name=role, **{unit: OuterRef("pk")})
        return self.exclude(head__is_active=True).exclude(Exists(holders)).exclude(Exists(acting))


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
