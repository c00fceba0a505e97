from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from goals.models import (
    Goal,
    GoalCycle,
    Observation,
    ProgrammeAction,
    ProgrammeAxis,
    ProgrammeMeasure,
)


@admin.register(GoalCycle)
class GoalCycleAdmin(SimpleHistoryAdmin):
    list_display = ["year", "phase", "consultation_opens_on", "consultation_closes_on"]
    list_filter = ["phase"]
    search_fields = ["year"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "cycle", "directorate", "category", "target_kind", "status"]
    list_filter = ["cycle", "category", "target_kind", "status", "directorate"]
    list_select_related = ["cycle", "directorate"]
    search_fields = ["code", "title", "indicator", "search_text"]
    autocomplete_fields = ["directorate", "participating_directorates", "programme_action"]
    raw_id_fields = ["proposed_by"]
    readonly_fields = ["version"]


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "cycle", "directorate", "goal", "author", "status", "applied"]
    list_filter = ["cycle", "status", "applied", "directorate"]
    list_select_related = ["cycle", "directorate", "goal", "author"]
    search_fields = ["text", "reply", "goal__code", "goal__title", "author__last_name"]
    raw_id_fields = ["goal", "author", "answered_by"]


class ProgrammeMeasureInline(admin.TabularInline):
    model = ProgrammeMeasure
    extra = 0


class ProgrammeActionInline(admin.TabularInline):
    model = ProgrammeAction
    extra = 0


@admin.register(ProgrammeAxis)
class ProgrammeAxisAdmin(admin.ModelAdmin):
    list_display = ["code", "title"]
    search_fields = ["code", "title"]
    inlines = [ProgrammeMeasureInline]


@admin.register(ProgrammeMeasure)
class ProgrammeMeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "axis"]
    list_filter = ["axis"]
    list_select_related = ["axis"]
    search_fields = ["code", "title"]
    inlines = [ProgrammeActionInline]


@admin.register(ProgrammeAction)
class ProgrammeActionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "measure"]
    list_filter = ["measure__axis"]
    list_select_related = ["measure"]
    search_fields = ["code", "title"]
