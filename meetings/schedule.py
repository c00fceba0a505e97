"""Dates of a meeting series: the recurrence, and the move off holidays and weekends.

Greek public holidays come from the `holidays` library (national days, Orthodox Easter and the
days tied to it); the municipality's own holidays (Heraklion: 11 November, Saint Minas) from
the setting MEETINGS_LOCAL_HOLIDAYS, a dict {(month, day): name}.
"""

import datetime
from functools import lru_cache
from itertools import islice

import holidays
from dateutil.rrule import DAILY, WEEKLY, rrule
from django.conf import settings
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

# A series is capped so that a typo ("every 1 day for 20 years") cannot flood the calendar.
MAX_MEETINGS = 200

DEFAULT_LOCAL_HOLIDAYS = {(11, 11): gettext_lazy("Saint Minas, patron saint of Heraklion")}


def occurrences(
    *,
    first: datetime.date,
    interval: int,
    daily: bool = False,
    until: datetime.date | None = None,
    count: int | None = None,
) -> list[datetime.date]:
    """The dates of the rule, at most MAX_MEETINGS of them."""
    rule = rrule(
        DAILY if daily else WEEKLY,
        interval=interval,
        dtstart=datetime.datetime.combine(first, datetime.time()),
        until=datetime.datetime.combine(until, datetime.time()) if until else None,
        count=None if until else count,
    )
    return [moment.date() for moment in islice(rule, MAX_MEETINGS)]


@lru_cache(maxsize=32)
def _national_holidays(year: int, language: str) -> dict[datetime.date, str]:
    return dict(holidays.Greece(years=year, language=language).items())


def holiday_name(day: datetime.date) -> str:
    """The name of the public or local holiday on `day` in the active language, or ""."""
    local = getattr(settings, "MEETINGS_LOCAL_HOLIDAYS", DEFAULT_LOCAL_HOLIDAYS)
    if (day.month, day.day) in local:
        return str(local[(day.month, day.day)])
    language = "el" if (get_language() or "el").startswith("el") else "en_US"
    return _national_holidays(day.year, language).get(day, "")


def reason_not_working_day(day: datetime.date) -> str:
    """Why `day` is not a working day: a holiday's name, or the weekend; "" if it is one."""
    return holiday_name(day) or (_("weekend") if day.weekday() >= 5 else "")


def next_working_day(day: datetime.date) -> datetime.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while reason_not_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def is_first_of_month(day: datetime.date, previous: datetime.date | None) -> bool:
    """Whether a meeting on `day` is the first of its month, given the one before it."""
    return previous is None or (previous.year, previous.month) != (day.year, day.month)


def reasons_between(first: datetime.date, last: datetime.date) -> str:
    """Why each day from `first` up to (not including) `last` is not a working day, each
    reason once, in order: "Christmas Day, Glorifying Mother of God" for two holidays in a row."""
    reasons = []
    day = first
    while day < last:
        reason = reason_not_working_day(day)
        if reason and reason not in reasons:
            reasons.append(reason)
        day += datetime.timedelta(days=1)
    return ", ".join(reasons)


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The working day `count` working days before `day` (weekends and holidays skipped)."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if not reason_not_working_day(day):
            count -= 1
    return day


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    """The working day `count` working days after `day` (weekends and holidays skipped)."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if not reason_not_working_day(day):
            count -= 1
    return day
