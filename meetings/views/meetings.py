"""Meetings and their series: the list, a meeting's page, scheduling, moving and cancelling."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directorates import workdays
from directorates.rules import require
from goals.services.rounds import latest_closed_round, round_figures
from meetings import services
from meetings.clashes import clashes
from meetings.forms import (
    CancelForm,
    MeetingForm,
    SeriesForm,
)
from meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingSeries,
)
from meetings.models.meetings import with_local_holidays
from meetings.proposals import sources_of
from meetings.rules import (
    may_open_observations,
    may_read_minutes,
    may_record_attendance,
    may_run_meetings,
    may_see_attendance_report,
)
from meetings.views.errors import form_errors
from meetings.views.papers import papers_context
from meetings.views.rsvp import rsvp_context


def meeting_list(request):
    visible = Meeting.objects.visible_to(request.user)
    today = timezone.localdate()
    upcoming = visible.filter(date__gte=today).order_by("date", "start_time")[:12]
    past = Paginator(visible.filter(date__lt=today).order_by("-date", "-start_time"), 20)
    past_page = past.get_page(request.GET.get("page"))
    past_page.object_list = list(past_page.object_list)
    upcoming = list(upcoming)
    with_local_holidays([*upcoming, *past_page.object_list])
    ctx = {
        "upcoming": upcoming,
        "past": past_page,
        "this_year": today.year,
        "series_list": MeetingSeries.objects.annotate(meeting_count=Count("meetings"))
        if may_run_meetings(request.user)
        else [],
        "may_run": may_run_meetings(request.user),
        "may_see_attendance": may_see_attendance_report(request.user),
    }
    return render(request, "meetings/meeting_list.html", ctx)


def series_create(request):
    require(may_run_meetings(request.user))
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.create_series(series=form.instance, by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            count = series.meetings.count()
            coming = series.meetings.filter(date__gte=timezone.localdate()).count()
            if coming:
                text = ngettext(
                    "The series was created with %(count)d meeting; invitations to the "
                    "%(coming)d still to come are on their way.",
                    "The series was created with %(count)d meetings; invitations to the "
                    "%(coming)d still to come are on their way.",
                    count,
                )
            else:
                text = ngettext(
                    "The series was created with %(count)d meeting, all in the past: no "
                    "invitation was sent.",
                    "The series was created with %(count)d meetings, all in the past: no "
                    "invitation was sent.",
                    count,
                )
            messages.success(request, text % {"count": count, "coming": coming})
            warn_of_clashes(request, series.meetings.all())
            return redirect(series)
    return render(request, "meetings/series_form.html", {"form": form})


def warn_of_clashes(request, meetings) -> None:
    if found := clashes(meetings):
        when = ", ".join(
            f"{date_format(other.date, 'SHORT_DATE_FORMAT')} {other.start_time:%H:%M}"
            for other in found
        )
        messages.warning(
            request,
            ngettext(
                "Another meeting takes the same place at an overlapping time: %(when)s.",
                "Other meetings take the same place at overlapping times: %(when)s.",
                len(found),
            )
            % {"when": when},
        )


def series_detail(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk)
    require(may_run_meetings(request.user))
    meetings = with_local_holidays(series.meetings.all())
    return render(request, "meetings/series_detail.html", {"series": series, "meetings": meetings})


def series_update(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk)
    require(may_run_meetings(request.user))
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.update_series(series=form.instance, by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The series was saved: %(updated)s, %(created)s, %(cancelled)s. Past "
                    "meetings and meetings edited by hand were left as they were."
                )
                % {
                    "updated": ngettext(
                        "%(count)d meeting changed", "%(count)d meetings changed", counts["updated"]
                    )
                    % {"count": counts["updated"]},
                    "created": ngettext("%(count)d added", "%(count)d added", counts["created"])
                    % {"count": counts["created"]},
                    "cancelled": ngettext(
                        "%(count)d cancelled", "%(count)d cancelled", counts["cancelled"]
                    )
                    % {"count": counts["cancelled"]},
                },
            )
            warn_of_clashes(request, series.meetings.filter(date__gte=timezone.localdate()))
            return redirect(series)
    return render(request, "meetings/series_form.html", {"form": form, "series": series})


def _meeting_page_context(request, meeting: Meeting) -> dict:
    items = list(
        meeting.agenda_items.exclude(status=AgendaItem.Status.DECLINED)
        .select_related("presenter", "proposed_by", "action_item")
        .prefetch_related("directorates", "goals", "observations")
    )
    minutes = getattr(meeting, "minutes", None)  # selected with the meeting where it can be
    agenda_open = (minutes is None or minutes.is_editable) and not meeting.is_cancelled
    proposals = [
        item
        for item in items
        if item.status == AgendaItem.Status.PROPOSED
        and (may_run_meetings(request.user) or item.proposed_by_id == request.user.pk)
    ]
    return {
        "meeting": meeting,
        "agenda": [item for item in items if item.status == AgendaItem.Status.ACCEPTED],
        "proposals": proposals,
        "proposal_sources": sources_of(proposals),
        "agenda_minutes": sum(
            item.duration for item in items if item.status == AgendaItem.Status.ACCEPTED
        ),
        "may_run": may_run_meetings(request.user),
        "can_edit": may_run_meetings(request.user) and agenda_open,
        "can_propose": request.user.is_head_of_directorate and agenda_open,
        "link_observations": may_open_observations(request.user),
        "minutes": minutes,
        "show_minutes": minutes is not None and may_read_minutes(request.user, minutes),
    }


def round_context(meeting: Meeting, agenda: list) -> dict:
    """The latest reporting round closed by the meeting's date, and the figures it locked for
    the goals on the agenda: what the meeting discusses."""
    round_ = latest_closed_round(meeting.date)
    goal_ids = {goal.pk for item in agenda for goal in item.goals.all()}
    return {
        "figures_round": round_,
        "round_goals": round_figures(round_, goal_ids) if round_ and goal_ids else [],
    }


PENDING_LISTED = 20  # open action items of earlier meetings listed on a meeting's page


def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("series", "minutes"), pk=pk
    )
    ctx = _meeting_page_context(request, meeting)
    # The municipality's calendar: why the meeting moved, when its papers are due.
    meeting.local_holidays = local = workdays.local_holidays()
    # The most urgent, each carrying how many there are in all: they pile up over the years.
    pending = list(
        ActionItem.objects.pending_on(meeting.date)
        .select_related("directorate")
        .annotate(total=Window(Count("pk")))[:PENDING_LISTED]
    )
    ctx.update(
        {
            "can_record_attendance": may_record_attendance(request.user, meeting),
            "attendance_counts": {
                row["status"]: row["n"]
                for row in meeting.attendances.order_by().values("status").annotate(n=Count("pk"))
            },
            "pending_actions": pending,
            "pending_total": pending[0].total if pending else 0,
            "decided_actions": meeting.action_items.select_related("directorate"),
            **round_context(meeting, ctx["agenda"]),
            **papers_context(request, meeting, local),
            **rsvp_context(request, meeting),
        }
    )
    return render(request, "meetings/meeting_detail.html", ctx)


def meeting_update(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_run_meetings(request.user))
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
            form_errors(form, error)
        else:
            messages.success(request, _("The meeting was changed; the invitees are told."))
            warn_of_clashes(request, [meeting])
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def meeting_cancel(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_run_meetings(request.user))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(
                meeting=meeting, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The meeting was cancelled; the invitees are told."))
            return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"form": form, "meeting": meeting})
