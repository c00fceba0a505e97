import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Count, Window
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from goals import reports
from goals.models import Goal, GoalCycle, MayoralDecision, Observation
from goals.rules import may_follow_evaluation, may_follow_municipality, may_manage_cycles
from goals.services.monitoring import overdue_goals
from meetings.models import Meeting

# How long the 503 page asks browsers and clients to wait before they try again, in seconds.
DATABASE_RETRY_AFTER = 30


def home(request):
    """The start page: what matters to each role, on the cycle being monitored.

    The Mayor and deputies see the municipality's progress; the General Secretary what waits
    for them; a head their directorate's goals and next steps; a head of department what is
    allocated to their department; everyone invited, the next coordination meeting. The page
    runs a fixed number of queries whatever the data.
    """
    user = request.user
    ctx = {
        "may_follow_municipality": may_follow_municipality(user),
        "may_follow_evaluation": may_follow_evaluation(user),
        "may_manage_cycles": may_manage_cycles(user),
    }
    cycles = reports.cycles_at_hand()
    cycle = cycles.monitored
    if cycle and (may_follow_municipality(user) or user.directorate_id):
        ctx.update(_progress_context(user, cycle, cycles.in_monitoring))
    if may_manage_cycles(user):
        ctx.update(_waiting_for_secretary(cycles))
    ctx["next_meeting"] = (
        Meeting.objects.visible_to(user).upcoming().order_by("date", "start_time").first()
    )
    return render(request, "stoxothesia/home.html", ctx)


BEHIND_LISTED = 20  # goals reported behind named on the municipality's start page
OVERDUE_LISTED = 5  # overdue goals named on the General Secretary's start page


def _progress_context(user, cycle: GoalCycle, in_monitoring: list[GoalCycle]) -> dict:
    goals = Goal.objects.visible_to(user).filter(cycle=cycle, status=Goal.Status.ADOPTED)
    overdue = overdue_goals(cycles=in_monitoring).filter(cycle=cycle)
    if may_follow_municipality(user):
        ctx = _municipality_progress(goals, overdue, cycle)
        if user.is_head_of_department:
            ctx["department_allocations"] = _department_shares(user, goals)
        return ctx
    directorate_goals = goals.filter(directorate_id=user.directorate_id)
    goals = reports.with_latest(directorate_goals.order_by("directorate__order", "code"))
    overdue_ids = set(overdue.filter(pk__in=[g.pk for g in goals]).values_list("pk", flat=True))
    for goal in goals:
        goal.is_overdue = goal.pk in overdue_ids
    behind = [goal for goal in goals if goal.is_behind]
    ctx = {
        "cycle": cycle,
        "overall": reports.overall(goals),
        "category_chart": reports.chart_rows(reports.by_category(goals)),
        "behind": behind,
        "behind_count": len(behind),
        "overdue_count": len(overdue_ids),
    }
    if user.is_head_of_directorate:
        ctx["my_goals"] = goals
        ctx["next_steps"] = _next_steps_for_head(cycle, goals)
    if user.is_head_of_department:
        ctx["department_allocations"] = _department_shares(user, directorate_goals)
    return ctx


def _department_shares(user, goals) -> list:
    """Only the goals allocated to their department, each with its share's achievement."""
    mine = reports.allocated_to(goals, user.department_id)
    return reports.shares_with_latest(
        mine.order_by("directorate__order", "code"), user.department_id
    )


def _municipality_progress(goals, overdue, cycle: GoalCycle) -> dict:
    """Every directorate's goals, summed in the database from their stored achievements: the
    work does not grow with the number of progress updates."""
    sums = reports.summaries(goals)
    behind = (
        goals.filter(is_behind=True)
        .select_related("directorate")
        .order_by("directorate__order", "code")
    )
    return {
        "cycle": cycle,
        "overall": sums.overall.achievement,
        "directorate_chart": reports.chart_rows(sums.by_directorate),
        "category_chart": reports.chart_rows(sums.by_category),
        "behind": list(behind[:BEHIND_LISTED]),
        "behind_count": sums.overall.behind,
        "overdue_count": overdue.count(),
    }


def _next_steps_for_head(cycle: GoalCycle, goals: list[Goal]) -> list[dict]:
    steps = []
    allocating = cycle.is_monitored
    for goal in goals:
        if allocating and not goal.is_allocated:
            steps.append(
                {
                    "goal": goal,
                    "text": _("Allocate it to your departments"),
                    "url": reverse("goals:allocate", args=[goal.pk]),
                }
            )
        elif allocating and goal.is_overdue:
            steps.append(
                {
                    "goal": goal,
                    "text": _("No update for over 30 days"),
                    "url": reverse("goals:progress", args=[goal.pk]),
                }
            )
    return steps


def _waiting_for_secretary(cycles: reports.CyclesAtHand) -> dict:
    unallocated = Goal.objects.filter(
        status=Goal.Status.ADOPTED,
        cycle__phase__in=GoalCycle.MONITORED_PHASES,
        allocations__isnull=True,
    )
    # The first few overdue goals, each carrying how many there are in all (one statement).
    overdue = list(
        overdue_goals(cycles=cycles.in_monitoring)
        .select_related("directorate")
        .annotate(total=Window(Count("pk")))
        .order_by("directorate__order", "code")[:OVERDUE_LISTED]
    )
    return {
        "pending_observations": Observation.objects.filter(cycle=cycles.current).pending().count()
        if cycles.current
        else 0,
        "unallocated_count": unallocated.count(),
        "overdue_total": overdue[0].total if overdue else 0,
        "overdue_goals": overdue,
        "draft_decisions": list(
            MayoralDecision.objects.filter(status=MayoralDecision.Status.DRAFT).select_related(
                "cycle"
            )
        ),
    }


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request):
    """Django's 500 page, or, when the database cannot be reached, a 503 page that needs none.

    Django calls this for an exception raised anywhere (a view or a middleware), so a database
    outage never shows a traceback. Once the database is back, the next request reconnects
    (CONN_HEALTH_CHECKS) and all is well again.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request) -> HttpResponse:
    """A static page in the person's language (from the cookie; Greek by default)."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response
