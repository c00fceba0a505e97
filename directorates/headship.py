"""Who heads each unit on a day: worked out here, and nowhere else.

A unit's head is the person who holds the head's role in it (`Directorate.head`,
`Department.head`). While an acting head (`ActingHead`, αναπληρωτής προϊστάμενος) is in force,
they act with the head's powers, and what they record says "ως αναπληρωτής". A unit with
neither an active head nor an acting head in force is not blocked: its duties fall to the level
above (the head of its directorate for a department, the General Secretary for a directorate)
until one is named.

Two directions, each with a fixed number of queries whatever the size of the organisation:
- `headship_of(user)`: the units a person leads today and in which capacity; the rules read it
  through `User.headship`, worked out once per request (at most three statements; the units
  of its charges, which only the start page shows, two more when asked).
- `in_charge_of(directorates)`: who answers for each directorate (the reminders), three
  queries.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from directorates.models import ActingHead, Department, Directorate, User
from directorates.roles import Role


class Capacity(StrEnum):
    HEAD = "head"  # the unit's own head
    ACTING = "acting"  # an acting head in force: "ως αναπληρωτής"
    ABOVE = "above"  # the level above, while the unit has no head and no acting head


@dataclass(frozen=True)
class Charge:
    """A unit someone leads other than as its own head: as acting head, or from above."""

    unit: Directorate | Department
    capacity: Capacity
    until: datetime.date | None = None
    act: str = ""

    @property
    def is_acting(self) -> bool:
        return self.capacity == Capacity.ACTING


@dataclass(frozen=True)
class ChargeKey:
    """A charge before its unit is read: the start page shows charges, the rules need none."""

    model: type[Directorate] | type[Department]
    unit_id: int
    capacity: Capacity
    until: datetime.date | None = None
    act: str = ""


@dataclass(frozen=True)
class Headship:
    """The units a person leads on a day, each with the capacity they lead it in."""

    directorates: dict[int, Capacity] = field(default_factory=dict)
    departments: dict[int, Capacity] = field(default_factory=dict)
    charge_keys: tuple[ChargeKey, ...] = ()
    # The directorates of the departments they lead: they follow those directorates' goals.
    departments_of: frozenset[int] = frozenset()

    @property
    def has_charges(self) -> bool:
        return bool(self.charge_keys)

    @cached_property
    def charges(self) -> list[Charge]:
        """The charges with their units, read when asked (one query per kind of unit)."""
        units = {}
        for model in (Directorate, Department):
            ids = [key.unit_id for key in self.charge_keys if key.model is model]
            if ids:
                found = model.objects.filter(pk__in=ids)
                if model is Department:
                    found = found.select_related("directorate")
                units.update({(model, unit.pk): unit for unit in found})
        return [
            Charge(units[key.model, key.unit_id], key.capacity, key.until, key.act)
            for key in self.charge_keys
            if (key.model, key.unit_id) in units
        ]

    @property
    def unit_directorate_ids(self) -> set[int]:
        """Every directorate they lead, or lead a department of."""
        return set(self.directorates) | self.departments_of

    @property
    def directorate_ids(self) -> list[int]:
        return list(self.directorates)

    @property
    def department_ids(self) -> list[int]:
        return list(self.departments)

    def acting_in(self, *, directorate_id: int | None, department_id: int | None = None) -> bool:
        """Whether, on this unit, the person acts only as its acting head: through the
        department when they lead it, else through its directorate."""
        if department_id is not None and department_id in self.departments:
            return self.departments[department_id] == Capacity.ACTING
        return self.directorates.get(directorate_id) == Capacity.ACTING


NO_HEADSHIP = Headship()


def headship_of(user, on: datetime.date | None = None) -> Headship:
    """The units this person leads on `on` (today): their own as head, those they stand in for
    as acting head while in force, and the headless units below those (for the General
    Secretary, the headless directorates). A stronger capacity wins: head, acting, above.

    Every page asks it (the menu follows the rules), so it is read with hand-written
    statements: the acting appointments, then the headless units, one statement each
    (`_headless`, the rule of `UnitQuerySet.without_head`; a test holds the two to the same
    answer). Building the same queries with the ORM cost more than loading the person."""
    if not user.is_authenticated or not user.is_active:
        return NO_HEADSHIP
    on = on or timezone.localdate()
    directorates: dict[int, Capacity] = {}
    departments: dict[int, Capacity] = {}
    departments_of: set[int] = set()
    keys: list[ChargeKey] = []
    if user.has_role(Role.HEAD_OF_DIRECTORATE) and user.directorate_id:
        directorates[user.directorate_id] = Capacity.HEAD
    if user.has_role(Role.HEAD_OF_DEPARTMENT) and user.department_id:
        departments[user.department_id] = Capacity.HEAD
        if user.directorate_id:
            departments_of.add(user.directorate_id)
    for directorate_id, department_id, of_directorate, until, act in _acting(user.pk, on):
        model, led = (Department, departments) if department_id else (Directorate, directorates)
        unit_id = department_id or directorate_id
        if department_id:
            departments_of.add(of_directorate)
        if led.setdefault(unit_id, Capacity.ACTING) == Capacity.ACTING:
            keys.append(ChargeKey(model, unit_id, Capacity.ACTING, until, act))
    if user.has_role(Role.GENERAL_SECRETARY):
        for directorate_id, _directorate in _headless(Directorate, on):
            if directorates.setdefault(directorate_id, Capacity.ABOVE) == Capacity.ABOVE:
                keys.append(ChargeKey(Directorate, directorate_id, Capacity.ABOVE))
    if directorates:
        for department_id, _directorate in _headless(Department, on, within=list(directorates)):
            if departments.setdefault(department_id, Capacity.ABOVE) == Capacity.ABOVE:
                keys.append(ChargeKey(Department, department_id, Capacity.ABOVE))
    return Headship(directorates, departments, tuple(keys), frozenset(departments_of))


def _acting(person_id: int, on: datetime.date) -> list[tuple]:
    """A person's acting appointments in force on a day, in the order they were made: each as
    (directorate, department, the department's directorate, until, act)."""
    acting, department = ActingHead._meta.db_table, Department._meta.db_table
    day = connection.ops.adapt_datefield_value(on)
    sql = (
        f"SELECT a.directorate_id, a.department_id, d.directorate_id, a.ends_on, a.act "
        f"FROM {acting} a LEFT JOIN {department} d ON d.id = a.department_id "
        f"WHERE a.person_id = %s AND a.starts_on <= %s AND (a.ends_on IS NULL OR a.ends_on >= %s) "
        f"ORDER BY a.id"
    )
    ends_on = ActingHead._meta.get_field("ends_on")
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, day, day])
        return [(*row[:3], ends_on.to_python(row[3]), row[4]) for row in cursor.fetchall()]


def _headless(model, on: datetime.date, within: list[int] | None = None) -> list[tuple[int, int]]:
    """The units of `model` active and in force on a day with neither an active head (named as
    the unit's head, or holding the head's role in it) nor an acting head in force, in the
    chart's order, as (unit, its directorate): the rule of `UnitQuerySet.without_head`, in one
    statement. `within`: only the departments of these directorates."""
    is_department = model is Department
    unit = "department" if is_department else "directorate"
    role = Role.HEAD_OF_DEPARTMENT if is_department else Role.HEAD_OF_DIRECTORATE
    tables = {
        "unit": model._meta.db_table,
        "directorate": Directorate._meta.db_table,
        "user": User._meta.db_table,
        "member": User.groups.through._meta.db_table,
        "group": Group._meta.db_table,
        "acting": ActingHead._meta.db_table,
    }
    day = connection.ops.adapt_datefield_value(on)
    params: list = [day, day, role, day, day]
    where = ""
    if within is not None:
        where = f" AND u.directorate_id IN ({', '.join(['%s'] * len(within))})"
        params += within
    if is_department:
        of, order = "u.directorate_id", 'o."order", o.name, u."order", u.name'
        joins = f" JOIN {tables['directorate']} o ON o.id = u.directorate_id"
    else:
        of, order, joins = "u.id", 'u."order", u.name', ""
    sql = (
        f"SELECT u.id, {of} FROM {tables['unit']} u{joins} "
        f"LEFT JOIN {tables['user']} h ON h.id = u.head_id "
        f"WHERE u.is_active AND (u.valid_from IS NULL OR u.valid_from <= %s) "
        f"AND (u.valid_to IS NULL OR u.valid_to >= %s) "
        f"AND (h.id IS NULL OR NOT h.is_active) "
        f"AND NOT EXISTS (SELECT 1 FROM {tables['user']} p "
        f"JOIN {tables['member']} m ON m.user_id = p.id "
        f"JOIN {tables['group']} g ON g.id = m.group_id "
        f"WHERE p.{unit}_id = u.id AND p.is_active AND g.name = %s) "
        f"AND NOT EXISTS (SELECT 1 FROM {tables['acting']} a WHERE a.{unit}_id = u.id "
        f"AND a.starts_on <= %s AND (a.ends_on IS NULL OR a.ends_on >= %s))"
        f"{where} ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class InCharge:
    """Who answers for a unit today, and in which capacity."""

    person: User
    capacity: Capacity


def in_charge_of(
    directorates: list[Directorate], on: datetime.date | None = None
) -> dict[int, InCharge]:
    """For each directorate (its `head` selected), who answers for it on `on`: the acting head
    in force (the head is away), else its active head, else, while it has no head at all, the
    General Secretary. Three queries, whatever their number."""
    if not directorates:
        return {}
    on = on or timezone.localdate()
    ids = [directorate.pk for directorate in directorates]
    without_head = Directorate.objects.filter(pk__in=ids).without_head(on)
    headless = set(without_head.values_list("pk", flat=True))
    acting = {
        appointment.directorate_id: appointment.person
        for appointment in ActingHead.objects.in_force(on)
        .filter(directorate_id__in=ids, person__is_active=True)
        .select_related("person")
        .order_by("starts_on", "pk")
    }
    answers: dict[int, InCharge] = {}
    for directorate in directorates:
        if directorate.pk in acting:
            answers[directorate.pk] = InCharge(acting[directorate.pk], Capacity.ACTING)
        elif directorate.head is not None and directorate.head.is_active:
            answers[directorate.pk] = InCharge(directorate.head, Capacity.HEAD)
    if headless:
        secretary = (
            User.objects.filter(is_active=True, groups__name=Role.GENERAL_SECRETARY)
            .order_by("pk")
            .first()
        )
        if secretary is not None:
            answers.update({pk: InCharge(secretary, Capacity.ABOVE) for pk in headless})
    return answers


def departments_in_charge_of(
    departments: list[Department], on: datetime.date | None = None
) -> dict[int, InCharge]:
    """For each department (its `head` and `directorate__head` selected), who answers for it on
    `on`: the acting head in force, else its active head (named, or holding the head's role in
    it), else, while it has neither, whoever answers for its directorate (`in_charge_of`).
    Six queries, whatever their number."""
    if not departments:
        return {}
    on = on or timezone.localdate()
    ids = [department.pk for department in departments]
    acting = {
        appointment.department_id: appointment.person
        for appointment in ActingHead.objects.in_force(on)
        .filter(department_id__in=ids, person__is_active=True)
        .select_related("person")
        .order_by("starts_on", "pk")
    }
    holders: dict[int, User] = {}
    for holder in User.objects.filter(
        is_active=True, groups__name=Role.HEAD_OF_DEPARTMENT, department_id__in=ids
    ).order_by("pk"):
        holders.setdefault(holder.department_id, holder)
    above = in_charge_of(list({d.directorate_id: d.directorate for d in departments}.values()), on)
    answers: dict[int, InCharge] = {}
    for department in departments:
        if department.pk in acting:
            answers[department.pk] = InCharge(acting[department.pk], Capacity.ACTING)
        elif department.head is not None and department.head.is_active:
            answers[department.pk] = InCharge(department.head, Capacity.HEAD)
        elif department.pk in holders:
            answers[department.pk] = InCharge(holders[department.pk], Capacity.HEAD)
        elif department.directorate_id in above:
            answers[department.pk] = InCharge(
                above[department.directorate_id].person, Capacity.ABOVE
            )
    return answers
