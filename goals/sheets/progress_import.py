"""Importing progress updates in bulk from a head's sheet: preview, then record all or nothing.

Every row becomes a progress update through `record_progress`, whose rules (the phase, who
reports on what, the dates) decide. A goal measured by several indicators has, under each of its
rows, one row per further indicator (named in the indicator column) with its new value: the
values are recorded with the update of the row above, as `IndicatorValue`s, as in the browser.
The preview runs it on every row inside a transaction that is then rolled back, so it shows
exactly what confirming would do.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directorates.models import Department, User
from goals.indicators import attach_indicators, with_indicator_flag
from goals.models import Allocation, Goal, GoalCycle, IndicatorValue, ProgressUpdate
from goals.models.goals import normalise_for_search
from goals.services.monitoring import MEASUREMENT_DATE_REFUSALS, record_progress
from goals.sheets.exports import PROGRESS_COLUMNS, PROGRESS_REQUIRED_KEYS, progress_title
from goals.sheets.reading import RowError, SheetRows, choice_map, read_rows

PROGRESS_COLUMNS_BY_KEY = {column.key: column for column in PROGRESS_COLUMNS}


@dataclass
class PlannedUpdate:
    row: int
    goal: Goal
    allocation: Allocation | None
    value: Decimal
    measured_on: datetime.date
    status: str
    comment: str
    # The further indicators' values, by indicator id (`record_progress`'s `indicator_values`).
    indicator_values: dict[int, Decimal] = field(default_factory=dict)

    @property
    def further_values(self) -> list[tuple[object, Decimal]]:
        """Each further indicator of the goal with its value, for the preview."""
        return [
            (indicator, self.indicator_values.get(indicator.pk))
            for indicator in getattr(self.goal, "indicator_list", [])
        ]

    @property
    def unit(self) -> str:
        return str(self.allocation.department) if self.allocation else ""

    @property
    def status_label(self) -> str:
        return ProgressUpdate.Status(self.status).label


@dataclass
class ProgressImportPlan:
    cycle: GoalCycle
    to_record: list[PlannedUpdate] = field(default_factory=list)
    already_recorded: list[PlannedUpdate] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.to_record)


def read_progress_sheet(upload) -> SheetRows:
    return read_rows(upload, PROGRESS_COLUMNS, PROGRESS_REQUIRED_KEYS, progress_title)


def plan_progress_import(*, cycle: GoalCycle, rows: list[dict], by: User) -> ProgressImportPlan:
    """What importing these rows would record; rows of other directorates are errors."""
    plan = ProgressImportPlan(cycle=cycle)
    cycle_goals = list(
        with_indicator_flag(Goal.objects.filter(cycle=cycle)).select_related("cycle")
    )
    attach_indicators(cycle_goals)
    goals = {g.code.casefold(): g for g in cycle_goals}
    allocations = {
        (a.goal_id, a.department_id): a
        for a in Allocation.objects.filter(goal__cycle=cycle).select_related("department")
    }
    departments: dict[str, Department] = {}
    for department in Department.objects.all():
        for name in {department.code, department.name, department.name_en} - {""}:
            departments[normalise_for_search(name)] = department
    statuses = choice_map(ProgressUpdate.Status)
    recorded = set(
        ProgressUpdate.objects.filter(goal__cycle=cycle).values_list(
            "goal_id", "allocation_id", "measured_on", "value"
        )
    )
    further = _further_values(rows, goals, plan)
    for row in rows:
        number, values = row["row"], row["values"]
        errors: list[RowError] = []

        def error(key: str, message: str, number=number, errors=errors) -> None:
            errors.append(RowError(number, PROGRESS_COLUMNS_BY_KEY[key].header, message))

        if number in further.rows:
            continue  # a further indicator's row: its value goes with the goal's row above
        new = [values.get(k) for k in ("new_value", "new_measured_on", "new_status", "comment")]
        if all(v in (None, "") for v in new) and not row.get("unreadable"):
            continue  # a row without a new measurement: nothing to record
        planned = _planned_update(
            number, values, by, goals, allocations, departments, statuses, error
        )
        if planned.goal is not None and planned.goal.indicator_list:
            planned.indicator_values = further.take(planned.goal, values, error)
            if further.unreadable.pop((planned.goal.pk, _department_key(values)), False):
                plan.errors.extend(errors)  # the unreadable value was reported on its own row
                continue
        if row.get("unreadable"):
            # The unreadable cells were reported when the sheet was read: not again here.
            unreadable = {PROGRESS_COLUMNS_BY_KEY[key].header for key in row["unreadable"]}
            plan.errors.extend(e for e in errors if e.column not in unreadable)
            continue
        if errors:
            plan.errors.extend(errors)
        elif (
            planned.goal.pk,
            planned.allocation.pk if planned.allocation else None,
            planned.measured_on,
            planned.value,
        ) in recorded:
            plan.already_recorded.append(planned)
        else:
            plan.to_record.append(planned)
    plan.errors.extend(further.left_over())
    _dry_run(plan, by)
    plan.errors.sort(key=lambda e: e.row)
    return plan


@dataclass
class _FurtherValues:
    """The new values of further indicators in their own rows, by goal and department, until
    the goal's row takes them."""

    rows: set[int] = field(default_factory=set)
    values: dict[tuple, dict[int, tuple[int, Decimal]]] = field(default_factory=dict)
    # (goal, department) with a value that could not be read, reported when it was read.
    unreadable: dict[tuple, bool] = field(default_factory=dict)

    def take(self, goal: Goal, values: dict, error) -> dict[int, Decimal]:
        """The values for the goal's row; a missing one is an error of its new value."""
        key = (goal.pk, _department_key(values))
        given = self.values.pop(key, {})
        missing = [i.name for i in goal.indicator_list if i.pk not in given]
        if missing and not self.unreadable.get(key):
            error(
                "new_value",
                _(
                    "The goal %(code)s is measured by several indicators: write the new value "
                    "of each in its row below the goal's; missing: %(names)s."
                )
                % {"code": goal.code, "names": ", ".join(missing)},
            )
        return {pk: value for pk, (_row, value) in given.items()}

    def left_over(self) -> list[RowError]:
        """Values no goal's row took: their goal's row has no new measurement."""
        header = PROGRESS_COLUMNS_BY_KEY["new_value"].header
        return [
            RowError(
                number,
                header,
                _(
                    "A new value of a further indicator needs a new measurement in the goal's "
                    "row above it (value, date and progress)."
                ),
            )
            for given in self.values.values()
            for number, _value in given.values()
        ]


def _further_values(rows: list[dict], goals: dict, plan: ProgressImportPlan) -> _FurtherValues:
    """Find the rows of further indicators (a goal's code, and the name of one of its further
    indicators in the indicator column) and read their new values."""
    further = _FurtherValues()
    value_field = IndicatorValue._meta.get_field("value")
    header = PROGRESS_COLUMNS_BY_KEY["new_value"].header
    for row in rows:
        values = row["values"]
        goal = goals.get((values.get("code") or "").casefold())
        name = normalise_for_search(values.get("indicator") or "")
        if goal is None or not goal.indicator_list or not name:
            continue
        if name == normalise_for_search(goal.indicator):
            continue  # the goal's own row
        indicator = next(
            (i for i in goal.indicator_list if normalise_for_search(i.name) == name), None
        )
        if indicator is None:
            continue
        further.rows.add(row["row"])
        key = (goal.pk, _department_key(values))
        value = values.get("new_value")
        if "new_value" in row.get("unreadable", ()):
            further.unreadable[key] = True
            continue
        if value is None:
            continue
        try:
            value = value_field.clean(value, None)
        except ValidationError as invalid:
            plan.errors.append(RowError(row["row"], header, " ".join(invalid.messages)))
            further.unreadable[key] = True
            continue
        further.values.setdefault(key, {})[indicator.pk] = (row["row"], value)
    return further


def _department_key(values: dict) -> str:
    return normalise_for_search(values.get("department") or "")


def _planned_update(number, values, by, goals, allocations, departments, statuses, error):
    code = values.get("code") or ""
    goal = goals.get(code.casefold())
    allocation = None
    if goal is None:
        error("code", _("No goal of this cycle has the code “%(code)s”.") % {"code": code})
    elif goal.directorate_id != by.directorate_id:
        error(
            "code",
            _("The goal %(code)s belongs to another directorate: you report only on your own.")
            % {"code": goal.code},
        )
    elif values.get("department"):
        department = departments.get(normalise_for_search(values["department"]))
        allocation = allocations.get((goal.pk, department.pk)) if department else None
        if allocation is None:
            error(
                "department",
                _("The goal %(code)s is not allocated to the department “%(name)s”.")
                % {"code": goal.code, "name": values["department"]},
            )
    value = values.get("new_value")
    if value is None:
        error("new_value", _("Write the new value."))
    else:
        try:
            value = ProgressUpdate._meta.get_field("value").clean(value, None)
        except ValidationError as invalid:
            error("new_value", " ".join(invalid.messages))
    if values.get("new_measured_on") is None:
        error("new_measured_on", _("Write the date of the measurement."))
    status = statuses.get(normalise_for_search(values.get("new_status") or ""))
    if status is None:
        error("new_status", _("Choose the progress from the list."))
    return PlannedUpdate(
        row=number,
        goal=goal,
        allocation=allocation,
        value=value,
        measured_on=values.get("new_measured_on"),
        status=status,
        comment=values.get("comment") or "",
    )


class _RollBack(Exception):
    """Ends the preview's transaction: nothing it recorded stays."""


def _dry_run(plan: ProgressImportPlan, by: User) -> None:
    """Record every planned update as confirming would, collect the refusals, keep nothing."""
    if not plan.to_record:
        return
    try:
        with transaction.atomic():
            errors = _record_all(plan, by, stop_at_first=False)
            raise _RollBack
    except _RollBack:
        pass
    plan.errors.extend(errors)
    refused = {e.row for e in errors}
    plan.to_record = [p for p in plan.to_record if p.row not in refused]


def _record_all(plan: ProgressImportPlan, by: User, *, stop_at_first: bool) -> list[RowError]:
    errors = []
    for planned in plan.to_record:
        try:
            with transaction.atomic():
                record_progress(
                    goal=planned.goal,
                    by=by,
                    value=planned.value,
                    measured_on=planned.measured_on,
                    status=planned.status,
                    comment=planned.comment,
                    allocation=planned.allocation,
                    indicator_values=planned.indicator_values,
                )
        except ValidationError as refused:
            error = RowError(planned.row, _refusal_column(refused), " ".join(refused.messages))
            if stop_at_first:
                raise ValidationError(
                    _("Row %(row)s: %(reason)s Nothing was imported.")
                    % {"row": planned.row, "reason": error.message}
                ) from refused
            errors.append(error)
    return errors


def _refusal_column(refused: ValidationError) -> str:
    """Where a refusal of `record_progress` points: its date rules to the date, others to the
    goal's code (who may report on it, its phase, its status)."""
    codes = {error.code for error in refused.error_list}
    key = "new_measured_on" if codes & MEASUREMENT_DATE_REFUSALS else "code"
    return PROGRESS_COLUMNS_BY_KEY[key].header


def import_progress(*, plan: ProgressImportPlan, by: User) -> int:
    """Record the plan's updates, each with its author, in one transaction; all or nothing."""
    if plan.errors:
        raise ValidationError(_("The file has errors: correct them and upload it again."))
    with transaction.atomic():
        _record_all(plan, by, stop_at_first=True)
    return len(plan.to_record)
