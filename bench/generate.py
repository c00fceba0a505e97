"""Realistic bulk data for the benchmark: one municipality over ten years, or ten times that.

Scale 1: 30 directorates, 120 departments, 3,000 users, 6,000 goals, 60,000 observations,
250 meetings, 100,000 progress updates. Rows go in with `bulk_create` in batches and without
history rows (the history of bulk data is not what the pages read). `Goal.search_text` is
computed with `normalise_for_search` (and `title_key` with `title_key`), as `Goal.save()` does.

Cycles 2018-2025 are closed, 2026 is in monitoring, 2027 is in open consultation (so heads can
submit observations). Every adopted cycle has an issued adoption decision and allocations.

Use: `generate(scale=1)` inside a configured Django (bench/run.py calls it), or
`.venv/bin/python bench/generate.py --scale 1` against DATABASE_URL.
"""

import argparse
import datetime
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

BATCH = 5000
FIRST_YEAR, LAST_YEAR = 2018, 2027
PER_SCALE = {
    "directorates": 30,
    "departments": 120,
    "users": 3000,
    "goals": 6000,
    "observations": 60000,
    "meetings": 250,
    "progress": 100000,
}


def counts(scale: float) -> dict[str, int]:
    """How many rows of each kind a scale makes (at least one of each)."""
    return {name: max(1, round(n * scale)) for name, n in PER_SCALE.items()}


def generate(scale: float = 1, seed: int = 7) -> dict[str, int]:
    """Fill an empty, migrated database; returns the counts it aimed for."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from directorates.models import Department, Directorate, User
    from directorates.roles import Role
    from goals.models import (
        Allocation,
        Goal,
        GoalCycle,
        MayoralDecision,
        Observation,
        ProgressUpdate,
    )
    from goals.models.goals import normalise_for_search, title_key
    from goals.services.monitoring import store_every_achievement
    from meetings.models import AgendaItem, Attendance, Meeting

    rng = random.Random(seed)
    n = counts(scale)
    now = timezone.now()
    groups = {g.name: g for g in Group.objects.all()}
    password = make_password("bench-password")  # hashed once, shared by every user

    with transaction.atomic():
        directorates = Directorate.objects.bulk_create(
            [
                Directorate(
                    code=f"D{i:03d}",
                    name=f"Διεύθυνση {i}",
                    name_en=f"Directorate {i}",
                    order=i,
                )
                for i in range(n["directorates"])
            ],
            batch_size=BATCH,
        )
        departments = Department.objects.bulk_create(
            [
                Department(
                    directorate=directorates[i % len(directorates)],
                    code=f"T{i:04d}",
                    name=f"Τμήμα {i}",
                    name_en=f"Department {i}",
                    order=i,
                )
                for i in range(n["departments"])
            ],
            batch_size=BATCH,
        )

        # Users: the mayor, the General Secretary, an administrator, one head per directorate
        # and per department, the rest staff spread over the departments.
        specials = [("mayor", Role.MAYOR, None, None), ("gs", Role.GENERAL_SECRETARY, None, None)]
        specials.append(("admin", Role.ADMINISTRATOR, None, None))
        specials += [
            (f"head{i}", Role.HEAD_OF_DIRECTORATE, d, None) for i, d in enumerate(directorates)
        ]
        specials += [
            (f"dept{i}", Role.HEAD_OF_DEPARTMENT, t.directorate, t)
            for i, t in enumerate(departments)
        ]
        people = []
        for i in range(max(n["users"], len(specials))):
            if i < len(specials):
                username, role, directorate, department = specials[i]
            else:
                department = departments[i % len(departments)]
                username, role, directorate = f"staff{i}", Role.STAFF, department.directorate
            people.append(
                (
                    User(
                        username=username,
                        password=password,
                        first_name=f"Όνομα{i}",
                        last_name=f"Επώνυμο{i}",
                        email=f"{username}@bench.example",
                        directorate=directorate,
                        department=department,
                        is_staff=role == Role.ADMINISTRATOR,
                    ),
                    role,
                )
            )
        users = User.objects.bulk_create([user for user, _role in people], batch_size=BATCH)
        User.groups.through.objects.bulk_create(
            [
                User.groups.through(user_id=user.pk, group_id=groups[role].pk)
                for user, (_u, role) in zip(users, people, strict=True)
            ],
            batch_size=BATCH,
        )
        by_name = {user.username: user for user in users}
        mayor, gs = by_name["mayor"], by_name["gs"]
        heads = {d.pk: by_name[f"head{i}"] for i, d in enumerate(directorates)}
        for directorate in directorates:
            directorate.head = heads[directorate.pk]
        Directorate.objects.bulk_update(directorates, ["head"], batch_size=BATCH)
        for i, department in enumerate(departments):
            department.head = by_name[f"dept{i}"]
        Department.objects.bulk_update(departments, ["head"], batch_size=BATCH)
        departments_of = {}
        for department in departments:
            departments_of.setdefault(department.directorate_id, []).append(department)

        # Cycles, one a year.
        cycles = []
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            if year == LAST_YEAR:
                phase = GoalCycle.Phase.CONSULTATION
                opens, closes = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
            else:
                phase = GoalCycle.Phase.MONITORING if year == 2026 else GoalCycle.Phase.CLOSED
                opens = datetime.date(year - 1, 10, 1)
                closes = datetime.date(year - 1, 10, 31)
            cycles.append(
                GoalCycle(
                    year=year,
                    phase=phase,
                    consultation_opens_on=opens,
                    consultation_closes_on=closes,
                )
            )
        cycles = GoalCycle.objects.bulk_create(cycles)
        adopted = [c for c in cycles if c.phase != GoalCycle.Phase.CONSULTATION]
        decisions = MayoralDecision.objects.bulk_create(
            [
                MayoralDecision(
                    cycle=c,
                    number=str(100 + i),
                    protocol_number=f"{c.year - 1}/{1000 + i}",
                    decision_date=datetime.date(c.year - 1, 12, 15),
                    ada=f"Ψ4Κ{c.year}-{i:03d}",
                    subject=f"Έγκριση στοχοθεσίας {c.year}",
                    status=MayoralDecision.Status.POSTED,
                    prepared_by=gs,
                    signatory=mayor,
                    recorded_by=mayor,
                    signed_at=now,
                    posted_on=datetime.date(c.year - 1, 12, 16),
                    posted_by=gs,
                    posted_at=now,
                )
                for i, c in enumerate(adopted)
            ]
        )
        del decisions

        # Goals: an even share per cycle and directorate.
        kinds = list(Goal.TargetKind)
        categories = list(Goal.Category)
        goals = []
        for i in range(n["goals"]):
            cycle = cycles[i % len(cycles)]
            directorate = directorates[(i // len(cycles)) % len(directorates)]
            kind = kinds[i % len(kinds)]
            baseline, target = {
                Goal.TargetKind.INCREASE: (Decimal(100), Decimal(150)),
                Goal.TargetKind.DECREASE: (Decimal(60), Decimal(40)),
                Goal.TargetKind.PERCENTAGE: (Decimal(50), Decimal(80)),
                Goal.TargetKind.MILESTONE: (None, None),
            }[kind]
            code = f"{directorate.code}-{i:06d}"
            title = f"Βελτίωση της εξυπηρέτησης των δημοτών {i}"
            description = "Μείωση του χρόνου αναμονής και ψηφιοποίηση των αιτήσεων."
            indicator = "Αιτήσεις που διεκπεραιώθηκαν μέσα στην προθεσμία"
            goals.append(
                Goal(
                    cycle=cycle,
                    directorate=directorate,
                    category=categories[i % len(categories)],
                    code=code,
                    title=title,
                    description=description,
                    indicator=indicator,
                    target_kind=kind,
                    baseline=baseline,
                    target=target,
                    deadline=datetime.date(cycle.year, 12, 31),
                    weight=rng.randint(1, 20),
                    status=Goal.Status.ADOPTED if cycle in adopted else Goal.Status.ACCEPTED,
                    proposed_by=heads[directorate.pk],
                    search_text=normalise_for_search(
                        " ".join([code, title, description, indicator])
                    ),
                    title_key=title_key(title),
                )
            )
        # In the order a municipality writes them: a year's goals together, in that year (the
        # database then keeps a cycle's goals side by side, as it would a real one's).
        goals.sort(key=lambda goal: (goal.cycle.year, goal.directorate.order, goal.code))
        goals = Goal.objects.bulk_create(goals, batch_size=BATCH)
        open_cycle = cycles[-1]

        # Observations: on goals of every cycle (made during its consultation); answered in
        # the past cycles, waiting in the open one.
        observations = []
        for i in range(n["observations"]):
            goal = goals[rng.randrange(len(goals))]
            answered = goal.cycle_id != open_cycle.pk
            observations.append(
                Observation(
                    cycle_id=goal.cycle_id,
                    goal=goal,
                    directorate_id=goal.directorate_id,
                    author=heads[goal.directorate_id],
                    text=f"Προτείνουμε να αναθεωρηθεί η τιμή-στόχος ({i}).",
                    status=Observation.Status.NOTED if answered else Observation.Status.PENDING,
                    reply="Ελήφθη υπόψη." if answered else "",
                    answered_by=gs if answered else None,
                    answered_at=now if answered else None,
                )
            )
        observations.sort(key=lambda observation: observation.goal.cycle.year)  # year by year
        Observation.objects.bulk_create(observations, batch_size=BATCH)
        del observations

        # Allocations (one department per adopted goal) and progress updates on them.
        allocations = []
        for goal in goals:
            if goal.cycle_id == open_cycle.pk:
                continue
            department = rng.choice(departments_of[goal.directorate_id])
            allocations.append(
                Allocation(
                    goal=goal,
                    department=department,
                    title=goal.title,
                    indicator=goal.indicator,
                    unit_of_measure=goal.unit_of_measure,
                    baseline=goal.baseline,
                    target=goal.target,
                    deadline=goal.deadline,
                    share=Decimal(100),
                    allocated_by=heads[goal.directorate_id],
                )
            )
        allocations = Allocation.objects.bulk_create(allocations, batch_size=BATCH)
        statuses = list(ProgressUpdate.Status)
        updates = []
        # Month by month of each year, as the updates come in.
        order = sorted(
            range(n["progress"] if allocations else 0),
            key=lambda i: (allocations[i % len(allocations)].deadline.year, i // len(allocations)),
        )
        for i in order:
            allocation = allocations[i % len(allocations)]
            year = allocation.deadline.year
            updates.append(
                ProgressUpdate(
                    goal_id=allocation.goal_id,
                    allocation=allocation,
                    value=Decimal(rng.randint(0, 150)),
                    measured_on=datetime.date(year, 1 + (i // len(allocations)) % 12, 28),
                    status=statuses[i % len(statuses)],
                    author=heads[allocation.goal.directorate_id],
                )
            )
            if len(updates) >= BATCH:
                ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
                updates = []
        ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
        # A bulk load goes round the services: store the goals' achievements as they would.
        store_every_achievement()

        # Meetings every two weeks, the most recent ones still to come; agenda and attendance.
        start = datetime.date(2026, 12, 15) - datetime.timedelta(weeks=2 * n["meetings"])
        meetings = []
        for i in range(n["meetings"]):
            date = start + datetime.timedelta(weeks=2 * (i + 1))
            past = date < datetime.date(2026, 11, 28)
            meetings.append(
                Meeting(
                    planned_date=date,
                    date=date,
                    start_time=datetime.time(10, 0),
                    duration=90,
                    place="Αίθουσα Δημοτικού Συμβουλίου",
                    mayor_attends=i % 2 == 0,
                    status=Meeting.Status.HELD if past else Meeting.Status.SCHEDULED,
                    agenda_published_at=now,
                )
            )
        meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        items, attendances = [], []
        head_list = list(heads.values())
        for meeting in meetings:
            for order in range(4):
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        order=order,
                        title=f"Πρόοδος των στόχων, θέμα {order + 1}",
                        presenter=rng.choice(head_list),
                    )
                )
            if meeting.status != Meeting.Status.HELD:
                continue
            invited = [mayor, gs, *rng.sample(head_list, min(10, len(head_list)))]
            attendances += [
                Attendance(meeting=meeting, person=p, status=rng.choice(list(Attendance.Status)))
                for p in invited
            ]
        AgendaItem.objects.bulk_create(items, batch_size=BATCH)
        Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    # The planner's statistics and the visibility map, as autovacuum would have them a little
    # after such a load in a real database: without them the planner guesses (it scans every
    # goal to find one adopted) and counts read every row instead of the index alone.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoxothesia.settings")
    import django

    django.setup()
    print(generate(scale=args.scale))


if __name__ == "__main__":
    main()
