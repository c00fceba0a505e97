"""Evaluation statements (a unit's, a person's) as PDF and workbook, the page that lists those a
person may download, and the national platform's sheet exported and imported back."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from directorates.rules import require
from goals.forms.statements import NationalImportForm, StatementCycleForm
from goals.models import GoalCycle
from goals.pdf import pdf_response
from goals.rules import may_use_national_sheet
from goals.sheets.workbooks import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_csv, write_xlsx
from goals.statements.access import (
    statement_departments,
    statement_directorates,
    statement_people,
)
from goals.statements.content import (
    Statement,
    person_statement,
    statement_cycle,
    unit_statement,
)
from goals.statements.national import NATIONAL_COLUMNS, evaluated_rows, national_sheet
from goals.statements.national_import import (
    import_national,
    plan_national_import,
    read_national_sheet,
)
from goals.statements.sheets import statement_sheets
from goals.views.imports import confirm_import, preview_import, refuse_if_changed

PEOPLE_PER_PAGE = 50


def _cycle(request) -> GoalCycle:
    """The cycle asked for (?cycle=), else the latest evaluated one; 404 when there is none."""
    chosen = request.GET.get("cycle", "")
    if chosen.isdigit():
        return get_object_or_404(GoalCycle, pk=chosen)
    cycle = statement_cycle()
    if cycle is None:
        raise Http404
    return cycle


def statement_list(request):
    """The statements this person may download for a year: units, then people."""
    user = request.user
    form = StatementCycleForm(request.GET or None)
    cycle = form.cleaned_data["cycle"] if form.is_valid() else None
    cycle = cycle or statement_cycle()
    form.fields["cycle"].initial = cycle
    directorates = list(statement_directorates(user).order_by("order", "name"))
    departments = list(
        statement_departments(user).select_related("directorate").order_by("order", "name")
    )
    units = []
    for directorate in directorates:
        units.append(directorate)
        units.extend(d for d in departments if d.directorate_id == directorate.pk)
    shown = {d.pk for d in directorates}
    units.extend(d for d in departments if d.directorate_id not in shown)
    people = (
        statement_people(user)
        .filter(Q(directorate__isnull=False) | Q(pk=user.pk))
        .select_related("directorate", "department")
        .order_by("last_name", "first_name", "username")
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    ctx = {
        "form": form,
        "cycle": cycle,
        "units": units,
        "page_obj": page,
        "query_string": f"cycle={cycle.pk}" if cycle else "",
        "may_use_national_sheet": may_use_national_sheet(user),
    }
    return render(request, "goals/statement_list.html", ctx)


def _statement_response(statement: Statement, fmt: str, name: str) -> HttpResponse:
    filename = f"{name}-{statement.cycle.year}"
    if fmt == "xlsx":
        content = write_xlsx(statement_sheets(statement))
        return _download(content, f"{filename}.xlsx", XLSX_CONTENT_TYPE)
    ctx = {"statement": statement}
    return pdf_response("goals/statement_pdf.html", ctx, filename=f"{filename}.pdf")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def statement_directorate(request, code, fmt):
    directorates = statement_directorates(request.user).select_related("head")
    directorate = get_object_or_404(directorates, code=code)
    statement = unit_statement(_cycle(request), directorate)
    return _statement_response(statement, fmt, _("statement-%(code)s") % {"code": code})


def statement_department(request, code, fmt):
    departments = statement_departments(request.user).select_related("head", "directorate")
    department = get_object_or_404(departments, code=code)
    statement = unit_statement(_cycle(request), department)
    return _statement_response(statement, fmt, _("statement-%(code)s") % {"code": code})


def statement_person(request, pk, fmt):
    person = get_object_or_404(statement_people(request.user), pk=pk)
    statement = person_statement(_cycle(request), person)
    return _statement_response(statement, fmt, _("statement-%(name)s") % {"name": person.username})


# --- The national platform's sheet ----------------------------------------------------------------
def national_export(request, fmt: str):
    """The rows of the people this evaluator evaluates, as the platform's form takes them."""
    require(may_use_national_sheet(request.user))
    cycle = _cycle(request)
    sheet = national_sheet(evaluated_rows(request.user, cycle))
    name = _("evaluation-form-%(year)s") % {"year": cycle.year}
    if fmt == "csv":
        return _download(write_csv(sheet.columns, sheet.rows), f"{name}.csv", CSV_CONTENT_TYPE)
    return _download(write_xlsx([sheet]), f"{name}.xlsx", XLSX_CONTENT_TYPE)


NATIONAL_IMPORT_SESSION_KEY = "national_import"


def national_import(request):
    """Upload the platform's sheet: a preview of its changes and errors, nothing saved yet."""
    require(may_use_national_sheet(request.user))
    initial = {"cycle": statement_cycle()}
    form = NationalImportForm(request.POST or None, request.FILES or None, initial=initial)
    return preview_import(
        request,
        form,
        read=read_national_sheet,
        plan=lambda cycle, sheet: plan_national_import(
            cycle=cycle, rows=sheet.rows, by=request.user
        ),
        kept=lambda upload, sheet, plan: {"stamps": plan.stamps},
        session_key=NATIONAL_IMPORT_SESSION_KEY,
        form_template="goals/national_import.html",
        preview_template="goals/national_import_preview.html",
    )


@require_POST
def national_import_confirm(request):
    """Save the previewed changes, all in one transaction, or none."""
    require(may_use_national_sheet(request.user))

    def save(cycle, plan, pending):
        refuse_if_changed(plan.stamps, pending["stamps"])
        changed = import_national(plan=plan, by=request.user)
        text = ngettext("%(count)s goal was changed.", "%(count)s goals were changed.", changed)
        messages.success(request, text % {"count": changed})
        return redirect("goals:statements")

    return confirm_import(
        request,
        session_key=NATIONAL_IMPORT_SESSION_KEY,
        columns=NATIONAL_COLUMNS,
        plan=lambda cycle, rows, pending: plan_national_import(
            cycle=cycle, rows=rows, by=request.user
        ),
        save=save,
        preview_template="goals/national_import_preview.html",
        upload_url="goals:national_import",
    )
