"""Action items decided at the meetings, and their completion by the owning directorate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.rules import require
from meetings import services
from meetings.forms import (
    ActionItemForm,
)
from meetings.models import (
    ActionItem,
    Meeting,
)
from meetings.rules import (
    may_close_action_item,
    may_run_meetings,
)
from meetings.views.errors import form_errors, show_errors


def action_item_add(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_run_meetings(request.user))
    form = ActionItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action_item(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The action item was added."))
            return redirect("meetings:minutes", pk=pk)
    return render(request, "meetings/actionitem_form.html", {"form": form, "meeting": meeting})


def action_item_list(request):
    actions = (
        ActionItem.objects.visible_to(request.user)
        .select_related("directorate", "meeting")
        .order_by("status", "due_date", "pk")
    )
    status = request.GET.get("status", ActionItem.Status.OPEN)
    if status in ActionItem.Status.values:
        actions = actions.filter(status=status)
    page = Paginator(actions, 30).get_page(request.GET.get("page"))
    # A meeting is linked only for those who may open it (a head of department, for one, reads
    # their directorate's action items without being invited to the meetings).
    meetings_open = set(
        Meeting.objects.visible_to(request.user)
        .filter(pk__in={action.meeting_id for action in page})
        .values_list("pk", flat=True)
    )
    for action in page:
        action.can_close = action.status == ActionItem.Status.OPEN and may_close_action_item(
            request.user, action
        )
        action.may_open_meeting = action.meeting_id in meetings_open
    ctx = {"page": page, "status": status, "statuses": ActionItem.Status.choices}
    return render(request, "meetings/actionitem_list.html", ctx)


@require_POST
def action_item_done(request, pk):
    action = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
    require(may_close_action_item(request.user, action))
    try:
        services.complete_action_item(action=action, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The action item was marked done."))
    return redirect("meetings:action_items")
