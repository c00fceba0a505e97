"""Minutes: kept by the General Secretary, circulated, approved at the next meeting, locked."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.rules import require
from meetings import services
from meetings.forms import (
    ActionItemForm,
    MinutesForm,
)
from meetings.models import (
    Attendance,
    Meeting,
    Minutes,
)
from meetings.rules import (
    may_edit_minutes,
    may_read_minutes,
    may_run_meetings,
)
from meetings.views.errors import form_errors, show_errors


def _minutes_for(request, pk) -> Minutes:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    minutes = get_object_or_404(
        Minutes.objects.select_related("approved_at_meeting"), meeting=meeting
    )
    if not may_read_minutes(request.user, minutes):
        raise Http404
    return minutes


def _minutes_context(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    items = list(
        meeting.agenda_items.on_agenda().select_related("presenter").prefetch_related("goals")
    )
    return {
        "minutes": minutes,
        "meeting": meeting,
        "items": items,
        "present": meeting.attendances.filter(status=Attendance.Status.PRESENT).select_related(
            "person"
        ),
        "absent": meeting.attendances.exclude(status=Attendance.Status.PRESENT).select_related(
            "person"
        ),
        "actions": meeting.action_items.select_related("directorate"),
    }


def minutes_detail(request, pk):
    minutes = _minutes_for(request, pk)
    ctx = _minutes_context(minutes)
    can_edit = may_edit_minutes(request.user, minutes)
    form = None
    if can_edit:
        form = MinutesForm(request.POST or None, minutes=minutes, items=ctx["items"])
        if request.method == "POST" and form.is_valid():
            try:
                services.save_minutes(
                    minutes=minutes,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    notes=form.cleaned_data["notes"],
                    entries=form.entries(),
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The minutes were saved."))
                return redirect("meetings:minutes", pk=pk)
    elif request.method == "POST":
        require(may_run_meetings(request.user))
        messages.error(request, _("These minutes are approved and can no longer be edited."))
        return redirect("meetings:minutes", pk=pk)
    ctx.update(
        {
            "form": form,
            "action_form": ActionItemForm(meeting=minutes.meeting) if can_edit else None,
            "next_meeting": services.next_meeting_after(minutes.meeting),
            "may_run": may_run_meetings(request.user),
        }
    )
    return render(request, "meetings/minutes_detail.html", ctx)


MINUTES_STEPS = {
    "circulate": (services.circulate_minutes, _("The minutes were circulated to the invitees.")),
    "approve": (services.approve_minutes, _("The minutes were approved.")),
    "lock": (services.lock_minutes, _("The minutes were locked.")),
}


@require_POST
def minutes_step(request, pk, step):
    minutes = _minutes_for(request, pk)
    require(may_run_meetings(request.user))
    if step not in MINUTES_STEPS:
        raise Http404
    service, done = MINUTES_STEPS[step]
    try:
        service(minutes=minutes, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, str(done))
    return redirect("meetings:minutes", pk=pk)


def minutes_pdf(request, pk):
    # Imported here: WeasyPrint loads Pango, which only this view needs.
    from weasyprint import CSS, HTML

    from goals.pdf import BASE_URL, StaticFilesOnly

    minutes = _minutes_for(request, pk)
    html = render_to_string("meetings/minutes_pdf.html", _minutes_context(minutes), request)
    # The decision documents' fetcher: the app's static files, never the network.
    fetcher = StaticFilesOnly()
    static = settings.STATIC_URL.lstrip("/")
    stylesheet = CSS(url=f"{BASE_URL}{static}css/meetings-pdf.css", url_fetcher=fetcher)
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="minutes-{minutes.meeting.date:%Y-%m-%d}.pdf"'
    )
    return response
