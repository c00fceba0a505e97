"""Risks and blockers on a goal: raised from the goal's page, escalated or resolved there."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.rules import require
from goals.forms.blockers import GoalBlockerForm, ResolutionForm
from goals.models import Goal, GoalBlocker
from goals.rules import may_handle_blocker, may_raise_blocker
from goals.services.blockers import escalate_blocker, raise_blocker, resolve_blocker


def blocker_add(request, pk):
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user).select_related("cycle", "directorate"), pk=pk
    )
    require(may_raise_blocker(request.user, goal))
    form = GoalBlockerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raise_blocker(goal=goal, by=request.user, blocker=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The risk or blocker was recorded on the goal."))
            return redirect(f"{goal.get_absolute_url()}#blockers")
    return render(request, "goals/blocker_form.html", {"form": form, "goal": goal})


@require_POST
def blocker_step(request, pk, step):
    blocker = get_object_or_404(
        GoalBlocker.objects.filter(goal__in=Goal.objects.visible_to(request.user)).select_related(
            "goal__directorate"
        ),
        pk=pk,
    )
    require(may_handle_blocker(request.user, blocker))
    try:
        if step == "escalate":
            escalate_blocker(blocker=blocker, by=request.user)
            messages.success(request, _("The blocker was escalated to the General Secretary."))
        elif step == "resolve":
            form = ResolutionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say how it was resolved."))
            resolve_blocker(
                blocker=blocker, by=request.user, resolution=form.cleaned_data["resolution"]
            )
            messages.success(request, _("The blocker was marked resolved."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{blocker.goal.get_absolute_url()}#blockers")
