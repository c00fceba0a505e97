"""The municipality's own details, in data: what differs between municipalities."""

import calendar
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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

# The patron saint's day of Heraklion: a local holiday, not a working day of its services.
HERAKLION_LOCAL_HOLIDAYS = "11/11 Άγιος Μηνάς, πολιούχος Ηρακλείου"
DAY_MONTH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})\b")


def parse_day_month(line: str) -> tuple[int, int] | None:
    """The (day, month) a line of the local holidays starts with, if it is a real one."""
    match = DAY_MONTH.match(line)
    if not match:
        return None
    day, month = int(match[1]), int(match[2])
    # Counted in a leap year: 29/2 is a day that exists.
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]):
        return None
    return day, month


def validate_local_holidays(text: str) -> None:
    """Each non-empty line starts with a real day/month."""
    wrong = [line for line in text.splitlines() if line.strip() and not parse_day_month(line)]
    if wrong:
        raise ValidationError(
            _("Start each line with the day and month, as in 11/11; check: %(lines)s"),
            params={"lines": "; ".join(wrong)},
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

    # The monthly reporting rounds: their default due dates, in working days after the end of
    # the month reported on, and the local holidays those days skip (directorates.workdays).
    round_department_days = models.PositiveSmallIntegerField(
        _("working days for the departments to report"),
        default=5,
        help_text=_(
            "A reporting round's departments report within this many working days after the "
            "end of the month; the General Secretary may change it when opening a round."
        ),
    )
    round_directorate_days = models.PositiveSmallIntegerField(
        _("working days for the directorates to report"),
        default=8,
        help_text=_(
            "The directorates report within this many working days after the end of the "
            "month, after their departments."
        ),
    )
    local_holidays = models.TextField(
        _("local holidays"),
        blank=True,
        default=HERAKLION_LOCAL_HOLIDAYS,
        validators=[validate_local_holidays],
        help_text=_(
            "Holidays of the municipality on top of the national ones, one per line as "
            "day/month and name (e.g. 11/11 Άγιος Μηνάς); they are not working days."
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
    def local_holiday_names(self) -> dict[tuple[int, int], str]:
        """Each local holiday by its (day, month), with the name written after the date; a line
        that does not start with a day/month is left out (the form refuses it)."""
        names = {}
        for line in self.local_holidays.splitlines():
            if day_month := parse_day_month(line):
                name = DAY_MONTH.sub("", line, count=1).strip(" \t,.-–")
                names[day_month] = name or str(_("local holiday"))
        return names

    @property
    def distribution_lines(self) -> list[str]:
        return [line.strip() for line in self.distribution.splitlines() if line.strip()]
