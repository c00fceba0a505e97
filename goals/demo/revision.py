"""Demo: the mid-year revision of a monitored year, told as the amendment did it.

Besides relaxing a target (goals/demo/past_years.py), the amendment withdraws the certificates
goal of Administrative Services (certificates are now issued automatically through gov.gr) and
adds a cyber-security training goal for Digital Transformation, written by the General Secretary
in June; the cycle's revision window runs from June to July, as the Ministry's circular set it.
"""

import datetime
from decimal import Decimal

from directorates.models import Directorate, User
from goals.models import Goal, GoalCycle, MayoralDecision

WITHDRAWN_SUFFIX = "DIOI-01"
WITHDRAWAL_REASON = (
    "Από τον Ιούνιο τα πιστοποιητικά δημοτολογίου εκδίδονται αυτόματα μέσω του gov.gr: ο "
    "χρόνος έκδοσής τους δεν μετρά πλέον την εργασία του τμήματος."
)
ADDED_CODE = "PSIF-05"
ADDITION_REASON = (
    "Μετά το περιστατικό κυβερνοεπίθεσης του Μαΐου, η εκπαίδευση του προσωπικού στην "
    "κυβερνοασφάλεια γίνεται προτεραιότητα της χρονιάς."
)


def revise_the_year(*, cycle: GoalCycle, draft: MayoralDecision, secretary: User) -> None:
    """Set the cycle's revision window and put the withdrawal and the addition in the draft."""
    from goals.services.revision import propose_goal_addition, propose_goal_withdrawal

    cycle.revision_opens_on = datetime.date(cycle.year, 6, 1)
    cycle.revision_closes_on = datetime.date(cycle.year, 7, 31)
    cycle._history_user = secretary
    cycle.save(update_fields=["revision_opens_on", "revision_closes_on"])
    withdrawn = cycle.goals.filter(code=WITHDRAWN_SUFFIX, status=Goal.Status.ADOPTED).first()
    if withdrawn is not None:
        propose_goal_withdrawal(
            decision=draft, goal=withdrawn, by=secretary, reason=WITHDRAWAL_REASON
        )
    added = _goal_written_in_june(cycle, secretary)
    if added is not None:
        propose_goal_addition(decision=draft, goal=added, by=secretary, reason=ADDITION_REASON)


def _goal_written_in_june(cycle: GoalCycle, secretary: User) -> Goal | None:
    directorate = Directorate.objects.filter(code="PSIF").first()
    if directorate is None or cycle.goals.filter(code=ADDED_CODE).exists():
        return None
    goal = Goal(
        cycle=cycle,
        directorate=directorate,
        category=Goal.Category.SKILLS,
        code=ADDED_CODE,
        title="Εκπαίδευση του προσωπικού στην κυβερνοασφάλεια",
        indicator="Ποσοστό του προσωπικού με πιστοποίηση κυβερνοασφάλειας",
        unit_of_measure="%",
        target_kind=Goal.TargetKind.PERCENTAGE,
        baseline=Decimal(0),
        target=Decimal(30),
        deadline=datetime.date(cycle.year, 12, 31),
        weight=20,
        status=Goal.Status.ACCEPTED,
    )
    goal._history_user = secretary
    goal.full_clean()
    goal.save()
    return goal
