"""The SMART check's rules, one by one, and the whole cycle's check (goals/smart.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from goals.smart import (
    Measure,
    copied_titles,
    cycle_warnings,
    deadline_warnings,
    indicator_warnings,
    is_activity_title,
    title_warnings,
    weights_warning,
)
from tests.factories import (
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    GoalIndicatorFactory,
)


def codes(warnings) -> list[str]:
    return [warning.code for warning in warnings]


def measure(**changes) -> Measure:
    values = {
        "name": "Μέσος χρόνος εξόφλησης",
        "unit_of_measure": "ημέρες",
        "target_kind": "decrease",
        "baseline": Decimal(90),
        "target": Decimal(60),
    }
    return Measure(**{**values, **changes})


# --- One indicator --------------------------------------------------------------------------------
def test_a_measurable_indicator_has_no_warning():
    assert indicator_warnings(measure()) == []


def test_an_indicator_without_a_unit_is_warned_of():
    assert codes(indicator_warnings(measure(unit_of_measure="  "))) == ["no_unit"]


def test_an_indicator_without_a_baseline_is_warned_of():
    with translation.override("el"):  # the interface's language, whatever ran before
        warnings = indicator_warnings(measure(target_kind="increase", baseline=None))
    assert codes(warnings) == ["no_baseline"]
    assert "τιμή βάσης" in warnings[0].reason  # in Greek, the interface's language


def test_a_target_equal_to_the_baseline_is_warned_of():
    same = measure(target_kind="percentage", baseline=Decimal(70), target=Decimal("70.00"))
    assert codes(indicator_warnings(same)) == ["target_equals_baseline"]


def test_a_target_different_from_the_baseline_is_not_warned_of():
    assert indicator_warnings(measure(target_kind="percentage", baseline=70, target=90)) == []


def test_a_milestone_needs_no_unit_nor_baseline():
    milestone = measure(target_kind="milestone", unit_of_measure="", baseline=None, target=None)
    assert indicator_warnings(milestone) == []


# --- The deadline ---------------------------------------------------------------------------------
def test_a_deadline_outside_the_cycles_year_is_warned_of():
    warnings = deadline_warnings(datetime.date(2025, 1, 15), 2024)
    assert codes(warnings) == ["deadline_outside_year"]
    assert "2024" in warnings[0].reason


def test_a_deadline_inside_the_cycles_year_is_not_warned_of():
    assert deadline_warnings(datetime.date(2024, 12, 31), 2024) == []


# --- The title: outcome or activity ---------------------------------------------------------------
@pytest.mark.parametrize(
    "title",
    [
        "Διοργάνωση ημερίδας για την ανακύκλωση",
        "ΔΙΟΡΓΑΝΩΣΗ ΗΜΕΡΙΔΑΣ",  # capitals without accents
        "διοργανωση ημεριδας",  # no accents at all
        "Συμμετοχή σε προγράμματα κατάρτισης",
        "Υλοποίηση του προγράμματος ψηφιοποίησης",
        "Σύνταξη κανονισμού καθαριότητας",
        "Παρακολούθηση των συμβάσεων",
        "Εκπόνηση μελέτης κυκλοφορίας",
        "Ενημέρωση των πολιτών για τα έργα",
    ],
)
def test_a_title_that_names_an_activity_is_warned_of(title):
    assert is_activity_title(title)
    assert codes(title_warnings(title)) == ["activity_title"]


@pytest.mark.parametrize(
    "title",
    [
        "Μείωση του χρόνου εξόφλησης προμηθευτών",
        "Ταχύτερη έκδοση πιστοποιητικών",
        "Υλοποίηση προγράμματος για αύξηση της ανακύκλωσης",  # a result word after the activity
        "ΥΛΟΠΟΙΗΣΗ ΠΡΟΓΡΑΜΜΑΤΟΣ ΓΙΑ ΒΕΛΤΙΩΣΗ ΤΗΣ ΕΞΥΠΗΡΕΤΗΣΗΣ",
        "Σύνταξη και ολοκλήρωση του κανονισμού έως 30 Ιουνίου",
        "Εκπόνηση μελέτης με περισσότερα σημεία ελέγχου",
        "Νέος Οργανισμός Εσωτερικής Υπηρεσίας (ΟΕΥ)",
        "Συνταξιοδοτικές αποφάσεις εντός 30 ημερών",  # a pension, not drafting
        "",
    ],
)
def test_a_title_that_states_an_outcome_is_not_warned_of(title):
    assert not is_activity_title(title)
    assert title_warnings(title) == []


def test_completion_without_a_date_does_not_turn_an_activity_into_an_outcome():
    assert is_activity_title("Σύνταξη και ολοκλήρωση του κανονισμού")


# --- Across the cycle -----------------------------------------------------------------------------
class Row:
    def __init__(self, title, directorate_id, weight=20):
        self.title, self.directorate_id, self.weight = title, directorate_id, weight


def test_a_title_in_three_directorates_counts_as_copied_whatever_its_accents_case_and_spaces():
    rows = [
        Row("Επιμόρφωση του προσωπικού", 1),
        Row("ΕΠΙΜΟΡΦΩΣΗ  ΤΟΥ ΠΡΟΣΩΠΙΚΟΥ", 2),
        Row(" επιμορφωση του προσωπικου ", 3),
        Row("Ταχύτερη εξυπηρέτηση", 1),
    ]
    assert copied_titles(rows, 3) == {"επιμορφωση του προσωπικου": 3}


def test_a_title_repeated_inside_one_directorate_is_not_copied_across_units():
    rows = [Row("Επιμόρφωση", 1), Row("Επιμόρφωση", 1), Row("Επιμόρφωση", 2)]
    assert copied_titles(rows, 3) == {}


def test_weights_that_add_up_to_100_are_not_warned_of():
    assert weights_warning(100) is None


def test_weights_that_do_not_add_up_to_100_are_warned_of_with_their_total():
    warning = weights_warning(120)
    assert warning.code == "weights_not_100"
    assert "120" in warning.reason


# --- The whole cycle, from the database -----------------------------------------------------------
@pytest.mark.django_db
def test_the_cycle_check_reads_drafts_and_leaves_adopted_goals_alone(planning):
    cycle = GoalCycleFactory(year=2024)
    draft = GoalFactory(cycle=cycle, directorate=planning, title="Διοργάνωση ημερίδας", weight=50)
    adopted = GoalFactory(
        cycle=cycle, directorate=planning, title="Διοργάνωση έκθεσης", status="adopted", weight=50
    )
    check = cycle_warnings(cycle)
    assert codes(check.warnings[draft.pk]) == ["activity_title"]
    assert adopted.pk not in check.warnings


@pytest.mark.django_db
def test_a_goal_with_several_indicators_is_checked_per_indicator(planning):
    cycle = GoalCycleFactory(year=2024)
    goal = GoalFactory(cycle=cycle, directorate=planning, weight=100)
    GoalIndicatorFactory(goal=goal, name="Ικανοποίηση πολιτών", unit_of_measure="", weight=40)
    GoalIndicatorFactory(goal=goal, name="Καλυμμένες περιοχές", weight=20)
    warnings = cycle_warnings(cycle).warnings[goal.pk]
    assert [(w.code, w.indicator) for w in warnings] == [("no_unit", "Ικανοποίηση πολιτών")]


@pytest.mark.django_db
def test_a_goal_copied_in_three_directorates_is_warned_of_in_each(settings):
    settings.SMART_COPIED_TITLE_DIRECTORATES = 3
    cycle = GoalCycleFactory(year=2024)
    copies = [
        GoalFactory(cycle=cycle, title=title, weight=100)
        for title in (
            "Επιμόρφωση του προσωπικού",
            "ΕΠΙΜΟΡΦΩΣΗ ΤΟΥ ΠΡΟΣΩΠΙΚΟΥ",
            "επιμορφωση  του προσωπικου",
        )
    ]
    own = GoalFactory(cycle=cycle, title="Ταχύτερη έκδοση αδειών", weight=100)
    check = cycle_warnings(cycle)
    for goal in copies:
        assert codes(check.warnings[goal.pk]) == ["copied_title"]
        assert "3" in check.warnings[goal.pk][0].reason
    assert own.pk not in check.warnings


@pytest.mark.django_db
def test_the_number_of_directorates_for_a_copy_comes_from_the_settings(settings):
    settings.SMART_COPIED_TITLE_DIRECTORATES = 4
    cycle = GoalCycleFactory(year=2024)
    for _ in range(3):
        GoalFactory(cycle=cycle, title="Επιμόρφωση του προσωπικού", weight=100)
    assert cycle_warnings(cycle).warnings == {}


@pytest.mark.django_db
def test_rejected_and_withdrawn_goals_are_not_counted_as_copies(settings):
    settings.SMART_COPIED_TITLE_DIRECTORATES = 3
    cycle = GoalCycleFactory(year=2024)
    GoalFactory(cycle=cycle, title="Επιμόρφωση", weight=100)
    GoalFactory(cycle=cycle, title="Επιμόρφωση", weight=100)
    GoalFactory(cycle=cycle, title="Επιμόρφωση", weight=100, status="rejected")
    assert cycle_warnings(cycle).warnings == {}


@pytest.mark.django_db
def test_a_directorates_weights_count_its_accepted_and_adopted_goals_not_its_proposals():
    cycle = GoalCycleFactory(year=2024)
    directorate = DirectorateFactory()
    accepted = GoalFactory(cycle=cycle, directorate=directorate, weight=60)
    GoalFactory(cycle=cycle, directorate=directorate, weight=40, status="adopted")
    proposal = GoalFactory(cycle=cycle, directorate=directorate, weight=30, status="proposed")
    other = GoalFactory(cycle=cycle, weight=70)
    check = cycle_warnings(cycle)
    assert accepted.pk not in check.warnings
    assert proposal.pk not in check.warnings
    assert codes(check.warnings[other.pk]) == ["weights_not_100"]
    assert "70" in check.warnings[other.pk][0].reason


@pytest.mark.django_db
def test_the_cycle_check_runs_two_queries_whatever_the_number_of_goals(
    django_assert_num_queries,
):
    cycle = GoalCycleFactory(year=2024)
    GoalIndicatorFactory(goal=GoalFactory(cycle=cycle))
    with django_assert_num_queries(2):
        small = cycle_warnings(cycle)
    for _ in range(15):
        GoalIndicatorFactory(goal=GoalFactory(cycle=cycle, unit_of_measure=""))
    with django_assert_num_queries(2):
        large = cycle_warnings(cycle)
    assert len(large.warnings) > len(small.warnings)


# --- The database's answer and the rules' answer agree --------------------------------------------
def python_check(cycle) -> dict[int, list[str]]:
    """The rules run in Python over every live goal of the cycle: what the database must find."""
    from collections import defaultdict

    from goals.models import Goal, GoalIndicator
    from goals.smart import (
        CHECKED,
        IN_THE_SET,
        STILL_LIVE,
        copied_title_threshold,
        goal_warnings,
        weight_totals,
    )

    goals = list(Goal.objects.filter(cycle=cycle, status__in=STILL_LIVE))
    indicators = defaultdict(list)
    for indicator in GoalIndicator.objects.filter(goal__cycle=cycle):
        indicators[indicator.goal_id].append(indicator)
    copied = copied_titles(goals, copied_title_threshold())
    totals = weight_totals(goal for goal in goals if goal.status in IN_THE_SET)
    found = {}
    for goal in goals:
        if goal.status not in CHECKED:
            continue
        warnings = goal_warnings(
            goal, indicators[goal.pk], year=cycle.year, copied=copied, totals=totals
        )
        if warnings:
            found[goal.pk] = codes(warnings)
    return found


@pytest.mark.django_db
def test_the_database_flags_exactly_the_goals_the_rules_warn_of(settings):
    from goals.models import Goal
    from goals.smart import with_smart_flag

    settings.SMART_COPIED_TITLE_DIRECTORATES = 3
    cycle = GoalCycleFactory(year=2024)
    whole = DirectorateFactory()
    titles = [
        "Διοργάνωση ημερίδας",  # an activity
        "ΥΛΟΠΟΊΗΣΗ προγράμματος ανακύκλωσης",  # an activity, in capitals
        "Υλοποίηση προγράμματος για αύξηση της ανακύκλωσης",  # a result word
        "Υλοποίηση,αύξηση ανακύκλωσης",  # a result word after a comma
        "Διοργάνωση. Ταχύτερη εξυπηρέτηση",  # a comparative after a full stop
        "Συμμετοχή σε δίκτυο και ολοκλήρωση έως τον Ιούνιο",  # a completion with a date
        "Συμμετοχή σε δίκτυο και ολοκλήρωση",  # a completion without a date
        "Συμμετοχή στην εώσφορο",  # "εωσ" only inside a word
        "Μείωση του χρόνου έκδοσης",  # an outcome
        "Συνταξιοδότηση προσωπικού",  # not "σύνταξη"
        ".Συμμετοχή σε δίκτυο",  # an activity after a full stop
    ]
    for title in titles:
        GoalFactory(cycle=cycle, directorate=whole, title=title, weight=5)
    GoalFactory(cycle=cycle, directorate=whole, weight=45)  # the set adds up to 100
    GoalFactory(cycle=cycle, directorate=whole, unit_of_measure=" ", status="proposed")
    GoalFactory(cycle=cycle, directorate=whole, baseline=None, status="proposed")
    GoalFactory(
        cycle=cycle,
        directorate=whole,
        target_kind="percentage",
        baseline=Decimal(70),
        target=Decimal(70),
        status="proposed",
    )
    GoalFactory(
        cycle=cycle,
        directorate=whole,
        target_kind="milestone",
        unit_of_measure="",
        baseline=None,
        target=None,
        status="proposed",
    )
    GoalFactory(
        cycle=cycle, directorate=whole, deadline=datetime.date(2025, 3, 31), status="proposed"
    )
    measured = GoalFactory(cycle=cycle, directorate=whole, status="proposed")
    GoalIndicatorFactory(goal=measured, baseline=None, weight=20)
    for title in ("Επιμόρφωση του προσωπικού", "ΕΠΙΜΟΡΦΩΣΗ ΤΟΥ ΠΡΟΣΩΠΙΚΟΥ"):
        GoalFactory(cycle=cycle, title=title, weight=100)
    GoalFactory(cycle=cycle, title="επιμορφωση  του προσωπικου", weight=40, status="adopted")
    GoalFactory(cycle=cycle, title="Επιμόρφωση του προσωπικού", weight=70, status="rejected")
    GoalFactory(cycle=cycle, title="Διοργάνωση έκθεσης", status="adopted", weight=100)

    flagged = set(
        with_smart_flag(Goal.objects.all(), cycle)
        .filter(smart_warned=True)
        .values_list("pk", flat=True)
    )
    expected = python_check(cycle)
    assert len(expected) >= 12  # the case list above reaches every rule
    assert flagged == set(expected)
    assert {pk: codes(w) for pk, w in cycle_warnings(cycle).warnings.items()} == expected


@pytest.mark.django_db
def test_saving_a_goal_keeps_its_title_as_the_check_compares_it():
    goal = GoalFactory(title="  ΕΠΙΜΌΡΦΩΣΗ   του Προσωπικού ")
    assert goal.title_key == "επιμορφωση του προσωπικου"
    goal.title = "Ταχύτερη έκδοση"
    goal.save(update_fields=["title"])
    goal.refresh_from_db()
    assert goal.title_key == "ταχυτερη εκδοση"
