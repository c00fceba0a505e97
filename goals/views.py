import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.models import Directorate
from directorates.roles import Role
from goals import exports, imports, reports, services
from goals.filters import GoalFilter
from goals.forms import (
    AmendmentChoiceForm,
    AnswerForm,
    DecisionDraftForm,
    EvaluationForm,
    GeneralObservationForm,
    GoalChangeForm,
    GoalCycleForm,
    GoalForm,
    GoalImportForm,
    IssueDecisionForm,
    ObservationForm,
    ProgressForm,
    ProgressImportForm,
    ScanForm,
    allocation_formset,
)
from goals.history import goal_history
from goals.models import (
    Allocation,
    Goal,
    GoalCycle,
    GoalEvaluation,
    GoalVersion,
    MayoralDecision,
    Observation,
)
from goals.pdf import pdf_response
from goals.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_csv, write_xlsx

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
        and GoalCycle.objects.filter(phase__in=GoalCycle.PROPOSAL_PHASES).exists()
    )


# --- Observations ---------------------------------------------------------------------------------
def observation_create(request, pk):
    """A head's observation on a goal of their directorate, while consultation is open."""
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user).select_related("cycle", "directorate"), pk=pk
    )
    if not goal.is_open_for_observations_by(request.user):
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
    cycles = GoalCycle.objects.annotate(goal_count=Count("goals")).order_by("-year")
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


# =================================================================================================
# Issue 4: mayoral decisions, allocation, progress, evaluation and directorate reports.
# =================================================================================================
def _decision_rows(decision: MayoralDecision) -> list[dict]:
    """The goals in the decision's table, grouped by directorate then category.

    A draft adoption shows the goals it would adopt, as they stand; an issued one, the frozen
    versions; an amendment, its goal versions with the difference from the version in force.
    """
    if decision.is_amendment:
        versions = list(
            decision.goal_versions.select_related("goal__directorate").order_by(
                "goal__directorate__order", "goal__category", "goal__code"
            )
        )
        goal_ids = [v.goal_id for v in versions]
        earlier = GoalVersion.objects.filter(
            goal_id__in=goal_ids, decision__status=MayoralDecision.Status.ISSUED
        ).exclude(decision=decision)
        if decision.issued_at:
            earlier = earlier.filter(decision__issued_at__lt=decision.issued_at)
        in_force = {}
        for version in earlier.order_by("decision__issued_at", "pk"):
            in_force[version.goal_id] = version
        entries = []
        for version in versions:
            before = in_force.get(version.goal_id, version.goal)
            entries.append(
                {
                    "goal": version.goal,
                    "values": version,
                    "changes": version.differences_from(before),
                }
            )
    elif decision.is_draft:
        goals = services.goals_adopted_by(decision).select_related("directorate")
        entries = [{"goal": goal, "values": goal} for goal in goals]
    else:
        versions = decision.goal_versions.select_related("goal__directorate")
        entries = [{"goal": version.goal, "values": version} for version in versions]
    categories = list(Goal.Category.values)
    entries.sort(
        key=lambda e: (
            e["goal"].directorate.order,
            categories.index(e["goal"].category),
            e["goal"].code,
        )
    )
    groups = []
    for entry in entries:
        goal = entry["goal"]
        if not groups or groups[-1]["directorate"] != goal.directorate:
            groups.append({"directorate": goal.directorate, "categories": []})
        categories = groups[-1]["categories"]
        if not categories or categories[-1]["category"] != goal.category:
            categories.append(
                {"category": goal.category, "label": goal.get_category_display(), "entries": []}
            )
        categories[-1]["entries"].append(entry)
    return groups


def _decision_context(decision: MayoralDecision) -> dict:
    return {
        "decision": decision,
        "groups": _decision_rows(decision),
        "municipality_name": settings.MUNICIPALITY_NAME,
    }


def decision_list(request):
    decisions = (
        MayoralDecision.objects.visible_to(request.user)
        .select_related("cycle", "issued_by", "amends")
        .order_by("-cycle__year", "kind", "-decision_date", "-pk")
    )
    cycles_to_adopt = []
    if request.user.is_coordinator:
        cycles_to_adopt = GoalCycle.objects.filter(
            phase__in=[GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION]
        ).exclude(decisions__kind=MayoralDecision.Kind.ADOPTION)
    ctx = {"decisions": decisions, "cycles_to_adopt": cycles_to_adopt}
    return render(request, "goals/decision_list.html", ctx)


@require_POST
def decision_create(request):
    if not request.user.is_coordinator:
        raise PermissionDenied
    cycle_pk, amends_pk = request.POST.get("cycle", ""), request.POST.get("amends", "")
    if not cycle_pk.isdigit() or not (amends_pk.isdigit() or amends_pk == ""):
        raise Http404
    cycle = get_object_or_404(GoalCycle, pk=cycle_pk)
    amends = None
    if amends_pk:
        amends = get_object_or_404(MayoralDecision.objects.issued(), pk=amends_pk)
    try:
        decision = services.prepare_decision(cycle=cycle, amends=amends, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:decisions")
    messages.success(request, _("Draft decision prepared: check its wording."))
    return redirect(decision)


def decision_detail(request, pk):
    decision = get_object_or_404(
        MayoralDecision.objects.visible_to(request.user).select_related(
            "cycle", "issued_by", "prepared_by", "amends"
        ),
        pk=pk,
    )
    ctx = _decision_context(decision)
    ctx.update(
        {
            "may_edit": request.user.is_coordinator and decision.is_draft,
            "may_issue": decision.is_draft
            and (request.user.is_mayor or request.user.has_role(Role.ADMINISTRATOR)),
            "may_attach": not decision.is_draft
            and (request.user.is_coordinator or request.user.is_mayor),
            "may_amend": request.user.is_coordinator
            and not decision.is_draft
            and decision.cycle.phase in (GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING),
            "choice_form": AmendmentChoiceForm(decision=decision)
            if decision.is_amendment and decision.is_draft
            else None,
            "scan_form": ScanForm(),
        }
    )
    return render(request, "goals/decision_detail.html", ctx)


def decision_pdf(request, pk):
    decision = get_object_or_404(
        MayoralDecision.objects.visible_to(request.user).select_related("cycle", "amends"), pk=pk
    )
    filename = f"decision-{decision.cycle.year}-{decision.number or decision.pk}.pdf"
    return pdf_response("goals/decision_pdf.html", _decision_context(decision), filename=filename)


def decision_update(request, pk):
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    if not request.user.is_coordinator or not decision.is_draft:
        raise PermissionDenied
    form = DecisionDraftForm(
        request.POST or None, instance=decision, initial={"version": decision.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_decision_draft(
                decision=form.instance,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft decision saved."))
            return redirect(decision)
    return render(request, "goals/decision_form.html", {"form": form, "decision": decision})


def decision_issue(request, pk):
    decision = get_object_or_404(
        MayoralDecision.objects.visible_to(request.user).select_related("cycle"), pk=pk
    )
    if not (request.user.is_mayor or request.user.has_role(Role.ADMINISTRATOR)):
        raise PermissionDenied
    if not decision.is_draft:
        messages.info(request, _("This decision has already been issued."))
        return redirect(decision)
    form = IssueDecisionForm(
        request.POST or None, decision=decision, initial={"version": decision.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_decision(decision=decision, by=request.user, **_issue_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is issued."))
            return redirect(decision)
    ctx = {"form": form, "decision": decision, "on_behalf": not request.user.is_mayor}
    return render(request, "goals/decision_issue.html", ctx)


def _issue_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "number": data["number"],
        "protocol_number": data["protocol_number"],
        "decision_date": data["decision_date"],
        "ada": data["ada"],
        "expected_version": data["version"],
    }


def decision_scan(request, pk):
    """GET: the signed scan, to logged-in readers only; POST: attach it (GS or Mayor)."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        if not (request.user.is_coordinator or request.user.is_mayor):
            raise PermissionDenied
        form = ScanForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_decision_scan(
                    decision=decision, by=request.user, upload=form.cleaned_data["scan"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The signed decision is attached."))
        else:
            messages.error(request, _("Choose the PDF of the signed decision."))
        return redirect(decision)
    if not decision.scan:
        raise Http404
    return FileResponse(
        decision.scan.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"decision-{decision.number or decision.pk}-signed.pdf",
    )


def amendment_goal(request, pk, goal_pk):
    """The new values a draft amendment gives to one goal."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    if not request.user.is_coordinator or not decision.is_draft or not decision.is_amendment:
        raise PermissionDenied
    goal = get_object_or_404(
        decision.cycle.goals.filter(status=Goal.Status.ADOPTED).select_related("cycle"),
        pk=goal_pk,
    )
    version = GoalVersion.objects.filter(decision=decision, goal=goal).first()
    version = version or GoalVersion.snapshot(goal=goal, decision=decision)
    form = GoalChangeForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in GoalVersion.FROZEN_FIELDS}
        try:
            services.propose_goal_change(
                decision=decision,
                goal=goal,
                by=request.user,
                values=values,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The change to %(code)s is in the amendment.") % {"code": goal.code}
            )
            return redirect(decision)
    ctx = {"form": form, "decision": decision, "goal": goal}
    return render(request, "goals/amendment_goal_form.html", ctx)


@require_POST
def amendment_goal_remove(request, pk, goal_pk):
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    if not request.user.is_coordinator:
        raise PermissionDenied
    goal = get_object_or_404(Goal, pk=goal_pk, cycle_id=decision.cycle_id)
    try:
        services.withdraw_goal_change(decision=decision, goal=goal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(code)s is no longer in the amendment.") % {"code": goal.code}
        )
    return redirect(decision)


def amendment_goal_choose(request, pk):
    """The GS picks a goal to add to a draft amendment."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    if not request.user.is_coordinator or not decision.is_draft or not decision.is_amendment:
        raise PermissionDenied
    form = AmendmentChoiceForm(request.GET or None, decision=decision)
    if form.is_valid():
        return redirect(
            "goals:amendment_goal", pk=decision.pk, goal_pk=form.cleaned_data["goal"].pk
        )
    messages.error(request, _("Choose a goal to change."))
    return redirect(decision)


# --- Allocation ---------------------------------------------------------------------------------
def _monitored_cycle(request) -> GoalCycle | None:
    """The cycle asked for (?cycle=), else the latest one whose goals were adopted."""
    if request.GET.get("cycle", "").isdigit():
        return get_object_or_404(GoalCycle, pk=request.GET["cycle"])
    return reports.monitored_cycle()


def allocations(request):
    """GS and oversight: per directorate, what is allocated; a head, their goals; a head of
    department, what is allocated to their department."""
    user = request.user
    cycle = _monitored_cycle(request)
    goals = Goal.objects.visible_to(user).filter(cycle=cycle, status=Goal.Status.ADOPTED)
    if not user.sees_everything:
        if not user.directorate_id:
            raise PermissionDenied
        goals = goals.filter(directorate_id=user.directorate_id)
    goals = goals.order_by("directorate__order", "code")
    # Who has what share: the allocations only, not the progress of the whole cycle.
    allocated = Allocation.objects.select_related("department").order_by(
        "department__order", "department__name"
    )
    listed = goals.select_related("directorate").prefetch_related(
        Prefetch("allocations", queryset=allocated, to_attr="allocation_list")
    )
    directorates = []
    for group in reports.by_directorate(listed):
        missing = [goal for goal in group.goals if not goal.allocation_list]
        directorates.append(
            {
                "directorate": group.key,
                "goals": group.goals,
                "allocated": len(group.goals) - len(missing),
                "missing": missing,
            }
        )
    mine = []
    if user.is_head_of_department:
        own = reports.with_achievement(reports.allocated_to(goals, user.department_id))
        mine = reports.department_shares(own, user.department_id)
    ctx = {
        "cycle": cycle,
        "directorates": directorates,
        "department_allocations": mine,
        "may_allocate": user.is_head_of_directorate
        and cycle is not None
        and cycle.phase in (GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING),
    }
    return render(request, "goals/allocation_overview.html", ctx)


def allocate(request, pk):
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user).select_related("cycle", "directorate"), pk=pk
    )
    if not request.user.sees_everything and goal.directorate_id != request.user.directorate_id:
        raise Http404
    if not (
        request.user.is_head_of_directorate and request.user.directorate_id == goal.directorate_id
    ):
        raise PermissionDenied
    existing = list(goal.allocations.select_related("department"))
    initial = [
        {
            f: getattr(a, f)
            for f in ["department", "specification", "baseline", "target", "deadline", "share"]
        }
        for a in existing
    ]
    spare = max(1, goal.directorate.departments.active().count() - len(existing))
    formset_class = allocation_formset(extra=spare)
    formset = formset_class(request.POST or None, initial=initial, goal=goal)
    stamp = request.POST.get("stamp") if request.method == "POST" else None
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_allocations(
                goal=goal, by=request.user, rows=formset.rows(), stamp=stamp or ""
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(
                request, _("The allocation of %(code)s is saved.") % {"code": goal.code}
            )
            return redirect("goals:allocations")
    ctx = {
        "goal": goal,
        "formset": formset,
        "stamp": services.allocation_stamp(goal) if stamp is None else stamp,
    }
    return render(request, "goals/allocation_form.html", ctx)


# --- Progress -----------------------------------------------------------------------------------
def progress(request, pk):
    """A goal's measurements and achievement; its heads record new ones here."""
    goal_qs = Goal.objects.visible_to(request.user).filter(pk=pk)
    goal = next(iter(reports.with_achievement(goal_qs)), None)
    if goal is None:
        raise Http404
    user = request.user
    if not user.sees_everything and goal.directorate_id != user.directorate_id:
        raise Http404
    reportable = (
        Allocation.objects.reportable_by(user).filter(goal=goal).select_related("department")
    )
    whole_goal = (
        user.is_head_of_directorate
        and user.directorate_id == goal.directorate_id
        and goal.status == Goal.Status.ADOPTED
        and goal.cycle.phase in (GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING)
    )
    may_report = whole_goal or reportable.exists()
    form = None
    if may_report:
        form = ProgressForm(
            request.POST or None,
            goal=goal,
            allocations=reportable,
            whole_goal=whole_goal,
            initial={
                "measured_on": min(timezone.localdate(), goal.deadline.replace(month=12, day=31))
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_progress(goal=goal, by=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Progress recorded."))
                return redirect("goals:progress", pk=goal.pk)
    ctx = {"goal": goal, "form": form, "updates": goal.update_list}
    return render(request, "goals/progress.html", ctx)


# --- Evaluation ---------------------------------------------------------------------------------
def evaluation(request, pk):
    """The General Secretary's year-end page: final values, then closing the cycle."""
    if not request.user.sees_everything:
        raise PermissionDenied
    cycle = get_object_or_404(GoalCycle, pk=pk)
    goals = reports.with_achievement(
        Goal.objects.filter(cycle=cycle, status=Goal.Status.ADOPTED).order_by(
            "directorate__order", "code"
        )
    )
    ctx = {
        "cycle": cycle,
        "groups": reports.by_directorate(goals),
        "missing": sum(1 for goal in goals if not hasattr(goal, "evaluation")),
        "overall": reports.overall(goals),
        "is_coordinator": request.user.is_coordinator,
    }
    return render(request, "goals/evaluation.html", ctx)


def evaluate(request, pk):
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user).select_related("cycle", "directorate"), pk=pk
    )
    if not request.user.is_coordinator or goal.cycle.phase != GoalCycle.Phase.EVALUATION:
        raise PermissionDenied
    current = GoalEvaluation.objects.filter(goal=goal).first()
    initial = {"stamp": services.evaluation_stamp(current)}
    if current:
        initial.update(final_value=current.final_value, justification=current.justification)
    form = EvaluationForm(request.POST or None, goal=goal, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluate_goal(
                goal=goal,
                by=request.user,
                final_value=form.cleaned_data["final_value"],
                justification=form.cleaned_data["justification"],
                expected_stamp=form.cleaned_data["stamp"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Final value of %(code)s recorded.") % {"code": goal.code})
            return redirect("goals:evaluation", pk=goal.cycle_id)
    return render(request, "goals/evaluate_form.html", {"form": form, "goal": goal})


@require_POST
def cycle_open_evaluation(request, pk):
    return _move_cycle(
        request,
        pk,
        services.open_evaluation,
        _("The evaluation is open: record each goal's final value."),
    )


@require_POST
def cycle_close(request, pk):
    return _move_cycle(
        request,
        pk,
        services.close_cycle,
        _("The cycle is closed; nothing in it changes any more."),
    )


def _move_cycle(request, pk, workflow, success: str):
    """Open the evaluation or close the cycle: the coordinators only, with the refusal said."""
    cycle = get_object_or_404(GoalCycle, pk=pk)
    if not request.user.is_coordinator:
        raise PermissionDenied
    try:
        workflow(cycle=cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("goals:evaluation", pk=cycle.pk)


# --- Directorate report -------------------------------------------------------------------------
def _report_context(request, code: str) -> dict:
    directorates = Directorate.objects.all()
    if not request.user.sees_everything:
        directorates = directorates.filter(pk=request.user.directorate_id)
    directorate = get_object_or_404(directorates.select_related("head"), code=code)
    cycle = _monitored_cycle(request)
    goals = reports.with_achievement(
        Goal.objects.visible_to(request.user)
        .filter(cycle=cycle, directorate=directorate, status=Goal.Status.ADOPTED)
        .order_by("category", "code")
    )
    return {
        "directorate": directorate,
        "cycle": cycle,
        "categories": reports.by_category(goals),
        "overall": reports.overall(goals),
        "goal_count": len(goals),
        "today": timezone.localdate(),
        "municipality_name": settings.MUNICIPALITY_NAME,
    }


def directorate_report(request, code):
    return render(request, "goals/directorate_report.html", _report_context(request, code))


def directorate_report_pdf(request, code):
    ctx = _report_context(request, code)
    year = ctx["cycle"].year if ctx["cycle"] else ""
    return pdf_response("goals/report_pdf.html", ctx, filename=f"report-{code}-{year}.pdf")


def _goal_decisions_context(user, goal: Goal) -> dict:
    """For the goal page: the issued decisions that adopted and amended the goal."""
    versions = GoalVersion.objects.filter(
        goal=goal, decision__status=MayoralDecision.Status.ISSUED
    ).select_related("decision__cycle")
    return {
        "goal_decisions": versions.order_by("decision__issued_at"),
        "may_see_progress": user.sees_everything or user.directorate_id == goal.directorate_id,
    }


# --- Spreadsheets: export and import --------------------------------------------------------------
def goal_export(request, fmt: str):
    """The goal list, with the same filters as its page, as an .xlsx workbook or CSV."""
    data = request.GET.copy()
    current = GoalCycle.objects.current()
    if not data.get("cycle") and current:
        data["cycle"] = str(current.pk)
    goals = Goal.objects.visible_to(request.user)
    sheet = exports.goal_export_sheet(GoalFilter(data, queryset=goals).qs, user=request.user)
    chosen = data.get("cycle", "")
    cycle = GoalCycle.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    name = _("goals") + (f"-{cycle.year}" if cycle else "")
    if fmt == "csv":
        return _download(write_csv(sheet.columns, sheet.rows), f"{name}.csv", CSV_CONTENT_TYPE)
    return _download(write_xlsx([sheet]), f"{name}.xlsx", XLSX_CONTENT_TYPE)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


GOAL_IMPORT_SESSION_KEY = "goal_import"


def goal_import_template(request):
    """An empty goal sheet with drop-down lists and instructions, for the chosen cycle."""
    if not request.user.is_coordinator:
        raise PermissionDenied
    cycle = _import_cycle(request.GET.get("cycle", ""))
    content = write_xlsx(exports.goal_template_sheets(cycle))
    filename = _("goals-template-%(year)s.xlsx") % {"year": cycle.year}
    return _download(content, filename, XLSX_CONTENT_TYPE)


def _import_cycle(chosen: str) -> GoalCycle:
    """The chosen cycle, else the current one, if it still takes goals; 404 otherwise."""
    open_cycles = GoalImportForm.cycles()
    if chosen.isdigit():
        return get_object_or_404(open_cycles, pk=chosen)
    current = GoalCycle.objects.current()
    cycle = open_cycles.filter(pk=current.pk).first() if current else None
    return cycle or get_object_or_404(open_cycles.order_by("-year")[:1])


def goal_import(request):
    """Upload a workbook of goals: the answer is a preview, and nothing is saved yet."""
    if not request.user.is_coordinator:
        raise PermissionDenied
    initial = {}
    current = GoalCycle.objects.current()
    if current and current.accepts_proposals:
        initial["cycle"] = current
    form = GoalImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cycle, upload = form.cleaned_data["cycle"], form.cleaned_data["file"]
        try:
            sheet = imports.read_goal_sheet(upload)
            plan = imports.plan_goal_import(cycle=cycle, rows=sheet.rows)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            plan.errors = sorted([*sheet.errors, *plan.errors], key=lambda error: error.row)
            token = ""
            if plan.has_changes and not plan.errors:
                token = _keep_pending_import(
                    request,
                    GOAL_IMPORT_SESSION_KEY,
                    {
                        "cycle": cycle.pk,
                        "file_name": upload.name[:100],
                        "rows": imports.encode_rows(sheet.rows),
                        "versions": plan.versions_seen,
                    },
                )
            ctx = {"plan": plan, "token": token, "file_name": upload.name}
            return render(request, "goals/goal_import_preview.html", ctx)
    return render(
        request, "goals/goal_import.html", {"form": form}, status=400 if form.errors else 200
    )


def _keep_pending_import(request, key: str, data: dict) -> str:
    """Keep the checked rows in the session until confirmed; the token names this preview."""
    token = secrets.token_urlsafe(16)
    request.session[key] = {"token": token, **data}
    return token


def _take_pending_import(request, key: str) -> dict | None:
    """The rows kept for the preview the form names, removed from the session; None if stale.

    Only the token comes from the form: the rows never leave the server.
    """
    pending = request.session.get(key)
    if not pending or not secrets.compare_digest(pending["token"], request.POST.get("token", "")):
        messages.error(request, _("This preview has expired. Upload the file again."))
        return None
    del request.session[key]
    return pending


@require_POST
def goal_import_confirm(request):
    """Save the previewed import, all of it in one transaction, or nothing."""
    if not request.user.is_coordinator:
        raise PermissionDenied
    pending = _take_pending_import(request, GOAL_IMPORT_SESSION_KEY)
    if pending is None:
        return redirect("goals:import")
    cycle = get_object_or_404(GoalCycle, pk=pending["cycle"])
    rows = imports.decode_rows(pending["rows"], exports.GOAL_COLUMNS)
    try:
        plan = imports.plan_goal_import(cycle=cycle, rows=rows)
        if plan.errors:
            # The goals changed since the preview in a way that makes rows invalid.
            ctx = {"plan": plan, "token": "", "file_name": pending["file_name"]}
            return render(request, "goals/goal_import_preview.html", ctx, status=409)
        if plan.versions_seen != pending["versions"]:
            raise ValidationError(
                _(
                    "Some of these goals were changed by someone else after the preview. "
                    "Nothing was imported; upload the file again to see the changes."
                )
            )
        imports.import_goals(plan=plan, by=request.user, source=pending["file_name"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:import")
    messages.success(
        request,
        _("Imported: %(created)s new goals, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "created": len(plan.to_create),
            "updated": len(plan.to_update),
            "unchanged": len(plan.unchanged),
        },
    )
    return redirect(reverse("goals:list") + f"?cycle={cycle.pk}")


def directorate_workbook(request, code):
    """The directorate's report as a workbook for the evaluation of its head: same access."""
    ctx = _report_context(request, code)
    if ctx["cycle"] is None:
        raise Http404
    sheets = exports.evaluation_sheets(
        directorate=ctx["directorate"],
        cycle=ctx["cycle"],
        categories=ctx["categories"],
        overall=ctx["overall"],
    )
    filename = _("goal-achievement-%(code)s-%(year)s.xlsx") % {
        "code": code,
        "year": ctx["cycle"].year,
    }
    return _download(write_xlsx(sheets), filename, XLSX_CONTENT_TYPE)


PROGRESS_IMPORT_SESSION_KEY = "progress_import"


def _may_report_progress(user) -> bool:
    return user.is_head_of_directorate or user.is_head_of_department


def _progress_cycle(chosen: str) -> GoalCycle:
    """The chosen cycle, else the current one, if its goals are monitored; 404 otherwise."""
    cycles = ProgressImportForm.cycles()
    if chosen.isdigit():
        return get_object_or_404(cycles, pk=chosen)
    return get_object_or_404(cycles.order_by("-year")[:1])


def progress_workbook(request):
    """A head's goals and allocations with their latest values, to fill in new ones."""
    user = request.user
    if not _may_report_progress(user):
        raise PermissionDenied
    cycle = _progress_cycle(request.GET.get("cycle", ""))
    reportable = Allocation.objects.reportable_by(user).filter(goal__cycle=cycle)
    goals = Goal.objects.filter(cycle=cycle, status=Goal.Status.ADOPTED)
    if user.is_head_of_directorate:
        goals = goals.filter(directorate_id=user.directorate_id)
    else:
        goals = goals.filter(allocations__in=reportable).distinct()
    sheets = exports.progress_sheets(
        goals=reports.with_achievement(goals.order_by("code")),
        reportable_ids=set(reportable.values_list("pk", flat=True)),
        whole_goals=user.is_head_of_directorate,
    )
    code = user.directorate.code if user.directorate_id else ""
    filename = _("progress-%(code)s-%(year)s.xlsx") % {"code": code, "year": cycle.year}
    return _download(write_xlsx(sheets), filename, XLSX_CONTENT_TYPE)


def progress_import(request):
    """Upload the filled-in progress workbook: a preview first, nothing is recorded yet."""
    if not _may_report_progress(request.user):
        raise PermissionDenied
    form = ProgressImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cycle, upload = form.cleaned_data["cycle"], form.cleaned_data["file"]
        try:
            sheet = imports.read_progress_sheet(upload)
            plan = imports.plan_progress_import(cycle=cycle, rows=sheet.rows, by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            plan.errors = sorted([*sheet.errors, *plan.errors], key=lambda error: error.row)
            token = ""
            if plan.has_changes and not plan.errors:
                token = _keep_pending_import(
                    request,
                    PROGRESS_IMPORT_SESSION_KEY,
                    {"cycle": cycle.pk, "rows": imports.encode_rows(sheet.rows)},
                )
            ctx = {"plan": plan, "token": token, "file_name": upload.name}
            return render(request, "goals/progress_import_preview.html", ctx)
    status = 400 if form.errors else 200
    return render(request, "goals/progress_import.html", {"form": form}, status=status)


@require_POST
def progress_import_confirm(request):
    """Record the previewed updates, all in one transaction, or none."""
    if not _may_report_progress(request.user):
        raise PermissionDenied
    pending = _take_pending_import(request, PROGRESS_IMPORT_SESSION_KEY)
    if pending is None:
        return redirect("goals:progress_import")
    cycle = get_object_or_404(GoalCycle, pk=pending["cycle"])
    rows = imports.decode_rows(pending["rows"], exports.PROGRESS_COLUMNS)
    plan = imports.plan_progress_import(cycle=cycle, rows=rows, by=request.user)
    if plan.errors:
        ctx = {"plan": plan, "token": "", "file_name": ""}
        return render(request, "goals/progress_import_preview.html", ctx, status=409)
    try:
        recorded = imports.import_progress(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:progress_import")
    messages.success(request, _("%(count)s progress updates were recorded.") % {"count": recorded})
    return redirect("goals:allocations")
