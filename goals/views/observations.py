"""Observations: submitted by the heads, answered by the General Secretary; the consultation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.models import Directorate
from directorates.rules import require
from goals.forms.observations import AnswerForm, GeneralObservationForm, ObservationForm
from goals.models import (
    Goal,
    GoalCycle,
    Observation,
)
from goals.rules import (
    may_answer_observation,
    may_follow_consultation,
    may_observe,
    may_observe_generally,
)
from goals.services.observations import answer_observation, submit_observation


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
    if cycle and user.sees_everything:
        in_cycle = Q(observations__cycle=cycle)
        pending_only = Q(observations__status=Observation.Status.PENDING)
        ctx["directorates"] = (
            Directorate.objects.active()
            .annotate(
                submitted=Count("observations", filter=in_cycle),
                answered=Count("observations", filter=in_cycle & ~pending_only),
                waiting=Count("observations", filter=in_cycle & pending_only),
            )
            .order_by("order", "name")
        )
        ctx["waiting"] = (
            Observation.objects.filter(cycle=cycle)
            .pending()
            .select_related("goal", "directorate", "author")
            .order_by("submitted_at")
        )
    elif cycle:
        ctx["goals"] = (
            Goal.objects.filter(cycle=cycle)
            .concerning(user.directorate_id)
            .select_related("directorate")
            .annotate(
                my_observations=Count(
                    "observations", filter=Q(observations__directorate=user.directorate_id)
                )
            )
        )
        ctx["observations"] = (
            Observation.objects.visible_to(user)
            .filter(cycle=cycle)
            .select_related("goal", "author")
        )
        ctx["may_observe"] = cycle.is_consultation_open()
    return render(request, "goals/consultation.html", ctx)


def _chosen_cycle(request) -> GoalCycle | None:
    chosen = request.GET.get("cycle", "")
    if chosen.isdigit():
        return get_object_or_404(GoalCycle, pk=chosen)
    return GoalCycle.objects.current()
