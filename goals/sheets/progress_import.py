"""Importing progress updates in bulk from a head's sheet: preview, then record all or nothing.

Every row becomes a progress update through `record_progress`, whose rules (the phase, who
reports on what, the dates) decide. The preview runs it on every row inside a transaction that
is then rolled back, so it shows exactly what confirming would do.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directorates.models import Department, User
from goals.indicators import with_indicator_flag
from goals.models import Allocation, Goal, GoalCycle, ProgressUpdate
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
    cycle_goals = with_indicator_flag(Goal.objects.filter(cycle=cycle)).select_related("cycle")
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
    for row in rows:
        number, values = row["row"], row["values"]
        errors: list[RowError] = []

        def error(key: str, message: str, number=number, errors=errors) -> None:
            errors.append(RowError(number, PROGRESS_COLUMNS_BY_KEY[key].header, message))

        new = [values.get(k) for k in ("new_value", "new_measured_on", "new_status", "comment")]
        if all(v in (None, "") for v in new) and not row.get("unreadable"):
            continue  # a row without a new measurement: nothing to record
        planned = _planned_update(
            number, values, by, goals, allocations, departments, statuses, error
        )
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
    _dry_run(plan, by)
    plan.errors.sort(key=lambda e: e.row)
    return plan


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
    elif goal.has_extra_indicators:
        # The sheet has one value column; such a goal needs a value for each indicator.
        error(
            "code",
            _(
                "The goal %(code)s is measured by several indicators: record its progress on "
                "its progress page, with a value for each."
            )
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
