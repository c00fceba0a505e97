"""The demo's acting head and cross-cutting allocation, on the cycle being monitored (found by
its phase, whatever its year).

- The head of the Department of European Programmes is away: one of its staff stands in as
  acting head (αναπληρώτρια προϊσταμένη) by the Mayor's act, from twenty days ago for three
  months, and records the department's progress "ως αναπληρώτρια".
- A cross-cutting goal: the head of a participating directorate allocates it to one of their
  own departments and, that department having no head, reports its progress from the level
  above.
Everything goes through the real services; idempotent.
"""

import datetime
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from directorates.models import ActingHead, Department, User
from directorates.roles import Role
from goals.models import Allocation, Goal, GoalCycle, ProgressUpdate

ACTING_DEPARTMENT = "PROG-EUR"
ACTING_PERSON = ("acting-prog-eur", "Ευαγγελία", "Σταυρουλάκη", "Οικονομολόγος ΠΕ")


def seed_acting_heads(*, password: str) -> dict[str, int]:
    created = {"acting heads": 0, "allocations": 0, "progress updates": 0}
    cycle = GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES).order_by("-year").first()
    department = Department.objects.filter(code=ACTING_DEPARTMENT).first()
    if department is None:
        return created
    acting = _ensure_acting_head(department, password, created)
    if cycle is None:
        return created
    created["progress updates"] += _acting_head_reports(cycle, department, acting)
    _cross_cutting_allocation(cycle, created)
    return created


def _ensure_acting_head(department: Department, password: str, created: dict) -> User:
    username, first, last, job_title = ACTING_PERSON
    person, new = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@heraklion.example",
            "job_title": job_title,
            "gender": User.Gender.FEMALE,
            "directorate": department.directorate,
            "department": department,
        },
    )
    if new:
        person.set_password(password)
        person.save(update_fields=["password"])
        person.groups.add(*_groups(Role.STAFF))
    today = timezone.localdate()
    if not ActingHead.objects.filter(department=department, person=person).exists():
        appointment = ActingHead(
            department=department,
            person=person,
            starts_on=today - datetime.timedelta(days=20),
            ends_on=today + datetime.timedelta(days=90),
            act=f"Απόφαση Δημάρχου 318/{today.year} (ορισμός αναπληρώτριας προϊσταμένης)",
        )
        appointment.save()
        created["acting heads"] += 1
    return person


def _groups(*roles: str):
    from django.contrib.auth.models import Group

    return [Group.objects.get_or_create(name=role)[0] for role in roles]


def _measured_on(cycle: GoalCycle) -> datetime.date:
    """The end of last month, as the demo's monthly reports (this month is not yet reported)."""
    end_of_last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return min(end_of_last_month, datetime.date(cycle.year, 12, 31))


def _acting_head_reports(cycle: GoalCycle, department: Department, acting: User) -> int:
    """The acting head measures one of the department's shares."""
    from goals.services.monitoring import record_progress

    if ProgressUpdate.objects.filter(author=acting).exists():
        return 0
    allocation = (
        Allocation.objects.filter(
            goal__cycle=cycle, goal__status=Goal.Status.ADOPTED, department=department
        )
        .exclude(goal__target_kind=Goal.TargetKind.MILESTONE)
        .select_related("goal", "department")
        .order_by("goal__code")
        .first()
    )
    if allocation is None:
        return 0
    goal = allocation.goal
    target = allocation.target if allocation.target is not None else goal.target
    baseline = allocation.baseline if allocation.baseline is not None else goal.baseline
    record_progress(
        goal=goal,
        by=acting,
        allocation=allocation,
        value=target if baseline is None else (baseline + target) / 2,
        measured_on=_measured_on(cycle),
        status="on_track",
        comment="Καταχώριση από την αναπληρώτρια προϊσταμένη του τμήματος.",
    )
    return 1


def _cross_cutting_allocation(cycle: GoalCycle, created: dict) -> None:
    """The first cross-cutting goal whose participating directorate has a head and has not
    allocated its part yet: allocated to that directorate's first department, and measured."""
    from goals.services.monitoring import allocation_stamp, record_progress, save_allocations

    participants_allocated = Allocation.objects.filter(goal__cycle=cycle).exclude(
        department__directorate=F("goal__directorate")
    )
    if participants_allocated.exists():
        return
    goals = (
        Goal.objects.filter(cycle=cycle, status=Goal.Status.ADOPTED)
        .filter(participating_directorates__isnull=False)
        .exclude(target_kind=Goal.TargetKind.MILESTONE)
        .distinct()
        .prefetch_related("participating_directorates__head")
        .order_by("code")
    )
    for goal in goals:
        for directorate in goal.participating_directorates.all():
            head = directorate.head
            if head is None or goal.allocations.filter(department__directorate=directorate):
                continue
            department = directorate.departments.active().order_by("order", "name").first()
            if department is None:
                continue
            row = {
                "department": department,
                "specification": f"Συμμετοχή της {directorate} στον οριζόντιο στόχο.",
                "baseline": goal.baseline,
                "target": goal.target,
                "deadline": goal.deadline,
                "share": Decimal(100),
            }
            (allocation,) = save_allocations(
                goal=goal, by=head, rows=[row], stamp=allocation_stamp(goal)
            )
            created["allocations"] += 1
            record_progress(
                goal=goal,
                by=head,
                allocation=allocation,
                value=goal.target,
                measured_on=_measured_on(cycle),
                status="on_track",
                comment="Το τμήμα της συμμετέχουσας διεύθυνσης ολοκλήρωσε το μέρος του.",
            )
            created["progress updates"] += 1
            return
