"""Monitoring: allocation to departments, progress updates, evaluation and directorate reports."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import Department, Directorate
from directorates.rules import require
from goals import reports
from goals.forms.monitoring import (
    ALLOCATION_FIELDS,
    EvaluationForm,
    ProgressForm,
    allocation_formset,
    further_values,
)
from goals.indicators import attach_indicators, further_initial, with_indicator_flag
from goals.models import (
    Allocation,
    FinalValueSubmission,
    Goal,
    GoalCycle,
    GoalEvaluation,
)
from goals.pdf import pdf_response
from goals.rules import (
    allocating_directorates,
    may_allocate,
    may_allocate_in,
    may_evaluate,
    may_follow_evaluation,
    may_follow_goal,
    may_follow_municipality,
    may_manage_cycles,
    may_read_directorate_report,
    may_report_on_whole_goal,
    may_report_progress,
    may_see_allocations,
)
from goals.services.monitoring import (
    allocation_stamp,
    evaluate_goal,
    evaluation_stamp,
    record_progress,
    save_allocations,
)
from goals.views import query_without


def _monitored_cycle(request) -> GoalCycle | None:
    """The cycle asked for (?cycle=), else the latest one whose goals were adopted."""
    if request.GET.get("cycle", "").isdigit():
        return get_object_or_404(GoalCycle, pk=request.GET["cycle"])
    return reports.monitored_cycle()


def allocations(request):
    """Oversight: per directorate, how many goals are allocated, and one directorate's goals at a
    time (?directorate=CODE); a head, their directorate's goals; a head of department, what is
    allocated to their department."""
    user = request.user
    require(may_see_allocations(user))
    cycle = _monitored_cycle(request)
    goals = Goal.objects.visible_to(user).filter(cycle=cycle, status=Goal.Status.ADOPTED)
    ctx = {
        "cycle": cycle,
        "department_allocations": [],
        "may_report_progress": may_report_progress(user),
        "oversees": may_follow_municipality(user),
    }
    if user.is_head_of_department:
        led = user.headship.department_ids
        own = reports.allocated_to(goals, led)
        ctx["department_allocations"] = reports.shares_with_latest(
            own.order_by("directorate__order", "code"), led
        )
    if not ctx["oversees"]:
        # Their directorate's goals, those of the directorates they lead today, and the
        # cross-cutting goals these take part in.
        mine = list({user.directorate_id, *user.headship.unit_directorate_ids} - {None})
        ctx["directorates"] = _allocation_of(user, cycle, goals.concerning(mine))
    elif request.GET.get("directorate"):
        chosen = get_object_or_404(Directorate, code=request.GET["directorate"])
        ctx["directorates"] = _allocation_of(user, cycle, goals.filter(directorate_id=chosen.pk))
        ctx["chosen"] = chosen
    else:
        ctx["summary_page"] = page = reports.directorate_page(
            Directorate.objects.filter(pk__in=goals.values("directorate_id")),
            request.GET.get("directorates_page"),
        )
        ctx["summary"] = _allocation_summary(goals, list(page.object_list))
        ctx["summary_query"] = query_without(request, "directorates_page")
    return render(request, "goals/allocation_overview.html", ctx)


def _allocation_summary(goals, directorates: list) -> list[dict]:
    """Per directorate of these (a page of them): its adopted goals, how many are allocated and
    how many are not; counted in the database, so the page grows neither with the goals of the
    cycle nor with the organisation."""
    allocated = Exists(Allocation.objects.filter(goal=OuterRef("pk")))
    counts = {
        row["directorate_id"]: row
        for row in goals.filter(directorate__in=directorates)
        .order_by()
        .values("directorate_id")
        .annotate(total=Count("pk"), allocated=Count("pk", filter=Q(allocated)))
    }
    return [
        {
            "directorate": directorate,
            "goals": counts[directorate.pk]["total"],
            "allocated": counts[directorate.pk]["allocated"],
            "missing": counts[directorate.pk]["total"] - counts[directorate.pk]["allocated"],
        }
        for directorate in directorates
        if directorate.pk in counts
    ]


def _allocation_of(user, cycle, goals) -> list[dict]:
    """These goals by directorate, with who has what share (the allocations only, not the
    progress of the whole cycle), and which of them this person may allocate."""
    allocating = may_allocate_in(user, cycle)
    goals = goals.order_by("directorate__order", "code")
    allocated = Allocation.objects.select_related("department").order_by(
        "department__order", "department__name"
    )
    listed = goals.select_related("directorate").prefetch_related(
        Prefetch("allocations", queryset=allocated, to_attr="allocation_list"),
        "participating_directorates",
    )
    directorates = []
    for group in reports.by_directorate(listed):
        for goal in group.goals:
            goal.may_allocate = allocating and may_allocate(user, goal)
        missing = [goal for goal in group.goals if not goal.allocation_list]
        directorates.append(
            {
                "directorate": group.key,
                "goals": group.goals,
                "allocated": len(group.goals) - len(missing),
                "missing": missing,
            }
        )
    return directorates


def allocate(request, pk):
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user).select_related("cycle", "directorate"), pk=pk
    )
    if not may_follow_goal(request.user, goal):
        raise Http404
    part = allocating_directorates(request.user, goal)
    require(bool(part))
    departments = Department.objects.active().filter(directorate_id__in=part)
    existing = list(
        goal.allocations.filter(department__directorate_id__in=part).select_related("department")
    )
    initial = [{f: getattr(a, f) for f in ALLOCATION_FIELDS} for a in existing]
    spare = max(1, departments.count() - len(existing))
    formset_class = allocation_formset(extra=spare)
    formset = formset_class(
        request.POST or None, initial=initial, goal=goal, departments=departments
    )
    stamp = request.POST.get("stamp") if request.method == "POST" else None
    if request.method == "POST" and formset.is_valid():
        try:
            save_allocations(goal=goal, by=request.user, rows=formset.rows(), stamp=stamp or "")
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
        "allocates_part": part != [goal.directorate_id],
        "stamp": allocation_stamp(goal) if stamp is None else stamp,
    }
    return render(request, "goals/allocation_form.html", ctx)


def progress(request, pk):
    """A goal's measurements and achievement; its heads record new ones here."""
    goal_qs = Goal.objects.visible_to(request.user).filter(pk=pk)
    goal = next(iter(reports.with_achievement(goal_qs)), None)
    if goal is None:
        raise Http404
    user = request.user
    if not may_follow_goal(user, goal):
        raise Http404
    reportable = (
        Allocation.objects.reportable_by(user).filter(goal=goal).select_related("department")
    )
    whole_goal = may_report_on_whole_goal(user, goal)
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
        require(form is not None)
        if form.is_valid():
            try:
                record_progress(goal=goal, by=user, **form.measurement())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Progress recorded."))
                return redirect("goals:progress", pk=goal.pk)
    ctx = {"goal": goal, "form": form, "updates": goal.update_list}
    return render(request, "goals/progress.html", ctx)


def evaluation(request, pk):
    """The General Secretary's year-end page: final values, then closing the cycle."""
    require(may_follow_evaluation(request.user))
    cycle = get_object_or_404(GoalCycle, pk=pk)
    goals = reports.with_achievement(
        Goal.objects.filter(cycle=cycle, status=Goal.Status.ADOPTED)
        .select_related("evaluation__evaluated_by", "final_value_submission")
        .order_by("directorate__order", "code")
    )
    for goal in goals:
        goal.submission = getattr(goal, "final_value_submission", None)
    ctx = {
        "cycle": cycle,
        "groups": reports.by_directorate(goals),
        "missing": sum(1 for goal in goals if not hasattr(goal, "evaluation")),
        "overall": reports.overall(goals),
        "may_manage": may_manage_cycles(request.user),
    }
    return render(request, "goals/evaluation.html", ctx)


def evaluate(request, pk):
    goal = get_object_or_404(
        with_indicator_flag(Goal.objects.visible_to(request.user)).select_related(
            "cycle", "directorate"
        ),
        pk=pk,
    )
    require(may_evaluate(request.user, goal))
    attach_indicators([goal])
    current = GoalEvaluation.objects.filter(goal=goal).first()
    initial = {"stamp": evaluation_stamp(current)}
    if current:
        initial.update(
            final_value=current.final_value,
            justification=current.justification,
            **further_initial(current.further_values),
        )
    form = EvaluationForm(request.POST or None, goal=goal, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluate_goal(
                goal=goal,
                by=request.user,
                final_value=form.cleaned_data["final_value"],
                further_values=further_values(form),
                justification=form.cleaned_data["justification"],
                expected_stamp=form.cleaned_data["stamp"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Final value of %(code)s recorded.") % {"code": goal.code})
            return redirect("goals:evaluation", pk=goal.cycle_id)
    ctx = {
        "form": form,
        "goal": goal,
        "submission": FinalValueSubmission.objects.filter(goal=goal).first(),
    }
    return render(request, "goals/evaluate_form.html", ctx)


def report_context(request, code: str, *, read=reports.with_latest) -> dict:
    """The directorate's report; `read=reports.with_achievement` for those that need each goal's
    updates (the workbook), the report pages show only the stored figures."""
    directorate = get_object_or_404(Directorate.objects.select_related("head"), code=code)
    if not may_read_directorate_report(request.user, directorate):
        raise Http404
    cycle = _monitored_cycle(request)
    goals = read(
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
    return render(request, "goals/directorate_report.html", report_context(request, code))


def directorate_report_pdf(request, code):
    ctx = report_context(request, code)
    year = ctx["cycle"].year if ctx["cycle"] else ""
    return pdf_response("goals/report_pdf.html", ctx, filename=f"report-{code}-{year}.pdf")
