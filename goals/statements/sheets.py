"""A statement as a workbook: one sheet per unit it covers, under the statement's heading."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.sheets.workbooks import DATE, DECIMAL, INTEGER, PERCENT, Column, Sheet
from goals.statements.content import Statement, UnitSection

STATEMENT_COLUMNS = [
    Column("code", gettext_lazy("Code"), width=12),
    Column("title", gettext_lazy("Goal"), width=45),
    Column("category", gettext_lazy("Category"), width=30),
    Column("indicator", gettext_lazy("Indicator"), width=40),
    Column("unit_of_measure", gettext_lazy("Unit of measure"), width=16),
    Column("baseline", gettext_lazy("Baseline"), DECIMAL, 11),
    Column("target", gettext_lazy("Target"), DECIMAL, 11),
    Column("deadline", gettext_lazy("Deadline"), DATE, 12),
    Column("weight", gettext_lazy("Weight"), INTEGER, 9),
    Column("share", gettext_lazy("Share (%)"), DECIMAL, 10),
    Column("final_value", gettext_lazy("Final value"), DECIMAL, 11),
    Column("achievement", gettext_lazy("Achievement (%)"), PERCENT, 12),
    Column("justification", gettext_lazy("Justification"), width=45),
    Column("evidence", gettext_lazy("Evidence files"), width=35),
    Column("note", gettext_lazy("Notes"), width=35),
]


def statement_heading(statement: Statement) -> list[str]:
    """The lines that head the statement: the municipality, the year, the unit or the person
    with their title, and the date it was drawn up."""
    lines = [
        statement.municipality.display_name,
        _("Statement of goals and achievement, evaluation period %(year)s")
        % {"year": statement.cycle.year},
    ]
    if statement.unit is not None:
        lines.append(_("Unit: %(unit)s") % {"unit": statement.unit})
    if statement.person is not None:
        lines.append(
            _("Evaluated: %(person)s, %(title)s")
            % {"person": statement.person, "title": statement.person_title}
        )
    lines.append(
        _("Drawn up on %(date)s") % {"date": date_format(statement.issued_on, "DATE_FORMAT")}
    )
    return lines


def statement_sheets(statement: Statement) -> list[Sheet]:
    heading = statement_heading(statement)
    sheets = [
        Sheet(
            title=str(section.unit),
            columns=STATEMENT_COLUMNS,
            rows=[_row(line) for line in section.lines],
            preamble=[*heading, *_section_lines(section)],
            wrap_text=True,
        )
        for section in statement.sections
    ]
    if statement.own_lines:
        sheets.append(
            Sheet(
                title=_("Own goals"),
                columns=STATEMENT_COLUMNS,
                rows=[_row(line) for line in statement.own_lines],
                preamble=[*heading, _("Own goals")],
                wrap_text=True,
            )
        )
    if not sheets:
        sheets = [
            Sheet(
                title=_("Goals"),
                columns=STATEMENT_COLUMNS,
                preamble=[*heading, _("No goals in this evaluation period.")],
            )
        ]
    return sheets


def _section_lines(section: UnitSection) -> list[str]:
    lines = [str(section.unit)]
    lines.extend(period.description for period in section.periods)
    return lines


def _row(line) -> list[object]:
    return [
        line.code,
        line.title,
        line.category_label,
        line.indicator,
        line.unit_of_measure,
        line.baseline,
        line.target,
        line.deadline,
        line.weight,
        line.share,
        line.final_value,
        line.achievement,
        line.justification,
        ", ".join(line.evidence),
        line.note,
    ]
