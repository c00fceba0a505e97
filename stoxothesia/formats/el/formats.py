"""Greek dates and times as the municipality writes them (read through FORMAT_MODULE_PATH).

Django's own Greek formats print the month in the nominative and the time in 12-hour form
("P": "10 π.μ."). A Greek civil servant writes the month after a day in the genitive ("E":
"14 Δεκεμβρίου 2026") and the time in 24-hour form ("10:00"). Everything else (input formats,
separators) is Django's.
"""

from django.conf.locale.el.formats import *  # noqa: F403

DATE_FORMAT = "j E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
