"""Observations: submitted by the heads, answered by the General Secretary; the consultation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.models import Directorate
from directorates.rules import require
from goals import reports
from goals.forms.observations import AnswerForm, GeneralObservationForm, ObservationForm
from goals.models import (
    Goal,
    GoalCycle,
    Observation,
)
from goals.rules import (
    may_answer_observation,
    may_follow_consultation,
    may_follow_municipality,
    may_observe,
    may_observe_generally,
    may_see_smart_warnings_at_all,
)
from goals.services.observations import answer_observation, submit_observation
from goals.smart import seen_warned, warnings_seen, with_cycle_facts
from goals.views import query_without

LISTED = 25  # observations listed on a page of the consultation's overview


def observation_create(request, pk):
    """A head's observation on a goal of their directorate, while consultation is open."""
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user).select_related("cycle", "directorate"), pk=pk
    )
    require(may_observe(request.user, goal))
    form = ObservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        observation = form.save(commit=False)
        observation.goal = goal
        observation.cycle = goal.cycle
        return _submit(request, form, observation)
    return render(request, "goals/observation_form.html", {"form": form, "goal": goal})


def observation_create_general(request):
    """A head's general observation on their directorate's goal set in the open consultation."""
    cycle = _open_cycle_for(request.user)
    form = GeneralObservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        observation = form.save(commit=False)
        observation.cycle = cycle
        return _submit(request, form, observation)
    ctx = {"form": form, "cycle": cycle, "directorate": request.user.directorate}
    return render(request, "goals/observation_form.html", ctx)


def _open_cycle_for(user) -> GoalCycle:
    require(may_observe_generally(user))
    open_cycles = GoalCycle.objects.filter(phase=GoalCycle.Phase.CONSULTATION)
    cycle = next((cycle for cycle in open_cycles if cycle.is_consultation_open()), None)
    require(cycle is not None)
    return cycle


def _submit(request, form, observation: Observation):
    try:
        observation = submit_observation(observation=observation, author=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        ctx = {"form": form, "goal": observation.goal, "cycle": observation.cycle}
        return render(request, "goals/observation_form.html", ctx)
    messages.success(request, _("Your observation was submitted."))
    return redirect(observation)


def observation_detail(request, pk):
    observation = get_object_or_404(
        Observation.objects.visible_to(request.user).select_related(
            "goal", "cycle", "directorate", "author", "answered_by"
        ),
        pk=pk,
    )
    form = None
    if may_answer_observation(request.user, observation):
        form = AnswerForm(observation=observation)
    return render(
        request, "goals/observation_detail.html", {"observation": observation, "form": form}
    )


@require_POST
def observation_answer(request, pk):
    observation = get_object_or_404(
        Observation.objects.visible_to(request.user).select_related("goal", "cycle"), pk=pk
    )
    require(may_answer_observation(request.user, observation))
    form = AnswerForm(request.POST, observation=observation)
    if form.is_valid():
        try:
            answer_observation(
                observation=observation,
                by=request.user,
                status=form.cleaned_data["status"],
                reply=form.cleaned_data["reply"],
                apply_change=form.cleaned_data.get("apply_change", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer was saved; the author will be told."))
            return redirect(observation)
    ctx = {"observation": observation, "form": form}
    return render(request, "goals/observation_detail.html", ctx, status=400)


def consultation(request):
    """Where the consultation stands: per directorate for oversight; for a head, their own."""
    user = request.user
    require(may_follow_consultation(user))
    cycle = _chosen_cycle(request)
    ctx = {"cycle": cycle, "cycles": GoalCycle.objects.all()}
    ctx["query_string"] = query_without(request, "page")
    ctx["may_see_smart_warnings"] = may_see_smart = may_see_smart_warnings_at_all(user)
    if cycle and may_follow_municipality(user):
        page = reports.directorate_page(
            Directorate.objects.active(), request.GET.get("directorates_page")
        )
        ctx["directorates_page"] = page
        ctx["directorates_query"] = query_without(request, "directorates_page")
        ctx["directorates"] = _observations_per_directorate(cycle, list(page.object_list))
        warned = _warned_per_directorate(user, cycle, page.object_list) if may_see_smart else {}
        for directorate in ctx["directorates"]:
            directorate.smart_warned = warned.get(directorate.pk, 0)
        waiting = (
            Observation.objects.filter(cycle=cycle)
            .pending()
            .select_related("goal", "directorate", "author")
            .order_by("submitted_at", "pk")
        )
        ctx["page_obj"] = Paginator(waiting, LISTED).get_page(request.GET.get("page"))
        ctx["waiting"] = ctx["page_obj"].object_list
    elif cycle:
        goals = Goal.objects.filter(cycle=cycle)
        if may_see_smart:
            goals = with_cycle_facts(goals)
        ctx["goals"] = list(
            goals.concerning(user.headship.directorate_ids)
            .select_related("directorate")
            .annotate(my_observations=_observations_of(user.headship.directorate_ids))
        )
        warnings = {}
        if may_see_smart:
            warnings = warnings_seen(user, ctx["goals"], {cycle.pk: cycle.year})
        for goal in ctx["goals"]:
            goal.smart_warnings = warnings.get(goal.pk, [])
        observations = (
            Observation.objects.visible_to(user)
            .filter(cycle=cycle)
            .select_related("goal", "author")
            .order_by("-submitted_at", "-pk")
        )
        ctx["page_obj"] = Paginator(observations, LISTED).get_page(request.GET.get("page"))
        ctx["observations"] = ctx["page_obj"].object_list
        ctx["may_observe"] = cycle.is_consultation_open()
    return render(request, "goals/consultation.html", ctx)


def _observations_of(directorate_ids: list[int]) -> Coalesce:
    """How many observations these directorates made on each goal: a subquery per goal, not a
    join that would multiply the goal's other subqueries by its observations."""
    made = (
        Observation.objects.filter(goal=OuterRef("pk"), directorate__in=directorate_ids)
        .order_by()
        .values("goal")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(made, output_field=IntegerField()), 0)


def _warned_per_directorate(user, cycle: GoalCycle, directorates) -> dict[int, int]:
    """How many goals with SMART warnings each of these directorates has, of those this person
    may read: one query, counted by the database whatever the size of the cycle."""
    ids = [directorate.pk for directorate in directorates]
    counts = (
        seen_warned(Goal.objects.all(), user, cycle, ids)
        .order_by()
        .values_list("directorate")
        .annotate(count=Count("pk"))
    )
    return dict(counts)


def _observations_per_directorate(cycle: GoalCycle, directorates: list) -> list[Directorate]:
    """These directorates (a page of the active ones) with their observations in the cycle:
    submitted, answered, waiting.

    Counted from the cycle's observations of these directorates, grouped by directorate (not
    every directorate joined with every observation): the cost follows the page."""
    counts = {
        row["directorate_id"]: row
        for row in Observation.objects.filter(cycle=cycle, directorate__in=directorates)
        .order_by()
        .values("directorate_id")
        .annotate(
            submitted=Count("pk"),
            waiting=Count("pk", filter=Q(status=Observation.Status.PENDING)),
        )
    }
    for directorate in directorates:
        row = counts.get(directorate.pk, {})
        directorate.submitted = row.get("submitted", 0)
        directorate.waiting = row.get("waiting", 0)
        directorate.answered = directorate.submitted - directorate.waiting
    return directorates


def _chosen_cycle(request) -> GoalCycle | None:
    chosen = request.GET.get("cycle", "")
    if chosen.isdigit():
        return get_object_or_404(GoalCycle, pk=chosen)
    return GoalCycle.objects.current()
