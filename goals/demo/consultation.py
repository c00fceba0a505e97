"""Demo goal setting for Heraklion: next year's cycle in consultation, with goals and observations.

Every function here only creates what is missing, so running it twice changes nothing (no new
rows, no new history). The demo cycle is for next year (`goals.demo.years`): when it is
first created, its consultation window is set to run from two weeks before today to six weeks
after, so that heads can submit observations while the demo is explored. Change the dates in
the cycle page ("Edit dates") to see the closed window.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from directorates.models import Directorate, User
from goals.demo import years
from goals.demo.years import STORY_YEAR
from goals.models import (
    ActionProgramme,
    Goal,
    GoalCycle,
    Observation,
    OperationalPlan,
    ProgrammeAction,
    ProgrammeAxis,
    ProgrammeMeasure,
)
from goals.services.observations import answer_observation

# The Operational Plan of the municipal term (title, first and last year, the Municipal
# Council's approving decision), and the years with an Annual Action Programme (approved by the
# Council at the end of the year before) that lists every action below.
PLAN = ("Επιχειρησιακό Πρόγραμμα Δήμου Ηρακλείου", STORY_YEAR, 2028, "245/2023")


def programme_years() -> range:
    """From the plan's first year to next year's (the plan runs on while the demo does)."""
    return range(STORY_YEAR, years.consultation_year() + 1)


# (axis, measure, action): code and title of each level of the Operational Plan.
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

# Next year's draft, as the SMART check (goals/smart.py) reads it. The goals every unit has are
# specified for each unit (a title copied in every directorate is warned of), while the
# services goal of the units without a specific one is still the same text in each of them; the
# Technical Works' two specific goals share the 20 of one, so that their weights add up to 100,
# while Digital Transformation's six goals still weigh 120; and the Planning's proposal to
# inform the citizens names an activity, not an outcome.
DEFAULT_WEIGHT = 20
CONSULTATION_WEIGHTS = {"TEXN-01": 10, "TEXN-02": 10}


def specified_for(row: tuple, directorate: Directorate) -> tuple:
    """A goal every unit has, its title specified for the unit."""
    return (row[0], row[1], f"{row[2]} — {directorate.name}", *row[3:])


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
        "πρωτόκολλα παραλαβής εντός 10 ημερών. Προτείνουμε 70 ημέρες για το νέο έτος.",
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
        {"proposed_deadline": (11, 30)},
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
    """Create next year's cycle, its goals, proposals and observations where they are missing."""
    created = {"cycles": 0, "goals": 0, "observations": 0}
    actions = seed_programme()
    today = years.today()
    cycle, new = GoalCycle.objects.get_or_create(
        year=years.consultation_year(),
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
        common = [specified_for(row, directorate) for row in COMMON_GOALS]
        for row in SPECIFIC_GOALS.get(code, [DEFAULT_SERVICES_GOAL]) + common:
            weight = CONSULTATION_WEIGHTS.get(f"{code}-{row[0]}", DEFAULT_WEIGHT)
            created["goals"] += ensure_goal(
                cycle, directorate, row, actions, directorates, by=secretary, weight=weight
            )
        if code in PROPOSALS:
            created["goals"] += ensure_goal(
                cycle, directorate, PROPOSALS[code], actions, directorates, by=directorate.head
            )
    for row in OBSERVATIONS:
        created["observations"] += ensure_observation(cycle, directorates, row, secretary)
    return created


def seed_programme() -> dict[str, ProgrammeAction]:
    """The Operational Plan, its axes, measures and actions, and the action programmes of
    `programme_years()`; the actions by code."""
    title, start, end, council_decision = PLAN
    plan, _new = OperationalPlan.objects.get_or_create(
        title=title,
        start_year=start,
        defaults={
            "end_year": max(end, years.consultation_year()),
            "council_decision": council_decision,
        },
    )
    actions = {}
    for (axis_code, axis_title), (measure_code, measure_title), (code, title) in PROGRAMME:
        axis, _new = ProgrammeAxis.objects.get_or_create(
            plan=plan, code=axis_code, defaults={"title": axis_title}
        )
        measure, _new = ProgrammeMeasure.objects.get_or_create(
            axis=axis, code=measure_code, defaults={"title": measure_title}
        )
        actions[code], _new = ProgrammeAction.objects.get_or_create(
            measure=measure, code=code, defaults={"title": title}
        )
    for year in programme_years():
        programme, new = ActionProgramme.objects.get_or_create(
            year=year, defaults={"plan": plan, "council_decision": f"{310 + year % 10}/{year - 1}"}
        )
        if new:
            programme.actions.set(actions.values())
    return actions


def ensure_goal(
    cycle, directorate, row, actions, directorates, *, by, weight: int = DEFAULT_WEIGHT
) -> int:
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
        weight=weight,
        # Only the years of an action programme have actions to serve.
        programme_action=actions.get(action_code) if cycle.year in programme_years() else None,
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


def ensure_observation(cycle, directorates, row, secretary, *, answer_later=False) -> int:
    """The observation of this row, submitted by its directorate's head if missing; answered by
    the General Secretary as the row says, unless `answer_later` (a later call answers it)."""
    directorate_code, goal_code, text, proposal, answer, reply = row
    directorate = directorates.get(directorate_code)
    if directorate is None or directorate.head is None:
        return 0
    observation = Observation.objects.filter(
        cycle=cycle, directorate=directorate, text=text
    ).first()
    new = observation is None
    if new:
        goal = Goal.objects.filter(cycle=cycle, code=goal_code).first() if goal_code else None
        observation = Observation(
            cycle=cycle,
            goal=goal,
            directorate=directorate,
            author=directorate.head,
            text=text,
            **_in_year(proposal, cycle.year),
        )
        # The demo's observations count as already reported: the first digest stays empty.
        observation.digest_sent_at = timezone.now()
        observation._history_user = directorate.head
        observation.save()
    if answer and not answer_later and not observation.is_answered:
        # Through the real workflow, so that an accepted change shows in the goal's history.
        answer_observation(
            observation=observation,
            by=secretary,
            status=answer,
            reply=reply,
            apply_change=answer == Observation.Status.ACCEPTED and observation.proposes_change,
        )
    return int(new)


def _in_year(proposal: dict, year: int) -> dict:
    """A proposed deadline is written (month, day): it falls in the cycle's year."""
    return {
        key: datetime.date(year, *value) if key == "proposed_deadline" else value
        for key, value in proposal.items()
    }
