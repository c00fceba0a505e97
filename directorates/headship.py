"""Who heads each unit on a day: worked out here, and nowhere else.

A unit's head is the person who holds the head's role in it (`Directorate.head`,
`Department.head`). While an acting head (`ActingHead`, αναπληρωτής προϊστάμενος) is in force,
they act with the head's powers, and what they record says "ως αναπληρωτής". A unit with
neither an active head nor an acting head in force is not blocked: its duties fall to the level
above (the head of its directorate for a department, the General Secretary for a directorate)
until one is named.

Two directions, each with a fixed number of queries whatever the size of the organisation:
- `headship_of(user)`: the units a person leads today and in which capacity; the rules read it
  through `User.headship`, worked out once per request (at most three queries).
- `in_charge_of(directorates)`: who answers for each directorate (the reminders), three
  queries.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

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
class Headship:
    """The units a person leads on a day, each with the capacity they lead it in."""

    directorates: dict[int, Capacity] = field(default_factory=dict)
    departments: dict[int, Capacity] = field(default_factory=dict)
    charges: list[Charge] = field(default_factory=list)
    # The directorates of the departments they lead: they follow those directorates' goals.
    departments_of: frozenset[int] = frozenset()

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
    Secretary, the headless directorates). A stronger capacity wins: head, acting, above."""
    if not user.is_authenticated or not user.is_active:
        return NO_HEADSHIP
    on = on or timezone.localdate()
    directorates: dict[int, Capacity] = {}
    departments: dict[int, Capacity] = {}
    departments_of: set[int] = set()
    charges: list[Charge] = []
    if user.has_role(Role.HEAD_OF_DIRECTORATE) and user.directorate_id:
        directorates[user.directorate_id] = Capacity.HEAD
    if user.has_role(Role.HEAD_OF_DEPARTMENT) and user.department_id:
        departments[user.department_id] = Capacity.HEAD
        if user.directorate_id:
            departments_of.add(user.directorate_id)
    appointments = (
        ActingHead.objects.in_force(on)
        .filter(person=user)
        .select_related("directorate", "department__directorate")
        .order_by("pk")
    )
    for appointment in appointments:
        led = directorates if appointment.directorate_id else departments
        if appointment.department_id:
            departments_of.add(appointment.department.directorate_id)
        if led.setdefault(appointment.unit.pk, Capacity.ACTING) == Capacity.ACTING:
            charges.append(
                Charge(appointment.unit, Capacity.ACTING, appointment.ends_on, appointment.act)
            )
    if user.has_role(Role.GENERAL_SECRETARY):
        for directorate in Directorate.objects.active().without_head(on):
            if directorates.setdefault(directorate.pk, Capacity.ABOVE) == Capacity.ABOVE:
                charges.append(Charge(directorate, Capacity.ABOVE))
    if directorates:
        headless = Department.objects.active().filter(directorate_id__in=directorates)
        for department in headless.without_head(on).select_related("directorate"):
            if departments.setdefault(department.pk, Capacity.ABOVE) == Capacity.ABOVE:
                charges.append(Charge(department, Capacity.ABOVE))
    return Headship(directorates, departments, charges, frozenset(departments_of))


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
