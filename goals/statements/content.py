"""What a statement holds: a unit's goals of a year (a directorate's goals, a department's
allocations), or a person's (the units they led in the year, acting periods noted), each line
with its indicator, target, final value, achievement, justification and evidence files.

A unit's lines are read in a fixed number of queries whatever its number of goals: the goals
with their updates and allocations (`reports.with_achievement`), and their evidence files'
names in one query more.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from directorates.models import ActingHead, Department, Directorate, Municipality
from directorates.roles import Role, role_title, unit_head_title
from goals import reports
from goals.achievement import weighted_average
from goals.models import FinalValueEvidence, Goal, GoalCycle, StaffGoal


@dataclass
class StatementLine:
    """One goal of a statement, as the evaluator reads it."""

    code: str
    title: str
    category: str  # the value of `Goal.Category`
    indicator: str
    unit_of_measure: str
    target_kind: str
    baseline: Decimal | None
    target: Decimal | None
    deadline: datetime.date
    weight: int
    final_value: Decimal | None
    achievement: Decimal | None
    justification: str = ""
    evidence: list[str] = field(default_factory=list)
    share: Decimal | None = None  # a department's share of the goal
    note: str = ""  # a cross-cutting goal led by another directorate, or a specification
    # What the national platform's import finds the line by, and the stamp of what it saw.
    goal_id: int | None = None
    allocation_id: int | None = None
    stamp: str = ""

    @property
    def category_label(self) -> str:
        return str(Goal.Category(self.category).label)

    @property
    def is_milestone(self) -> bool:
        return self.target_kind == Goal.TargetKind.MILESTONE


@dataclass
class ActingPeriod:
    """A period in the year someone stood in as a unit's acting head."""

    person: object
    starts_on: datetime.date
    ends_on: datetime.date | None
    act: str

    @property
    def description(self) -> str:
        """As the statement notes it: who, from when until when, by which act."""
        values = {
            "person": self.person,
            "start": date_format(self.starts_on, "DATE_FORMAT"),
            "act": self.act,
        }
        if self.ends_on is None:
            return _("Acting head: %(person)s from %(start)s (%(act)s)") % values
        values["end"] = date_format(self.ends_on, "DATE_FORMAT")
        return _("Acting head: %(person)s from %(start)s to %(end)s (%(act)s)") % values


@dataclass
class UnitSection:
    """A unit's goals in a statement, with the capacity its person led it in."""

    unit: Directorate | Department
    lines: list[StatementLine]
    as_acting_head: bool = False
    periods: list[ActingPeriod] = field(default_factory=list)  # acting heads in the year

    @property
    def is_department(self) -> bool:
        return isinstance(self.unit, Department)

    @property
    def achievement(self) -> Decimal | None:
        return weighted_average((line.achievement, line.weight) for line in self.lines)


@dataclass
class Statement:
    """A statement: a unit's, or a person's (their units and their own goals)."""

    cycle: GoalCycle
    municipality: Municipality
    sections: list[UnitSection]
    person: object = None
    person_title: str = ""
    unit: Directorate | Department | None = None
    own_lines: list[StatementLine] = field(default_factory=list)  # an employee's own goals
    issued_on: datetime.date = field(default_factory=timezone.localdate)

    @property
    def lines(self) -> list[StatementLine]:
        return [line for section in self.sections for line in section.lines] + self.own_lines

    @property
    def acting_label(self) -> str:
        """ "ως αναπληρωτής" or "ως αναπληρώτρια", by the person's gender."""
        if self.person is not None and self.person.gender == "female":
            return pgettext("female", "as acting head")
        return pgettext("male", "as acting head")

    @property
    def own_achievement(self) -> Decimal | None:
        """An employee's own goals achieved, weighted by their weights."""
        if not self.own_lines:
            return None
        return weighted_average((line.achievement, line.weight) for line in self.own_lines)


def statement_cycle() -> GoalCycle | None:
    """The cycle a statement is about unless one is chosen: the latest evaluated or closed,
    else the latest whose goals are followed."""
    evaluated = GoalCycle.objects.filter(
        phase__in=[GoalCycle.Phase.EVALUATION, GoalCycle.Phase.CLOSED]
    )
    return evaluated.order_by("-year").first() or reports.monitored_cycle()


def _year(cycle: GoalCycle) -> tuple[datetime.date, datetime.date]:
    return datetime.date(cycle.year, 1, 1), datetime.date(cycle.year, 12, 31)


def _evidence_names(goal_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    evidence = FinalValueEvidence.objects.filter(submission__goal_id__in=goal_ids).order_by(
        "uploaded_at", "pk"
    )
    for goal_id, name in evidence.values_list("submission__goal_id", "name"):
        names.setdefault(goal_id, []).append(name)
    return names


def _adopted(cycle: GoalCycle):
    return Goal.objects.filter(cycle=cycle, status=Goal.Status.ADOPTED).order_by("category", "code")


def lines_by_directorate(cycle: GoalCycle, directorates: list) -> dict[int, list[StatementLine]]:
    """Each directorate's adopted goals and the cross-cutting goals it takes part in, for many
    directorates in a fixed number of queries."""
    ids = [directorate.pk for directorate in directorates]
    goals = reports.with_achievement(
        _adopted(cycle).concerning(ids).prefetch_related("participating_directorates")
    )
    evidence = _evidence_names([goal.pk for goal in goals])
    lines: dict[int, list[StatementLine]] = {pk: [] for pk in ids}
    for goal in goals:
        participants = {d.pk for d in goal.participating_directorates.all()}
        for pk in ids:
            if pk == goal.directorate_id or pk in participants:
                lines[pk].append(_goal_line(goal, evidence, led_here=pk == goal.directorate_id))
    return lines


def _goal_line(goal: Goal, evidence: dict[int, list[str]], *, led_here: bool) -> StatementLine:
    evaluation = getattr(goal, "evaluation", None)
    note = ""
    if not led_here:
        note = _("Cross-cutting goal of %(directorate)s") % {"directorate": goal.directorate}
    return StatementLine(
        code=goal.code,
        title=goal.title,
        category=goal.category,
        indicator=goal.indicator,
        unit_of_measure=goal.unit_of_measure,
        target_kind=goal.target_kind,
        baseline=goal.baseline,
        target=goal.target,
        deadline=goal.deadline,
        weight=goal.weight,
        final_value=evaluation.final_value if evaluation else None,
        achievement=goal.achievement,
        justification=evaluation.justification if evaluation else "",
        evidence=evidence.get(goal.pk, []),
        note=note,
        goal_id=goal.pk,
    )


def lines_by_department(cycle: GoalCycle, departments: list) -> dict[int, list[StatementLine]]:
    """Each department's allocations of the year's adopted goals: its own target and share,
    its latest measurement as the final value and the comment that came with it; for many
    departments in a fixed number of queries."""
    ids = [department.pk for department in departments]
    goals = reports.with_achievement(
        _adopted(cycle).filter(allocations__department_id__in=ids).distinct()
    )
    evidence = _evidence_names([goal.pk for goal in goals])
    lines: dict[int, list[StatementLine]] = {pk: [] for pk in ids}
    for goal in goals:
        for allocation in goal.allocation_list:
            if allocation.department_id in lines:
                lines[allocation.department_id].append(_allocation_line(goal, allocation, evidence))
    return lines


def _allocation_line(goal: Goal, allocation, evidence: dict[int, list[str]]) -> StatementLine:
    update = allocation.latest_update
    return StatementLine(
        code=goal.code,
        title=allocation.title or goal.title,
        category=goal.category,
        indicator=allocation.indicator or goal.indicator,
        unit_of_measure=allocation.unit_of_measure,
        target_kind=goal.target_kind,
        baseline=allocation.baseline if allocation.baseline is not None else goal.baseline,
        target=allocation.target if allocation.target is not None else goal.target,
        deadline=allocation.deadline,
        weight=goal.weight,
        final_value=update.value if update else None,
        achievement=allocation.achievement,
        justification=update.comment if update else "",
        evidence=evidence.get(goal.pk, []),
        share=allocation.share,
        note=allocation.specification,
        goal_id=goal.pk,
        allocation_id=allocation.pk,
        stamp=allocation.updated_at.isoformat(),
    )


def unit_lines(cycle: GoalCycle, unit: Directorate | Department) -> list[StatementLine]:
    if isinstance(unit, Department):
        return lines_by_department(cycle, [unit])[unit.pk]
    return lines_by_directorate(cycle, [unit])[unit.pk]


def _acting_periods(cycle: GoalCycle, **filters) -> list[ActingHead]:
    first, last = _year(cycle)
    return list(
        ActingHead.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first), **filters)
        .filter(starts_on__lte=last)
        .select_related("person", "directorate", "department__directorate")
        .order_by("starts_on", "pk")
    )


def _period(appointment: ActingHead) -> ActingPeriod:
    return ActingPeriod(
        appointment.person, appointment.starts_on, appointment.ends_on, appointment.act
    )


def unit_statement(cycle: GoalCycle, unit: Directorate | Department) -> Statement:
    """A unit's statement: its goals, and who stood in as its acting head during the year."""
    key = "department" if isinstance(unit, Department) else "directorate"
    periods = [_period(a) for a in _acting_periods(cycle, **{key: unit})]
    section = UnitSection(unit, unit_lines(cycle, unit), periods=periods)
    return Statement(
        cycle=cycle,
        municipality=Municipality.load(),
        sections=[section],
        person=unit.head,
        person_title=head_title(unit, unit.head) if unit.head else "",
        unit=unit,
    )


def head_title(unit: Directorate | Department, person) -> str:
    """The title of a unit's head, by the unit's kind and the person's gender."""
    if isinstance(unit, Department):
        return role_title(Role.HEAD_OF_DEPARTMENT, person.gender)
    return unit_head_title(unit.kind, person.gender)


def led_units(person) -> list[Directorate | Department]:
    """The units the person heads as their own head: named as head, or holding the head's role
    in their unit."""
    directorates = Directorate.objects.filter(head=person)
    departments = Department.objects.filter(head=person)
    if person.has_role(Role.HEAD_OF_DIRECTORATE) and person.directorate_id:
        directorates = Directorate.objects.filter(Q(head=person) | Q(pk=person.directorate_id))
    if person.has_role(Role.HEAD_OF_DEPARTMENT) and person.department_id:
        departments = Department.objects.filter(Q(head=person) | Q(pk=person.department_id))
    return [*directorates.order_by("order", "name"), *departments.select_related("directorate")]


def person_statement(cycle: GoalCycle, person) -> Statement:
    """A person's statement: the goals of each unit they led in the year (their own, and those
    they stood in for as acting head, with the periods), then their own goals."""
    sections = []
    own = led_units(person)
    for unit in own:
        key = "department" if isinstance(unit, Department) else "directorate"
        others = _acting_periods(cycle, **{key: unit})
        sections.append(
            UnitSection(unit, unit_lines(cycle, unit), periods=[_period(a) for a in others])
        )
    for appointment in _acting_periods(cycle, person=person):
        if appointment.unit in own:
            continue
        sections.append(
            UnitSection(
                appointment.unit,
                unit_lines(cycle, appointment.unit),
                as_acting_head=True,
                periods=[_period(appointment)],
            )
        )
    title = head_title(own[0], person) if own else person_role_title(person)
    staff_goals = StaffGoal.objects.filter(employee=person, cycle=cycle).select_related("goal")
    return Statement(
        cycle=cycle,
        municipality=Municipality.load(),
        sections=sections,
        person=person,
        person_title=title,
        own_lines=[staff_line(g) for g in staff_goals.order_by("-weight", "pk")],
    )


def staff_line(staff_goal: StaffGoal) -> StatementLine:
    """An employee's own goal as a statement's line: the category and kind of target of the
    unit's goal it serves."""
    return StatementLine(
        code=staff_goal.goal.code,
        title=staff_goal.title,
        category=staff_goal.goal.category,
        indicator=staff_goal.indicator,
        unit_of_measure=staff_goal.unit_of_measure,
        target_kind=staff_goal.goal.target_kind,
        baseline=staff_goal.baseline,
        target=staff_goal.target,
        deadline=staff_goal.deadline,
        weight=staff_goal.weight,
        final_value=staff_goal.final_value,
        achievement=staff_goal.achievement,
        justification=staff_goal.year_end_comment,
        goal_id=staff_goal.goal_id,
        allocation_id=staff_goal.allocation_id,
        stamp=str(staff_goal.version),
    )


def person_role_title(person) -> str:
    """A person without a unit of their own to head: their job title, else their role's."""
    if person.job_title:
        return person.job_title
    return role_title(Role.STAFF, person.gender)
