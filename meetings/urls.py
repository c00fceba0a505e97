from django.urls import path

from meetings.views.actions import action_item_add, action_item_done, action_item_list
from meetings.views.agenda import (
    agenda_accept,
    agenda_item_add,
    agenda_item_decide,
    agenda_item_move,
    agenda_item_update,
    agenda_publish,
    agenda_suggest,
)
from meetings.views.attendance import attendance, attendance_report, attendance_sheet
from meetings.views.calendars import calendar_feed, meeting_ics, my_calendar, my_calendar_reset
from meetings.views.meetings import (
    meeting_cancel,
    meeting_detail,
    meeting_list,
    meeting_update,
    series_create,
    series_detail,
    series_update,
)
from meetings.views.minutes import minutes_detail, minutes_pdf, minutes_step
from meetings.views.papers import paper, paper_issue
from meetings.views.rsvp import rsvp

app_name = "meetings"

urlpatterns = [
    path("", meeting_list, name="list"),
    path("series/new/", series_create, name="series_create"),
    path("series/<int:pk>/", series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", series_update, name="series_update"),
    path("<int:pk>/", meeting_detail, name="detail"),
    path("<int:pk>/edit/", meeting_update, name="update"),
    path("<int:pk>/cancel/", meeting_cancel, name="cancel"),
    path("<int:pk>/meeting.ics", meeting_ics, name="ics"),
    path("<int:pk>/answer/", rsvp, name="rsvp"),
    path("<int:pk>/papers/<slug:kind>.pdf", paper, name="paper"),
    path("<int:pk>/papers/<slug:kind>/send/", paper_issue, name="paper_issue"),
    path("<int:pk>/agenda/add/", agenda_item_add, name="agenda_add"),
    path("<int:pk>/agenda/suggest/", agenda_suggest, name="agenda_suggest"),
    path("<int:pk>/agenda/publish/", agenda_publish, name="agenda_publish"),
    path("<int:pk>/agenda/accept/", agenda_accept, name="agenda_accept"),
    path("agenda/<int:pk>/edit/", agenda_item_update, name="agenda_edit"),
    path("agenda/<int:pk>/move/", agenda_item_move, name="agenda_move"),
    path("agenda/<int:pk>/decide/", agenda_item_decide, name="agenda_decide"),
    path("<int:pk>/attendance/", attendance, name="attendance"),
    path("<int:pk>/attendance/sheet/", attendance_sheet, name="attendance_sheet"),
    path("attendance/<int:year>/", attendance_report, name="attendance_report"),
    path("<int:pk>/minutes/", minutes_detail, name="minutes"),
    path("<int:pk>/minutes/<slug:step>/", minutes_step, name="minutes_step"),
    path("<int:pk>/minutes.pdf", minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/actions/add/", action_item_add, name="action_add"),
    path("actions/", action_item_list, name="action_items"),
    path("actions/<int:pk>/done/", action_item_done, name="action_done"),
    path("calendar/", my_calendar, name="calendar"),
    path("calendar/reset/", my_calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", calendar_feed, name="feed"),
]
