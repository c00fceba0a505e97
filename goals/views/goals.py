"""Goal pages: the list with its filters, a goal's page with its history, creating and editing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from directorates.rules import require
from goals.changes import goal_changes
from goals.filters import GoalFilter
from goals.forms.goals import GoalForm, indicator_formset
from goals.history import goal_history
from goals.indicators import attach_indicators, with_indicator_flag
from goals.models import (
    Goal,
    GoalCycle,
    GoalIndicator,
    GoalVersion,
    MayoralDecision,
    Observation,
)
from goals.rules import (
    may_create_goals,
    may_draft_goals,
    may_edit_goal,
    may_follow_goal,
    may_handle_blockers,
    may_import_goals,
    may_observe,
    may_raise_blocker,
    may_see_smart_warnings,
)
from goals.services.goals import GoalConflict, save_goal
from goals.services.versions import attach_version_extras
from goals.smart import CHECKED, warnings_of, warnings_seen, with_cycle_facts
from goals.trend import goal_trend, indicator_trends

GOALS_PER_PAGE = 25
INDICATORS_PREFIX = "indicators"
OBSERVATIONS_PER_PAGE = 20  # on a goal's page, the latest first


def goal_list(request):
    """Every goal of a cycle (the current one unless chosen), filtered, searched and sorted.

    A head's list opens on their own unit (a head of department's: what is allocated to it)
    until a filter is chosen; "clear the filters" chooses the cycle alone."""
    data = request.GET.copy()
    if not any(name in data for name in GoalFilter.base_filters):
        data.update(_own_unit(request.user))
    current = GoalCycle.objects.current()
    if not data.get("cycle") and current:
        data["cycle"] = str(current.pk)
    filterset = GoalFilter(data, queryset=Goal.objects.visible_to(request.user), request=request)
    goals = filterset.qs.select_related("directorate", "cycle").prefetch_related(
        "participating_directorates"
    )
    may_see_smart = "smart" in filterset.filters
    if may_see_smart:
        goals = with_cycle_facts(goals)
    page = Paginator(goals, GOALS_PER_PAGE).get_page(request.GET.get("page"))
    warnings = warnings_seen(request.user, page.object_list) if may_see_smart else {}
    for goal in page.object_list:
        goal.smart_warnings = warnings.get(goal.pk, [])

    # Counts per category over the other filters, so each category shows what it would list.
    by_category = dict(
        filterset.qs_without("category", "sort")
        .order_by()
        .values_list("category")
        .annotate(count=Count("pk"))
    )
    category_counts = [
        (value, label, by_category.get(value, 0)) for value, label in Goal.Category.choices
    ]
    query = data.copy()
    query.pop("page", None)
    ctx = {
        "filter": filterset,
        "page_obj": page,
        "goals": page.object_list,
        "category_counts": category_counts,
        "total": page.paginator.count,
        "query_string": query.urlencode(),
        "cycle": filterset.form.cleaned_data.get("cycle") if filterset.is_valid() else current,
        "may_create": may_create_goals(request.user),
        "may_draft": may_draft_goals(request.user),
        "may_import": may_import_goals(request.user),
        "may_see_smart_warnings": may_see_smart,
    }
    return render(request, "goals/goal_list.html", ctx)


def _own_unit(user) -> dict[str, str]:
    if user.is_head_of_directorate and user.directorate_id:
        return {"directorate": str(user.directorate_id)}
    if user.is_head_of_department and user.department_id:
        return {"department": str(user.department_id)}
    return {}


def goal_detail(request, pk):
    goal = get_object_or_404(
        with_indicator_flag(Goal.objects.visible_to(request.user))
        .select_related(
            "cycle",
            "directorate",
            "proposed_by",
            "programme_action__measure__axis",
            "withdrawn_by_decision__cycle",
        )
        .prefetch_related("participating_directorates"),
        pk=pk,
    )
    attach_indicators([goal])
    observations = (
        Observation.objects.visible_to(request.user)
        .filter(goal=goal)
        .select_related("author", "answered_by", "directorate")
    )
    page = Paginator(observations, OBSERVATIONS_PER_PAGE).get_page(request.GET.get("page"))
    ctx = {
        "page_obj": page,
        "goal": goal,
        "observations": page.object_list,
        "history": goal_history(goal),
        "goal_decisions": _adopting_decisions(goal),
        "trend": goal_trend(goal),
        "indicator_trends": indicator_trends(goal),
        "blockers": goal.blockers.select_related("raised_by").order_by("status", "-raised_at"),
        "may_raise_blocker": may_raise_blocker(request.user, goal),
        "may_handle_blockers": may_handle_blockers(request.user, goal),
        "may_edit": may_edit_goal(request.user, goal),
        "may_observe": may_observe(request.user, goal),
        "may_follow": may_follow_goal(request.user, goal),
        **_smart_context(request.user, goal),
    }
    return render(request, "goals/goal_detail.html", ctx)


def goal_create(request):
    require(may_create_goals(request.user))
    goal = Goal(cycle=GoalCycle.objects.current())
    form = GoalForm(request.POST or None, instance=goal, user=request.user)
    indicators = _indicator_formset(request, goal)
    if request.method == "POST" and form.is_valid() and _valid(indicators):
        try:
            goal = save_goal(
                goal=form.save(commit=False),
                by=request.user,
                participants=form.cleaned_data["participating_directorates"],
                **_indicator_rows(indicators),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goal %(code)s was saved.") % {"code": goal.code})
            return redirect(goal)
    ctx = {"form": form, "indicators": indicators, "may_draft": may_draft_goals(request.user)}
    return render(request, "goals/goal_form.html", ctx)


def goal_update(request, pk):
    goal = get_object_or_404(Goal.objects.visible_to(request.user), pk=pk)
    require(may_edit_goal(request.user, goal))
    form = GoalForm(request.POST or None, instance=goal, user=request.user)
    indicators = _indicator_formset(request, goal)
    if request.method == "POST" and form.is_valid() and _valid(indicators):
        try:
            goal = save_goal(
                goal=form.save(commit=False),
                by=request.user,
                participants=form.cleaned_data["participating_directorates"],
                expected_version=form.cleaned_data["version"],
                **_indicator_rows(indicators),
            )
        except GoalConflict as conflict:
            return _conflict_page(request, form, conflict.stored)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goal %(code)s was saved.") % {"code": goal.code})
            return redirect(goal)
    ctx = {
        "form": form,
        "indicators": indicators,
        "goal": goal,
        **_smart_context(request.user, goal),
    }
    return render(request, "goals/goal_form.html", ctx)


def _smart_context(user, goal: Goal) -> dict:
    """The SMART check of a stored draft goal, for those who may read it (two queries: the
    goal as stored with the facts of its cycle, and its further indicators)."""
    shown = goal.status in CHECKED and may_see_smart_warnings(user, goal)
    warnings = []
    if shown:
        stored = with_cycle_facts(Goal.objects.filter(pk=goal.pk).select_related("cycle")).get()
        warnings = warnings_of([stored]).get(goal.pk, [])
    return {"show_smart_check": shown, "smart_warnings": warnings}


def _indicator_formset(request, goal: Goal):
    """The form of the goal's further indicators. A form sent without them (from before they
    existed, or by a script) leaves them as they are: then None."""
    formset_class = indicator_formset()
    if request.method != "POST":
        queryset = goal.extra_indicators.all() if goal.pk else GoalIndicator.objects.none()
        return formset_class(instance=goal, queryset=queryset, prefix=INDICATORS_PREFIX)
    if f"{INDICATORS_PREFIX}-TOTAL_FORMS" not in request.POST:
        return None
    queryset = goal.extra_indicators.all() if goal.pk else GoalIndicator.objects.none()
    return formset_class(request.POST, instance=goal, queryset=queryset, prefix=INDICATORS_PREFIX)


def _valid(indicators) -> bool:
    return indicators is None or indicators.is_valid()


def _indicator_rows(indicators) -> dict:
    if indicators is None:
        return {}
    return {"indicators": indicators.rows(), "removed_indicators": indicators.removed()}


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
    ctx = {
        "form": resubmit,
        "indicators": _indicator_formset(request, stored),
        "goal": stored,
        "differences": differences,
        "latest": latest,
    }
    return render(request, "goals/goal_conflict.html", ctx, status=409)


def _adopting_decisions(goal: Goal):
    """For the goal page: the decisions in force that adopted and amended the goal."""
    versions = list(
        GoalVersion.objects.filter(goal=goal, decision__status=MayoralDecision.Status.POSTED)
        .select_related("decision__cycle")
        .order_by("decision__posted_at")
    )
    attach_version_extras(versions)
    return versions
