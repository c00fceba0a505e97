from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingPaper,
    MeetingSeries,
    Minutes,
    Rsvp,
)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(SimpleHistoryAdmin):
    list_display = ["title", "first_date", "start_time", "interval", "frequency", "until", "count"]
    list_filter = ["frequency", "mayor_monthly"]
    search_fields = ["title", "place"]
    autocomplete_fields = ["created_by"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["order", "title", "presenter", "duration", "status"]
    autocomplete_fields = ["presenter"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "start_time", "title", "status", "mayor_attends", "edited_by_hand"]
    list_filter = ["status", "mayor_attends", "edited_by_hand", "series"]
    search_fields = ["title", "place", "change_reason"]
    date_hierarchy = "date"
    autocomplete_fields = ["extra_invitees"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "order", "presenter", "duration", "status"]
    list_filter = ["status", "directorates"]
    list_select_related = ["meeting", "presenter"]
    search_fields = ["title", "description", "discussion", "decisions"]
    autocomplete_fields = ["presenter", "proposed_by", "directorates"]
    raw_id_fields = ["meeting", "action_item", "goals", "observations"]


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "status", "version", "circulated_at", "approved_at", "locked_at"]
    list_filter = ["status"]
    list_select_related = ["meeting"]
    search_fields = ["meeting__title", "notes"]
    raw_id_fields = ["meeting", "approved_at_meeting"]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["description", "directorate", "due_date", "status", "meeting"]
    list_filter = ["status", "directorate"]
    list_select_related = ["directorate", "meeting"]
    search_fields = ["description", "directorate__name"]
    raw_id_fields = ["meeting", "agenda_item"]
    autocomplete_fields = ["completed_by"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "person", "status"]
    list_filter = ["status", "meeting__date"]
    list_select_related = ["meeting", "person"]
    search_fields = ["person__last_name", "person__username"]
    raw_id_fields = ["meeting"]
    autocomplete_fields = ["person"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "user__last_name"]
    readonly_fields = ["token"]
    autocomplete_fields = ["user"]


@admin.register(MeetingPaper)
class MeetingPaperAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "kind", "generated_at", "generated_by", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["meeting", "generated_by"]
    search_fields = ["meeting__title"]
    raw_id_fields = ["meeting", "generated_by"]
    date_hierarchy = "generated_at"


@admin.register(Rsvp)
class RsvpAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "person", "answer", "deputy", "answered_at"]
    list_filter = ["answer"]
    list_select_related = ["meeting", "person", "deputy"]
    search_fields = ["person__last_name", "person__first_name", "deputy__last_name"]
    raw_id_fields = ["meeting", "person", "deputy"]
