"""Demo goal setting for Heraklion: the 2025 cycle in consultation, with goals and observations.

Every function here only creates what is missing, so running it twice changes nothing (no new
rows, no new history). The demo cycle is for 2025 but must be usable on any day: when it is
first created, its consultation window is set to run from two weeks before today to six weeks
after, so that heads can submit observations while the demo is explored. Change the dates in
the cycle page ("Edit dates") to see the closed window.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from directorates.models import Directorate, User
from goals import reports
from goals.achievement import achievement as compute_achievement
from goals.models import (
    Goal,
    GoalCycle,
    Observation,
    ProgrammeAction,
    ProgrammeAxis,
    ProgrammeMeasure,
    ProgressUpdate,
)
from goals.services import answer_observation

YEAR = 2025  # 2024 is adopted and monitored, 2023 closed: see seed_decisions below

# (axis, measure, action): code and title of each level of the Operational Programme.
PROGRAMME = [
    (
        ("1", "Ανάπτυξη της διοικητικής ικανότητας του Δήμου"),
        ("1.1", "Ψηφιακός μετασχηματισμός των υπηρεσιών"),
        ("1.1.1", "Ηλεκτρονικές υπηρεσίες προς τους πολίτες"),
    ),
    (
        ("1", "Ανάπτυξη της διοικητικής ικανότητας του Δήμου"),
        ("1.2", "Οικονομική διαχείριση και διαφάνεια"),
        ("1.2.1", "Εξορθολογισμός των πληρωμών και των εσόδων"),
    ),
    (
        ("2", "Περιβάλλον και ποιότητα ζωής"),
        ("2.1", "Διαχείριση αποβλήτων"),
        ("2.1.1", "Επέκταση της ανακύκλωσης στη πηγή"),
    ),
    (
        ("3", "Κοινωνική πολιτική, παιδεία και πολιτισμός"),
        ("3.1", "Κοινωνική προστασία"),
        ("3.1.1", "Ενίσχυση των δομών κοινωνικής φροντίδας"),
    ),
]

# (code suffix, category, title, indicator, unit, kind, baseline, target, deadline (m, d),
#  action code or "", participating directorate codes)
SPECIFIC_GOALS = {
    "DIOI": [
        (
            "01",
            "services",
            "Ταχύτερη έκδοση πιστοποιητικών δημοτολογίου",
            "Μέσος χρόνος έκδοσης πιστοποιητικού",
            "εργάσιμες ημέρες",
            "decrease",
            3,
            1,
            (12, 31),
            "1.1.1",
            [],
        ),
    ],
    "ADYN": [
        (
            "01",
            "organisation",
            "Νέος Οργανισμός Εσωτερικής Υπηρεσίας (ΟΕΥ)",
            "Υποβολή σχεδίου ΟΕΥ στο Δημοτικό Συμβούλιο",
            "",
            "milestone",
            None,
            None,
            (6, 30),
            "",
            ["DIOI"],
        ),
    ],
    "OIK": [
        (
            "01",
            "organisation",
            "Ταχύτερη εξόφληση προμηθευτών",
            "Μέσος χρόνος εξόφλησης τιμολογίων",
            "ημέρες",
            "decrease",
            90,
            60,
            (12, 31),
            "1.2.1",
            ["TEXN"],
        ),
    ],
    "PROG": [
        (
            "01",
            "organisation",
            "Απορρόφηση χρηματοδοτικών προγραμμάτων",
            "Ποσοστό του εγκεκριμένου συγχρηματοδοτούμενου προϋπολογισμού που πληρώθηκε",
            "%",
            "percentage",
            45,
            70,
            (12, 31),
            "1.2.1",
            [],
        ),
    ],
    "PSIF": [
        (
            "01",
            "organisation",
            "Ψηφιοποίηση διαδικασιών",
            "Διαδικασίες διαθέσιμες ηλεκτρονικά",
            "διαδικασίες",
            "increase",
            4,
            12,
            (12, 31),
            "1.1.1",
            ["DIOI", "KEP"],
        ),
        (
            "02",
            "skills",
            "Εκπαίδευση στην κυβερνοασφάλεια",
            "Ποσοστό του προσωπικού με πιστοποίηση",
            "%",
            "percentage",
            0,
            30,
            (11, 30),
            "",
            [],
        ),
    ],
    "POLE": [
        (
            "01",
            "services",
            "Έλεγχος οικοδομικών αδειών εντός προθεσμίας",
            "Ποσοστό ελέγχων εντός της νόμιμης προθεσμίας",
            "%",
            "percentage",
            70,
            90,
            (12, 31),
            "1.1.1",
            [],
        ),
    ],
    "TEXN": [
        (
            "01",
            "services",
            "Ταχύτερες επισκευές οδοστρώματος",
            "Ποσοστό αιτημάτων που κλείνουν σε 10 εργάσιμες ημέρες",
            "%",
            "percentage",
            60,
            90,
            (12, 31),
            "",
            [],
        ),
        (
            "02",
            "skills",
            "Εκπαίδευση στις δημόσιες συμβάσεις",
            "Ποσοστό μηχανικών που εκπαιδεύτηκαν",
            "%",
            "percentage",
            40,
            100,
            (10, 31),
            "",
            [],
        ),
    ],
    "KATH": [
        (
            "01",
            "services",
            "Περισσότερη ανακύκλωση",
            "Τόνοι ανακυκλώσιμων στους μπλε κάδους",
            "τόνοι",
            "increase",
            8200,
            9020,
            (12, 31),
            "2.1.1",
            [],
        ),
    ],
    "KOIN": [
        (
            "01",
            "services",
            "Ταχύτερη εξέταση αιτήσεων κοινωνικής στήριξης",
            "Μέσος χρόνος εξέτασης αίτησης",
            "ημέρες",
            "decrease",
            20,
            12,
            (12, 31),
            "3.1.1",
            [],
        ),
    ],
}

# Goals that every unit has (same code suffix in every directorate).
COMMON_GOALS = [
    (
        "90",
        "skills",
        "Ανταλλαγή γνώσεων μέσα στην υπηρεσία",
        "Εσωτερικές ενημερωτικές συναντήσεις το έτος",
        "συναντήσεις",
        "increase",
        0,
        2,
        (12, 15),
        "",
        [],
    ),
    (
        "91",
        "skills",
        "Επιμόρφωση του προσωπικού",
        "Ποσοστό του προσωπικού με τουλάχιστον μία επιμόρφωση",
        "%",
        "percentage",
        25,
        60,
        (12, 31),
        "",
        [],
    ),
    (
        "92",
        "organisation",
        "Ηλεκτρονική διακίνηση εγγράφων",
        "Ποσοστό εγγράφων που διακινούνται μέσω ηλεκτρονικού πρωτοκόλλου",
        "%",
        "percentage",
        55,
        90,
        (12, 31),
        "1.1.1",
        [],
    ),
    (
        "93",
        "organisation",
        "Καταγραφή και επικαιροποίηση των διαδικασιών",
        "Εγχειρίδιο διαδικασιών της υπηρεσίας εγκεκριμένο",
        "",
        "milestone",
        None,
        None,
        (9, 30),
        "",
        [],
    ),
]

# A services goal for units that have no specific one above.
DEFAULT_SERVICES_GOAL = (
    "01",
    "services",
    "Ταχύτερη απάντηση στα αιτήματα των πολιτών",
    "Μέσος χρόνος απάντησης σε γραπτό αίτημα",
    "ημέρες",
    "decrease",
    15,
    10,
    (12, 31),
    "",
    [],
)

# Goals proposed by the heads, still waiting for the General Secretary.
PROPOSALS = {
    "PROG": (
        "10",
        "services",
        "Ενημέρωση των πολιτών για τα έργα του Επιχειρησιακού Προγράμματος",
        "Δημοσιευμένα δελτία προόδου στον ιστότοπο",
        "δελτία",
        "increase",
        1,
        4,
        (12, 31),
        "",
        [],
    ),
    "OIK": (
        "10",
        "organisation",
        "Ηλεκτρονική τιμολόγηση προμηθευτών",
        "Ποσοστό τιμολογίων που λαμβάνονται ηλεκτρονικά",
        "%",
        "percentage",
        35,
        80,
        (12, 31),
        "1.2.1",
        [],
    ),
    "PSIF": (
        "10",
        "services",
        "Διαθεσιμότητα των ηλεκτρονικών υπηρεσιών",
        "Ώρες μη διαθεσιμότητας των υπηρεσιών το έτος",
        "ώρες",
        "decrease",
        48,
        12,
        (12, 31),
        "1.1.1",
        [],
    ),
}

# (author's directorate, goal code or "" for general, text, proposal, answer, reply)
OBSERVATIONS = [
    (
        "OIK",
        "OIK-01",
        "Ο στόχος των 60 ημερών είναι εφικτός μόνο αν η Τεχνική Υπηρεσία διαβιβάζει τα "
        "πρωτόκολλα παραλαβής εντός 10 ημερών. Προτείνουμε 70 ημέρες για το 2025.",
        {"proposed_target": Decimal("70")},
        "accepted",
        "Συμφωνούμε: ο στόχος γίνεται 70 ημέρες και επανεξετάζεται στην αναθεώρηση.",
    ),
    (
        "PROG",
        "PROG-01",
        "Το ποσοστό απορρόφησης εξαρτάται από την έγκριση των τροποποιήσεων από τη "
        "Διαχειριστική Αρχή. Ζητάμε να σημειωθεί ως εξωγενής παράγοντας.",
        {},
        "noted",
        "Σημειώνεται· θα ληφθεί υπόψη στην αξιολόγηση.",
    ),
    (
        "PSIF",
        "PSIF-01",
        "Προτείνουμε ο δείκτης να μετρά τις διαδικασίες που ολοκληρώνονται πλήρως "
        "ηλεκτρονικά, όχι μόνο όσες έχουν ηλεκτρονική αίτηση.",
        {"proposed_indicator": "Διαδικασίες που ολοκληρώνονται πλήρως ηλεκτρονικά"},
        "",
        "",
    ),
    (
        "DIOI",
        "PSIF-01",
        "Το Τμήμα Δημοτολογίου χρειάζεται εκπαίδευση στο νέο σύστημα πριν από την "
        "ψηφιοποίηση των πιστοποιητικών. Προτείνουμε προθεσμία έως 30 Νοεμβρίου.",
        {"proposed_deadline": datetime.date(YEAR, 11, 30)},
        "",
        "",
    ),
    (
        "TEXN",
        "TEXN-01",
        "Με τα σημερινά συνεργεία το 90% είναι υπερβολικά φιλόδοξο.",
        {"proposed_target": Decimal("80")},
        "rejected",
        "Ο στόχος διατηρείται· εγκρίθηκε η ενίσχυση με δύο νέα συνεργεία.",
    ),
    (
        "KATH",
        "",
        "Οι στόχοι της Διεύθυνσης εξαρτώνται από την έγκαιρη παράδοση των νέων "
        "απορριμματοφόρων· ζητάμε να αναφερθεί στην απόφαση στοχοθεσίας.",
        {},
        "",
        "",
    ),
]


def seed_goals() -> dict[str, int]:
    """Create the 2025 cycle, its goals, proposals and observations where they are missing."""
    created = {"cycles": 0, "goals": 0, "observations": 0}
    actions = _seed_programme()
    today = timezone.localdate()
    cycle, new = GoalCycle.objects.get_or_create(
        year=YEAR,
        defaults={
            "phase": GoalCycle.Phase.CONSULTATION,
            "consultation_opens_on": today - datetime.timedelta(days=14),
            "consultation_closes_on": today + datetime.timedelta(days=42),
        },
    )
    created["cycles"] += new
    secretary = User.objects.filter(username="secretary").first()
    directorates = {d.code: d for d in Directorate.objects.select_related("head")}
    for code, directorate in directorates.items():
        rows = SPECIFIC_GOALS.get(code, [DEFAULT_SERVICES_GOAL]) + COMMON_GOALS
        for row in rows:
            created["goals"] += _ensure_goal(
                cycle, directorate, row, actions, directorates, by=secretary
            )
        if code in PROPOSALS:
            created["goals"] += _ensure_goal(
                cycle, directorate, PROPOSALS[code], actions, directorates, by=directorate.head
            )
    for row in OBSERVATIONS:
        created["observations"] += _ensure_observation(cycle, directorates, row, secretary)
    return created


def _seed_programme() -> dict[str, ProgrammeAction]:
    actions = {}
    for (axis_code, axis_title), (measure_code, measure_title), (code, title) in PROGRAMME:
        axis, _new = ProgrammeAxis.objects.get_or_create(
            code=axis_code, defaults={"title": axis_title}
        )
        measure, _new = ProgrammeMeasure.objects.get_or_create(
            code=measure_code, defaults={"axis": axis, "title": measure_title}
        )
        actions[code], _new = ProgrammeAction.objects.get_or_create(
            code=code, defaults={"measure": measure, "title": title}
        )
    return actions


def _ensure_goal(cycle, directorate, row, actions, directorates, *, by) -> int:
    suffix, category, title, indicator, unit, kind, baseline, target, deadline = row[:9]
    action_code, participants = row[9], row[10]
    code = f"{directorate.code}-{suffix}"
    if Goal.objects.filter(cycle=cycle, code=code).exists():
        return 0
    proposal = by is not None and by.username != "secretary"
    goal = Goal(
        cycle=cycle,
        directorate=directorate,
        category=category,
        code=code,
        title=title,
        description="",
        indicator=indicator,
        unit_of_measure=unit,
        target_kind=kind,
        baseline=baseline,
        target=target,
        deadline=datetime.date(cycle.year, *deadline),
        weight=20,
        programme_action=actions.get(action_code),
        status=Goal.Status.PROPOSED if proposal else Goal.Status.ACCEPTED,
        proposed_by=by if proposal else None,
    )
    goal._history_user = by
    goal.save()
    if participants:
        goal.participating_directorates.set(
            [directorates[c] for c in participants if c in directorates]
        )
    return 1


def _ensure_observation(cycle, directorates, row, secretary) -> int:
    directorate_code, goal_code, text, proposal, answer, reply = row
    directorate = directorates.get(directorate_code)
    if directorate is None or directorate.head is None:
        return 0
    if Observation.objects.filter(cycle=cycle, directorate=directorate, text=text).exists():
        return 0
    goal = Goal.objects.filter(cycle=cycle, code=goal_code).first() if goal_code else None
    observation = Observation(
        cycle=cycle,
        goal=goal,
        directorate=directorate,
        author=directorate.head,
        text=text,
        **proposal,
    )
    # The demo's observations count as already reported: the first digest stays empty.
    observation.digest_sent_at = timezone.now()
    observation._history_user = directorate.head
    observation.save()
    if answer:
        # Through the real workflow, so that an accepted change shows in the goal's history.
        answer_observation(
            observation=observation,
            by=secretary,
            status=answer,
            reply=reply,
            apply_change=answer == Observation.Status.ACCEPTED and observation.proposes_change,
        )
    return 1


# =================================================================================================
# Issue 4: the 2024 cycle adopted and monitored, with one amendment; the 2023 cycle closed.
# =================================================================================================
# The demo's story: 2023 was adopted, evaluated and closed; 2024 was adopted by decision 118/2024,
# allocated to departments, reported on all year (some goals behind) and amended in July; the
# 2025 goals are in consultation (above). Everything goes through the real workflows, so the
# goals' history shows who adopted, amended and evaluated what.
PAST_CYCLES = {
    # year: (decision number, protocol number, date, ΑΔΑ)
    2023: ("97", "5.913", datetime.date(2023, 3, 2), "9ΖΤ1ΩΗΓ-Λ4Φ"),
    2024: ("118", "6.842", datetime.date(2024, 2, 27), "Ψ4ΚΣΩΗΓ-3ΞΛ"),
}
AMENDMENT_2024 = ("412", "28.377", datetime.date(2024, 7, 18), "6ΡΛ4ΩΗΓ-Ξ7Β")
# How each goal fares over the year, by its position: (share of the distance covered by year
# end, reported status). Most are on track, some at risk, some behind.
PROFILES = [
    (Decimal("1.05"), "on_track"),
    (Decimal("0.95"), "on_track"),
    (Decimal("1.0"), "on_track"),
    (Decimal("0.7"), "at_risk"),
    (Decimal("1.0"), "on_track"),
    (Decimal("0.35"), "behind"),
    (Decimal("0.9"), "on_track"),
]


def seed_decisions() -> dict[str, int]:
    """Create the 2023 and 2024 cycles and take them as far as the story goes; idempotent."""
    from goals import services

    created = {"decisions": 0, "allocations": 0, "progress updates": 0, "evaluations": 0}
    mayor = User.objects.filter(username="mayor").first()
    secretary = User.objects.filter(username="secretary").first()
    if mayor is None or secretary is None:
        return created
    for year in PAST_CYCLES:
        cycle = _past_cycle(year, secretary)
        if cycle.phase == GoalCycle.Phase.CONSULTATION:
            draft = services.prepare_decision(cycle=cycle, by=secretary)
            _issue(draft, mayor, PAST_CYCLES[year])
            created["decisions"] += 1
            cycle.refresh_from_db()
        if cycle.phase == GoalCycle.Phase.ALLOCATION:
            goals = _adopted_goals(cycle)
            if year == 2024:
                created["allocations"] += _allocate_most(goals)
            services.advance_cycle(cycle=cycle, to_phase=GoalCycle.Phase.MONITORING, by=secretary)
            if year == 2024:
                created["progress updates"] += _report_the_year(goals, until_month=6)
                created["decisions"] += _amend_2024(cycle, secretary, mayor)
                created["progress updates"] += _report_the_year(goals, from_month=7)
            cycle.refresh_from_db()
        if year == 2023 and cycle.phase == GoalCycle.Phase.MONITORING:
            services.open_evaluation(cycle=cycle, by=secretary)
            created["evaluations"] += _evaluate_all(_adopted_goals(cycle), secretary)
            services.close_cycle(cycle=cycle, by=secretary)
    return created


def _past_cycle(year: int, secretary: User) -> GoalCycle:
    """The cycle of a past year with the same goals as the demo's consultation, if missing."""
    cycle, new = GoalCycle.objects.get_or_create(
        year=year,
        defaults={
            "phase": GoalCycle.Phase.CONSULTATION,
            "consultation_opens_on": datetime.date(year, 1, 15),
            "consultation_closes_on": datetime.date(year, 2, 10),
        },
    )
    if new:
        actions = _seed_programme()
        directorates = {d.code: d for d in Directorate.objects.select_related("head")}
        for code, directorate in directorates.items():
            for row in SPECIFIC_GOALS.get(code, [DEFAULT_SERVICES_GOAL]) + COMMON_GOALS:
                _ensure_goal(cycle, directorate, row, actions, directorates, by=secretary)
    return cycle


def _adopted_goals(cycle: GoalCycle) -> list[Goal]:
    return list(
        cycle.goals.filter(status=Goal.Status.ADOPTED)
        .select_related("directorate__head", "cycle")
        .order_by("directorate__order", "code")
    )


def _profile(index: int) -> tuple[Decimal, str]:
    return PROFILES[index % len(PROFILES)]


def _allocate_most(goals: list[Goal]) -> int:
    """Each goal to one or two departments (60/40); every ninth goal is left for the head."""
    from goals import services

    count = 0
    for index, goal in enumerate(goals):
        head = goal.directorate.head
        departments = list(goal.directorate.departments.active().order_by("order")[:2])
        if index % 9 == 8 or not departments or head is None or goal.allocations.exists():
            continue
        shares = [Decimal(100)] if len(departments) == 1 else [Decimal(60), Decimal(40)]
        rows = [
            {
                "department": department,
                "specification": "",
                "baseline": goal.baseline,
                "target": goal.target,
                "deadline": goal.deadline,
                "share": share,
            }
            for department, share in zip(departments, shares, strict=True)
        ]
        services.save_allocations(goal=goal, by=head, rows=rows, stamp="")
        count += len(rows)
    return count


def _report_the_year(goals: list[Goal], *, from_month: int = 4, until_month: int = 12) -> int:
    """Monthly measurements at the end of each month from April, by each department's head.

    Written in bulk (the demo records over a thousand); `services.record_progress` is what
    people use, and its rules hold for every row made here: adopted goals, dates in the year.
    """
    updates = []
    for index, goal in enumerate(goals):
        goal.refresh_from_db(fields=["target", "baseline"])
        reach, status = _profile(index)
        head = goal.directorate.head
        if head is None:
            continue
        allocations = list(goal.allocations.select_related("department__head"))
        # A goal reported behind stops being reported in the autumn: it shows up as overdue.
        last_month = 9 if status == "behind" else until_month
        for month in range(from_month, min(until_month, last_month) + 1):
            if month < 12:
                measured_on = datetime.date(goal.cycle.year, month + 1, 1) - datetime.timedelta(1)
            else:
                measured_on = datetime.date(goal.cycle.year, 12, 20)
            value = _value(goal, reach * Decimal(month - 3) / 9)
            for allocation in allocations or [None]:
                author = (allocation and allocation.department.head) or head
                updates.append(
                    ProgressUpdate(
                        goal=goal,
                        allocation=allocation,
                        value=value,
                        measured_on=measured_on,
                        status=status,
                        author=author,
                    )
                )
    ProgressUpdate.objects.bulk_create(updates)
    # bulk_create sends no signals: store the goals' achievements as recording them would.
    reports.store_achievement({update.goal_id for update in updates})
    return len(updates)


def _value(goal: Goal, covered: Decimal) -> Decimal:
    """The indicator's value once this share of the distance from baseline to target is covered."""
    if goal.is_milestone:
        return Decimal(1) if covered >= 1 else Decimal(0)
    start = goal.baseline or Decimal(0)
    value = start + (goal.target - start) * covered
    if goal.target_kind == Goal.TargetKind.PERCENTAGE:
        value = min(value, Decimal(100))
    return value.quantize(Decimal("0.1"))


def _amend_2024(cycle: GoalCycle, secretary: User, mayor: User) -> int:
    """July 2024: the payments goal's target is relaxed from 60 to 70 days."""
    from goals import services

    adoption = cycle.decisions.get(kind="adoption")
    goal = cycle.goals.filter(code="OIK-01", status=Goal.Status.ADOPTED).first()
    if goal is None or adoption.amendments.exists():
        return 0
    draft = services.prepare_decision(cycle=cycle, amends=adoption, by=secretary)
    services.propose_goal_change(
        decision=draft,
        goal=goal,
        by=secretary,
        values={"target": Decimal(70)},
        reason="Οι καθυστερήσεις στην παραλαβή των υλικών από τις τεχνικές υπηρεσίες "
        "δεν επιτρέπουν τις 60 ημέρες φέτος.",
    )
    draft.refresh_from_db()
    _issue(draft, mayor, AMENDMENT_2024)
    return 1


def _issue(draft, mayor: User, numbers: tuple) -> None:
    from goals import services

    number, protocol, on, ada = numbers
    services.issue_decision(
        decision=draft,
        by=mayor,
        number=number,
        protocol_number=protocol,
        decision_date=on,
        ada=ada,
        expected_version=draft.version,
    )


def _evaluate_all(goals: list[Goal], secretary: User) -> int:
    from goals import services

    for index, goal in enumerate(goals):
        reach, _status = _profile(index)
        final = _value(goal, reach)
        percent = compute_achievement(
            kind=goal.target_kind, baseline=goal.baseline, target=goal.target, value=final
        )
        services.evaluate_goal(
            goal=goal,
            by=secretary,
            final_value=final,
            justification=""
            if percent >= 100
            else "Δεν επιτεύχθηκε πλήρως λόγω έλλειψης προσωπικού και καθυστερήσεων "
            "στις προμήθειες.",
            expected_stamp="",
        )
    return len(goals)
