"""The national evaluation platform's sheet of one evaluator: one row per person they evaluate
and goal, in the fields of the Ministry's evaluation form (documented column by column in the
README, "The national platform's sheet").

Whom a person evaluates, as `directorates.headship` says who leads which unit today:
- the General Secretary (and the admins): the heads of the directorates, on their directorate's
  goals (and the cross-cutting goals it takes part in);
- a head of directorate: the heads of its departments, on their department's allocations, and
  the employees of the directorate outside any department, on their own goals;
- a head of department: the employees of the department, on their own goals.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directorates.models import Department, Directorate, User
from directorates.roles import Role
from goals.models import GoalCycle, StaffGoal
from goals.sheets.workbooks import DATE, DECIMAL, Column, Sheet
from goals.statements.content import (
    StatementLine,
    lines_by_department,
    lines_by_directorate,
    staff_line,
)

NATIONAL_COLUMNS = [
    Column("reference", gettext_lazy("Row reference"), width=12),
    Column("person", gettext_lazy("Evaluated person"), width=28),
    Column("identifier", gettext_lazy("Tax or registry number"), width=16),
    Column("unit", gettext_lazy("Organisational unit"), width=30),
    Column("goal", gettext_lazy("Goal"), width=45),
    Column("indicator", gettext_lazy("Measurement indicator"), width=40),
    Column("target", gettext_lazy("Target value"), DECIMAL, 12),
    Column("deadline", gettext_lazy("Deadline"), DATE, 12),
    Column("category", gettext_lazy("Goal category"), width=30),
    Column("final_value", gettext_lazy("Final value"), DECIMAL, 12),
    Column("achievement", gettext_lazy("Achievement (%)"), DECIMAL, 12),
]
NATIONAL_REQUIRED_KEYS = ["reference", "identifier"]

# Row references: a directorate's goal (its head's row), a department's allocation (its head's
# row), an employee's own goal.
GOAL, ALLOCATION, STAFF = "G", "A", "S"


def national_title() -> str:
    return _("Evaluation form")


@dataclass
class PlatformRow:
    """One row of the sheet: a person evaluated on one goal."""

    kind: str  # GOAL, ALLOCATION or STAFF
    person: User
    unit: Directorate | Department
    line: StatementLine
    staff_goal: StaffGoal | None = None

    @property
    def reference(self) -> str:
        pk = {GOAL: self.line.goal_id, ALLOCATION: self.line.allocation_id}.get(self.kind)
        return f"{self.kind}-{self.staff_goal.pk if self.staff_goal else pk}"

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the row in an uploaded sheet: the reference and the person."""
        return (self.reference, self.person.platform_identifier)

    @property
    def is_own_goal(self) -> bool:
        """An employee's own goal, which the evaluator sets and evaluates here; a unit's goal
        is only read (it changes by decision, allocation or the year-end evaluation)."""
        return self.kind == STAFF

    def values(self) -> list[object]:
        line = self.line
        return [
            self.reference,
            str(self.person),
            self.person.platform_identifier,
            str(self.unit),
            line.title,
            line.indicator + (f" ({line.unit_of_measure})" if line.unit_of_measure else ""),
            line.target,
            line.deadline,
            line.category_label,
            line.final_value,
            line.achievement,
        ]


def _heads(units, role: str, field: str) -> dict[int, User]:
    """Each unit's head: named as its head, else the person holding the head's role in it."""
    heads = {unit.pk: unit.head for unit in units if unit.head is not None}
    holders = User.objects.filter(
        is_active=True, groups__name=role, **{f"{field}__in": [u.pk for u in units]}
    ).order_by("pk")
    for holder in holders:
        heads.setdefault(getattr(holder, f"{field}_id"), holder)
    return heads


def evaluated_rows(user, cycle: GoalCycle) -> list[PlatformRow]:
    """The rows of this evaluator's sheet, in a fixed number of queries."""
    if not user.is_authenticated or not user.is_active:
        return []
    led = user.headship
    rows: list[PlatformRow] = []
    if user.is_coordinator:
        directorates = list(Directorate.objects.select_related("head").order_by("order", "name"))
        heads = _heads(directorates, Role.HEAD_OF_DIRECTORATE, "directorate")
        lines = lines_by_directorate(cycle, [d for d in directorates if d.pk in heads])
        for directorate in directorates:
            for line in lines.get(directorate.pk, []):
                rows.append(PlatformRow(GOAL, heads[directorate.pk], directorate, line))
    departments = list(
        Department.objects.filter(directorate_id__in=led.directorate_ids)
        .select_related("head")
        .order_by("directorate__order", "order", "name")
    )
    heads = _heads(departments, Role.HEAD_OF_DEPARTMENT, "department")
    lines = lines_by_department(cycle, [d for d in departments if d.pk in heads])
    for department in departments:
        for line in lines.get(department.pk, []):
            rows.append(PlatformRow(ALLOCATION, heads[department.pk], department, line))
    staff_goals = (
        StaffGoal.objects.filter(cycle=cycle)
        .filter(
            Q(employee__department_id__in=led.department_ids)
            | Q(employee__department__isnull=True, employee__directorate_id__in=led.directorate_ids)
        )
        .exclude(employee=user)
        .select_related("employee__department", "employee__directorate", "goal")
        .order_by("employee__last_name", "employee__first_name", "employee_id", "-weight", "pk")
    )
    for staff_goal in staff_goals:
        employee = staff_goal.employee
        rows.append(
            PlatformRow(
                STAFF,
                employee,
                employee.department or employee.directorate,
                staff_line(staff_goal),
                staff_goal,
            )
        )
    return rows


def national_sheet(rows: list[PlatformRow]) -> Sheet:
    """The sheet as the platform takes it: the header in the first row, nothing above it."""
    return Sheet(
        title=national_title(),
        columns=NATIONAL_COLUMNS,
        rows=[row.values() for row in rows],
        wrap_text=True,
    )
