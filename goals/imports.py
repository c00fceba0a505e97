"""Importing goals from a spreadsheet: read, check every row, preview, then save all or nothing.

Three steps, so that nothing is saved before the person has seen what will happen:

1. `read_goal_sheet` reads an uploaded workbook into rows of typed values (text, numbers,
   dates), refusing a bad file as a whole and reporting a bad cell with its row and column;
2. `plan_goal_import` matches the rows with the cycle's goals by code and checks each one with
   the goal's own rules (`Goal.clean` and the model's constraints): the plan lists the goals to
   create, those to update with what changes, and every error;
3. `import_goals` saves a plan without errors in one transaction, through `save_goal`, so
   history and versions work as for an edit in the browser. Unchanged goals are not touched:
   importing the same file twice changes nothing the second time.

Between the preview and the confirmation the typed rows wait in the session (`encode_rows`),
and the plan is made again from them against the database as it then is.
"""

import copy
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint
from django.utils import translation
from django.utils.translation import gettext as _

from directorates.models import Department, Directorate, User
from goals import services
from goals.exports import (
    COLUMN,
    GOAL_COLUMNS,
    IMPORTED_KEYS,
    LIST_SEPARATOR,
    PROGRESS_COLUMNS,
    PROGRESS_REQUIRED_KEYS,
    REQUIRED_KEYS,
    goals_title,
    progress_title,
)
from goals.models import (
    Allocation,
    Goal,
    GoalCycle,
    ProgrammeAction,
    ProgressUpdate,
    normalise_for_search,
)
from goals.spreadsheets import DATE, DECIMAL, INTEGER, Column, Formula, read_xlsx

COLUMNS_BY_KEY = COLUMN
# The goal fields checked by the goal's own rules; related objects are looked up beforehand.
VALIDATED_FIELDS = {key for key in IMPORTED_KEYS if not Goal._meta.get_field(key).is_relation}
LANGUAGES = ("el", "en")


@dataclass(frozen=True)
class RowError:
    """A reason a row cannot be imported, where it is: row number and column header."""

    row: int
    column: str
    message: str


@dataclass
class SheetRows:
    """The typed rows of an uploaded sheet, and the cells that could not be read."""

    rows: list[dict]
    errors: list[RowError] = field(default_factory=list)


@dataclass
class PlannedGoal:
    """One row of the plan: the goal as it will be saved, and what changes in it."""

    row: int
    goal: Goal
    participants: list[Directorate] | None
    stored_version: int | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    participants_change: bool = False


@dataclass
class GoalImportPlan:
    cycle: GoalCycle
    to_create: list[PlannedGoal] = field(default_factory=list)
    to_update: list[PlannedGoal] = field(default_factory=list)
    unchanged: list[PlannedGoal] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.to_create or self.to_update)

    @property
    def versions_seen(self) -> dict[str, int | None]:
        """Each goal's version as the plan found it (None: new); kept from preview to confirm."""
        planned = [*self.to_create, *self.to_update, *self.unchanged]
        return {p.goal.code: p.stored_version for p in planned}


# --- 1. Reading -----------------------------------------------------------------------------------
def header_keys(columns: Sequence[Column]) -> dict[str, str]:
    """Each column's header, in every language, as a person may have typed it: to its key."""
    keys = {}
    for language in LANGUAGES:
        with translation.override(language):
            for column in columns:
                keys[normalise_for_search(column.header)] = column.key
    return keys


def match_headers(
    headers: list[str], columns: Sequence[Column], required: Sequence[str]
) -> list[str | None]:
    """The column key of each header; refuses unknown, repeated or missing columns."""
    known = header_keys(columns)
    keys = [known.get(normalise_for_search(header)) if header else None for header in headers]
    unknown = [header for header, key in zip(headers, keys, strict=True) if header and not key]
    by_key = {column.key: column for column in columns}
    repeated = [c.header for c in columns if keys.count(c.key) > 1]
    missing = [by_key[key].header for key in required if key not in keys]
    problems = []
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if repeated:
        problems.append(
            _("Columns that appear twice: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if problems:
        raise ValidationError(
            " ".join(problems) + " " + _("Use the columns of the template, with their headers.")
        )
    return keys


def read_rows(
    upload, columns: Sequence[Column], required: Sequence[str], title_function=goals_title
) -> SheetRows:
    """The typed values of each row by column key; a cell of the wrong type is an error."""
    sheet = read_xlsx(upload, preferred_titles=_titles(title_function))
    keys = match_headers(sheet.headers, columns, required)
    by_key = {column.key: column for column in columns}
    result = SheetRows(rows=[])
    for number, values in sheet.rows:
        typed, unreadable = {}, []
        for key, value in zip(keys, values, strict=False):
            if key is None:
                continue
            column = by_key[key]
            try:
                typed[key] = convert_cell(value, column.kind)
            except ValidationError as error:
                unreadable.append(key)
                result.errors.append(RowError(number, column.header, error.messages[0]))
        for key in keys:
            if key is not None:
                typed.setdefault(key, None)
        result.rows.append({"row": number, "values": typed, "unreadable": unreadable})
    return result


def read_goal_sheet(upload) -> SheetRows:
    return read_rows(upload, GOAL_COLUMNS, REQUIRED_KEYS)


def _titles(title_function) -> list[str]:
    titles = []
    for language in LANGUAGES:
        with translation.override(language):
            titles.append(title_function())
    return titles


def convert_cell(value: object, kind: str) -> object:
    """A cell's value as the column's type: text, whole number, number or date."""
    if isinstance(value, Formula):
        raise ValidationError(
            _("The cell holds a formula (%(formula)s). Type the value itself.")
            % {"formula": value.text[:40]}
        )
    if value is None or value == "":
        return None
    if kind == DATE:
        return _to_date(value)
    if kind == DECIMAL:
        return _to_decimal(value)
    if kind == INTEGER:
        number = _to_decimal(value)
        if number != number.to_integral_value():
            raise ValidationError(_("Write a whole number."))
        return int(number)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value)


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(_("Write a number."))
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "").replace("%", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")  # 1.234,5 in the Greek way
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(_("Write a number, e.g. 12 or 12,5.")) from error
    if not number.is_finite():
        raise ValidationError(_("Write a number, e.g. 12 or 12,5."))
    return number


def _to_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("Write a date, e.g. 31/12/2024."))


def encode_rows(rows: list[dict]) -> list[dict]:
    """Rows as JSON for the session: numbers as text, dates in ISO form."""
    return [
        {
            "row": row["row"],
            "values": {
                key: (str(v) if isinstance(v, (Decimal, datetime.date)) else v)
                for key, v in row["values"].items()
            },
        }
        for row in rows
    ]


def decode_rows(rows: list[dict], columns: Sequence[Column]) -> list[dict]:
    kinds = {column.key: column.kind for column in columns}
    decoders = {DECIMAL: Decimal, DATE: datetime.date.fromisoformat}
    decoded = []
    for row in rows:
        values = {}
        for key, value in row["values"].items():
            decoder = decoders.get(kinds[key])
            values[key] = decoder(value) if decoder and value is not None else value
        decoded.append({"row": row["row"], "values": values})
    return decoded


# --- 2. Planning ----------------------------------------------------------------------------------
class _Lookups:
    """What the rows refer to by name, loaded once: directorates, choices, actions, goals."""

    def __init__(self, cycle: GoalCycle):
        self.directorates: dict[str, Directorate | None] = {}
        for directorate in Directorate.objects.all():
            for name in {directorate.code, directorate.name, directorate.name_en} - {""}:
                key = normalise_for_search(name)
                # Two units with one name: the name is ambiguous, the code is not.
                taken = self.directorates.get(key)
                self.directorates[key] = directorate if taken in (None, directorate) else None
                if name == directorate.code:
                    self.directorates[key] = directorate
        self.actions = {action.code.casefold(): action for action in ProgrammeAction.objects.all()}
        self.categories = _choice_map(Goal.Category)
        self.kinds = _choice_map(Goal.TargetKind)
        self.statuses = _choice_map(Goal.Status)
        self.goals = {
            goal.code.casefold(): goal
            for goal in Goal.objects.filter(cycle=cycle)
            .select_related("directorate", "programme_action")
            .prefetch_related("participating_directorates")
        }


def _choice_map(choices) -> dict[str, str]:
    """A choice's value and its label in every language, as typed, to the value."""
    mapping = {normalise_for_search(value): value for value in choices.values}
    for language in LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                mapping[normalise_for_search(str(label))] = value
    return mapping


def plan_goal_import(*, cycle: GoalCycle, rows: list[dict]) -> GoalImportPlan:
    """What importing these rows into the cycle would do, and every reason it cannot."""
    plan = GoalImportPlan(cycle=cycle)
    if not cycle.accepts_proposals:
        raise ValidationError(
            _("Goals are imported only into a cycle in drafting or consultation.")
        )
    lookups = _Lookups(cycle)
    checks = _ConstraintChecks()
    seen: dict[str, int] = {}
    for row in rows:
        number, values = row["row"], row["values"]
        errors: list[RowError] = []

        def error(key: str, message: str, number=number, errors=errors) -> None:
            errors.append(RowError(number, COLUMNS_BY_KEY[key].header, message))

        code = values.get("code") or ""
        if code.casefold() in seen:
            error(
                "code", _("The code also appears in row %(row)s.") % {"row": seen[code.casefold()]}
            )
        elif code:
            seen[code.casefold()] = number
        if values.get("cycle") not in (None, cycle.year):
            error(
                "cycle",
                _("The row belongs to the goals of %(year)s, not %(cycle)s.")
                % {"year": values["cycle"], "cycle": cycle.year},
            )
        stored = lookups.goals.get(code.casefold()) if code else None
        planned = _planned_goal(number, values, stored, cycle, lookups, error)
        if not errors and not row.get("unreadable"):
            _validate(planned.goal, error, checks)
        if row.get("unreadable"):
            # Reported when the sheet was read; the goal's rules would only repeat them.
            errors.append(None)
        if errors:
            plan.errors.extend(e for e in errors if e is not None)
        elif stored is None:
            planned.participants_change = bool(planned.participants)
            plan.to_create.append(planned)
        else:
            planned.changes = _changes(stored, planned)
            (plan.to_update if planned.changes else plan.unchanged).append(planned)
    return plan


def _planned_goal(number, values, stored, cycle, lookups, error) -> PlannedGoal:
    # A copy of the stored goal (Django copies its cached relations too), so the plan never
    # alters the goal it compares with.
    goal = Goal(cycle=cycle) if stored is None else copy.copy(stored)
    goal.cycle = cycle
    for key in ("code", "title", "description", "indicator", "unit_of_measure"):
        if key in values:
            setattr(goal, key, values[key] or "")
    for key in ("baseline", "target", "deadline"):
        if key in values:
            setattr(goal, key, values[key])
    if values.get("weight") is not None or (stored is None and "weight" in values):
        goal.weight = values["weight"] if values["weight"] is not None else 1
    for key, choices in (
        ("category", lookups.categories),
        ("target_kind", lookups.kinds),
        ("status", lookups.statuses),
    ):
        text = values.get(key)
        if text:
            value = choices.get(normalise_for_search(text))
            if value is None:
                error(key, _("“%(value)s” is not one of the list's values.") % {"value": text})
            else:
                setattr(goal, key, value)
        elif key in values and key != "status":
            setattr(goal, key, "")
    directorate = _directorate(values.get("directorate"), lookups, stored, "directorate", error)
    if directorate is not None:
        goal.directorate = directorate
    participants = None
    if "participating_directorates" in values:
        participants = []
        for name in re.split(r"[;\n]", values["participating_directorates"] or ""):
            if name.strip():
                other = _directorate(
                    name.strip(), lookups, None, "participating_directorates", error
                )
                if other is not None and other.pk != goal.directorate_id:
                    participants.append(other)
    if "programme_action" in values:
        text = values["programme_action"] or ""
        action = lookups.actions.get(text.casefold()) or lookups.actions.get(
            text.split(" ")[0].casefold()
        )
        if text and action is None:
            error(
                "programme_action",
                _("No Operational Programme action has the code “%(code)s”.") % {"code": text},
            )
        goal.programme_action = action
    return PlannedGoal(
        row=number,
        goal=goal,
        participants=participants,
        stored_version=stored.version if stored else None,
    )


def _directorate(text, lookups, stored, key, error) -> Directorate | None:
    if not text:
        if key == "directorate":
            error(key, _("Choose the directorate."))
        return None
    directorate = lookups.directorates.get(normalise_for_search(text), False)
    if directorate is False:
        error(key, _("No directorate is called “%(name)s”.") % {"name": text})
        return None
    if directorate is None:
        error(key, _("Several units are called “%(name)s”: write the code.") % {"name": text})
        return None
    if not directorate.is_active and not (stored and stored.directorate_id == directorate.pk):
        error(key, _("The directorate “%(name)s” is no longer active.") % {"name": text})
        return None
    return directorate


class _ConstraintChecks:
    """The goal's check constraints, checked as Django checks them, remembered by values.

    Django checks a constraint with one query; the goal's check constraints depend only on the
    few fields they name (kind of target, baseline, target, weight), so rows sharing those
    values share the answer, and a sheet of 2,000 goals needs a handful of queries, not 10,000.
    The uniqueness of the code is the plan's own concern: rows are matched by code.
    """

    def __init__(self):
        self.constraints = [c for c in Goal._meta.constraints if isinstance(c, CheckConstraint)]
        self.answers: dict[tuple, list[str]] = {}

    def violations(self, goal: Goal, exclude: set[str]) -> list[tuple[str, list[str]]]:
        """(column key, messages) for each constraint the goal breaks."""
        found = []
        for constraint in self.constraints:
            fields = sorted(constraint.condition.referenced_base_fields)
            key = (constraint.name, *(getattr(goal, name) for name in fields))
            if key not in self.answers:
                try:
                    constraint.validate(Goal, goal, exclude=exclude)
                    self.answers[key] = []
                except ValidationError as invalid:
                    self.answers[key] = invalid.messages
            if self.answers[key]:
                column = next(
                    (k for k in ("weight", "target", "baseline") if k in fields), "target"
                )
                found.append((column, self.answers[key]))
        return found


def _validate(goal: Goal, error, checks: _ConstraintChecks) -> None:
    """The goal's own rules: its fields, `Goal.clean`, then the database constraints."""
    exclude = {f.name for f in Goal._meta.fields} - VALIDATED_FIELDS
    try:
        goal.clean_fields(exclude=exclude)
        goal.clean()
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            for message in messages:
                error(name if name in COLUMNS_BY_KEY else "code", message)
        return
    for column, messages in checks.violations(goal, exclude):
        for message in messages:
            error(column, message)


def _changes(stored: Goal, planned: PlannedGoal) -> list[tuple[str, str, str]]:
    """The differences from the stored goal, as column header, old and new value."""
    goal = planned.goal
    changes = []
    for key in IMPORTED_KEYS:
        if key == "participating_directorates":
            if planned.participants is None:
                continue
            old = {d.pk for d in stored.participating_directorates.all()}
            if old != {d.pk for d in planned.participants}:
                planned.participants_change = True
                changes.append(
                    (
                        COLUMNS_BY_KEY[key].header,
                        LIST_SEPARATOR.join(
                            str(d) for d in stored.participating_directorates.all()
                        ),
                        LIST_SEPARATOR.join(str(d) for d in planned.participants),
                    )
                )
            continue
        attname = Goal._meta.get_field(key).attname
        old_value, new_value = getattr(stored, attname), getattr(goal, attname)
        if old_value != new_value:
            changes.append(
                (COLUMNS_BY_KEY[key].header, _readable(stored, key), _readable(goal, key))
            )
    return changes


def _readable(goal: Goal, key: str) -> str:
    field_ = Goal._meta.get_field(key)
    if field_.choices:
        return str(goal._get_FIELD_display(field_))
    value = getattr(goal, key)
    return "" if value is None else str(value)


# --- 3. Saving ------------------------------------------------------------------------------------
def import_goals(*, plan: GoalImportPlan, by: User, source: str = "") -> int:
    """Save the plan's new and changed goals in one transaction; returns how many were saved.

    Changed goals go through `save_goal`, which checks each one's version: a goal someone
    changed since the plan was made stops the import. New goals are saved row by row too, but
    their history rows are written in one batch at the end (a row each, by the importer, with
    the file's name as the reason), which makes a sheet of thousands of goals several times
    faster. A code someone took in the meantime also stops the import; nothing is then saved.
    """
    if plan.errors:
        raise ValidationError(_("The file has errors: correct them and upload it again."))
    if not by.is_coordinator:
        raise ValidationError(_("Only the General Secretary imports goals."))
    reason = _("Imported from the spreadsheet %(name)s") % {"name": source} if source else ""
    with transaction.atomic():
        cycle = GoalCycle.objects.select_for_update().get(pk=plan.cycle.pk)
        if not cycle.accepts_proposals:
            raise ValidationError(
                _("Goals are imported only into a cycle in drafting or consultation.")
            )
        for planned in plan.to_update:
            planned.goal._change_reason = reason
            try:
                services.save_goal(
                    goal=planned.goal,
                    by=by,
                    participants=planned.participants if planned.participants_change else None,
                    expected_version=planned.stored_version,
                )
            except services.GoalConflict as conflict:
                raise ValidationError(
                    _(
                        "Row %(row)s: the goal %(code)s was changed by someone else after the "
                        "file was checked. Nothing was imported; upload the file again."
                    )
                    % {"row": planned.row, "code": conflict.stored.code}
                ) from conflict
        for planned in plan.to_create:
            try:
                planned.goal.save_without_historical_record()
            except IntegrityError as clash:
                raise ValidationError(
                    _(
                        "Row %(row)s: another goal with the code %(code)s was saved meanwhile. "
                        "Nothing was imported; upload the file again."
                    )
                    % {"row": planned.row, "code": planned.goal.code}
                ) from clash
        Goal.history.bulk_history_create(
            [planned.goal for planned in plan.to_create],
            default_user=by,
            default_change_reason=reason,
        )
        for planned in plan.to_create:
            if planned.participants:
                planned.goal._history_user = by
                planned.goal._change_reason = reason
                planned.goal.participating_directorates.set(planned.participants)
    return len(plan.to_create) + len(plan.to_update)


# --- Progress updates in bulk ---------------------------------------------------------------------
# Every row becomes a progress update through `services.record_progress`, whose rules (the
# phase, who reports on what, the dates) decide. The preview runs it on every row inside a
# transaction that is then rolled back, so it shows exactly what confirming would do.
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
    goals = {g.code.casefold(): g for g in Goal.objects.filter(cycle=cycle).select_related("cycle")}
    allocations = {
        (a.goal_id, a.department_id): a
        for a in Allocation.objects.filter(goal__cycle=cycle).select_related("department")
    }
    departments: dict[str, Department] = {}
    for department in Department.objects.all():
        for name in {department.code, department.name, department.name_en} - {""}:
            departments[normalise_for_search(name)] = department
    statuses = _choice_map(ProgressUpdate.Status)
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
                services.record_progress(
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
    date_rules = {
        _("A measurement cannot be dated in the future."),
        _("The measurement falls within the cycle's year."),
    }
    key = "new_measured_on" if date_rules & set(refused.messages) else "code"
    return PROGRESS_COLUMNS_BY_KEY[key].header


def import_progress(*, plan: ProgressImportPlan, by: User) -> int:
    """Record the plan's updates, each with its author, in one transaction; all or nothing."""
    if plan.errors:
        raise ValidationError(_("The file has errors: correct them and upload it again."))
    with transaction.atomic():
        _record_all(plan, by, stop_at_first=True)
    return len(plan.to_record)
