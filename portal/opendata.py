"""The open data files of a published cycle (CSV and JSON) and the documentation of their fields.

The files are written from the same `PublicCycle` the pages show (`portal.visibility`), field by
field as `GOAL_FIELDS`, `VALUE_FIELDS` and `DECISION_FIELDS` list them; the documentation page
lists the same fields, so a field cannot be added to a file without being documented.
Numbers are written with a dot for decimals and no thousands separator, dates as ISO 8601
(YYYY-MM-DD), text as UTF-8 (the CSV files with a byte order mark, so spreadsheets read the
Greek letters).
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.visibility import PublicCycle, PublicDecision, PublicGoal, PublicValue

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # integer, decimal, text, date, code
    description: Promise
    attribute: str = ""  # of the row, when not the name

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


KIND_LABELS = {
    "integer": _("whole number"),
    "decimal": _("number (dot for decimals)"),
    "text": _("text"),
    "date": _("date (YYYY-MM-DD)"),
    "datetime": _("date and time (ISO 8601)"),
    "code": _("code (see the codes below)"),
    "month": _("month (YYYY-MM)"),
    "url": _("web address"),
}

GOAL_FIELDS = [
    Field("cycle_year", "integer", _("The year of the goal-setting cycle (evaluation period).")),
    Field("goal_code", "text", _("The goal's code, unique within the year."), "code"),
    Field("title", "text", _("The goal as the Mayor's decision adopted it.")),
    Field("description", "text", _("What the goal is about (may be empty).")),
    Field("directorate_code", "text", _("The code of the directorate that owns the goal.")),
    Field("directorate_name", "text", _("The directorate's name in Greek.")),
    Field("directorate_name_en", "text", _("The directorate's name in English (may be empty).")),
    Field("directorate_head", "text", _("The name of the head of the directorate.")),
    Field("category", "code", _("The category of the goal (Law 4940/2022).")),
    Field("indicator", "text", _("What is measured to follow the goal.")),
    Field("unit_of_measure", "text", _("The unit the indicator is measured in (may be empty).")),
    Field("target_kind", "code", _("How the target is read.")),
    Field("baseline", "decimal", _("The value at the start of the year (may be empty).")),
    Field("target", "decimal", _("The value to reach (empty for a yes/no milestone).")),
    Field("deadline", "date", _("The date by which the target is to be reached.")),
    Field("weight", "integer", _("The goal's relative importance, from 1 to 100.")),
    Field(
        "indicator_weight",
        "integer",
        _(
            "The weight of the goal's indicator in its achievement: 100, unless the goal has "
            "further indicators."
        ),
    ),
    Field(
        "further_indicators",
        "text",
        _(
            "The goal's further indicators (empty for most goals), separated by semicolons, "
            "each as “number. name (unit): baseline → target, weight”; numbered from 2, as "
            "indicator_number in the values. The goal's achievement is the mean of its "
            "indicators' achievements weighted by their weights."
        ),
    ),
    Field(
        "programme_action",
        "text",
        _("The code of the action of the Operational Programme the goal serves (may be empty)."),
    ),
    Field(
        "latest_value",
        "decimal",
        _("The latest value measured for the whole goal (empty when none yet)."),
    ),
    Field("latest_measured_on", "date", _("The date of that measurement.")),
    Field(
        "final_value",
        "decimal",
        _("The value recorded at the evaluation after the year's end (empty until then)."),
    ),
    Field(
        "achievement",
        "decimal",
        _(
            "How far the goal is achieved, in percent (one decimal; above 100 when the target "
            "was exceeded; empty when nothing was measured yet)."
        ),
    ),
]

VALUE_FIELDS = [
    Field("cycle_year", "integer", _("The year of the goal-setting cycle.")),
    Field("goal_code", "text", _("The goal the value was measured for.")),
    Field("month", "month", _("The month of the measurement.")),
    Field(
        "department",
        "text",
        _(
            "The department whose share of the goal was measured (empty for a measurement of "
            "the whole goal)."
        ),
    ),
    Field(
        "indicator_number",
        "integer",
        _("Which indicator was measured: 1, the goal's own; 2 and on, its further indicators."),
    ),
    Field("indicator", "text", _("The name of the indicator measured.")),
    Field("value", "decimal", _("The last value of that indicator measured in that month.")),
    Field("measured_on", "date", _("The date of that measurement.")),
]

DECISION_FIELDS = [
    Field("kind", "code", _("Adoption of the goals, or amendment of an earlier decision.")),
    Field("number", "text", _("The decision's number.")),
    Field("decision_date", "date", _("The date of the decision.")),
    Field("ada", "text", _("The decision's unique number on Diavgeia (ΑΔΑ).")),
    Field("subject", "text", _("The subject of the decision.")),
    Field("amends_ada", "text", _("For an amendment, the ΑΔΑ of the decision it amends.")),
    Field("diavgeia_url", "url", _("The decision's page on Diavgeia.")),
]


def _plain(value):
    """A value as the files write it: numbers with a dot, dates in ISO 8601, empty for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _row(fields: list[Field], item, year: int, convert) -> dict:
    row = {}
    for f in fields:
        value = year if f.name == "cycle_year" else getattr(item, f.attribute or f.name)
        row[f.name] = convert(value)
    return row


def goal_rows(dataset: PublicCycle, convert=_plain) -> list[dict]:
    return [_row(GOAL_FIELDS, goal, dataset.year, convert) for goal in dataset.goals]


def value_rows(dataset: PublicCycle, convert=_plain) -> list[dict]:
    return [_row(VALUE_FIELDS, value, dataset.year, convert) for value in dataset.values]


def _csv(fields: list[Field], rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def goals_csv(dataset: PublicCycle) -> str:
    return _csv(GOAL_FIELDS, goal_rows(dataset))


def values_csv(dataset: PublicCycle) -> str:
    return _csv(VALUE_FIELDS, value_rows(dataset))


def _goal_json(goal: PublicGoal, year: int) -> dict:
    row = _row(GOAL_FIELDS, goal, year, _json_value)
    row["values"] = [_value_json(value) for value in goal.values]
    return row


def _value_json(value: PublicValue) -> dict:
    row = _row(VALUE_FIELDS, value, 0, _json_value)
    del row["cycle_year"], row["goal_code"]
    return row


def _decision_json(decision: PublicDecision) -> dict:
    return _row(DECISION_FIELDS, decision, 0, _json_value)


def cycle_json(dataset: PublicCycle) -> dict:
    """The whole published cycle: its goals, each with its monthly values, and its decisions."""
    return {
        "cycle_year": dataset.year,
        "phase": dataset.phase,
        "published": dataset.published_at.isoformat(timespec="seconds"),
        "modified": dataset.modified.isoformat(timespec="seconds"),
        "publisher": settings.MUNICIPALITY_NAME,
        "licence": LICENCE_URL,
        "goals": [_goal_json(goal, dataset.year) for goal in dataset.goals],
        "decisions": [_decision_json(decision) for decision in dataset.decisions],
    }
