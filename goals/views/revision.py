"""Revision during the year: the General Secretary's steps on a draft amendment that adds or
withdraws goals, and the override of the cycle's revision window."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from directorates.rules import require
from goals.forms.decisions import GoalAdditionForm, GoalWithdrawalForm, WindowOverrideForm
from goals.models import Goal, MayoralDecision
from goals.rules import may_change_amendment, may_override_window
from goals.services.revision import (
    override_revision_window,
    propose_goal_addition,
    propose_goal_withdrawal,
)


def amendment_goal_add(request, pk):
    """The GS puts in the draft amendment a goal written during the year, for it to adopt."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    require(may_change_amendment(request.user, decision))
    form = GoalAdditionForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        goal = form.cleaned_data["goal"]
        try:
            propose_goal_addition(
                decision=decision, goal=goal, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The amendment adds %(code)s.") % {"code": goal.code})
            return redirect(decision)
    ctx = {
        "form": form,
        "decision": decision,
        "title": _("Add a goal to the amendment"),
        "intro": _(
            "Write the new goal first with the goal form, in the cycle %(year)s: it waits, not "
            "adopted, until the amendment that adds it takes effect."
        )
        % {"year": decision.cycle.year},
        "submit": _("Add the goal"),
    }
    return render(request, "goals/amendment_step_form.html", ctx)


def amendment_goal_withdraw(request, pk, goal_pk):
    """The GS withdraws an adopted goal by the draft amendment, giving the reason."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    require(may_change_amendment(request.user, decision))
    goal = get_object_or_404(decision.cycle.goals.filter(status=Goal.Status.ADOPTED), pk=goal_pk)
    form = GoalWithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            propose_goal_withdrawal(
                decision=decision, goal=goal, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The amendment withdraws %(code)s.") % {"code": goal.code})
            return redirect(decision)
    ctx = {
        "form": form,
        "decision": decision,
        "title": _("Withdraw %(code)s by the amendment") % {"code": goal.code},
        "intro": _(
            "%(goal)s. A withdrawn goal stays on record, marked as withdrawn with this "
            "decision, and no longer counts in any achievement."
        )
        % {"goal": goal},
        "submit": _("Withdraw the goal"),
    }
    return render(request, "goals/amendment_step_form.html", ctx)


def decision_window_override(request, pk):
    """The GS lets a draft amendment take effect outside the cycle's revision window."""
    decision = get_object_or_404(
        MayoralDecision.objects.visible_to(request.user).select_related("cycle"), pk=pk
    )
    require(may_override_window(request.user, decision))
    form = WindowOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            override_revision_window(
                decision=decision, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The override of the revision window is recorded."))
            return redirect(decision)
    ctx = {
        "form": form,
        "decision": decision,
        "title": _("Override the revision window"),
        "intro": _(
            "The amendment may then be issued on a date outside the revision window of "
            "%(year)s. The override is recorded with your name, the time and the reason."
        )
        % {"year": decision.cycle.year},
        "submit": _("Record the override"),
    }
    return render(request, "goals/amendment_step_form.html", ctx)
