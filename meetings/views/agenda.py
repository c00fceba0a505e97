"""A meeting's agenda: items added or proposed, ordered, decided, suggested and published."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from directorates.rules import require
from meetings import services
from meetings.forms import (
    AgendaItemForm,
)
from meetings.models import (
    AgendaItem,
    Meeting,
    Minutes,
)
from meetings.proposals import accept_proposals
from meetings.rules import (
    may_propose_agenda_items,
    may_run_meetings,
)
from meetings.views.errors import form_errors, show_errors
from meetings.views.meetings import _meeting_page_context


def agenda_item_add(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_propose_agenda_items(request.user))
    propose = not may_run_meetings(request.user)
    form = AgendaItemForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_item(
                meeting=meeting,
                by=request.user,
                item=form.instance,
                directorates=form.cleaned_data["directorates"],
                goals=form.cleaned_data["goals"],
                observations=form.cleaned_data["observations"],
                propose=propose,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if propose:
                messages.success(request, _("Your proposal was sent to the General Secretary."))
            else:
                messages.success(request, _("The item was added to the agenda."))
            return redirect(meeting)
    ctx = {"form": form, "meeting": meeting, "propose": propose}
    return render(request, "meetings/agendaitem_form.html", ctx)


def agenda_item_update(request, pk):
    item = get_object_or_404(
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(request.user)), pk=pk
    )
    require(may_run_meetings(request.user))
    meeting = item.meeting
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes and not minutes.is_editable:
            form.add_error(
                None, _("The minutes of this meeting are approved: it can no longer change.")
            )
        else:
            form.save()
            messages.success(request, _("The item was saved."))
            return redirect(meeting)
    ctx = {"form": form, "meeting": meeting, "item": item}
    return render(request, "meetings/agendaitem_form.html", ctx)


def _agenda_item_for_coordinator(request, pk) -> AgendaItem:
    item = get_object_or_404(
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(request.user)), pk=pk
    )
    require(may_run_meetings(request.user))
    return item


@require_POST
def agenda_item_move(request, pk):
    """Move an item up or down; htmx gets the agenda back, a plain form a redirect."""
    item = _agenda_item_for_coordinator(request, pk)
    up = request.POST.get("direction") == "up"
    try:
        services.move_agenda_item(item=item, by=request.user, up=up)
    except ValidationError as error:
        if request.headers.get("HX-Request"):
            return HttpResponse(" ".join(error.messages), status=409)
        show_errors(request, error)
    if request.headers.get("HX-Request"):
        ctx = _meeting_page_context(request, item.meeting)
        # Keep the keyboard on the moved item: on the same button, or on the other one once
        # the item reached the top or the bottom (where that button is disabled).
        positions = [other.pk for other in ctx["agenda"]]
        at_end = positions[0 if up else -1] == item.pk
        ctx.update({"moved": item.pk, "focus_up": up != at_end, "focus_down": up == at_end})
        return render(request, "meetings/meeting_detail.html#agenda", ctx)
    return redirect(item.meeting)


@require_POST
def agenda_item_decide(request, pk):
    item = _agenda_item_for_coordinator(request, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_proposal(item=item, by=request.user, accept=accept)
    except ValidationError as error:
        show_errors(request, error)
    else:
        if accept:
            messages.success(request, _("The proposal was put on the agenda."))
        else:
            messages.success(request, _("The proposal was declined."))
    return redirect(item.meeting)


@require_POST
def agenda_accept(request, pk):
    """Accept every proposal waiting, or those of the source the button names."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_run_meetings(request.user))
    try:
        count = accept_proposals(
            meeting=meeting, by=request.user, source=request.POST.get("source") or None
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d proposal was put on the agenda.",
                "%(count)d proposals were put on the agenda.",
                count,
            )
            % {"count": count},
        )
    return redirect(meeting)


@require_POST
def agenda_suggest(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_run_meetings(request.user))
    try:
        suggestions = services.suggest_agenda(meeting=meeting, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        if suggestions:
            messages.success(
                request,
                ngettext(
                    "%(count)d item was suggested; accept or decline it.",
                    "%(count)d items were suggested; accept or decline each of them.",
                    len(suggestions),
                )
                % {"count": len(suggestions)},
            )
        else:
            messages.info(request, _("There is nothing new to suggest."))
    return redirect(meeting)


@require_POST
def agenda_publish(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_run_meetings(request.user))
    try:
        services.publish_agenda(meeting=meeting, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The agenda was published and sent to the invitees."))
    return redirect(meeting)
