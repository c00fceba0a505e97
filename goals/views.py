from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.models import Directorate
from goals import services
from goals.filters import GoalFilter
from goals.forms import (
    AnswerForm,
    GeneralObservationForm,
    GoalCycleForm,
    GoalForm,
    ObservationForm,
)
from goals.history import goal_history
from goals.models import Goal, GoalCycle, Observation

GOALS_PER_PAGE = 25


# --- Goals ----------------------------------------------------------------------------------------
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
        "total": sum(by_category.values()),
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
        "may_observe": Goal.objects.open_for_observations_by(request.user)
        .filter(pk=goal.pk)
        .exists(),
    }
    return render(request, "goals/goal_detail.html", ctx)


def goal_create(request):
    if not _may_create_goals(request.user):
        raise PermissionDenied
    goal = Goal(cycle=GoalCycle.objects.current())
    form = GoalForm(request.POST or None, instance=goal, user=request.user)
    if request.method == "POST" and form.is_valid():
        goal = services.save_goal(
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
            goal = services.save_goal(
                goal=form.save(commit=False),
                by=request.user,
                participants=form.cleaned_data["participating_directorates"],
                expected_version=form.cleaned_data["version"],
            )
        except services.GoalConflict as conflict:
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
    mine = _readable(form.instance, form.cleaned_data["participating_directorates"])
    theirs = _readable(stored, stored.participating_directorates.all())
    differences = [
        (label, mine[label], theirs[label]) for label in mine if mine[label] != theirs[label]
    ]
    data = request.POST.copy()
    data["version"] = str(stored.version)
    resubmit = GoalForm(data, instance=stored, user=request.user)
    latest = stored.history.select_related("history_user").latest()
    ctx = {"form": resubmit, "goal": stored, "differences": differences, "latest": latest}
    return render(request, "goals/goal_conflict.html", ctx, status=409)


def _readable(goal: Goal, participants) -> dict[str, object]:
    """A goal's form fields as people read them, by label: choice labels, names of objects."""
    values = {}
    for name in GoalForm.Meta.fields:
        field = Goal._meta.get_field(name)
        if name == "participating_directorates":
            value = ", ".join(sorted(str(d) for d in participants))
        elif field.choices:
            value = goal._get_FIELD_display(field)
        elif field.is_relation:
            value = str(getattr(goal, name) or "")
        else:
            value = getattr(goal, name)
        values[str(field.verbose_name)] = value
    return values


def _may_create_goals(user) -> bool:
    if user.is_coordinator:
        return True
    return (
        user.is_head_of_directorate
        and GoalCycle.objects.filter(
            phase__in=[GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION]
        ).exists()
    )


# --- Observations ---------------------------------------------------------------------------------
def observation_create(request, pk):
    """A head's observation on a goal of their directorate, while consultation is open."""
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user).select_related("cycle", "directorate"), pk=pk
    )
    if not Goal.objects.open_for_observations_by(request.user).filter(pk=goal.pk).exists():
        raise PermissionDenied
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
    if not user.is_head_of_directorate:
        raise PermissionDenied
    for cycle in GoalCycle.objects.filter(phase=GoalCycle.Phase.CONSULTATION):
        if cycle.is_consultation_open():
            return cycle
    raise PermissionDenied


def _submit(request, form, observation: Observation):
    try:
        observation = services.submit_observation(observation=observation, author=request.user)
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
    if request.user.is_coordinator and not observation.is_answered:
        form = AnswerForm(observation=observation)
    return render(
        request, "goals/observation_detail.html", {"observation": observation, "form": form}
    )


@require_POST
def observation_answer(request, pk):
    observation = get_object_or_404(
        Observation.objects.visible_to(request.user).select_related("goal", "cycle"), pk=pk
    )
    if not request.user.is_coordinator:
        raise PermissionDenied
    form = AnswerForm(request.POST, observation=observation)
    if form.is_valid():
        try:
            services.answer_observation(
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
    if not (user.sees_everything or user.is_head_of_directorate):
        raise PermissionDenied
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


# --- Cycles ---------------------------------------------------------------------------------------
def cycle_list(request):
    """Every cycle with its phase; the General Secretary moves them on and opens new ones."""
    cycles = GoalCycle.objects.annotate(goal_count=Count("goals"))
    return render(request, "goals/cycle_list.html", {"cycles": cycles})


def cycle_create(request):
    return _cycle_form(request, GoalCycle())


def cycle_update(request, pk):
    return _cycle_form(request, get_object_or_404(GoalCycle, pk=pk))


def _cycle_form(request, cycle: GoalCycle):
    if not request.user.is_coordinator:
        raise PermissionDenied
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
    if not request.user.is_coordinator:
        raise PermissionDenied
    try:
        cycle = services.advance_cycle(
            cycle=cycle, to_phase=request.POST.get("phase", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The cycle %(year)s is now in the phase: %(phase)s.")
            % {"year": cycle.year, "phase": cycle.get_phase_display()},
        )
    return redirect("goals:cycles")
