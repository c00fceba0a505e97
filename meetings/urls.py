from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", views.series_update, name="series_update"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_update, name="update"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/agenda/add/", views.agenda_item_add, name="agenda_add"),
    path("<int:pk>/agenda/suggest/", views.agenda_suggest, name="agenda_suggest"),
    path("<int:pk>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("agenda/<int:pk>/edit/", views.agenda_item_update, name="agenda_edit"),
    path("agenda/<int:pk>/move/", views.agenda_item_move, name="agenda_move"),
    path("agenda/<int:pk>/decide/", views.agenda_item_decide, name="agenda_decide"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/sheet/", views.attendance_sheet, name="attendance_sheet"),
    path("attendance/<int:year>/", views.attendance_report, name="attendance_report"),
    path("<int:pk>/minutes/", views.minutes_detail, name="minutes"),
    path("<int:pk>/minutes/<slug:step>/", views.minutes_step, name="minutes_step"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/actions/add/", views.action_item_add, name="action_add"),
    path("actions/", views.action_item_list, name="action_items"),
    path("actions/<int:pk>/done/", views.action_item_done, name="action_done"),
    path("calendar/", views.my_calendar, name="calendar"),
    path("calendar/reset/", views.my_calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
