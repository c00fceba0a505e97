import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from directorates.models import User
from meetings import calendar, services
from meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    MeetingForm,
    MinutesForm,
    SeriesForm,
)
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    Minutes,
)
from stoxothesia.pagecache import cache_per_person


def _require_coordinator(user: User) -> None:
    if not user.is_coordinator:
        raise PermissionDenied


def _show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(form, error: ValidationError) -> None:
    """Attach a service's refusal to the form: to its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Meetings and series ----------------------------------------------------------------------
@cache_per_person
def meeting_list(request):
    visible = Meeting.objects.visible_to(request.user)
    today = timezone.localdate()
    upcoming = visible.filter(date__gte=today).order_by("date", "start_time")[:12]
    past = Paginator(visible.filter(date__lt=today).order_by("-date", "-start_time"), 20)
    ctx = {
        "upcoming": upcoming,
        "past": past.get_page(request.GET.get("page")),
        "this_year": today.year,
        "series_list": MeetingSeries.objects.annotate(meeting_count=Count("meetings"))
        if request.user.is_coordinator
        else [],
    }
    return render(request, "meetings/meeting_list.html", ctx)


def series_create(request):
    _require_coordinator(request.user)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.create_series(series=form.instance, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("The series was created with %(count)d meetings; invitations are on their way.")
                % {"count": series.meetings.count()},
            )
            return redirect(series)
    return render(request, "meetings/series_form.html", {"form": form})


def series_detail(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk)
    _require_coordinator(request.user)
    meetings = series.meetings.all()
    return render(request, "meetings/series_detail.html", {"series": series, "meetings": meetings})


def series_update(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk)
    _require_coordinator(request.user)
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.update_series(series=form.instance, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The series was saved: %(updated)d meetings changed, %(created)d added, "
                    "%(cancelled)d cancelled. Past meetings and meetings edited by hand were "
                    "left as they were."
                )
                % counts,
            )
            return redirect(series)
    return render(request, "meetings/series_form.html", {"form": form, "series": series})


def _meeting_page_context(request, meeting: Meeting) -> dict:
    items = list(
        meeting.agenda_items.exclude(status=AgendaItem.Status.DECLINED)
        .select_related("presenter", "proposed_by", "action_item")
        .prefetch_related("directorates", "goals", "observations")
    )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    agenda_open = (minutes is None or minutes.is_editable) and not meeting.is_cancelled
    return {
        "meeting": meeting,
        "agenda": [item for item in items if item.status == AgendaItem.Status.ACCEPTED],
        "proposals": [
            item
            for item in items
            if item.status == AgendaItem.Status.PROPOSED
            and (request.user.is_coordinator or item.proposed_by_id == request.user.pk)
        ],
        "agenda_minutes": sum(
            item.duration for item in items if item.status == AgendaItem.Status.ACCEPTED
        ),
        "can_edit": request.user.is_coordinator and agenda_open,
        "can_propose": request.user.is_head_of_directorate and agenda_open,
        # Observations are read by their directorate and by oversight: others see a count.
        "link_observations": request.user.sees_everything,
        "minutes": minutes,
        "show_minutes": minutes is not None
        and (minutes.status != Minutes.Status.DRAFT or request.user.is_coordinator),
    }


@cache_per_person
def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("series"), pk=pk
    )
    ctx = _meeting_page_context(request, meeting)
    attendances = meeting.attendances.select_related("person")
    ctx.update(
        {
            "can_record_attendance": request.user.is_coordinator
            and not meeting.is_cancelled
            and meeting.date <= timezone.localdate(),
            "invitees": meeting.invitees(),
            "attendance_counts": {
                row["status"]: row["n"]
                for row in attendances.values("status").annotate(n=Count("pk"))
            },
            "pending_actions": ActionItem.objects.pending_on(meeting.date).select_related(
                "directorate", "meeting"
            ),
            "decided_actions": meeting.action_items.select_related("directorate"),
        }
    )
    return render(request, "meetings/meeting_detail.html", ctx)


def meeting_update(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    _require_coordinator(request.user)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reschedule_meeting(
                meeting=meeting,
                by=request.user,
                date=data["date"],
                start_time=data["start_time"],
                duration=data["duration"],
                place=data["place"],
                mayor_attends=data["mayor_attends"],
                extra_invitees=data["extra_invitees"],
                reason=data["reason"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The meeting was changed; the invitees are told."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def meeting_cancel(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    _require_coordinator(request.user)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(
                meeting=meeting, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The meeting was cancelled; the invitees are told."))
            return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"form": form, "meeting": meeting})


# --- Agenda -----------------------------------------------------------------------------------
def agenda_item_add(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    if not (request.user.is_coordinator or request.user.is_head_of_directorate):
        raise PermissionDenied
    propose = not request.user.is_coordinator
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
            _form_errors(form, error)
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
    _require_coordinator(request.user)
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
    _require_coordinator(request.user)
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
        _show_errors(request, error)
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
        _show_errors(request, error)
    else:
        if accept:
            messages.success(request, _("The proposal was put on the agenda."))
        else:
            messages.success(request, _("The proposal was declined."))
    return redirect(item.meeting)


@require_POST
def agenda_suggest(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    _require_coordinator(request.user)
    try:
        suggestions = services.suggest_agenda(meeting=meeting, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        if suggestions:
            messages.success(
                request,
                _("%(count)d items were suggested; accept or decline each of them.")
                % {"count": len(suggestions)},
            )
        else:
            messages.info(request, _("There is nothing new to suggest."))
    return redirect(meeting)


@require_POST
def agenda_publish(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    _require_coordinator(request.user)
    try:
        services.publish_agenda(meeting=meeting, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The agenda was published and sent to the invitees."))
    return redirect(meeting)


# --- Attendance -------------------------------------------------------------------------------
def attendance(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    _require_coordinator(request.user)
    recorded = dict(meeting.attendances.values_list("person_id", "status"))
    form = AttendanceForm(request.POST or None, invitees=meeting.invitees(), recorded=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(meeting=meeting, by=request.user, statuses=form.statuses())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect(meeting)
    return render(request, "meetings/attendance_form.html", {"form": form, "meeting": meeting})


def attendance_sheet(request, pk):
    """A sheet to print and sign at the meeting: every invitee, with what is recorded."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    recorded = dict(meeting.attendances.values_list("person_id", "status"))
    labels = dict(Attendance.Status.choices)
    rows = [(person, labels.get(recorded.get(person.pk), "")) for person in meeting.invitees()]
    return render(request, "meetings/attendance_sheet.html", {"meeting": meeting, "rows": rows})


def attendance_report(request, year):
    """Each invited person's attendance over one year's held meetings: everyone's for those who
    oversee the municipality, their directorate's people's for a head of directorate."""
    user = request.user
    if not (user.sees_everything or (user.is_head_of_directorate and user.directorate_id)):
        raise PermissionDenied
    held = Meeting.objects.filter(status=Meeting.Status.HELD, date__year=year)
    counted = {
        status: Count(
            "meeting_attendances",
            filter=Q(meeting_attendances__status=status, meeting_attendances__meeting__in=held),
        )
        for status in Attendance.Status.values
    }
    people = (
        User.objects.filter(meeting_attendances__meeting__in=held)
        .distinct()
        .select_related("directorate")
        .annotate(**counted)
        .order_by("directorate__order", "last_name")
    )
    directorate = None
    if not user.sees_everything:
        people = people.filter(directorate_id=user.directorate_id)
        directorate = user.directorate
    ctx = {
        "directorate": directorate,
        "year": year,
        "held_count": held.count(),
        "people": people,
        "years": range(timezone.localdate().year, 2023, -1),
    }
    return render(request, "meetings/attendance_report.html", ctx)


# --- Minutes ----------------------------------------------------------------------------------
def _minutes_for(request, pk) -> Minutes:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    minutes = get_object_or_404(
        Minutes.objects.select_related("approved_at_meeting"), meeting=meeting
    )
    if minutes.status == Minutes.Status.DRAFT and not request.user.is_coordinator:
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
    can_edit = request.user.is_coordinator and minutes.is_editable
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
                _form_errors(form, error)
            else:
                messages.success(request, _("The minutes were saved."))
                return redirect("meetings:minutes", pk=pk)
    elif request.method == "POST":
        if request.user.is_coordinator:
            messages.error(request, _("These minutes are approved and can no longer be edited."))
            return redirect("meetings:minutes", pk=pk)
        raise PermissionDenied
    ctx.update(
        {
            "form": form,
            "action_form": ActionItemForm(meeting=minutes.meeting) if can_edit else None,
            "next_meeting": services.next_meeting_after(minutes.meeting),
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
    _require_coordinator(request.user)
    if step not in MINUTES_STEPS:
        raise Http404
    service, done = MINUTES_STEPS[step]
    try:
        service(minutes=minutes, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
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


# --- Action items -----------------------------------------------------------------------------
def action_item_add(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    _require_coordinator(request.user)
    form = ActionItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action_item(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
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
    for action in page:
        action.can_close = action.status == ActionItem.Status.OPEN and action.can_be_closed_by(
            request.user
        )
    ctx = {"page": page, "status": status, "statuses": ActionItem.Status.choices}
    return render(request, "meetings/actionitem_list.html", ctx)


@require_POST
def action_item_done(request, pk):
    action = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
    if not action.can_be_closed_by(request.user):
        raise PermissionDenied
    try:
        services.complete_action_item(action=action, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The action item was marked done."))
    return redirect("meetings:action_items")


# --- Calendars --------------------------------------------------------------------------------
def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_ics(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    return _ics_response(calendar.calendar_for([meeting]), f"meeting-{meeting.date:%Y-%m-%d}.ics")


def my_calendar(request):
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(feed.get_absolute_url())
    return render(request, "meetings/calendar.html", {"feed_url": feed_url})


@require_POST
def my_calendar_reset(request):
    services.reset_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("meetings:calendar")


@login_not_required
@never_cache
def calendar_feed(request, token):
    """A person's meetings for calendar programs, which cannot log in: the token is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    since = timezone.localdate() - datetime.timedelta(days=180)
    meetings = Meeting.objects.invited(feed.user).filter(date__gte=since)
    content = calendar.calendar_for(meetings, name=_("Coordination meetings"))
    return _ics_response(content, "meetings.ics")
