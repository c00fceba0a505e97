"""Spreadsheets: goals exported, goals and progress imported with a preview before saving."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
    if request.method == "POST" and form.is_valid():
        cycle, upload = form.cleaned_data["cycle"], form.cleaned_data["file"]
        try:
            sheet = read_goal_sheet(upload)
            further = sheet.further.rows if sheet.further is not None else None
            plan = plan_goal_import(cycle=cycle, rows=sheet.rows, further_rows=further)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            plan.errors = sorted([*sheet.errors, *plan.errors], key=lambda error: error.row)
            token = ""
            if plan.has_changes and not plan.errors:
                token = _keep_pending_import(
                    request,
                    GOAL_IMPORT_SESSION_KEY,
                    {
                        "cycle": cycle.pk,
                        "file_name": upload.name[:100],
                        "rows": encode_rows(sheet.rows),
                        "further_rows": None if further is None else encode_rows(further),
                        "versions": plan.versions_seen,
                    },
                )
            ctx = {"plan": plan, "token": token, "file_name": upload.name}
            return render(request, "goals/goal_import_preview.html", ctx)
    return render(
        request, "goals/goal_import.html", {"form": form}, status=400 if form.errors else 200
    )


def _keep_pending_import(request, key: str, data: dict) -> str:
    """Keep the checked rows in the session until confirmed; the token names this preview."""
    token = secrets.token_urlsafe(16)
    request.session[key] = {"token": token, **data}
    return token


def _take_pending_import(request, key: str) -> dict | None:
    """The rows kept for the preview the form names, removed from the session; None if stale.

    Only the token comes from the form: the rows never leave the server.
    """
    pending = request.session.get(key)
    if not pending or not secrets.compare_digest(pending["token"], request.POST.get("token", "")):
        messages.error(request, _("This preview has expired. Upload the file again."))
        return None
    del request.session[key]
    return pending


@require_POST
def goal_import_confirm(request):
    """Save the previewed import, all of it in one transaction, or nothing."""
    require(may_import_goals(request.user))
    pending = _take_pending_import(request, GOAL_IMPORT_SESSION_KEY)
    if pending is None:
        return redirect("goals:import")
    cycle = get_object_or_404(GoalCycle, pk=pending["cycle"])
    rows = decode_rows(pending["rows"], GOAL_COLUMNS)
    further = pending.get("further_rows")
    if further is not None:
        further = decode_rows(further, FURTHER_COLUMNS)
    try:
        plan = plan_goal_import(cycle=cycle, rows=rows, further_rows=further)
        if plan.errors:
            # The goals changed since the preview in a way that makes rows invalid.
            ctx = {"plan": plan, "token": "", "file_name": pending["file_name"]}
            return render(request, "goals/goal_import_preview.html", ctx, status=409)
        if plan.versions_seen != pending["versions"]:
            raise ValidationError(
                _(
                    "Some of these goals were changed by someone else after the preview. "
                    "Nothing was imported; upload the file again to see the changes."
                )
            )
        import_goals(plan=plan, by=request.user, source=pending["file_name"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:import")
    messages.success(
        request,
        _("Imported: %(created)s, %(updated)s, %(unchanged)s.")
        % {
            "created": ngettext("%(count)s new goal", "%(count)s new goals", len(plan.to_create))
            % {"count": len(plan.to_create)},
            "updated": ngettext("%(count)s updated", "%(count)s updated", len(plan.to_update))
            % {"count": len(plan.to_update)},
            "unchanged": ngettext("%(count)s unchanged", "%(count)s unchanged", len(plan.unchanged))
            % {"count": len(plan.unchanged)},
        },
    )
    return redirect(reverse("goals:list") + f"?cycle={cycle.pk}")


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
    if request.method == "POST" and form.is_valid():
        cycle, upload = form.cleaned_data["cycle"], form.cleaned_data["file"]
        try:
            sheet = read_progress_sheet(upload)
            plan = plan_progress_import(cycle=cycle, rows=sheet.rows, by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            plan.errors = sorted([*sheet.errors, *plan.errors], key=lambda error: error.row)
            token = ""
            if plan.has_changes and not plan.errors:
                token = _keep_pending_import(
                    request,
                    PROGRESS_IMPORT_SESSION_KEY,
                    {"cycle": cycle.pk, "rows": encode_rows(sheet.rows)},
                )
            ctx = {"plan": plan, "token": token, "file_name": upload.name}
            return render(request, "goals/progress_import_preview.html", ctx)
    status = 400 if form.errors else 200
    return render(request, "goals/progress_import.html", {"form": form}, status=status)


@require_POST
def progress_import_confirm(request):
    """Record the previewed updates, all in one transaction, or none."""
    require(may_report_progress(request.user))
    pending = _take_pending_import(request, PROGRESS_IMPORT_SESSION_KEY)
    if pending is None:
        return redirect("goals:progress_import")
    cycle = get_object_or_404(GoalCycle, pk=pending["cycle"])
    rows = decode_rows(pending["rows"], PROGRESS_COLUMNS)
    plan = plan_progress_import(cycle=cycle, rows=rows, by=request.user)
    if plan.errors:
        ctx = {"plan": plan, "token": "", "file_name": ""}
        return render(request, "goals/progress_import_preview.html", ctx, status=409)
    try:
        recorded = import_progress(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:progress_import")
    text = ngettext(
        "%(count)s progress update was recorded.",
        "%(count)s progress updates were recorded.",
        recorded,
    )
    messages.success(request, text % {"count": recorded})
    return redirect("goals:allocations")
