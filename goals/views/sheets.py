"""Spreadsheets: goals exported, goals and progress imported with a preview before saving."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from directorates.rules import require
from goals import reports
from goals.filters import GoalFilter
from goals.forms.sheets import GoalImportForm, ProgressImportForm
from goals.models import (
    Allocation,
    Goal,
    GoalCycle,
)
from goals.rules import may_import_goals, may_report_progress
from goals.sheets.exports import (
    GOAL_COLUMNS,
    PROGRESS_COLUMNS,
    evaluation_sheets,
    goal_export_sheet,
    progress_sheets,
)
from goals.sheets.goal_import import import_goals, plan_goal_import, read_goal_sheet
from goals.sheets.indicator_sheet import (
    FURTHER_COLUMNS,
    goal_template_workbook,
    goal_workbook_sheets,
)
from goals.sheets.progress_import import import_progress, plan_progress_import, read_progress_sheet
from goals.sheets.reading import decode_rows, encode_rows
from goals.sheets.workbooks import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_csv, write_xlsx
from goals.views.imports import confirm_import, preview_import, refuse_if_changed
from goals.views.monitoring import report_context


def goal_export(request, fmt: str):
    """The goal list, with the same filters as its page, as an .xlsx workbook or CSV."""
    data = request.GET.copy()
    current = GoalCycle.objects.current()
    if not data.get("cycle") and current:
        data["cycle"] = str(current.pk)
    goals = GoalFilter(data, queryset=Goal.objects.visible_to(request.user), request=request).qs
    chosen = data.get("cycle", "")
    cycle = GoalCycle.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    name = _("goals") + (f"-{cycle.year}" if cycle else "")
    if fmt == "csv":
        sheet = goal_export_sheet(goals, user=request.user)
        return _download(write_csv(sheet.columns, sheet.rows), f"{name}.csv", CSV_CONTENT_TYPE)
    # The workbook carries the further indicators in a sheet of their own, as the import reads.
    sheets = goal_workbook_sheets(goals, user=request.user)
    return _download(write_xlsx(sheets), f"{name}.xlsx", XLSX_CONTENT_TYPE)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


GOAL_IMPORT_SESSION_KEY = "goal_import"


def goal_import_template(request):
    """An empty goal sheet with drop-down lists and instructions, for the chosen cycle."""
    require(may_import_goals(request.user))
    cycle = _import_cycle(request.GET.get("cycle", ""))
    content = write_xlsx(goal_template_workbook(cycle))
    filename = _("goals-template-%(year)s.xlsx") % {"year": cycle.year}
    return _download(content, filename, XLSX_CONTENT_TYPE)


def _import_cycle(chosen: str) -> GoalCycle:
    """The chosen cycle, else the current one, if it still takes goals; 404 otherwise."""
    open_cycles = GoalImportForm.cycles()
    if chosen.isdigit():
        return get_object_or_404(open_cycles, pk=chosen)
    current = GoalCycle.objects.current()
    cycle = open_cycles.filter(pk=current.pk).first() if current else None
    return cycle or get_object_or_404(open_cycles.order_by("-year")[:1])


def goal_import(request):
    """Upload a workbook of goals: the answer is a preview, and nothing is saved yet."""
    require(may_import_goals(request.user))
    initial = {}
    current = GoalCycle.objects.current()
    if current and current.accepts_proposals:
        initial["cycle"] = current
    form = GoalImportForm(request.POST or None, request.FILES or None, initial=initial)
    return preview_import(
        request,
        form,
        read=read_goal_sheet,
        plan=lambda cycle, sheet: plan_goal_import(
            cycle=cycle, rows=sheet.rows, further_rows=_further_rows(sheet)
        ),
        kept=lambda upload, sheet, plan: {
            "file_name": upload.name[:100],
            "further_rows": _encoded(_further_rows(sheet)),
            "versions": plan.versions_seen,
        },
        session_key=GOAL_IMPORT_SESSION_KEY,
        form_template="goals/goal_import.html",
        preview_template="goals/goal_import_preview.html",
    )


def _further_rows(sheet) -> list[dict] | None:
    return sheet.further.rows if sheet.further is not None else None


def _encoded(rows: list[dict] | None):
    return None if rows is None else encode_rows(rows)


@require_POST
def goal_import_confirm(request):
    """Save the previewed import, all of it in one transaction, or nothing."""
    require(may_import_goals(request.user))

    def plan(cycle, rows, pending):
        further = pending.get("further_rows")
        if further is not None:
            further = decode_rows(further, FURTHER_COLUMNS)
        return plan_goal_import(cycle=cycle, rows=rows, further_rows=further)

    def save(cycle, plan, pending):
        refuse_if_changed(plan.versions_seen, pending["versions"])
        import_goals(plan=plan, by=request.user, source=pending["file_name"])
        messages.success(request, _imported_goals(plan))
        return redirect(reverse("goals:list") + f"?cycle={cycle.pk}")

    return confirm_import(
        request,
        session_key=GOAL_IMPORT_SESSION_KEY,
        columns=GOAL_COLUMNS,
        plan=plan,
        save=save,
        preview_template="goals/goal_import_preview.html",
        upload_url="goals:import",
    )


def _imported_goals(plan) -> str:
    return _("Imported: %(created)s, %(updated)s, %(unchanged)s.") % {
        "created": ngettext("%(count)s new goal", "%(count)s new goals", len(plan.to_create))
        % {"count": len(plan.to_create)},
        "updated": ngettext("%(count)s updated", "%(count)s updated", len(plan.to_update))
        % {"count": len(plan.to_update)},
        "unchanged": ngettext("%(count)s unchanged", "%(count)s unchanged", len(plan.unchanged))
        % {"count": len(plan.unchanged)},
    }


def directorate_workbook(request, code):
    """The directorate's report as a workbook for the evaluation of its head: same access."""
    ctx = report_context(request, code, read=reports.with_achievement)
    if ctx["cycle"] is None:
        raise Http404
    sheets = evaluation_sheets(
        directorate=ctx["directorate"],
        cycle=ctx["cycle"],
        categories=ctx["categories"],
        overall=ctx["overall"],
    )
    filename = _("goal-achievement-%(code)s-%(year)s.xlsx") % {
        "code": code,
        "year": ctx["cycle"].year,
    }
    return _download(write_xlsx(sheets), filename, XLSX_CONTENT_TYPE)


PROGRESS_IMPORT_SESSION_KEY = "progress_import"


def _progress_cycle(chosen: str) -> GoalCycle:
    """The chosen cycle, else the current one, if its goals are monitored; 404 otherwise."""
    cycles = ProgressImportForm.cycles()
    if chosen.isdigit():
        return get_object_or_404(cycles, pk=chosen)
    return get_object_or_404(cycles.order_by("-year")[:1])


def progress_workbook(request):
    """A head's goals and allocations with their latest values, to fill in new ones."""
    user = request.user
    require(may_report_progress(user))
    cycle = _progress_cycle(request.GET.get("cycle", ""))
    reportable = Allocation.objects.reportable_by(user).filter(goal__cycle=cycle)
    goals = Goal.objects.filter(cycle=cycle, status=Goal.Status.ADOPTED)
    if user.is_head_of_directorate:
        goals = goals.filter(directorate_id__in=user.headship.directorate_ids)
    else:
        goals = goals.filter(allocations__in=reportable).distinct()
    sheets = progress_sheets(
        goals=reports.with_achievement(goals.order_by("code")),
        reportable_ids=set(reportable.values_list("pk", flat=True)),
        whole_goals=user.is_head_of_directorate,
    )
    code = user.directorate.code if user.directorate_id else ""
    filename = _("progress-%(code)s-%(year)s.xlsx") % {"code": code, "year": cycle.year}
    return _download(write_xlsx(sheets), filename, XLSX_CONTENT_TYPE)


def progress_import(request):
    """Upload the filled-in progress workbook: a preview first, nothing is recorded yet."""
    require(may_report_progress(request.user))
    form = ProgressImportForm(request.POST or None, request.FILES or None)
    return preview_import(
        request,
        form,
        read=read_progress_sheet,
        plan=lambda cycle, sheet: plan_progress_import(
            cycle=cycle, rows=sheet.rows, by=request.user
        ),
        kept=lambda upload, sheet, plan: {},
        session_key=PROGRESS_IMPORT_SESSION_KEY,
        form_template="goals/progress_import.html",
        preview_template="goals/progress_import_preview.html",
    )


@require_POST
def progress_import_confirm(request):
    """Record the previewed updates, all in one transaction, or none."""
    require(may_report_progress(request.user))

    def save(cycle, plan, pending):
        recorded = import_progress(plan=plan, by=request.user)
        text = ngettext(
            "%(count)s progress update was recorded.",
            "%(count)s progress updates were recorded.",
            recorded,
        )
        messages.success(request, text % {"count": recorded})
        return redirect("goals:allocations")

    return confirm_import(
        request,
        session_key=PROGRESS_IMPORT_SESSION_KEY,
        columns=PROGRESS_COLUMNS,
        plan=lambda cycle, rows, pending: plan_progress_import(
            cycle=cycle, rows=rows, by=request.user
        ),
        save=save,
        preview_template="goals/progress_import_preview.html",
        upload_url="goals:progress_import",
    )
