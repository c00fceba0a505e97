"""The demo's staff goals: employees of two directorates' departments (Applications of Digital
Transformation, Organisation of Planning), each with two goals serving the department's goals.

- This year (the cycle being monitored): the goals set by the department's head through the real
  services; some acknowledged, one changed after its acknowledgement (to acknowledge again),
  mid-year reviews for two people.
- Last year (closed): the whole year as it happened, loaded as a bulk load would, with the dates
  of that year: set in February, acknowledged, reviewed in July, evaluated in January.
Idempotent: a person's goals of a year are made once.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from directorates.demo import demo_gender
from directorates.models import Department, User
from directorates.roles import Role
from goals.demo.years import closed_year
from goals.models import Allocation, Goal, GoalCycle, StaffGoal

# (username, first name, last name, job title, department code); `staff` exists already.
STAFF = [
    ("staff", "", "", "", "PSIF-EFA"),
    ("staff-psif-efa", "Νικόλαος", "Φραγκιαδάκης", "Μηχανικός Η/Υ ΠΕ", "PSIF-EFA"),
    ("staff-prog-org", "Κατερίνα", "Σηφάκη", "Διοικητικού-Οικονομικού ΠΕ", "PROG-ORG"),
    ("staff-prog-org-2", "Εμμανουήλ", "Δασκαλάκης", "Διοικητικού ΔΕ", "PROG-ORG"),
]
# Each person's two goals: their title, and their weight (the two add up to 100).
GOALS = [
    ("Διεκπεραίωση των υποθέσεων που του ανατίθενται για τον στόχο", 60),
    ("Τεκμηρίωση και αναφορά της προόδου του στόχου στο τμήμα", 40),
]
MIDYEAR_REVIEW = (
    "Η πρόοδος είναι σύμφωνη με το χρονοδιάγραμμα. Να δοθεί προτεραιότητα στις εκκρεμείς "
    "υποθέσεις πριν από την άδεια του καλοκαιριού."
)
YEAR_END_COMMENTS = (
    "Ο στόχος επιτεύχθηκε πλήρως, με συνέπεια και καλή συνεργασία.",
    "Ο στόχος επιτεύχθηκε εν μέρει λόγω του φόρτου εργασίας του τμήματος.",
)


def seed_staff_goals(*, password: str) -> dict[str, int]:
    created = {"users": 0, "staff goals": 0}
    people = _ensure_staff(password, created)
    monitored = (
        GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES).order_by("-year").first()
    )
    closed = GoalCycle.objects.filter(year=closed_year(), phase=GoalCycle.Phase.CLOSED).first()
    for index, person in enumerate(people):
        head = person.department.head
        if head is None:
            continue
        if monitored is not None:
            created["staff goals"] += _this_year(monitored, person, head, index)
        if closed is not None:
            created["staff goals"] += _last_year(closed, person, head)
    return created


def _ensure_staff(password: str, created: dict) -> list[User]:
    people = []
    departments = {d.code: d for d in Department.objects.filter(code__in={s[4] for s in STAFF})}
    hashed = make_password(password)
    for username, first, last, job_title, code in STAFF:
        department = departments.get(code)
        person = User.objects.filter(username=username).first()
        if department is None or (person is None and not first):
            continue
        if person is None:
            person = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@heraklion.example",
                job_title=job_title,
                gender=demo_gender(first),
                password=hashed,
                directorate=department.directorate,
                department=department,
            )
            person.groups.add(Group.objects.get_or_create(name=Role.STAFF)[0])
            created["users"] += 1
        if person.department_id == department.pk:
            person.department = department
            people.append(person)
    return people


def _served(cycle: GoalCycle, person: User) -> list[tuple[Goal, Allocation | None]]:
    """The goals the person's two goals serve: their department's first goals, else their
    directorate's."""
    allocations = Allocation.objects.filter(
        department=person.department, goal__cycle=cycle, goal__status=Goal.Status.ADOPTED
    ).select_related("goal")
    served = [(a.goal, a) for a in allocations.order_by("goal__code")[: len(GOALS)]]
    if len(served) < len(GOALS):
        goals = Goal.objects.filter(cycle=cycle, status=Goal.Status.ADOPTED).concerning(
            person.directorate_id
        )
        taken = {goal.pk for goal, _a in served}
        served += [(goal, None) for goal in goals.exclude(pk__in=taken).order_by("code")]
    return served[: len(GOALS)]


def _new_goal(cycle, person, goal, allocation, title, weight) -> StaffGoal:
    milestone = goal.target_kind == Goal.TargetKind.MILESTONE
    return StaffGoal(
        employee=person,
        cycle=cycle,
        goal=goal,
        allocation=allocation,
        title=title,
        indicator=goal.indicator,
        unit_of_measure=goal.unit_of_measure,
        baseline=None if milestone else goal.baseline,
        target=Decimal(1) if milestone else (allocation and allocation.target) or goal.target,
        deadline=min(goal.deadline, datetime.date(cycle.year, 12, 31)),
        weight=weight,
    )


def _this_year(cycle: GoalCycle, person: User, head: User, index: int) -> int:
    """Set by the head through the services; acknowledged by the first three people (the
    third's first goal changed since, to acknowledge again); mid-year reviews for the first two."""
    from goals.services.staff import (
        acknowledge_staff_goal,
        record_midyear_review,
        save_staff_goal,
    )

    if StaffGoal.objects.filter(employee=person, cycle=cycle).exists():
        return 0
    made = []
    for (goal, allocation), (title, weight) in zip(_served(cycle, person), GOALS, strict=False):
        staff_goal = _new_goal(cycle, person, goal, allocation, title, weight)
        made.append(save_staff_goal(staff_goal=staff_goal, by=head))
    for staff_goal in made:
        if index < 3:
            staff_goal = acknowledge_staff_goal(
                staff_goal=staff_goal, by=person, expected_version=staff_goal.version
            )
        if index < 2 and cycle.is_monitored:
            record_midyear_review(
                staff_goal=staff_goal,
                by=head,
                review=MIDYEAR_REVIEW,
                expected_version=staff_goal.version,
            )
    if index == 2 and made:
        changed = StaffGoal.objects.get(pk=made[0].pk)
        changed.target = changed.target + 1
        save_staff_goal(staff_goal=changed, by=head, expected_version=changed.version)
    return len(made)


def _last_year(cycle: GoalCycle, person: User, head: User) -> int:
    """The closed year as it happened, loaded directly (its cycle no longer takes changes)."""
    if StaffGoal.objects.filter(employee=person, cycle=cycle).exists():
        return 0
    year = cycle.year
    tz = timezone.get_current_timezone()
    served = _served(cycle, person)
    for number, ((goal, allocation), (title, weight)) in enumerate(
        zip(served, GOALS, strict=False)
    ):
        staff_goal = _new_goal(cycle, person, goal, allocation, title, weight)
        start = staff_goal.baseline or Decimal(0)
        reached = Decimal(1) if number == 0 else Decimal("0.8")
        staff_goal.final_value = (start + (staff_goal.target - start) * reached).quantize(
            Decimal("0.01")
        )
        staff_goal.set_by = head
        staff_goal.set_at = datetime.datetime(year, 2, 15, 10, 0, tzinfo=tz)
        staff_goal.acknowledged_at = datetime.datetime(year, 2, 18, 9, 30, tzinfo=tz)
        staff_goal.midyear_review = MIDYEAR_REVIEW
        staff_goal.midyear_reviewed_by = head
        staff_goal.midyear_reviewed_at = datetime.datetime(year, 7, 10, 12, 0, tzinfo=tz)
        staff_goal.year_end_comment = YEAR_END_COMMENTS[number]
        staff_goal.evaluated_by = head
        staff_goal.evaluated_at = datetime.datetime(year + 1, 1, 20, 11, 0, tzinfo=tz)
        staff_goal._history_user = head
        staff_goal._history_date = staff_goal.evaluated_at
        staff_goal.save()
    return len(served)
