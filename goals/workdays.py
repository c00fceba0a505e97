"""Working days as a Greek municipality counts them: Monday to Friday, except the public
holidays of Greece (the `holidays` library: New Year, Epiphany, Clean Monday, 25 March, Good
Friday to Easter Monday and Whit Monday by the Orthodox Easter, 1 May, 15 August, 28 October,
Christmas) and the municipality's own local holidays (its patron saint's day, kept as data in
`Municipality.local_holidays`, edited in Django admin).

A reporting round's due dates are counted in working days after the end of the month it covers
(`due_after`).
"""

import datetime
from collections.abc import Iterable
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta


@lru_cache(maxsize=32)
def greek_holidays(year: int) -> frozenset[datetime.date]:
    """The public holidays of Greece in a year."""
    return frozenset(holidays.country_holidays("GR", years=year))


def is_working_day(day: datetime.date, local: Iterable[tuple[int, int]] = ()) -> bool:
    """Whether public services work on that day; `local` the (day, month) of local holidays."""
    if day.weekday() >= 5 or day in greek_holidays(day.year):
        return False
    return (day.day, day.month) not in set(local)


def add_working_days(
    start: datetime.date, count: int, local: Iterable[tuple[int, int]] = ()
) -> datetime.date:
    """The `count`-th working day after `start` (`start` itself is not counted)."""
    local = frozenset(local)
    day = start
    counted = 0
    while counted < count:
        day += datetime.timedelta(days=1)
        if is_working_day(day, local):
            counted += 1
    return day


def month_end(period: datetime.date) -> datetime.date:
    """The last day of the month `period` falls in."""
    return period.replace(day=1) + relativedelta(months=1, days=-1)


def due_after(
    period: datetime.date, working_days: int, local: Iterable[tuple[int, int]] = ()
) -> datetime.date:
    """The due date `working_days` working days after the month of `period` ended."""
    return add_working_days(month_end(period), working_days, local)
