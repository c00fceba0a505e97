"""The demo's years, worked out from today's date, so the demo tells the same story on any day.

- `monitored_year()`: this year, adopted and monitored (progress reported up to last month);
- `closed_year()`: last year, evaluated and closed;
- `consultation_year()`: next year, its goals in consultation;
- `STORY_YEAR` (2024): the seed's first year, told as it happened (the working meeting of Monday
  12 February 2024 at the Vikelaia library with the consultation still open, the adoption of
  27 February, the amendment of July), closed like every past year;
- `past_years()`: the adopted years in order, the closed ones then the monitored one.

Every demo module asks these functions (never a year written in the code), and `today()` is the
one place the date is read: tests set it to see the demo of another day.
"""

import datetime

from django.utils import timezone

STORY_YEAR = 2024


def today() -> datetime.date:
    return timezone.localdate()


def monitored_year() -> int:
    return today().year


def closed_year() -> int:
    return monitored_year() - 1


def consultation_year() -> int:
    return monitored_year() + 1


def closed_years() -> list[int]:
    """Last year and the story's year, when it is past; in order."""
    return sorted({closed_year(), STORY_YEAR} - {monitored_year(), consultation_year()})


def past_years() -> list[int]:
    """The years adopted by decision: the closed ones, then the monitored one."""
    return [*closed_years(), monitored_year()]
