"""The goals' further indicators in the goal workbook: the sheet the export writes and the
import reads back.

The goal sheet holds each goal's first indicator; the sheet “Further indicators” holds one row
per further indicator, under the code of its goal, in order. When a workbook has this sheet,
each goal of the goal sheet gets exactly the further indicators listed for its code (none
listed: none); a workbook without it leaves the goals' further indicators as they are.
Each row is checked as the goal form checks its indicators: the indicator's own rules
(`GoalIndicator.clean`, a weight from 1 to 99) and the weights of all a goal's indicators.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.indicators import weights_refusal
from goals.models import Goal, GoalIndicator
from goals.models.goals import normalise_for_search
from goals.rules import may_follow_goal
from goals.sheets.exports import (
    COLUMN,
    GOAL_COLUMNS,
    goal_row,
    goal_template_sheets,
    goals_for_export,
    goals_title,
)
from goals.sheets.reading import RowError, SheetRows, choice_map, read_rows
from goals.sheets.workbooks import INTEGER, Column, Sheet

FURTHER_COLUMNS = [
    Column("code", gettext_lazy("Goal code"), width=12),
    Column("name", gettext_lazy("Further indicator"), width=45),
    *(COLUMN[key] for key in ("unit_of_measure", "target_kind", "baseline", "target")),
    Column("weight", gettext_lazy("Weight of the indicator"), INTEGER, 12),
]
FURTHER_REQUIRED_KEYS = ["code", "name", "target_kind", "weight"]
FURTHER_BY_KEY = {column.key: column for column in FURTHER_COLUMNS}
# What a further indicator holds, as `save_indicators` takes it.
INDICATOR_FIELDS = ["name", "unit_of_measure", "target_kind", "baseline", "target", "weight"]


def further_title() -> str:
    return _("Further indicators")


def where(column_header: str) -> str:
    """The column of an error in the further indicators' sheet, named with the sheet."""
    return _("%(column)s (sheet “%(sheet)s”)") % {"column": column_header, "sheet": further_title()}


def further_sheet(goals) -> Sheet:
    """The further indicators of `goals` (with `indicator_list`, as `attach_indicators` gives)."""
    rows = [
        [
            goal.code,
            indicator.name,
            indicator.unit_of_measure,
            indicator.get_target_kind_display(),
            indicator.baseline,
            indicator.target,
            indicator.weight,
        ]
        for goal in goals
        for indicator in goal.indicator_list
    ]
    return Sheet(title=further_title(), columns=FURTHER_COLUMNS, rows=rows, wrap_text=True)


def further_template_sheet() -> Sheet:
    return Sheet(
        title=further_title(),
        columns=FURTHER_COLUMNS,
        choices={"target_kind": [str(label) for label in Goal.TargetKind.labels]},
    )


def further_explanations() -> list[tuple[str, str, str]]:
    """What to write in each column of the further indicators' sheet, for the instructions."""
    texts = [
        _("The code of the goal, as in the sheet “%(sheet)s”.") % {"sheet": goals_title()},
        _("How the goal is also measured: one row per further indicator, in order."),
        _("E.g. days, applications, %."),
        _("As for the goal's indicator: choose it from the list."),
        _("The value at the start, as a number. Leave it empty for a milestone."),
        _("The value to reach, as a number. Leave it empty for a milestone."),
        _(
            "The indicator's part of the goal's achievement, a whole number from 1 to 99; the "
            "first indicator weighs what the further ones leave of 100."
        ),
    ]
    required = set(FURTHER_REQUIRED_KEYS)
    return [
        (where(column.header), _("required") if column.key in required else _("optional"), text)
        for column, text in zip(FURTHER_COLUMNS, texts, strict=True)
    ]


def read_further_sheet(upload) -> SheetRows | None:
    """The further indicators' rows of the workbook, or None if it has no such sheet."""
    sheet = read_rows(upload, FURTHER_COLUMNS, FURTHER_REQUIRED_KEYS, further_title, optional=True)
    if sheet is not None:
        sheet.errors = [RowError(e.row, where(e.column), e.message) for e in sheet.errors]
    return sheet


@dataclass
class FurtherIndicators:
    """A goal's further indicators as the sheet lists them, and how they differ from stored."""

    rows: list[dict] = field(default_factory=list)
    removed: list[GoalIndicator] = field(default_factory=list)


def plan_further_indicators(rows: list[dict], goal_codes: set[str]) -> tuple[dict, list]:
    """The further indicators of each goal code (casefolded) of the goal sheet, and the errors.

    `goal_codes`: the codes of the goal sheet; a row of another code is an error.
    """
    kinds = choice_map(Goal.TargetKind)
    by_code: dict[str, list[tuple[int, dict]]] = {code: [] for code in goal_codes}
    errors: list[RowError] = []
    for row in rows:
        number, values = row["row"], row["values"]
        row_errors: list[RowError] = []

        def error(key: str, message: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, where(FURTHER_BY_KEY[key].header), message))

        code = (values.get("code") or "").casefold()
        if not code:
            error("code", _("Write the code of the goal."))
        elif code not in goal_codes:
            error(
                "code",
                _("No goal in the sheet “%(sheet)s” has the code “%(code)s”.")
                % {"sheet": goals_title(), "code": values["code"]},
            )
        fields = _indicator_fields(values, kinds, error)
        if not row_errors and not row.get("unreadable"):
            _validate(fields, error)
        errors.extend(row_errors)
        if not row_errors and not row.get("unreadable"):
            by_code[code].append((number, fields))
    for listed in by_code.values():
        message = weights_refusal(fields["weight"] for _number, fields in listed)
        if message:
            errors.append(RowError(listed[0][0], where(FURTHER_BY_KEY["weight"].header), message))
    planned = {code: [fields for _number, fields in listed] for code, listed in by_code.items()}
    return planned, errors


def _indicator_fields(values: dict, kinds: dict, error) -> dict:
    fields = {
        "name": values.get("name") or "",
        "unit_of_measure": values.get("unit_of_measure") or "",
        "target_kind": "",
        "baseline": values.get("baseline"),
        "target": values.get("target"),
        "weight": values.get("weight"),
    }
    if not fields["name"]:
        error("name", _("Write the name of the indicator."))
    text = values.get("target_kind")
    if text:
        fields["target_kind"] = kinds.get(normalise_for_search(text), "")
        if not fields["target_kind"]:
            error(
                "target_kind", _("“%(value)s” is not one of the list's values.") % {"value": text}
            )
    else:
        error("target_kind", _("Choose the kind of target from the list."))
    if fields["weight"] is None:
        error("weight", _("Write the indicator's weight, a whole number from 1 to 99."))
    elif not 1 <= fields["weight"] <= 99:
        error("weight", _("An indicator's weight lies between 1 and 99."))
    return fields


def _validate(fields: dict, error) -> None:
    """The indicator's own rules, as its form checks them."""
    indicator = GoalIndicator(**fields)
    try:
        indicator.clean_fields(exclude=["goal", "order"])
        indicator.clean()
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            key = name if name in FURTHER_BY_KEY else "name"
            for message in messages:
                error(key, message)


def compare(stored: list[GoalIndicator], rows: list[dict]) -> tuple[list[dict], list, bool]:
    """The rows for `save_indicators` (each naming the stored indicator it edits, matched by
    name), the stored indicators to remove, and whether anything changes."""
    unmatched = list(stored)
    planned = []
    for row in rows:
        name = normalise_for_search(row["name"])
        match = next((i for i in unmatched if normalise_for_search(i.name) == name), None)
        if match is not None:
            unmatched.remove(match)
        planned.append({**row, "indicator": match})
    kept = [row["indicator"] for row in planned]
    changed = bool(unmatched) or kept != list(stored)
    changed = changed or any(
        any(getattr(row["indicator"], key) != row[key] for key in INDICATOR_FIELDS)
        for row in planned
    )
    return planned, unmatched, changed


def summary(indicators) -> str:
    """Further indicators in one line, for the preview: name, target and weight of each."""
    return "; ".join(_one(indicator) for indicator in indicators)


def _one(indicator) -> str:
    get = indicator.get if isinstance(indicator, dict) else lambda key: getattr(indicator, key)
    target = get("target")
    text = number_format(target.normalize()) if isinstance(target, Decimal) else "—"
    return _("%(name)s: target %(target)s, weight %(weight)s") % {
        "name": get("name"),
        "target": text,
        "weight": get("weight"),
    }


def goal_workbook_sheets(goals, *, user) -> list[Sheet]:
    """The goal list as a workbook: the goal sheet, then the further indicators' sheet."""
    goals = goals_for_export(goals)
    goal_sheet = Sheet(
        title=goals_title(),
        columns=GOAL_COLUMNS,
        rows=[goal_row(goal, shows_progress=may_follow_goal(user, goal)) for goal in goals],
        wrap_text=True,
    )
    return [goal_sheet, further_sheet(goals)]


def goal_template_workbook(cycle) -> list[Sheet]:
    """The import template: the goal sheet, the further indicators' sheet, the instructions."""
    goal_sheet, instructions = goal_template_sheets(cycle)
    instructions.rows = [*instructions.rows, *further_explanations()]
    instructions.preamble = [
        *instructions.preamble,
        _(
            "A goal measured by more indicators: one row per further indicator in the sheet "
            "“%(sheet)s”, under the goal's code. With this sheet, each goal of the file keeps "
            "only the further indicators listed for it; without it, they stay as they are."
        )
        % {"sheet": further_title()},
    ]
    return [goal_sheet, further_template_sheet(), instructions]
