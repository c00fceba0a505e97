"""The demo's monthly reporting rounds, on the monitored year: the two months before the open
round closed by the General Secretary, and one round open whose departments' due date has
passed, with some units late (the goals reported behind stop being measured in the autumn) and
some that reported after their due date. The rounds go through the real services; only their
dates, and the moments the demo's bulk updates were recorded, are set back afterwards."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from directorates.models import Directorate, Municipality, User
from directorates.workdays import add_working_days, due_after
from goals.demo import years
from goals.demo.past_years import at
from goals.models import GoalCycle, ProgressUpdate, ReportingRound

FIRST_REPORTED_MONTH = 4  # the demo's monthly measurements start in April
CLOSED_ROUNDS = 2
LATE_EVERY = 4  # one directorate in four (and its departments) reported after the due date


def open_period(today: datetime.date) -> datetime.date:
    """The month of the open round: last month once its departments' due date has passed,
    else the month before."""
    municipality = Municipality.load()
    last_month = today.replace(day=1) - relativedelta(months=1)
    due = due_after(
        last_month, municipality.round_department_days, municipality.local_holiday_names
    )
    return last_month if due < today else last_month - relativedelta(months=1)


def seed_rounds() -> dict[str, int]:
    """Idempotent: nothing once a round exists."""
    from goals.services.rounds import close_round, open_round

    created = {"reporting rounds": 0}
    secretary = User.objects.filter(username="secretary").first()
    year = years.monitored_year()
    cycle = GoalCycle.objects.filter(year=year, phase__in=GoalCycle.MONITORED_PHASES).first()
    if secretary is None or cycle is None or ReportingRound.objects.exists():
        return created
    today = years.today()
    municipality = Municipality.load()
    local = municipality.local_holiday_names
    latest = open_period(today)
    periods = [latest - relativedelta(months=back) for back in range(CLOSED_ROUNDS, -1, -1)]
    for period in periods:
        if period.year != year or period.month < FIRST_REPORTED_MONTH:
            continue
        round_ = open_round(
            by=secretary,
            period=period,
            department_working_days=municipality.round_department_days,
            directorate_working_days=municipality.round_directorate_days,
        )
        opened = at(add_working_days(round_.period_end, 1, local), 9)
        if period != latest:
            close_round(round_=round_, by=secretary)
            closed = at(add_working_days(round_.directorates_due_on, 2, local), 13)
            ReportingRound.objects.filter(pk=round_.pk).update(opened_at=opened, closed_at=closed)
            round_.history.filter(status="closed").update(history_date=closed)
        else:
            ReportingRound.objects.filter(pk=round_.pk).update(opened_at=opened)
        round_.history.filter(status="open").update(history_date=opened)
        _date_the_updates(round_, local)
        created["reporting rounds"] += 1
    return created


def _date_the_updates(round_: ReportingRound, local) -> None:
    """The demo's updates of the round's month were recorded in bulk today: date them back, by
    the due date of their level, a few directorates (and their departments) after it."""
    in_month = ProgressUpdate.objects.filter(measured_on__range=(round_.period, round_.period_end))
    codes = list(Directorate.objects.order_by("order", "name").values_list("pk", flat=True))
    late = [pk for index, pk in enumerate(codes) if index % LATE_EVERY == LATE_EVERY - 1]
    for departments_late in (False, True):
        of_these = Q(goal__directorate_id__in=late)
        scope = in_month.filter(of_these) if departments_late else in_month.exclude(of_these)
        shift = datetime.timedelta(days=2) if departments_late else datetime.timedelta(days=-1)
        scope.filter(allocation__isnull=False).update(
            created_at=at(round_.departments_due_on + shift, 11)
        )
        scope.filter(allocation__isnull=True).update(
            created_at=at(round_.directorates_due_on + shift, 11)
        )
