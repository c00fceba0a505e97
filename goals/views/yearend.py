"""Year end: the heads submit their goals' final values with evidence, the General Secretary
confirms or returns them; the evidence is served only to those who follow the goal."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from directorates.rules import require
from goals.forms.monitoring import further_values
from goals.forms.yearend import FinalValueForm, QueueFilterForm, ReviewForm
from goals.indicators import (
    attach_indicators,
    further_initial,
    named_values,
    with_indicator_flag,
)
from goals.models import (
    FinalValueEvidence,
    FinalValueSubmission,
    Goal,
    GoalCycle,
    GoalIndicator,
)
from goals.rules import (
    leads_goal,
    may_edit_final_value,
    may_evaluate,
    may_follow_final_values,
    may_review_final_value,
    may_see_evidence,
    may_submit_final_value,
    may_submit_final_values,
)
from goals.services.yearend import (
    confirm_final_value,
    final_value_stamp,
    remove_evidence,
    return_final_value,
    save_final_value,
)

State = FinalValueSubmission.State
# The queue shows first what waits for the General Secretary, then what waits for the heads.
QUEUE_ORDER = Case(
    When(state=State.SUBMITTED, then=Value(0)),
    When(state=State.RETURNED, then=Value(1)),
    default=Value(3),
    output_field=IntegerField(),
)


def _year_end_cycle(request) -> GoalCycle | None:
    """The cycle asked for (?cycle=), else the latest one being evaluated, else the latest one
    whose evaluation is over."""
    if request.GET.get("cycle", "").isdigit():
        return get_object_or_404(GoalCycle, pk=request.GET["cycle"])
    cycles = GoalCycle.objects.filter(
        phase__in=(GoalCycle.Phase.EVALUATION, GoalCycle.Phase.CLOSED)
    ).order_by(
        Case(When(phase=GoalCycle.Phase.EVALUATION, then=Value(0)), default=Value(1)), "-year"
    )
    return cycles.first()


def _history(submission: FinalValueSubmission) -> list:
    """Who saved, submitted, returned and confirmed the value, and when: one query."""
    return list(
        submission.history.select_related("history_user").order_by("history_date", "history_id")
    )


def final_values(request):
    """A head's goals whose final values they submit, each with where its value stands."""
    user = request.user
    require(may_submit_final_values(user))
    cycle = _year_end_cycle(request)
    goals = []
    if cycle:
        goals = list(
            with_indicator_flag(Goal.objects.visible_to(user))
            .filter(
                cycle=cycle,
                status=Goal.Status.ADOPTED,
                directorate_id__in=user.headship.directorate_ids,
            )
            .select_related("cycle", "evaluation", "final_value_submission__reviewed_by")
            .annotate(evidence_count=Count("final_value_submission__evidence"))
            .order_by("code")
        )
    attach_indicators(goals)
    for goal in goals:
        goal.submission = getattr(goal, "final_value_submission", None)
        goal.may_edit_final_value = may_edit_final_value(user, goal, goal.submission)
        _name_further_values(goal, goal.submission)
    ctx = {
        "cycle": cycle,
        "goals": goals,
        "waiting": sum(1 for goal in goals if goal.may_edit_final_value),
        "is_evaluated": bool(cycle and cycle.phase == GoalCycle.Phase.EVALUATION),
    }
    return render(request, "goals/final_values.html", ctx)


def final_value(request, pk):
    """The head's final value of one goal: saved and changed until submitted, with evidence."""
    user = request.user
    goal = get_object_or_404(
        with_indicator_flag(Goal.objects.visible_to(user)).select_related(
            "cycle", "directorate", "evaluation"
        ),
        pk=pk,
    )
    require(leads_goal(user, goal))
    attach_indicators([goal])
    submission = (
        FinalValueSubmission.objects.filter(goal=goal)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    may_edit = may_edit_final_value(user, goal, submission)
    form = None
    if may_edit or request.method == "POST":
        require(may_submit_final_value(user, goal))
        initial = {"stamp": final_value_stamp(submission)}
        if submission:
            value = submission.final_value
            initial.update(
                final_value=value if value % 1 else value.quantize(Decimal(1)),
                explanation=submission.explanation,
                **further_initial(submission.further_values),
            )
        form = FinalValueForm(
            request.POST or None, request.FILES or None, goal=goal, initial=initial
        )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("submit") == "1"
        try:
            save_final_value(
                goal=goal,
                by=user,
                final_value=form.cleaned_data["final_value"],
                further_values=further_values(form),
                explanation=form.cleaned_data["explanation"],
                files=form.cleaned_data["evidence"],
                expected_stamp=form.cleaned_data["stamp"],
                submit=submit,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if submit:
                messages.success(
                    request,
                    _("The final value of %(code)s is submitted to the General Secretary.")
                    % {"code": goal.code},
                )
                return redirect("goals:final_values")
            messages.success(
                request, _("The final value of %(code)s is saved.") % {"code": goal.code}
            )
            return redirect("goals:final_value", pk=goal.pk)
    ctx = {
        "goal": goal,
        "submission": submission,
        "further_values": named_values(goal, submission.further_values) if submission else [],
        "form": form,
        "may_edit": may_edit,
        "stamp": final_value_stamp(submission),
        "evidence": list(submission.evidence.all()) if submission else [],
        "history": _history(submission) if submission else [],
    }
    return render(request, "goals/final_value_form.html", ctx)


@require_POST
def evidence_remove(request, pk):
    evidence = get_object_or_404(
        FinalValueEvidence.objects.visible_to(request.user).select_related(
            "submission__goal__cycle"
        ),
        pk=pk,
    )
    goal = evidence.submission.goal
    require(may_edit_final_value(request.user, goal, evidence.submission))
    try:
        remove_evidence(
            evidence=evidence, by=request.user, expected_stamp=request.POST.get("stamp", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is removed.") % {"name": evidence.name})
    return redirect("goals:final_value", pk=goal.pk)


@require_safe
def evidence_download(request, pk):
    """A file of evidence, to those who follow the goal; never from a public address."""
    evidence = get_object_or_404(
        FinalValueEvidence.objects.visible_to(request.user).select_related("submission__goal"),
        pk=pk,
    )
    require(may_see_evidence(request.user, evidence.submission.goal))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle, content_type=evidence.content_type, as_attachment=True, filename=evidence.name
    )


def final_value_queue(request):
    """The General Secretary's queue of the heads' final values, by directorate and state."""
    user = request.user
    require(may_follow_final_values(user))
    cycle = _year_end_cycle(request)
    filters = QueueFilterForm(request.GET or None)
    submissions = (
        FinalValueSubmission.objects.visible_to(user)
        .filter(goal__cycle=cycle)
        .exclude(state=State.DRAFT)  # the heads' own drafts are not for review yet
    )
    counts = dict(
        submissions.order_by()
        .values_list("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )
    if filters.is_valid():
        if filters.cleaned_data["directorate"]:
            submissions = submissions.filter(goal__directorate=filters.cleaned_data["directorate"])
        if filters.cleaned_data["state"]:
            submissions = submissions.filter(state=filters.cleaned_data["state"])
    rows = list(
        submissions.select_related(
            "goal__directorate", "goal__evaluation", "submitted_by", "reviewed_by"
        )
        .annotate(
            evidence_count=Count("evidence"),
            queue_order=QUEUE_ORDER,
            has_extra_indicators=Exists(GoalIndicator.objects.filter(goal=OuterRef("goal_id"))),
        )
        .order_by("queue_order", "goal__directorate__order", "goal__code")
    )
    for submission in rows:
        submission.goal.has_extra_indicators = submission.has_extra_indicators
    attach_indicators([submission.goal for submission in rows])
    for submission in rows:
        _name_further_values(submission.goal, submission)
    ctx = {
        "cycle": cycle,
        "filters": filters,
        "submissions": rows,
        "waiting": counts.get(State.SUBMITTED, 0),
        "returned": counts.get(State.RETURNED, 0),
        "confirmed": counts.get(State.CONFIRMED, 0),
    }
    return render(request, "goals/final_value_queue.html", ctx)


def _name_further_values(goal: Goal, submission) -> None:
    """Give the goal its further indicators' values, submitted and counting, for a list."""
    evaluation = getattr(goal, "evaluation", None)
    goal.submitted_further = named_values(goal, submission.further_values if submission else {})
    goal.counted_further = named_values(goal, evaluation.further_values if evaluation else {})


def final_value_review(request, pk):
    """One submitted value, its explanation and evidence; the General Secretary confirms it or
    returns it with a reason."""
    user = request.user
    submission = get_object_or_404(
        FinalValueSubmission.objects.visible_to(user)
        .exclude(state=State.DRAFT)
        .select_related(
            "goal__cycle",
            "goal__directorate",
            "goal__evaluation__evaluated_by",
            "submitted_by",
            "reviewed_by",
        ),
        pk=pk,
    )
    require(may_follow_final_values(user))
    may_review = may_review_final_value(user, submission)
    form = ReviewForm(request.POST or None, initial={"stamp": final_value_stamp(submission)})
    if request.method == "POST":
        require(may_review)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == ReviewForm.CONFIRM:
                    confirm_final_value(
                        submission=submission, by=user, expected_stamp=data["stamp"]
                    )
                    done = _("The final value of %(code)s is confirmed.")
                else:
                    return_final_value(
                        submission=submission,
                        by=user,
                        reason=data["reason"],
                        expected_stamp=data["stamp"],
                    )
                    done = _("The final value of %(code)s is returned to the head.")
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done % {"code": submission.goal.code})
                return redirect("goals:final_value_queue")
    goal = submission.goal
    # A goal measured by several indicators has their values in every submission of it.
    goal.has_extra_indicators = bool(submission.further_values)
    attach_indicators([goal])
    ctx = {
        "submission": submission,
        "further_values": named_values(goal, submission.further_values),
        "goal": goal,
        "evaluation": getattr(goal, "evaluation", None),
        "form": form,
        "may_review": may_review,
        "may_enter_directly": may_evaluate(user, goal),
        "evidence": list(submission.evidence.all()),
        "history": _history(submission),
    }
    return render(request, "goals/final_value_review.html", ctx)
