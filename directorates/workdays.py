"""Working days as a Greek municipality counts them: Monday to Friday, except the public
holidays of Greece (the `holidays` library: New Year, Epiphany, Clean Monday, 25 March, Good
Friday to Easter Monday and Whit Monday by the Orthodox Easter, 1 May, 15 August, 28 October,
Christmas) and the municipality's own local holidays (its patron saint's day, kept as data in
`Municipality.local_holidays`, edited in Django admin; Heraklion's 11 November by default).

One calendar for everything that counts days: a reporting round's due dates (`due_after`), the
meetings moved off a holiday (`next_working_day`, `reasons_between`) and their papers' dates.
Each function takes the local holidays (`local`, {(day, month): name}) from its caller, who
reads them once (`local_holidays()`, one query) for all the days it counts.
"""

import datetime
from collections.abc import Mapping
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.utils.translation import get_language
from django.utils.translation import gettext as _

LocalHolidays = Mapping[tuple[int, int], str]


def local_holidays() -> dict[tuple[int, int], str]:
    """The municipality's own holidays, {(day, month): name} (one query)."""
    from directorates.models import Municipality

    return Municipality.load().local_holiday_names


@lru_cache(maxsize=64)
def national_holidays(year: int, language: str = "el") -> dict[datetime.date, str]:
    """The public holidays of Greece in a year, with their names in `language`."""
    return dict(holidays.Greece(years=year, language=language).items())


def holiday_name(day: datetime.date, local: LocalHolidays) -> str:
    """The name of the local or public holiday on `day` (a public one in the active language),
    or ""."""
    if name := local.get((day.day, day.month)):
        return name
    language = "el" if (get_language() or "el").startswith("el") else "en_US"
    return national_holidays(day.year, language).get(day, "")


def reason_not_working_day(day: datetime.date, local: LocalHolidays) -> str:
    """Why `day` is not a working day: a holiday's name, or the weekend; "" if it is one."""
    return holiday_name(day, local) or (_("weekend") if day.weekday() >= 5 else "")


def is_working_day(day: datetime.date, local: LocalHolidays) -> bool:
    """Whether public services work on that day."""
    if day.weekday() >= 5 or day in national_holidays(day.year):
        return False
    return (day.day, day.month) not in local


def next_working_day(day: datetime.date, local: LocalHolidays) -> datetime.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, local):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start: datetime.date, count: int, local: LocalHolidays) -> datetime.date:
    """The `count`-th working day after `start` (`start` itself is not counted)."""
    return _count_working_days(start, count, local, datetime.timedelta(days=1))


def working_days_before(day: datetime.date, count: int, local: LocalHolidays) -> datetime.date:
    """The `count`-th working day before `day` (`day` itself is not counted)."""
    return _count_working_days(day, count, local, datetime.timedelta(days=-1))


def _count_working_days(
    day: datetime.date, count: int, local: LocalHolidays, step: datetime.timedelta
) -> datetime.date:
    counted = 0
    while counted < count:
        day += step
        if is_working_day(day, local):
            counted += 1
    return day


def reasons_between(first: datetime.date, last: datetime.date, local: LocalHolidays) -> str:
    """Why each day from `first` up to (not including) `last` is not a working day, each
    reason once, in order: "Christmas Day, Glorifying Mother of God" for two holidays in a row."""
    reasons = []
    day = first
    while day < last:
        reason = reason_not_working_day(day, local)
        if reason and reason not in reasons:
            reasons.append(reason)
        day += datetime.timedelta(days=1)
    return ", ".join(reasons)


def month_end(period: datetime.date) -> datetime.date:
    """The last day of the month `period` falls in."""
    return period.replace(day=1) + relativedelta(months=1, days=-1)


def due_after(period: datetime.date, working_days: int, local: LocalHolidays) -> datetime.date:
    """The due date `working_days` working days after the month of `period` ended."""
    return add_working_days(month_end(period), working_days, local)
