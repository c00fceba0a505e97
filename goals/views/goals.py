"""Goal pages: the list with its filters, a goal's page with its history, creating and editing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from goals.changes import goal_changes
from goals.filters import GoalFilter
from goals.forms.goals import GoalForm
from goals.history import goal_history
from goals.models import (
    Goal,
    GoalCycle,
    GoalVersion,
    MayoralDecision,
    Observation,
)
from goals.services.goals import GoalConflict, save_goal

GOALS_PER_PAGE = 25


def goal_list(request):
    """Every goal of a cycle (the current one unless chosen), filtered, searched and sorted."""
    data = request.GET.copy()
    current = GoalCycle.objects.current()
    if not data.get("cycle") and current:
        data["cycle"] = str(current.pk)
    goals = (
        Goal.objects.visible_to(request.user)
        .select_related("directorate", "cycle")
        .prefetch_related("participating_directorates")
    )
    filterset = GoalFilter(data, queryset=goals)
    page = Paginator(filterset.qs, GOALS_PER_PAGE).get_page(request.GET.get("page"))

    # Counts per category over the other filters, so each category shows what it would list.
    without_category = data.copy()
    without_category.pop("category", None)
    by_category = dict(
        GoalFilter(without_category, queryset=Goal.objects.visible_to(request.user))
        .qs.order_by()
        .values_list("category")
        .annotate(count=Count("pk"))
    )
    category_counts = [
        (value, label, by_category.get(value, 0)) for value, label in Goal.Category.choices
    ]
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "filter": filterset,
        "page_obj": page,
        "goals": page.object_list,
        "category_counts": category_counts,
        "total": page.paginator.count,
        "query_string": query.urlencode(),
        "cycle": filterset.form.cleaned_data.get("cycle") if filterset.is_valid() else current,
        "may_create": _may_create_goals(request.user),
    }
    return render(request, "goals/goal_list.html", ctx)


def goal_detail(request, pk):
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user)
        .select_related("cycle", "directorate", "proposed_by", "programme_action__measure__axis")
        .prefetch_related("participating_directorates"),
        pk=pk,
    )
    observations = (
        Observation.objects.visible_to(request.user)
        .filter(goal=goal)
        .select_related("author", "answered_by", "directorate")
    )
    ctx = {
        "goal": goal,
        "observations": observations,
        "history": goal_history(goal),
        "may_edit": Goal.objects.editable_by(request.user).filter(pk=goal.pk).exists(),
        "may_observe": goal.is_open_for_observations_by(request.user),
        **_goal_decisions_context(request.user, goal),  # issue 4
    }
    return render(request, "goals/goal_detail.html", ctx)


def goal_create(request):
    if not _may_create_goals(request.user):
        raise PermissionDenied
    goal = Goal(cycle=GoalCycle.objects.current())
    form = GoalForm(request.POST or None, instance=goal, user=request.user)
    if request.method == "POST" and form.is_valid():
        goal = save_goal(
            goal=form.save(commit=False),
            by=request.user,
            participants=form.cleaned_data["participating_directorates"],
        )
        messages.success(request, _("The goal %(code)s was saved.") % {"code": goal.code})
        return redirect(goal)
    return render(request, "goals/goal_form.html", {"form": form})


def goal_update(request, pk):
    goal = get_object_or_404(Goal.objects.visible_to(request.user), pk=pk)
    if not Goal.objects.editable_by(request.user).filter(pk=goal.pk).exists():
        raise PermissionDenied
    form = GoalForm(request.POST or None, instance=goal, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            goal = save_goal(
                goal=form.save(commit=False),
                by=request.user,
                participants=form.cleaned_data["participating_directorates"],
                expected_version=form.cleaned_data["version"],
            )
        except GoalConflict as conflict:
            return _conflict_page(request, form, conflict.stored)
        messages.success(request, _("The goal %(code)s was saved.") % {"code": goal.code})
        return redirect(goal)
    return render(request, "goals/goal_form.html", {"form": form, "goal": goal})


def _conflict_page(request, form, stored: Goal):
    """Someone saved first: show both versions; the form, resubmitted, overwrites knowingly."""
    stored = (
        Goal.objects.select_related("directorate", "programme_action")
        .prefetch_related("participating_directorates")
        .get(pk=stored.pk)
    )
    changes = goal_changes(
        stored,
        form.instance,
        fields=GoalForm.Meta.fields,
        participants_after=form.cleaned_data["participating_directorates"],
    )
    differences = [(change.label, change.new, change.old) for change in changes]
    data = request.POST.copy()
    data["version"] = str(stored.version)
    resubmit = GoalForm(data, instance=stored, user=request.user)
    latest = stored.history.select_related("history_user").latest()
    ctx = {"form": resubmit, "goal": stored, "differences": differences, "latest": latest}
    return render(request, "goals/goal_conflict.html", ctx, status=409)


def _may_create_goals(user) -> bool:
    if user.is_coordinator:
        return True
    return (
        user.is_head_of_directorate
        and GoalCycle.objects.filter(phase__in=GoalCycle.PROPOSAL_PHASES).exists()
    )


def _goal_decisions_context(user, goal: Goal) -> dict:
    """For the goal page: the issued decisions that adopted and amended the goal."""
    versions = GoalVersion.objects.filter(
        goal=goal, decision__status=MayoralDecision.Status.ISSUED
    ).select_related("decision__cycle")
    return {
        "goal_decisions": versions.order_by("decision__issued_at"),
        "may_see_progress": user.sees_everything or user.directorate_id == goal.directorate_id,
    }
