"""The demo's department goals and allocation acts, on the cycle being monitored (found by its
phase, whatever its year).

The heads of Digital Governance, of Planning and of Finance word their directorates' goals for each
department ("… : συμβολή του Τμήματος Εφαρμογών"), then issue their act of specification and
allocation of goals with a protocol number, two weeks after the adoption decision was posted
(not after today). Everything goes through the real services; idempotent: a directorate that has
an act in the cycle is left alone.
"""

import datetime

from django.utils import timezone

from directorates.models import Directorate
from goals.models import Allocation, AllocationAct, Goal, GoalCycle, MayoralDecision

DIRECTORATES = {
    "PSIF": "1184",
    "PROG": "1196",
    "OIK": "1207",
}  # and the protocol number of each one's act


def seed_allocation_acts() -> dict[str, int]:
    from goals.services.allocation_acts import issue_act, prepare_act

    created = {"department goals worded": 0, "allocation acts": 0}
    cycle = GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES).order_by("-year").first()
    if cycle is None:
        return created
    issued_on = _issued_on(cycle)
    directorates = Directorate.objects.filter(code__in=DIRECTORATES).select_related("head")
    for directorate in directorates.order_by("order"):
        head = directorate.head
        if head is None or AllocationAct.objects.filter(directorate=directorate, cycle=cycle):
            continue
        created["department goals worded"] += _word_department_goals(directorate, cycle, head)
        act = prepare_act(directorate=directorate, cycle=cycle, by=head)
        issue_act(
            act=act,
            by=head,
            protocol_number=DIRECTORATES[directorate.code],
            issued_on=issued_on,
            expected_version=act.version,
        )
        created["allocation acts"] += 1
    return created


def _issued_on(cycle: GoalCycle) -> datetime.date:
    """Two weeks after the goals' adoption was posted on Diavgeia (within the cycle's year), and
    not after today."""
    decision = (
        MayoralDecision.objects.filter(
            cycle=cycle, kind=MayoralDecision.Kind.ADOPTION, posted_on__isnull=False
        )
        .order_by("posted_on")
        .first()
    )
    day = decision.posted_on + datetime.timedelta(days=14) if decision else None
    if day is None or day.year < cycle.year:
        day = datetime.date(cycle.year, 1, 15)
    return min(day, timezone.localdate())


def _word_department_goals(directorate: Directorate, cycle: GoalCycle, head) -> int:
    """Each department goal says which department's part of the goal it is."""
    allocations = Allocation.objects.filter(
        goal__cycle=cycle, goal__status=Goal.Status.ADOPTED, department__directorate=directorate
    ).select_related("goal", "department")
    count = 0
    for allocation in allocations:
        if allocation.title != allocation.goal.title:
            continue
        department = _genitive(allocation.department.name)
        allocation.title = f"{allocation.goal.title}: συμβολή του {department}"
        allocation._history_user = head
        allocation.save(update_fields=["title", "updated_at"])
        count += 1
    return count


def _genitive(name: str) -> str:
    """A department's name in the genitive: "Τμήμα Εσόδων" → "Τμήματος Εσόδων"."""
    return "Τμήματος" + name.removeprefix("Τμήμα") if name.startswith("Τμήμα ") else name
