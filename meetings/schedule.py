"""Dates of a meeting series: the recurrence rule. A date that falls on a holiday or a weekend
moves to the next working day of the municipality's calendar (`directorates.workdays`: the
Greek public holidays and the municipality's own, kept as data)."""

import datetime
from itertools import islice

from dateutil.rrule import DAILY, WEEKLY, rrule

# A series is capped so that a typo ("every 1 day for 20 years") cannot flood the calendar.
MAX_MEETINGS = 200


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


def is_first_of_month(day: datetime.date, previous: datetime.date | None) -> bool:
    """Whether a meeting on `day` is the first of its month, given the one before it."""
    return previous is None or (previous.year, previous.month) != (day.year, day.month)
