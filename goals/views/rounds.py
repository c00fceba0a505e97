"""Monthly reporting rounds: the General Secretary opens them, follows who has reported and
closes them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.rules import require
from goals.forms.rounds import RoundForm
from goals.models import ReportingRound
from goals.rules import may_manage_rounds
from goals.services.rounds import (
    STATE_LABELS,
    close_round,
    open_round,
    round_tracker,
    tracker_totals,
)


def round_list(request):
    """Every round, the open ones first to close, with their due dates."""
    require(may_manage_rounds(request.user))
    rounds = ReportingRound.objects.select_related("cycle", "opened_by", "closed_by").order_by(
        "-period"
    )
    return render(request, "goals/round_list.html", {"rounds": rounds})


def round_create(request):
    require(may_manage_rounds(request.user))
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = open_round(
                by=request.user,
                period=form.period,
                department_working_days=form.cleaned_data["department_working_days"],
                directorate_working_days=form.cleaned_data["directorate_working_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The reporting round %(month)s is open.") % {"month": round_.title},
            )
            return redirect(round_)
    return render(request, "goals/round_form.html", {"form": form})


def round_detail(request, pk):
    """The tracker: per directorate and department, reported, late or awaited, and who answers
    for the unit today."""
    require(may_manage_rounds(request.user))
    round_ = get_object_or_404(
        ReportingRound.objects.select_related("cycle", "opened_by", "closed_by"), pk=pk
    )
    today = timezone.localdate()
    groups = round_tracker(round_, today)
    totals = tracker_totals(groups)
    ctx = {
        "round": round_,
        "groups": groups,
        "totals": [(STATE_LABELS[state], state, count) for state, count in totals.items()],
        "state_labels": STATE_LABELS,
        "may_close": round_.is_open and round_.period_end < today,
    }
    return render(request, "goals/round_detail.html", ctx)


@require_POST
def round_close(request, pk):
    require(may_manage_rounds(request.user))
    round_ = get_object_or_404(ReportingRound, pk=pk)
    try:
        round_ = close_round(round_=round_, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The reporting round %(month)s is closed: its figures are locked.")
            % {"month": round_.title},
        )
    return redirect(round_)
