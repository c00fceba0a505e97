"""Each employee's goals: the head's staff page, a person's goals, "my goals" with the
acknowledgement, the goal's page with its history, and the evaluator's forms.

Staff evaluation data is personal: another person's goals are a 404 unless the reader is the
person, their evaluator, the head above, the General Secretary or an administrator
(`StaffGoal.objects.visible_to`, `goals.rules.may_follow_staff`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directorates.models import User
from directorates.rules import require
from goals.forms.staff import MidyearReviewForm, StaffGoalForm, YearEndForm
from goals.history import staff_goal_history
from goals.models import GoalCycle, StaffGoal
from goals.models.staff import TOTAL_WEIGHT
from goals.rules import (
    evaluates,
    may_acknowledge,
    may_follow_staff,
    may_follow_staff_goals,
    may_record_year_end,
    may_review_midyear,
    may_set_staff_goals,
    staff_evaluated_by,
    staff_followed_by,
)
from goals.services.staff import (
    acknowledge_staff_goal,
    delete_staff_goal,
    record_midyear_review,
    record_year_end,
    save_staff_goal,
)


def _cycles_and_choice(request) -> tuple[list[GoalCycle], GoalCycle | None]:
    """The years whose goals are adopted, and the one chosen (`?cycle=`), else the current."""
    cycles = list(GoalCycle.objects.exclude(phase__in=GoalCycle.PROPOSAL_PHASES).order_by("-year"))
    chosen = request.GET.get("cycle", "")
    by_pk = {str(cycle.pk): cycle for cycle in cycles}
    if chosen in by_pk:
        return cycles, by_pk[chosen]
    current = GoalCycle.objects.current()
    if current is not None and str(current.pk) in by_pk:
        return cycles, current
    return cycles, cycles[0] if cycles else None


def _person(pk) -> User:
    return get_object_or_404(
        User.objects.select_related("department__directorate", "directorate"), pk=pk
    )


def _staff_goal(request, pk) -> StaffGoal:
    return get_object_or_404(
        StaffGoal.objects.visible_to(request.user).select_related(
            "cycle",
            "goal",
            "allocation__department",
            "employee__department",
            "employee__directorate",
            "set_by",
            "midyear_reviewed_by",
            "evaluated_by",
        ),
        pk=pk,
    )


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _person_url(staff_goal: StaffGoal, user) -> str:
    if staff_goal.employee_id == user.pk:
        return f"{reverse('goals:my_goals')}?cycle={staff_goal.cycle_id}"
    return reverse("goals:staff_person", args=[staff_goal.cycle_id, staff_goal.employee_id])


@require_safe
def staff_goals(request):
    """A head's staff and each person's goals of the year, with the weights' sum."""
    require(may_follow_staff_goals(request.user))
    cycles, cycle = _cycles_and_choice(request)
    people = []
    if cycle is not None:
        of_cycle = Q(staff_goals__cycle=cycle)
        people = list(
            staff_followed_by(request.user, cycle)
            .select_related("department", "directorate")
            .annotate(
                goal_count=Count("staff_goals", filter=of_cycle),
                weights=Sum("staff_goals__weight", filter=of_cycle),
                acknowledged=Count(
                    "staff_goals", filter=of_cycle & Q(staff_goals__acknowledged_at__isnull=False)
                ),
            )
            .order_by("directorate__order", "department__order", "last_name", "first_name")
        )
        evaluated = set(staff_evaluated_by(request.user).values_list("pk", flat=True))
        for person in people:
            person.is_evaluated_by_me = person.pk in evaluated
            person.weights = person.weights or 0
    ctx = {"cycles": cycles, "cycle": cycle, "people": people, "total_weight": TOTAL_WEIGHT}
    return render(request, "goals/staff_goals.html", ctx)


def _goals_page(request, person: User, cycle: GoalCycle | None, cycles=None):
    goals = []
    may_set = is_evaluator = False
    if cycle is not None:
        goals = list(
            StaffGoal.objects.visible_to(request.user)
            .of(person, cycle)
            .select_related("goal", "allocation__department", "set_by")
        )
        is_evaluator = evaluates(request.user, person)
        may_set = may_set_staff_goals(request.user, person, cycle, evaluator=is_evaluator)
        acknowledged_before = set(
            StaffGoal.history.filter(
                id__in=[goal.pk for goal in goals], acknowledged_at__isnull=False
            ).values_list("id", flat=True)
        )
        for goal in goals:
            goal.cycle = cycle
            goal.employee = person
            goal.changed_since_acknowledged = (
                not goal.is_acknowledged and goal.pk in acknowledged_before
            )
            goal.may_acknowledge = may_acknowledge(request.user, goal)
            goal.may_review = may_review_midyear(request.user, goal, evaluator=is_evaluator)
            goal.may_evaluate = may_record_year_end(request.user, goal, evaluator=is_evaluator)
    weights = sum(goal.weight for goal in goals)
    ctx = {
        "person": person,
        "is_own": person.pk == request.user.pk,
        "cycle": cycle,
        "cycles": cycles,
        "goals": goals,
        "weights": weights,
        "total_weight": TOTAL_WEIGHT,
        "may_set": may_set,
        "to_acknowledge": sum(1 for goal in goals if goal.may_acknowledge),
    }
    return render(request, "goals/staff_person.html", ctx)


@require_safe
def my_goals(request):
    """The employee's own goals of the year, to acknowledge."""
    cycles, cycle = _cycles_and_choice(request)
    return _goals_page(request, request.user, cycle, cycles)


@require_safe
def staff_person(request, cycle_pk, person_pk):
    """One person's goals of a year, for their evaluators and those above."""
    cycle = get_object_or_404(GoalCycle, pk=cycle_pk)
    person = _person(person_pk)
    if not may_follow_staff(request.user, person):
        raise Http404
    if person.pk == request.user.pk:
        return redirect(f"{reverse('goals:my_goals')}?cycle={cycle.pk}")
    return _goals_page(request, person, cycle)


def staff_goal_create(request, cycle_pk, person_pk):
    cycle = get_object_or_404(GoalCycle, pk=cycle_pk)
    person = _person(person_pk)
    if not may_follow_staff(request.user, person):
        raise Http404
    require(may_set_staff_goals(request.user, person, cycle))
    form = StaffGoalForm(request.POST or None, instance=StaffGoal(), employee=person, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            staff_goal = save_staff_goal(staff_goal=form.instance, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The goal was set. The employee is asked to acknowledge it.")
            )
            return redirect(_person_url(staff_goal, request.user))
    ctx = {"form": form, "person": person, "cycle": cycle, "staff_goal": None}
    return render(request, "goals/staff_goal_form.html", ctx)


def staff_goal_update(request, pk):
    staff_goal = _staff_goal(request, pk)
    require(may_set_staff_goals(request.user, staff_goal.employee, staff_goal.cycle))
    was_acknowledged = staff_goal.is_acknowledged
    form = StaffGoalForm(
        request.POST or None,
        instance=staff_goal,
        employee=staff_goal.employee,
        cycle=staff_goal.cycle,
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_staff_goal(
                staff_goal=form.instance,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if was_acknowledged and not staff_goal.is_acknowledged:
                messages.success(
                    request,
                    _(
                        "The goal was changed after the employee had acknowledged it: they are "
                        "asked to acknowledge it again."
                    ),
                )
            else:
                messages.success(request, _("The goal was saved."))
            return redirect(_person_url(staff_goal, request.user))
    ctx = {
        "form": form,
        "person": staff_goal.employee,
        "cycle": staff_goal.cycle,
        "staff_goal": staff_goal,
    }
    return render(request, "goals/staff_goal_form.html", ctx)


@require_safe
def staff_goal_detail(request, pk):
    """A goal of an employee, its review and evaluation, and its history."""
    staff_goal = _staff_goal(request, pk)
    is_evaluator = evaluates(request.user, staff_goal.employee)
    ctx = {
        "staff_goal": staff_goal,
        "person": staff_goal.employee,
        "history": staff_goal_history(staff_goal),
        "back_url": _person_url(staff_goal, request.user),
        "may_edit": may_set_staff_goals(
            request.user, staff_goal.employee, staff_goal.cycle, evaluator=is_evaluator
        ),
        "may_review": may_review_midyear(request.user, staff_goal, evaluator=is_evaluator),
        "may_evaluate": may_record_year_end(request.user, staff_goal, evaluator=is_evaluator),
        "may_acknowledge": may_acknowledge(request.user, staff_goal),
    }
    return render(request, "goals/staff_goal_detail.html", ctx)


def _evaluator_step(request, pk, *, rule, form_class, record, title, done):
    staff_goal = _staff_goal(request, pk)
    require(rule(request.user, staff_goal))
    form = form_class(request.POST or None, instance=staff_goal)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected_version = data.pop("version")
        try:
            record(
                staff_goal=staff_goal, by=request.user, expected_version=expected_version, **data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_person_url(staff_goal, request.user))
    ctx = {"form": form, "staff_goal": staff_goal, "person": staff_goal.employee, "title": title}
    return render(request, "goals/staff_goal_step.html", ctx)


def staff_goal_midyear(request, pk):
    return _evaluator_step(
        request,
        pk,
        rule=may_review_midyear,
        form_class=MidyearReviewForm,
        record=lambda midyear_review, **kwargs: record_midyear_review(
            review=midyear_review, **kwargs
        ),
        title=_("Mid-year review"),
        done=_("The mid-year review was recorded."),
    )


def staff_goal_year_end(request, pk):
    return _evaluator_step(
        request,
        pk,
        rule=may_record_year_end,
        form_class=YearEndForm,
        record=lambda year_end_comment, **kwargs: record_year_end(
            comment=year_end_comment, **kwargs
        ),
        title=_("Year-end achievement"),
        done=_("The year-end value was recorded."),
    )


def _done(request, step, success: str) -> bool:
    """Take a button's step: its success, or the service's refusal, as a message."""
    try:
        step()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _version_sent(request) -> int | None:
    version = request.POST.get("version", "")
    return int(version) if version.isdigit() and len(version) < 10 else None


@require_http_methods(["GET", "HEAD", "POST"])
def staff_goal_delete(request, pk):
    """The evaluator confirms, then deletes the goal as the page showed it; back to the person's
    goals."""
    staff_goal = _staff_goal(request, pk)
    require(may_set_staff_goals(request.user, staff_goal.employee, staff_goal.cycle))
    if request.method != "POST":
        ctx = {"staff_goal": staff_goal, "person": staff_goal.employee}
        return render(request, "goals/staff_goal_delete.html", ctx)
    deleted = _done(
        request,
        lambda: delete_staff_goal(
            staff_goal=staff_goal, by=request.user, expected_version=_version_sent(request)
        ),
        _("The goal was deleted."),
    )
    return redirect(_person_url(staff_goal, request.user) if deleted else staff_goal)


@require_POST
def staff_goal_acknowledge(request, pk):
    staff_goal = _staff_goal(request, pk)
    require(staff_goal.employee_id == request.user.pk)
    _done(
        request,
        lambda: acknowledge_staff_goal(
            staff_goal=staff_goal, by=request.user, expected_version=_version_sent(request)
        ),
        _("You acknowledged the goal."),
    )
    return redirect(_person_url(staff_goal, request.user))
