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
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, Exists, OuterRef
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from directorates.models import Directorate, User
from goals.changes import goal_changes
from goals.models import ActionProgramme, Goal, GoalCycle, ProgrammeAction
from goals.models.goals import normalise_for_search
from goals.rules import may_import_goals
from goals.services.goals import GoalConflict, save_goal, save_indicators
from goals.sheets import indicator_sheet
from goals.sheets.exports import COLUMN, GOAL_COLUMNS, IMPORTED_KEYS, REQUIRED_KEYS
from goals.sheets.reading import RowError, SheetRows, choice_map, read_rows

COLUMNS_BY_KEY = COLUMN

# The goal fields checked by the goal's own rules; related objects are looked up beforehand.
VALIDATED_FIELDS = {key for key in IMPORTED_KEYS if not Goal._meta.get_field(key).is_relation}


@dataclass
class PlannedGoal:
    """One row of the plan: the goal as it will be saved, and what changes in it."""

    row: int
    goal: Goal
    participants: list[Directorate] | None
    stored_version: int | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    participants_change: bool = False
    # The further indicators as `save_indicators` takes them; None: left as they are.
    indicators: list[dict] | None = None
    removed_indicators: list = field(default_factory=list)

    @property
    def indicator_summary(self) -> str:
        """The further indicators the goal gets, in one line, for the preview."""
        return indicator_sheet.summary(self.indicators or [])


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


def read_goal_sheet(upload) -> SheetRows:
    """The goal sheet's rows and, in `further`, the further indicators' sheet (None: absent)."""
    sheet = read_rows(upload, GOAL_COLUMNS, REQUIRED_KEYS)
    sheet.further = indicator_sheet.read_further_sheet(upload)
    if sheet.further is not None:
        sheet.errors.extend(sheet.further.errors)
    return sheet


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
        # Codes may repeat from one Operational Plan to the next: the year's own actions win.
        in_year = ActionProgramme.objects.filter(year=cycle.year, actions=OuterRef("pk"))
        self.actions = {
            action.code.casefold(): action
            for action in ProgrammeAction.objects.annotate(in_year=Exists(in_year)).order_by(
                "in_year", "pk"
            )
        }
        self.categories = choice_map(Goal.Category)
        self.kinds = choice_map(Goal.TargetKind)
        self.statuses = choice_map(Goal.Status)
        self.goals = {
            goal.code.casefold(): goal
            for goal in Goal.objects.filter(cycle=cycle)
            .select_related("directorate", "programme_action")
            .prefetch_related("participating_directorates", "extra_indicators")
        }


def plan_goal_import(
    *, cycle: GoalCycle, rows: list[dict], further_rows: list[dict] | None = None
) -> GoalImportPlan:
    """What importing these rows into the cycle would do, and every reason it cannot.

    `further_rows`: the rows of the further indicators' sheet, None when the file has none.
    """
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
    if further_rows is not None:
        _plan_further_indicators(plan, further_rows, lookups, set(seen))
    return plan


def _plan_further_indicators(plan, rows: list[dict], lookups: _Lookups, codes: set[str]) -> None:
    """Give each planned goal the further indicators the sheet lists for it."""
    by_code, errors = indicator_sheet.plan_further_indicators(rows, codes)
    plan.errors.extend(errors)
    header = str(indicator_sheet.further_title())
    for planned in plan.to_create:
        planned.indicators = [{**fields, "indicator": None} for fields in by_code[_key(planned)]]
    for planned in [*plan.to_update, *plan.unchanged]:
        stored = list(lookups.goals[_key(planned)].extra_indicators.all())
        rows, removed, changed = indicator_sheet.compare(stored, by_code[_key(planned)])
        if not changed:
            continue
        planned.indicators, planned.removed_indicators = rows, removed
        planned.changes.append(
            (header, indicator_sheet.summary(stored), indicator_sheet.summary(rows))
        )
    moved = [planned for planned in plan.unchanged if planned.indicators is not None]
    plan.unchanged = [planned for planned in plan.unchanged if planned.indicators is None]
    plan.to_update.extend(moved)
    plan.to_update.sort(key=lambda planned: planned.row)


def _key(planned: PlannedGoal) -> str:
    return planned.goal.code.casefold()


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
    # A sheet without the column leaves the participating directorates as they are.
    fields = [
        key
        for key in IMPORTED_KEYS
        if key != "participating_directorates" or planned.participants is not None
    ]
    changes = goal_changes(
        stored, planned.goal, fields=fields, participants_after=planned.participants
    )
    planned.participants_change = any(c.field == "participating_directorates" for c in changes)
    return [(COLUMNS_BY_KEY[c.field].header, _text(c.old), _text(c.new)) for c in changes]


def _text(value: object) -> str:
    """A value as the preview shows it, localised: "12,5", "1.200", "31/12/2026"."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number_format(value.normalize() if value != value.to_integral_value() else value)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


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
    if not may_import_goals(by):
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
                save_goal(
                    goal=planned.goal,
                    by=by,
                    participants=planned.participants if planned.participants_change else None,
                    expected_version=planned.stored_version,
                    indicators=planned.indicators,
                    removed_indicators=planned.removed_indicators,
                )
            except GoalConflict as conflict:
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
            if planned.indicators:
                save_indicators(goal=planned.goal, by=by, rows=planned.indicators, removed=())
    return len(plan.to_create) + len(plan.to_update)
