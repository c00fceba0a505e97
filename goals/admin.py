"""Django admin, the back office. Saving or deleting what a goal's achievement is worked out
from (its target, progress updates, allocations, evaluation) stores the achievement again, as
the services do."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from goals.models import (
    ActionProgramme,
    Allocation,
    AllocationAct,
    Goal,
    GoalBlocker,
    GoalCycle,
    GoalEvaluation,
    GoalIndicator,
    GoalVersion,
    GoalVersionIndicator,
    IndicatorValue,
    MayoralDecision,
    Observation,
    OperationalPlan,
    ProgrammeAction,
    ProgrammeAxis,
    ProgrammeMeasure,
    ProgressUpdate,
    ReportingRound,
    RoundReminder,
    StaffGoal,
)
from goals.services.monitoring import MEASURED_FIELDS, store_achievement
from goals.services.rounds import refuse_closed_round


@admin.register(GoalCycle)
class GoalCycleAdmin(SimpleHistoryAdmin):
    list_display = [
        "year",
        "phase",
        "consultation_opens_on",
        "consultation_closes_on",
        "revision_opens_on",
        "revision_closes_on",
    ]
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(MEASURED_FIELDS) & set(form.changed_data):
            store_achievement(goal_ids=[obj.pk])


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


class ProgrammeAxisInline(admin.TabularInline):
    model = ProgrammeAxis
    extra = 0


@admin.register(OperationalPlan)
class OperationalPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "start_year", "end_year", "council_decision"]
    list_filter = ["start_year"]
    search_fields = ["title", "council_decision"]
    inlines = [ProgrammeAxisInline]


@admin.register(ProgrammeAxis)
class ProgrammeAxisAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title"]
    inlines = [ProgrammeMeasureInline]


@admin.register(ProgrammeMeasure)
class ProgrammeMeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "axis"]
    list_filter = ["axis__plan", "axis"]
    list_select_related = ["axis"]
    search_fields = ["code", "title"]
    inlines = [ProgrammeActionInline]


@admin.register(ProgrammeAction)
class ProgrammeActionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "measure"]
    list_filter = ["measure__axis__plan", "measure__axis"]
    list_select_related = ["measure"]
    search_fields = ["code", "title"]


class ActionProgrammeForm(forms.ModelForm):
    """An action programme lists actions of its own plan only."""

    class Meta:
        model = ActionProgramme
        fields = ["plan", "year", "council_decision", "actions"]

    def clean(self):
        cleaned = super().clean()
        plan, actions = cleaned.get("plan"), cleaned.get("actions")
        if plan and actions and actions.exclude(measure__axis__plan=plan).exists():
            self.add_error("actions", _("Choose only actions of the programme's operational plan."))
        return cleaned


@admin.register(ActionProgramme)
class ActionProgrammeAdmin(SimpleHistoryAdmin):
    form = ActionProgrammeForm
    list_display = ["year", "plan", "council_decision"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["year", "council_decision"]
    filter_horizontal = ["actions"]


# =================================================================================================
# Decisions, goal versions, allocations, progress and evaluations.
# =================================================================================================
class StoresAchievement:
    """For what a goal's achievement is worked out from (allocations, progress updates and the
    evaluation): after a save or delete, the goals concerned store their achievement again."""

    def save_model(self, request, obj, form, change):
        # A row moved to another goal changes the achievement of both.
        previous_goal_id = form.initial.get("goal") if change else None
        super().save_model(request, obj, form, change)
        store_achievement(goal_ids={obj.goal_id, previous_goal_id} - {None})

    def delete_model(self, request, obj):
        goal_id = obj.goal_id
        super().delete_model(request, obj)
        store_achievement(goal_ids=[goal_id])

    def delete_queryset(self, request, queryset):
        goal_ids = set(queryset.values_list("goal_id", flat=True))
        super().delete_queryset(request, queryset)
        store_achievement(goal_ids=goal_ids)


class GoalVersionInline(admin.TabularInline):
    model = GoalVersion
    extra = 0
    raw_id_fields = ["goal"]


@admin.register(MayoralDecision)
class MayoralDecisionAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "cycle",
        "kind",
        "status",
        "ada",
        "decision_date",
        "signatory",
        "posted_on",
    ]
    list_filter = ["cycle", "kind", "status", "by_order_of_the_mayor", "recorded_on_behalf"]
    list_select_related = ["cycle", "signatory"]
    search_fields = ["number", "protocol_number", "ada", "subject"]
    raw_id_fields = [
        "amends",
        "corrects",
        "prepared_by",
        "signatory",
        "recorded_by",
        "posted_by",
    ]
    readonly_fields = ["version", "signed_at", "posted_at"]
    inlines = [GoalVersionInline]


class GoalVersionIndicatorInline(admin.TabularInline):
    """The further indicators the version froze."""

    model = GoalVersionIndicator
    extra = 0
    raw_id_fields = ["source"]


@admin.register(GoalVersion)
class GoalVersionAdmin(admin.ModelAdmin):
    list_display = ["goal", "decision", "code", "baseline", "target", "deadline", "weight"]
    list_filter = ["decision__cycle", "decision__kind"]
    list_select_related = ["goal", "decision__cycle"]
    search_fields = ["goal__code", "title", "indicator", "decision__ada"]
    raw_id_fields = ["goal", "decision"]
    filter_horizontal = ["participating_directorates"]
    inlines = [GoalVersionIndicatorInline]


@admin.register(Allocation)
class AllocationAdmin(StoresAchievement, SimpleHistoryAdmin):
    list_display = ["title", "goal", "department", "share", "target", "deadline"]
    list_filter = ["goal__cycle", "department__directorate"]
    list_select_related = ["goal", "department"]
    search_fields = ["title", "indicator", "goal__code", "goal__title", "department__name"]
    raw_id_fields = ["goal", "department", "allocated_by"]


@admin.register(AllocationAct)
class AllocationActAdmin(SimpleHistoryAdmin):
    """Read here; prepared and issued by the heads of directorate on their pages, so that what
    an issued act says stays as it was issued."""

    list_display = ["__str__", "status", "protocol_number", "issued_on", "issued_by"]
    list_filter = ["cycle", "status", "directorate"]
    list_select_related = ["cycle", "directorate", "issued_by"]
    search_fields = ["protocol_number", "directorate__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GoalIndicator)
class GoalIndicatorAdmin(StoresAchievement, SimpleHistoryAdmin):
    """Every further indicator, those an amendment dropped too (with their values kept)."""

    list_display = [
        "goal",
        "order",
        "name",
        "target_kind",
        "baseline",
        "target",
        "weight",
        "dropped_by_decision",
    ]
    list_filter = ["goal__cycle", "target_kind", "goal__directorate"]
    list_select_related = ["goal", "dropped_by_decision"]
    search_fields = ["goal__code", "goal__title", "name"]
    raw_id_fields = ["goal", "dropped_by_decision"]

    def get_queryset(self, request):
        return GoalIndicator.every_indicator.all()


def _refused_in_closed_round(measured_on) -> None:
    """The form's error for a measurement dated in the month of a closed reporting round."""
    try:
        refuse_closed_round(measured_on)
    except ValidationError as refusal:
        raise forms.ValidationError(refusal.messages, code="measured_in_closed_round") from None


class ProgressUpdateAdminForm(forms.ModelForm):
    """A measurement dated in the month of a closed reporting round is refused here too."""

    def clean_measured_on(self):
        measured_on = self.cleaned_data["measured_on"]
        if measured_on:
            _refused_in_closed_round(measured_on)
        return measured_on


class IndicatorValueAdminForm(forms.ModelForm):
    """A further indicator's value is refused for an update of a closed round's month."""

    def clean_update(self):
        update = self.cleaned_data["update"]
        if update is not None:
            _refused_in_closed_round(update.measured_on)
        return update


class LockedByClosedRounds:
    """What was measured in the month of a closed reporting round is read-only in admin, as on
    the pages: closing a round locks its figures (`locked_on(obj)`: the day it was measured)."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and _in_closed_round(self.locked_on(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _in_closed_round(self.locked_on(obj)):
            return False
        return super().has_delete_permission(request, obj)


def _in_closed_round(measured_on) -> bool:
    return ReportingRound.objects.closed().covering(measured_on).exists()


@admin.register(IndicatorValue)
class IndicatorValueAdmin(LockedByClosedRounds, admin.ModelAdmin):
    """A further indicator's value in a progress update: the goal stores its achievement again;
    locked with its update once the update's round is closed."""

    form = IndicatorValueAdminForm

    list_display = ["update", "indicator", "value"]
    list_filter = ["update__goal__cycle"]
    list_select_related = ["update__goal", "indicator"]
    search_fields = ["update__goal__code", "indicator__name"]
    raw_id_fields = ["update", "indicator"]

    def locked_on(self, obj):
        return obj.update.measured_on

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        store_achievement(goal_ids=[obj.update.goal_id])

    def delete_model(self, request, obj):
        goal_id = obj.update.goal_id
        super().delete_model(request, obj)
        store_achievement(goal_ids=[goal_id])

    def delete_queryset(self, request, queryset):
        goal_ids = set(queryset.values_list("update__goal_id", flat=True))
        super().delete_queryset(request, queryset)
        store_achievement(goal_ids=goal_ids)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(LockedByClosedRounds, StoresAchievement, admin.ModelAdmin):
    form = ProgressUpdateAdminForm
    list_display = ["goal", "allocation", "measured_on", "value", "status", "author"]
    list_filter = ["status", "goal__cycle", "goal__directorate"]
    list_select_related = ["goal", "allocation__department", "author"]
    search_fields = ["goal__code", "goal__title", "comment"]
    raw_id_fields = ["goal", "allocation", "author"]
    date_hierarchy = "measured_on"

    def locked_on(self, obj):
        return obj.measured_on


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    list_display = ["period", "status", "departments_due_on", "directorates_due_on", "closed_at"]
    list_filter = ["status", "cycle"]
    list_select_related = ["cycle"]
    search_fields = ["period"]
    raw_id_fields = ["opened_by", "closed_by"]
    date_hierarchy = "period"


@admin.register(RoundReminder)
class RoundReminderAdmin(admin.ModelAdmin):
    list_display = ["round", "stage", "directorate", "department", "recipient", "sent_at"]
    list_filter = ["stage", "round"]
    list_select_related = ["round", "directorate", "department", "recipient"]
    search_fields = ["directorate__name", "department__name", "recipient__last_name"]
    raw_id_fields = ["round", "directorate", "department", "recipient"]


@admin.register(GoalEvaluation)
class GoalEvaluationAdmin(StoresAchievement, SimpleHistoryAdmin):
    list_display = ["goal", "final_value", "achievement", "evaluated_by", "evaluated_at"]
    list_filter = ["goal__cycle", "goal__directorate"]
    list_select_related = ["goal", "evaluated_by"]
    search_fields = ["goal__code", "goal__title", "justification"]
    raw_id_fields = ["goal", "evaluated_by"]


@admin.register(GoalBlocker)
class GoalBlockerAdmin(SimpleHistoryAdmin):
    list_display = ["goal", "kind", "status", "since", "raised_by", "raised_at"]
    list_filter = ["kind", "status", "goal__cycle", "goal__directorate"]
    list_select_related = ["goal", "raised_by"]
    search_fields = ["goal__code", "goal__title", "description", "impact", "help_needed"]
    raw_id_fields = ["goal", "raised_by"]


@admin.register(StaffGoal)
class StaffGoalAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "title", "cycle", "weight", "acknowledged_at", "achievement"]
    list_filter = ["cycle", "employee__directorate", "employee__department"]
    list_select_related = ["employee", "cycle"]
    search_fields = ["employee__last_name", "employee__first_name", "title", "indicator"]
    raw_id_fields = [
        "employee",
        "goal",
        "allocation",
        "set_by",
        "midyear_reviewed_by",
        "evaluated_by",
    ]
    readonly_fields = ["achievement"]
