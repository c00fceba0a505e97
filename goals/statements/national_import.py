"""The national platform's sheet imported back: a preview with each row's changes and errors,
then all the changes saved in one transaction, or none.

A row is found by its reference and the person's tax or registry number, among the rows of the
uploader's own sheet (`national.evaluated_rows`): a row of someone they do not evaluate is an
error. Only an employee's own goal changes here (its target value, deadline and final value;
the achievement follows from them). A unit's goal is read only: it changes by the Mayor's
decision, its allocation and its year-end evaluation, so a change to it is an error.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import GoalCycle, StaffGoal
from goals.sheets.reading import RowError, SheetRows, read_rows
from goals.statements.national import (
    NATIONAL_COLUMNS,
    NATIONAL_REQUIRED_KEYS,
    PlatformRow,
    evaluated_rows,
    national_title,
)

HEADERS = {column.key: column.header for column in NATIONAL_COLUMNS}
# The fields an import may change, in the order the preview lists them.
CHANGED_FIELDS = ("target", "deadline", "final_value")


@dataclass
class PlannedChange:
    """An employee's goal as the uploaded row changes it."""

    row: int
    platform_row: PlatformRow
    target: Decimal
    deadline: datetime.date
    final_value: Decimal | None
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # label, old, new


@dataclass
class NationalImportPlan:
    cycle: GoalCycle
    to_change: list[PlannedChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.to_change)

    @property
    def stamps(self) -> dict[str, str]:
        """The version of each goal to change, as the preview saw it."""
        return {c.platform_row.reference: c.platform_row.line.stamp for c in self.to_change}


def read_national_sheet(upload) -> SheetRows:
    return read_rows(upload, NATIONAL_COLUMNS, NATIONAL_REQUIRED_KEYS, national_title)


def plan_national_import(*, cycle: GoalCycle, rows: list[dict], by) -> NationalImportPlan:
    """What the rows would change, and why a row cannot be imported; nothing is saved."""
    plan = NationalImportPlan(cycle=cycle)
    evaluated = {row.key: row for row in evaluated_rows(by, cycle)}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        number, values = row["row"], row["values"]
        if row.get("unreadable"):
            continue  # the cell's error is already reported

        def error(key: str, message: str, number=number) -> None:
            plan.errors.append(RowError(number, HEADERS[key], message))

        key = (str(values.get("reference") or ""), str(values.get("identifier") or ""))
        platform_row = evaluated.get(key)
        if platform_row is None:
            error(
                "reference",
                _(
                    "This row is not a goal of someone you evaluate: keep the row reference "
                    "and the tax or registry number as they were exported."
                ),
            )
            continue
        if key in seen:
            error("reference", _("This row appears twice in the file."))
            continue
        seen.add(key)
        _plan_row(plan, number, values, platform_row, error)
    return plan


def _plan_row(plan, number, values, platform_row: PlatformRow, error) -> None:
    line = platform_row.line
    old = {"target": line.target, "deadline": line.deadline, "final_value": line.final_value}
    new = {name: values.get(name) for name in CHANGED_FIELDS}
    changed = [name for name in CHANGED_FIELDS if new[name] != old[name]]
    achievement = values.get("achievement")
    if not changed and achievement == line.achievement:
        plan.unchanged += 1
        return
    if not platform_row.is_own_goal:
        error(
            changed[0] if changed else "achievement",
            _(
                "A unit's goal is only read in this sheet: it changes by the Mayor's decision, "
                "its allocation and its year-end evaluation."
            ),
        )
        return
    if plan.cycle.phase == GoalCycle.Phase.CLOSED:
        error(
            changed[0] if changed else "achievement",
            _("The year is closed: its goals no longer change."),
        )
        return
    problems = False
    if new["target"] is None:
        error("target", _("Write the target value."))
        problems = True
    if new["deadline"] is None:
        error("deadline", _("Write the deadline."))
        problems = True
    if "final_value" in changed and plan.cycle.phase != GoalCycle.Phase.EVALUATION:
        error(
            "final_value",
            _("Final values are entered once the General Secretary opens the year's evaluation."),
        )
        problems = True
    if problems:
        return
    staff_goal = platform_row.staff_goal
    probe = StaffGoal(goal=staff_goal.goal, baseline=staff_goal.baseline, target=new["target"])
    expected = probe.achievement_of(new["final_value"])
    if achievement not in (line.achievement, expected):
        error(
            "achievement",
            _(
                "The achievement is worked out from the final value and the target value: "
                "change those instead."
            ),
        )
        return
    plan.to_change.append(
        PlannedChange(
            row=number,
            platform_row=platform_row,
            target=new["target"],
            deadline=new["deadline"],
            final_value=new["final_value"],
            changes=[(HEADERS[name], old[name], new[name]) for name in changed],
        )
    )


def import_national(*, plan: NationalImportPlan, by) -> int:
    """Save every planned change at once, each with its history; refuse all if any goal was
    changed by someone else since the plan was made."""
    with transaction.atomic():
        ids = [change.platform_row.staff_goal.pk for change in plan.to_change]
        locked = {
            goal.pk: goal
            for goal in StaffGoal.objects.select_for_update()
            .select_related("goal")
            .filter(pk__in=ids)
        }
        now = timezone.now()
        for change in plan.to_change:
            goal = locked.get(change.platform_row.staff_goal.pk)
            if goal is None or str(goal.version) != change.platform_row.line.stamp:
                raise ValidationError(
                    _(
                        "Some of these goals were changed by someone else after the preview. "
                        "Nothing was imported; upload the file again to see the changes."
                    )
                )
            goal.target = change.target
            goal.deadline = change.deadline
            if change.final_value != goal.final_value:
                goal.final_value = change.final_value
                evaluated = change.final_value is not None
                goal.evaluated_by = by if evaluated else None
                goal.evaluated_at = now if evaluated else None
            goal.version += 1
            goal._change_reason = _("Imported from the national platform's sheet")
            goal.save()
    return len(plan.to_change)
