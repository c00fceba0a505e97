"""A new internal services organisation (ΟΕΥ) takes effect: the General Secretary maps the units
it abolished to the units that take over from them, and the map is applied in one transaction.

What moves: the goals of the cycles not yet closed (with the directorates taking part in them),
their allocations to departments, and the people of the abolished units. When a unit is split
(several successors), where each of its goals, allocations and people goes is chosen one by one;
when it has one successor, everything goes there.

What stays: every record already made keeps pointing at the unit it was made for. Observations
store their directorate already, and a decision's frozen goal versions the directorate it decided;
before a goal or allocation moves, its progress updates measured before the act's date of effect
store the unit they were made for (`recorded_directorate`, `recorded_department`), so the pages
show the unit as it was then from the row itself, with no lookup in the history (a page's query
count stays fixed).
Closed cycles, and their evaluations, stay with the old units.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from directorates.models import Department, Directorate, OrganisationAct, UnitSuccession, User
from directorates.roles import Role
from directorates.rules import may_apply_act, may_reorganise
from goals.models import Allocation, Goal, GoalCycle, ProgressUpdate

HISTORY_REASON_LENGTH = 100  # django-simple-history's column


@dataclass
class UnitMove:
    """One abolished unit, its successors, and what it holds that moves."""

    unit: Directorate | Department
    successors: list = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    people: list[User] = field(default_factory=list)

    @property
    def is_directorate(self) -> bool:
        return isinstance(self.unit, Directorate)

    @property
    def is_split(self) -> bool:
        return len(self.successors) > 1


@dataclass
class ReorganisationPlan:
    """An act's abolished units with what they hold, and the units that may succeed them."""

    act: OrganisationAct
    directorates: list[UnitMove]
    departments: list[UnitMove]
    candidate_directorates: list[Directorate]
    candidate_departments: list[Department]

    @property
    def moves(self) -> list[UnitMove]:
        return self.directorates + self.departments

    @property
    def splits(self) -> list[UnitMove]:
        return [move for move in self.moves if move.is_split]

    @property
    def is_mapped(self) -> bool:
        return bool(self.moves) and all(move.successors for move in self.moves)


def open_goals():
    """The goals that follow the new organisation: those of the cycles not yet closed."""
    return Goal.objects.exclude(cycle__phase=GoalCycle.Phase.CLOSED)


def reorganisation_plan(act: OrganisationAct) -> ReorganisationPlan:
    """What the act's map covers, in a fixed number of queries whatever the organisation's size."""
    directorates = {d.pk: UnitMove(d) for d in act.abolished_directorates.order_by("order", "name")}
    departments = {
        d.pk: UnitMove(d)
        for d in act.abolished_departments.select_related("directorate").order_by(
            "directorate__order", "order", "name"
        )
    }
    successions = act.successions.select_related("new_directorate", "new_department")
    for succession in successions:
        if succession.old_directorate_id in directorates:
            directorates[succession.old_directorate_id].successors.append(
                succession.new_directorate
            )
        elif succession.old_department_id in departments:
            departments[succession.old_department_id].successors.append(succession.new_department)
    for goal in open_goals().filter(directorate_id__in=directorates).order_by("cycle", "code"):
        directorates[goal.directorate_id].goals.append(goal)
    allocations = (
        Allocation.objects.filter(department_id__in=departments)
        .exclude(goal__cycle__phase=GoalCycle.Phase.CLOSED)
        .select_related("goal")
        .order_by("goal__code")
    )
    for allocation in allocations:
        departments[allocation.department_id].allocations.append(allocation)
    people = User.objects.filter(
        Q(directorate_id__in=directorates) | Q(department_id__in=departments), is_active=True
    ).order_by("last_name", "first_name", "username")
    for person in people:
        # A person of a department follows the department; the others their directorate.
        if person.department_id in departments:
            departments[person.department_id].people.append(person)
        elif person.directorate_id in directorates and person.department_id is None:
            directorates[person.directorate_id].people.append(person)
        elif person.directorate_id in directorates:
            # Their department was left in force under an abolished directorate: refused below.
            directorates[person.directorate_id].people.append(person)
    in_force = act.effective_on
    return ReorganisationPlan(
        act=act,
        directorates=list(directorates.values()),
        departments=list(departments.values()),
        candidate_directorates=list(
            Directorate.objects.in_force(in_force)
            .exclude(abolished_by_act=act)
            .order_by("order", "name")
        ),
        candidate_departments=list(
            Department.objects.in_force(in_force)
            .exclude(abolished_by_act=act)
            .select_related("directorate")
            .order_by("directorate__order", "order", "name")
        ),
    )


def save_unit_map(
    *,
    act: OrganisationAct,
    by: User,
    directorate_successors: dict[int, list[Directorate]],
    department_successors: dict[int, list[Department]],
) -> None:
    """Store which units succeed each unit the act abolished (replacing an earlier map)."""
    if not may_reorganise(by):
        raise ValidationError(_("Only the General Secretary maps the units of a new organisation."))
    with transaction.atomic():
        act = OrganisationAct.objects.select_for_update().get(pk=act.pk)
        if act.is_applied:
            raise ValidationError(_("This act's map was already applied; it cannot change."))
        act.successions.all().delete()
        UnitSuccession.objects.bulk_create(
            [
                UnitSuccession(act=act, old_directorate_id=old, new_directorate=new)
                for old, successors in directorate_successors.items()
                for new in successors
            ]
            + [
                UnitSuccession(act=act, old_department_id=old, new_department=new)
                for old, successors in department_successors.items()
                for new in successors
            ]
        )


def apply_unit_map(
    *,
    act: OrganisationAct,
    by: User,
    destinations: dict[tuple[str, int], int] | None = None,
    today: datetime.date | None = None,
) -> None:
    """Move the open goals, allocations and people of the abolished units to their successors.

    `destinations` holds, for the units that split, where each item goes:
    `{("goal", pk): directorate_pk, ("allocation", pk): department_pk, ("person", pk): unit_pk}`.
    An incomplete map is refused with every reason at once, and nothing is written.
    """
    destinations = destinations or {}
    today = today or timezone.localdate()
    with transaction.atomic():
        act = OrganisationAct.objects.select_for_update().get(pk=act.pk)
        if not may_reorganise(by):
            raise ValidationError(
                _("Only the General Secretary applies the map of a new organisation.")
            )
        if act.is_applied:
            raise ValidationError(_("This act's map was already applied; it cannot change."))
        if not may_apply_act(by, act, today=today):
            raise ValidationError(
                _("The act takes effect on %(date)s; its map is applied from that day.")
                % {"date": date_format(act.effective_on)}
            )
        plan = reorganisation_plan(act)
        _refuse_incomplete(plan, destinations)
        reason = (_("New organisation: %(act)s") % {"act": act.gazette_issue})[
            :HISTORY_REASON_LENGTH
        ]
        _move_goals(plan, destinations, by=by, reason=reason)
        _move_allocations(plan, destinations, by=by, reason=reason)
        _move_people(plan, destinations, by=by, reason=reason)
        _close_units(plan, by=by, reason=reason)
        act.applied_at = timezone.now()
        act.applied_by = by
        act._history_user = by
        act.save(update_fields=["applied_at", "applied_by"])


def _destination(move: UnitMove, destinations: dict, kind: str, pk: int):
    """Where one item of an abolished unit goes: its only successor, or the one chosen."""
    if not move.is_split:
        return move.successors[0]
    chosen = destinations.get((kind, pk))
    return next((unit for unit in move.successors if unit.pk == chosen), None)


def _refuse_incomplete(plan: ReorganisationPlan, destinations: dict) -> None:
    errors = []
    if not plan.moves:
        errors.append(
            _(
                "The act abolishes no unit. Mark in Django admin the units it abolishes, then "
                "map them here."
            )
        )
    abolished_departments = {move.unit.pk for move in plan.departments}
    for move in plan.directorates:
        in_force = move.unit.departments.exclude(pk__in=abolished_departments).in_force(
            plan.act.effective_on
        )
        for department in in_force:
            errors.append(
                _(
                    "The department “%(department)s” belongs to the abolished directorate "
                    "“%(directorate)s”: the act must abolish it too, and map it."
                )
                % {"department": department, "directorate": move.unit}
            )
    for move in plan.moves:
        if not move.successors:
            errors.append(_("Choose the unit that succeeds “%(unit)s”.") % {"unit": move.unit})
            continue
        items = [("goal", goal, goal.code) for goal in move.goals]
        items += [("allocation", a, a.goal.code) for a in move.allocations]
        items += [("person", person, str(person)) for person in move.people]
        for kind, item, name in items:
            if _destination(move, destinations, kind, item.pk) is None:
                errors.append(
                    _("“%(unit)s” splits: choose where “%(item)s” goes.")
                    % {"unit": move.unit, "item": name}
                )
    errors += _merged_allocations(plan, destinations)
    if errors:
        raise ValidationError(errors)


def _merged_allocations(plan: ReorganisationPlan, destinations: dict) -> list[str]:
    """Two allocations of one goal may not land on one department: they must be merged first."""
    errors = []
    moving = {a.pk for move in plan.departments for a in move.allocations}
    landing = {}
    for move in plan.departments:
        for allocation in move.allocations:
            target = _destination(move, destinations, "allocation", allocation.pk)
            if target is not None:
                landing.setdefault((allocation.goal_id, target.pk), []).append(allocation)
    staying = set(
        Allocation.objects.filter(
            goal_id__in={goal for goal, _department in landing},
            department_id__in={department for _goal, department in landing},
        )
        .exclude(pk__in=moving)
        .values_list("goal_id", "department_id")
    )
    for (goal_id, department_id), allocations in landing.items():
        if len(allocations) > 1 or (goal_id, department_id) in staying:
            department = next(
                unit
                for move in plan.departments
                for unit in move.successors
                if unit.pk == department_id
            )
            errors.append(
                _(
                    "The goal %(goal)s would be allocated twice to “%(department)s”: merge its "
                    "allocations first, then apply the map."
                )
                % {"goal": allocations[0].goal.code, "department": department}
            )
    return errors


def _move_goals(plan: ReorganisationPlan, destinations: dict, *, by: User, reason: str) -> None:
    moved = []
    for move in plan.directorates:
        for goal in move.goals:
            goal.directorate = _destination(move, destinations, "goal", goal.pk)
            goal.version += 1  # an editor who loaded the goal before the move is told
            moved.append(goal)
    goal_ids = [goal.pk for goal in moved]
    directorate_of_goal = Goal.objects.filter(pk=OuterRef("goal_id")).values("directorate_id")[:1]
    ProgressUpdate.objects.filter(
        goal_id__in=goal_ids,
        allocation__isnull=True,
        measured_on__lt=plan.act.effective_on,
        recorded_directorate__isnull=True,
    ).update(recorded_directorate=Subquery(directorate_of_goal))
    bulk_update_with_history(
        moved,
        Goal,
        ["directorate", "version"],
        default_user=by,
        default_change_reason=reason,
    )
    # The directorates taking part in open goals: an abolished one is replaced by its successors.
    successors = {move.unit.pk: move.successors for move in plan.directorates}
    through = Goal.participating_directorates.through
    taking_part = list(
        through.objects.filter(directorate_id__in=successors, goal__in=open_goals()).select_related(
            "goal"
        )
    )
    existing = set(
        through.objects.filter(goal_id__in={row.goal_id for row in taking_part}).values_list(
            "goal_id", "directorate_id"
        )
    )
    owners = dict(
        Goal.objects.filter(pk__in={row.goal_id for row in taking_part}).values_list(
            "pk", "directorate_id"
        )
    )
    new_rows = []
    for row in taking_part:
        for successor in successors[row.directorate_id]:
            key = (row.goal_id, successor.pk)
            if key not in existing and owners[row.goal_id] != successor.pk:
                existing.add(key)
                new_rows.append(through(goal_id=row.goal_id, directorate_id=successor.pk))
    through.objects.filter(pk__in=[row.pk for row in taking_part]).delete()
    through.objects.bulk_create(new_rows)


def _move_allocations(
    plan: ReorganisationPlan, destinations: dict, *, by: User, reason: str
) -> None:
    moved = []
    for move in plan.departments:
        for allocation in move.allocations:
            allocation.department = _destination(move, destinations, "allocation", allocation.pk)
            moved.append(allocation)
    department_of_allocation = Allocation.objects.filter(pk=OuterRef("allocation_id")).values(
        "department_id"
    )[:1]
    ProgressUpdate.objects.filter(
        allocation_id__in=[a.pk for a in moved],
        measured_on__lt=plan.act.effective_on,
        recorded_department__isnull=True,
    ).update(recorded_department=Subquery(department_of_allocation))
    bulk_update_with_history(
        moved, Allocation, ["department"], default_user=by, default_change_reason=reason
    )


def _move_people(plan: ReorganisationPlan, destinations: dict, *, by: User, reason: str) -> None:
    moved = {}
    for move in plan.directorates:
        for person in move.people:
            person.directorate = _destination(move, destinations, "person", person.pk)
            person.department = None
            moved[person.pk] = person
    for move in plan.departments:
        for person in move.people:
            department = _destination(move, destinations, "person", person.pk)
            person.department = department
            person.directorate = department.directorate
            moved[person.pk] = person
    bulk_update_with_history(
        list(moved.values()),
        User,
        ["directorate", "department"],
        default_user=by,
        default_change_reason=reason,
    )


def _close_units(plan: ReorganisationPlan, *, by: User, reason: str) -> None:
    """The abolished units cease the day before the act; their heads lose the head's rights unless
    they head a unit still in force; the act's new units come into force on its date."""
    last_day = plan.act.effective_on - datetime.timedelta(days=1)
    heads = {}
    for model, moves, role in (
        (Directorate, plan.directorates, Role.HEAD_OF_DIRECTORATE),
        (Department, plan.departments, Role.HEAD_OF_DEPARTMENT),
    ):
        units = [move.unit for move in moves]
        for unit in units:
            if unit.valid_to is None or unit.valid_to > last_day:
                unit.valid_to = max(last_day, unit.valid_from or last_day)
            unit.is_active = False
            if unit.head_id:
                heads.setdefault(role, set()).add(unit.head_id)
        bulk_update_with_history(
            units, model, ["valid_to", "is_active"], default_user=by, default_change_reason=reason
        )
        model.objects.filter(created_by_act=plan.act, valid_from__isnull=True).update(
            valid_from=plan.act.effective_on
        )
    still_heading = {
        Role.HEAD_OF_DIRECTORATE: set(
            Directorate.objects.filter(is_active=True, head__isnull=False).values_list(
                "head_id", flat=True
            )
        ),
        Role.HEAD_OF_DEPARTMENT: set(
            Department.objects.filter(is_active=True, head__isnull=False).values_list(
                "head_id", flat=True
            )
        ),
    }
    for role, user_ids in heads.items():
        losing = user_ids - still_heading[role]
        group = Group.objects.filter(name=role).first()
        if group is not None and losing:
            group.user_set.remove(*losing)
