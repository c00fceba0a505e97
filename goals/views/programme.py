"""The planning chain: the year's goals rolled up along the Operational Plan (axes, measures and
the actions of the year's action programme), the page the Municipal Council reads."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from goals import reports
from goals.models import ActionProgramme, Goal
from goals.sheets.workbooks import (
    CSV_CONTENT_TYPE,
    INTEGER,
    PERCENT,
    XLSX_CONTENT_TYPE,
    Column,
    Sheet,
    write_csv,
    write_xlsx,
)

LEVELS = [
    pgettext_lazy("programme", "Axis"),
    pgettext_lazy("programme", "Measure"),
    pgettext_lazy("programme", "Action"),
]
COLUMNS = [
    Column("level", gettext_lazy("Level"), width=10),
    Column("code", gettext_lazy("Code"), width=10),
    Column("title", gettext_lazy("Title"), width=60),
    Column("goals", gettext_lazy("Goals"), INTEGER, 8),
    Column("achievement", gettext_lazy("Achievement (%)"), PERCENT, 14),
    Column("behind", gettext_lazy("Reported behind"), INTEGER, 12),
]


def programme_context(request) -> dict:
    """The chosen year's action programme (`?year=`; else this year's or the latest before it)
    and its adopted goals rolled up; a year without a programme is a 404. Everyone signed in
    reads every goal, so everyone reads the roll-up."""
    programmes = list(ActionProgramme.objects.select_related("plan").order_by("-year"))
    chosen = request.GET.get("year", "")
    if chosen:
        programme = next((p for p in programmes if str(p.year) == chosen), None)
    else:
        this_year = timezone.localdate().year
        programme = next((p for p in programmes if p.year <= this_year), None) or next(
            iter(programmes), None
        )
    if chosen and programme is None:
        raise Http404
    rollup = None
    if programme is not None:
        goals = Goal.objects.visible_to(request.user).filter(
            cycle__year=programme.year, status=Goal.Status.ADOPTED
        )
        rollup = reports.programme_rollup(goals, programme.actions.all())
    return {
        "programme": programme,
        "programmes": programmes,
        "rollup": rollup,
        "today": timezone.localdate(),
        "municipality_name": settings.MUNICIPALITY_NAME,
    }


def programme_report(request):
    return render(request, "goals/programme_report.html", programme_context(request))


def programme_export(request, fmt: str):
    """The roll-up as a sheet: one row for each axis, measure and action, then the totals."""
    ctx = programme_context(request)
    programme, rollup = ctx["programme"], ctx["rollup"]
    if programme is None:
        raise Http404
    rows = [
        [
            str(LEVELS[row.level]),
            row.item.code,
            row.item.title,
            row.goal_count,
            row.achievement,
            row.behind,
        ]
        for row in rollup.rows
    ]
    rows.append(
        [
            "",
            "",
            _("Goals not linked to an action of the programme"),
            rollup.unlinked_count,
            rollup.unlinked.achievement,
            rollup.unlinked.behind,
        ]
    )
    rows.append(
        [
            "",
            "",
            _("All adopted goals of the year"),
            rollup.overall_count,
            rollup.overall.achievement,
            rollup.overall.behind,
        ]
    )
    title = _("Annual Action Programme %(year)s") % {"year": programme.year}
    sheet = Sheet(title=title, columns=COLUMNS, rows=rows, preamble=[str(programme.plan), title])
    name = _("programme-achievement-%(year)s") % {"year": programme.year}
    if fmt == "csv":
        content, filename, content_type = write_csv(COLUMNS, rows), f"{name}.csv", CSV_CONTENT_TYPE
    else:
        content, filename, content_type = write_xlsx([sheet]), f"{name}.xlsx", XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
