"""Cycles: the General Secretary creates them and moves them through their phases."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.rules import require
from goals.forms.cycles import GoalCycleForm
from goals.models import (
    GoalCycle,
)
from goals.rules import may_manage_cycles, may_publish_cycle, may_withdraw_cycle
from goals.services.cycles import (
    advance_cycle,
    close_cycle,
    open_evaluation,
    publish_cycle,
    withdraw_cycle,
)


def cycle_list(request):
    """Every cycle with its phase; the General Secretary moves them on and opens new ones."""
    cycles = list(
        GoalCycle.objects.select_related("published_by", "withdrawn_by")
        .annotate(goal_count=Count("goals"))
        .order_by("-year")
    )
    for cycle in cycles:
        cycle.may_publish = may_publish_cycle(request.user, cycle)
        cycle.may_withdraw = may_withdraw_cycle(request.user, cycle)
    ctx = {"cycles": cycles, "may_manage": may_manage_cycles(request.user)}
    return render(request, "goals/cycle_list.html", ctx)


def cycle_create(request):
    return _cycle_form(request, GoalCycle())


def cycle_update(request, pk):
    return _cycle_form(request, get_object_or_404(GoalCycle, pk=pk))


def _cycle_form(request, cycle: GoalCycle):
    require(may_manage_cycles(request.user))
    form = GoalCycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        cycle = form.save(commit=False)
        cycle._history_user = request.user
        cycle.save()
        messages.success(request, _("The cycle %(year)s was saved.") % {"year": cycle.year})
        return redirect("goals:cycles")
    return render(request, "goals/cycle_form.html", {"form": form, "cycle": cycle})


@require_POST
def cycle_advance(request, pk):
    cycle = get_object_or_404(GoalCycle, pk=pk)
    require(may_manage_cycles(request.user))
    try:
        cycle = advance_cycle(cycle=cycle, to_phase=request.POST.get("phase", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The cycle %(year)s is now in the phase: %(phase)s.")
            % {"year": cycle.year, "phase": cycle.get_phase_display()},
        )
    return redirect("goals:cycles")


@require_POST
def cycle_open_evaluation(request, pk):
    return _move_cycle(
        request,
        pk,
        open_evaluation,
        _("The evaluation is open: record each goal's final value."),
    )


@require_POST
def cycle_close(request, pk):
    return _move_cycle(
        request,
        pk,
        close_cycle,
        _("The cycle is closed; nothing in it changes any more."),
    )


def _move_cycle(request, pk, workflow, success: str):
    """Open the evaluation or close the cycle: the coordinators only, with the refusal said."""
    cycle = get_object_or_404(GoalCycle, pk=pk)
    require(may_manage_cycles(request.user))
    try:
        workflow(cycle=cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("goals:evaluation", pk=cycle.pk)


@require_POST
def cycle_publish(request, pk):
    """The General Secretary publishes the cycle's adopted goals (public pages, open data)."""
    cycle = get_object_or_404(GoalCycle, pk=pk)
    require(may_publish_cycle(request.user, cycle))
    try:
        publish_cycle(cycle=cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The goals of %(year)s are published on the public pages and as open data.")
            % {"year": cycle.year},
        )
    return redirect("goals:cycles")


@require_POST
def cycle_withdraw(request, pk):
    """Take the cycle off the public pages, the open data and the API."""
    cycle = get_object_or_404(GoalCycle, pk=pk)
    require(may_withdraw_cycle(request.user, cycle))
    try:
        withdraw_cycle(cycle=cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The goals of %(year)s are no longer public.") % {"year": cycle.year},
        )
    return redirect("goals:cycles")
