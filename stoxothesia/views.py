import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Count, Window
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from directorates.models import Directorate
from goals import reports
from goals.filters import NOT_ALLOCATED
from goals.models import Goal, GoalCycle, MayoralDecision, Observation
from goals.rules import may_follow_evaluation, may_follow_municipality, may_manage_cycles
from goals.services.monitoring import overdue_goals
from meetings.models import Meeting
from stoxothesia import start

# How long the 503 page asks browsers and clients to wait before they try again, in seconds.
DATABASE_RETRY_AFTER = 30


def home(request):
    """The start page: what each person has to do now, then what matters to their role, on the
    cycle being monitored.

    A head, the Mayor, a head of department and staff first see their tasks, each with its
    deadline and a link (`stoxothesia.start`); the General Secretary what waits for them. The
    Mayor and deputies see the municipality's progress; a head their directorate's goals; a head
    of department and staff what is allocated to their department; everyone invited, the next
    coordination meeting. Every count links to a list of exactly what it counts. The page runs a
    fixed number of queries whatever the data.
    """
    user = request.user
    ctx = {
        "may_follow_municipality": may_follow_municipality(user),
        "may_follow_evaluation": may_follow_evaluation(user),
        "may_manage_cycles": may_manage_cycles(user),
    }
    cycles = reports.cycles_at_hand()
    cycle = cycles.monitored
    leads_any = user.directorate_id or user.headship.has_charges
    if cycle and (may_follow_municipality(user) or leads_any):
        page = request.GET.get("directorates_page")
        ctx.update(_progress_context(user, cycle, cycles.in_monitoring, page))
    if may_manage_cycles(user):
        ctx.update(_waiting_for_secretary(cycles))  # their tasks, as cards
        # Above the cards, only when something is late: a signed decision not yet posted.
        if posting := start.posting_task(user, timezone.localdate()):
            ctx["tasks"] = [posting]
    else:
        ctx["tasks"] = _tasks(user, cycles, ctx)
    ctx["charges"] = start.charge_tasks(user)
    ctx["next_meeting"] = (
        Meeting.objects.visible_to(user).upcoming().order_by("date", "start_time").first()
    )
    return render(request, "stoxothesia/home.html", ctx)


def _tasks(user, cycles: reports.CyclesAtHand, ctx: dict) -> list[start.Task]:
    """What this person has to do now, in the order of the year's work."""
    today = timezone.localdate()
    tasks = [
        start.consultation_task(user, cycles.current, today),
        start.decisions_task(user),
        start.action_items_task(user, today),
        *start.round_tasks(user, today),
    ]
    if ctx.get("overdue_since") is not None:
        tasks += start.directorate_tasks(
            user, cycles.monitored, ctx["my_goals"], ctx["overdue_since"]
        )
    if ctx.get("department_allocations"):
        tasks += start.department_tasks(
            user, cycles.monitored, ctx["department_allocations"], today
        )
    return [task for task in tasks if task]


BEHIND_LISTED = 20  # goals reported behind named on the municipality's start page
OVERDUE_LISTED = 5  # overdue goals named on the General Secretary's start page


def _progress_context(
    user, cycle: GoalCycle, in_monitoring: list[GoalCycle], directorates_page=None
) -> dict:
    goals = Goal.objects.visible_to(user).filter(cycle=cycle, status=Goal.Status.ADOPTED)
    overdue = overdue_goals(cycles=in_monitoring).filter(cycle=cycle)
    if may_follow_municipality(user):
        ctx = _municipality_progress(goals, overdue, cycle, directorates_page)
        if user.is_head_of_department:
            ctx["department_allocations"] = _department_shares(user, goals)
            ctx["department_url"] = start.goal_list_url(
                cycle, status=Goal.Status.ADOPTED, department=user.department_id
            )
        return ctx
    # Their directorate's goals, and those of the directorates they lead today.
    mine = {user.directorate_id, *user.headship.directorates} - {None}
    directorate_goals = goals.filter(directorate_id__in=mine)
    adopted = goals
    goals = reports.with_latest(directorate_goals.order_by("directorate__order", "code"))
    overdue_since = dict(overdue.filter(pk__in=[g.pk for g in goals]).values_list("pk", "since"))
    for goal in goals:
        goal.is_overdue = goal.pk in overdue_since
    behind = [goal for goal in goals if goal.is_behind]
    ctx = {
        "cycle": cycle,
        "overall": reports.overall(goals),
        "category_chart": reports.chart_rows(reports.by_category(goals)),
        "behind": behind,
        "behind_count": len(behind),
        "overdue_count": len(overdue_since),
        "behind_url": start.behind_url(cycle, user.directorate_id),
        "overdue_url": start.overdue_url(cycle, user.directorate_id),
    }
    if user.is_head_of_directorate:
        ctx["my_goals"] = goals
        ctx["overdue_since"] = overdue_since
        _next_steps_for_head(cycle, goals)
    if user.department_id or user.is_head_of_department:
        # Cross-cutting goals of other directorates too, where allocated to their department.
        ctx["department_allocations"] = _department_shares(user, adopted)
        ctx["department_url"] = start.goal_list_url(
            cycle, status=Goal.Status.ADOPTED, department=user.department_id
        )
    return ctx


def _department_shares(user, goals) -> list:
    """Only the goals allocated to their department (and to those they lead today), each with
    its share's achievement."""
    departments = list({user.department_id, *user.headship.departments} - {None})
    mine = reports.allocated_to(goals, departments)
    return reports.shares_with_latest(mine.order_by("directorate__order", "code"), departments)


def _municipality_progress(goals, overdue, cycle: GoalCycle, directorates_page=None) -> dict:
    """Every directorate's goals, summed in the database from their stored achievements: the
    work does not grow with the number of progress updates; the chart by directorate comes a
    page of directorates at a time."""
    page = reports.directorate_page(
        Directorate.objects.filter(pk__in=goals.values("directorate_id")), directorates_page
    )
    sums = reports.summaries(goals, list(page.object_list))
    behind = (
        goals.filter(is_behind=True)
        .select_related("directorate")
        .order_by("directorate__order", "code")
    )
    return {
        "cycle": cycle,
        "overall": sums.overall.achievement,
        "directorate_chart": reports.chart_rows(sums.by_directorate),
        "directorates_page": page,
        "category_chart": reports.chart_rows(sums.by_category),
        "behind": list(behind[:BEHIND_LISTED]),
        "behind_count": sums.overall.behind,
        "overdue_count": overdue.count(),
        "behind_url": start.behind_url(cycle),
        "overdue_url": start.overdue_url(cycle),
    }


def _next_steps_for_head(cycle: GoalCycle, goals: list[Goal]) -> None:
    """Each goal's next step, shown on its row: allocate it, or record its progress."""
    for goal in goals:
        goal.next_step = None
        if cycle.is_monitored and not goal.is_allocated:
            goal.next_step = (_("Allocate it"), reverse("goals:allocate", args=[goal.pk]))
        elif cycle.is_monitored and goal.is_overdue:
            goal.next_step = (_("Record progress"), reverse("goals:progress", args=[goal.pk]))


def _waiting_for_secretary(cycles: reports.CyclesAtHand) -> dict:
    """Counted on the cycle being monitored, each count linking to a list of exactly those."""
    cycle = cycles.monitored
    ctx = {
        "pending_observations": 0,
        "unallocated_count": 0,
        "overdue_total": 0,
        "overdue_goals": [],
        "pending_url": reverse("goals:consultation"),
    }
    if cycles.current:
        pending = Observation.objects.filter(cycle=cycles.current).pending()
        ctx["pending_observations"] = pending.count()
        ctx["pending_url"] = reverse("goals:consultation") + f"?cycle={cycles.current.pk}"
    if cycle and cycle.is_monitored:
        ctx["unallocated_count"] = Goal.objects.filter(
            status=Goal.Status.ADOPTED, cycle=cycle, allocations__isnull=True
        ).count()
        ctx["unallocated_url"] = start.goal_list_url(
            cycle, status=Goal.Status.ADOPTED, allocation=NOT_ALLOCATED
        )
        # The first few overdue goals, each carrying how many there are in all (one statement).
        overdue = list(
            overdue_goals(cycles=cycles.in_monitoring)
            .filter(cycle=cycle)
            .select_related("directorate")
            .annotate(total=Window(Count("pk")))
            .order_by("directorate__order", "code")[:OVERDUE_LISTED]
        )
        ctx["overdue_total"] = overdue[0].total if overdue else 0
        ctx["overdue_goals"] = overdue
        ctx["overdue_total_url"] = start.overdue_url(cycle)
    ctx["draft_decisions"] = list(
        MayoralDecision.objects.filter(status=MayoralDecision.Status.DRAFT).select_related("cycle")
    )
    ctx["drafts_url"] = reverse("goals:decisions") + f"?status={MayoralDecision.Status.DRAFT}"
    return ctx


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
