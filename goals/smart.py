"""The SMART check of draft goals: warnings with reasons, never errors.

Law 4940/2022 asks for goals that are specific, measurable, achievable, relevant and timed. The
rules below read a draft goal (one not adopted yet: proposed or accepted in the draft) and say
what looks wrong, each warning with a code and a translated reason. None of them blocks saving,
adopting or signing: the General Secretary and the heads read them on the goal's page and form,
on the goal list ("with warnings"), on the consultation's overview and on a draft decision.

The rules, by code:

- `no_unit`: an indicator measured in numbers (to raise, to lower, a percentage) has no unit of
  measure. A yes/no milestone needs none.
- `no_baseline`: a number or percentage without a baseline: nobody can tell the change asked.
- `target_equals_baseline`: the target is the baseline: nothing changes.
- `deadline_outside_year`: the deadline falls outside the cycle's year (an import or Django
  admin can store one that the form would refuse).
- `activity_title`: the title names an activity rather than an outcome (below).
- `copied_title`: the same title (accents, case and spacing aside) in at least
  `settings.SMART_COPIED_TITLE_DIRECTORATES` directorates of the cycle (3 unless set): a goal
  copied from unit to unit rather than specified for each; a cross-cutting goal with
  participating directorates says it once.
- `weights_not_100`: the weights of a directorate's goals in the draft (accepted or adopted,
  not those only proposed, rejected or withdrawn) do not add up to 100, so a goal's weight does
  not read as its share of the unit's evaluation.

A goal measured by several indicators (`GoalIndicator`) is checked per indicator: the warnings
of a further indicator name it.

The activity heuristic for Greek titles. A title states an activity when its first word is one
of the nouns of doing (`ACTIVITY_WORDS`: "Διοργάνωση", "Συμμετοχή", "Υλοποίηση", "Σύνταξη",
"Παρακολούθηση", "Εκπόνηση", "Ενημέρωση", "Πραγματοποίηση", "Διενέργεια", "Συνέχιση") and no word
of the title names a measurable result: a change ("Αύξηση", "Μείωση", "Βελτίωση", "Περιορισμός",
"Συντόμευση"), a comparative ("ταχύτερη", "περισσότερα", "λιγότερες", "υψηλότερο", "χαμηλότερο"),
or a completion with a date ("Ολοκλήρωση ... έως"). Words are compared without accents and case
(`normalise_for_search`), by their stem, so that every ending of a word matches. "Υλοποίηση
προγράμματος ανακύκλωσης" warns; "Υλοποίηση προγράμματος για αύξηση της ανακύκλωσης" does not.

`cycle_warnings` works out the warnings of a whole cycle with two queries (its goals, their
further indicators), whatever the number of goals; the rule functions themselves are pure.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals.models import Goal, GoalCycle, GoalIndicator
from goals.models.goals import normalise_for_search
from goals.rules import may_see_smart_warnings

DEFAULT_COPIED_TITLE_DIRECTORATES = 3
WHOLE_WEIGHT = 100

# First words of a title that name an activity (compared by stem, without accents or case).
ACTIVITY_WORDS = (
    "διοργανωσ",
    "συμμετοχ",
    "υλοποιησ",
    "συνταξη",  # not "συνταξιοδότηση" (pension)
    "παρακολουθησ",
    "εκπονησ",
    "ενημερωσ",
    "πραγματοποιησ",
    "διενεργει",
    "συνεχισ",
)
# Stems of words that name a measurable result anywhere in the title.
RESULT_WORDS = (
    "αυξησ",
    "μειωσ",
    "βελτιωσ",
    "περιορισμ",
    "συντομευσ",
    "ταχυτερ",
    "περισσοτερ",
    "λιγοτερ",
    "υψηλοτερ",
    "χαμηλοτερ",
)
COMPLETION_WORD = "ολοκληρωσ"
DATE_WORD = "εωσ"  # "έως": casefold() writes the final sigma as σ

# Statuses of the goals the check reads (the drafts), and of those a directorate's set holds.
CHECKED = Goal.AWAITING_ADOPTION
IN_THE_SET = (Goal.Status.ACCEPTED, Goal.Status.ADOPTED)
STILL_LIVE = (Goal.Status.PROPOSED, Goal.Status.ACCEPTED, Goal.Status.ADOPTED)


@dataclass(frozen=True)
class SmartWarning:
    """One thing a draft goal may want to change, and why."""

    code: str
    reason: str
    indicator: str = ""  # the further indicator it concerns, if any


@dataclass(frozen=True)
class Measure:
    """What the indicator rules read: a goal's own indicator or one of its further ones."""

    name: str
    unit_of_measure: str
    target_kind: str
    baseline: Decimal | None
    target: Decimal | None


# --- Rules on one indicator -----------------------------------------------------------------------
def indicator_warnings(measure: Measure) -> list[SmartWarning]:
    """A measurable indicator: a unit, a baseline, and a target that differs from it."""
    if measure.target_kind == Goal.TargetKind.MILESTONE:
        return []
    warnings = []
    if not measure.unit_of_measure.strip():
        warnings.append(
            SmartWarning(
                "no_unit",
                _("The indicator has no unit of measure: say what is counted (days, %, tonnes)."),
            )
        )
    if measure.baseline is None:
        warnings.append(
            SmartWarning(
                "no_baseline",
                _("The indicator has no baseline: without it nobody can tell the change asked."),
            )
        )
    elif measure.target is not None and measure.target == measure.baseline:
        warnings.append(
            SmartWarning(
                "target_equals_baseline",
                _("The target is the same as the baseline: the goal asks for no change."),
            )
        )
    return warnings


# --- Rules on one goal ----------------------------------------------------------------------------
def deadline_warnings(deadline, year: int) -> list[SmartWarning]:
    if deadline is None or deadline.year == year:
        return []
    reason = _("The deadline falls outside %(year)s, the cycle's year.") % {"year": year}
    return [SmartWarning("deadline_outside_year", reason)]


def is_activity_title(title: str) -> bool:
    """The heuristic of this module's docstring: an activity noun first, no result word."""
    words = normalise_for_search(title).replace(",", " ").replace(".", " ").split()
    if not words or not words[0].startswith(ACTIVITY_WORDS):
        return False
    if any(word.startswith(RESULT_WORDS) for word in words):
        return False
    completes = any(word.startswith(COMPLETION_WORD) for word in words)
    return not (completes and DATE_WORD in words)


def title_warnings(title: str) -> list[SmartWarning]:
    if not is_activity_title(title):
        return []
    reason = _(
        "The title names an activity, not an outcome: say what changes for the citizens or the "
        "service (e.g. “Reduction of …”, “Increase of …”, “Completion of … by …”)."
    )
    return [SmartWarning("activity_title", reason)]


# --- Rules across the cycle -----------------------------------------------------------------------
def copied_titles(goals: Iterable, threshold: int) -> dict[str, int]:
    """The normalised titles that at least `threshold` different directorates give their goals
    (each goal with `title` and `directorate_id`), with the number of those directorates."""
    directorates = defaultdict(set)
    for goal in goals:
        directorates[normalise_for_search(goal.title)].add(goal.directorate_id)
    return {
        title: len(owners) for title, owners in directorates.items() if len(owners) >= threshold
    }


def copied_title_warning(count: int) -> SmartWarning:
    reason = ngettext(
        "The same title is given to goals of %(count)s directorate: specify the goal for the "
        "unit, or make it one cross-cutting goal with participating directorates.",
        "The same title is given to goals of %(count)s directorates: specify the goal for the "
        "unit, or make it one cross-cutting goal with participating directorates.",
        count,
    ) % {"count": count}
    return SmartWarning("copied_title", reason)


def weight_totals(goals: Iterable) -> dict[int, int]:
    """The sum of the weights of each directorate's goals (each with `directorate_id`, `weight`)."""
    totals: dict[int, int] = defaultdict(int)
    for goal in goals:
        totals[goal.directorate_id] += goal.weight
    return dict(totals)


def weights_warning(total: int) -> SmartWarning | None:
    if total == WHOLE_WEIGHT:
        return None
    reason = _(
        "The weights of the directorate's goals add up to %(total)s, not 100: each goal's "
        "weight should read as its part in the unit's evaluation."
    ) % {"total": total}
    return SmartWarning("weights_not_100", reason)


# --- The whole cycle ------------------------------------------------------------------------------
def copied_title_threshold() -> int:
    return getattr(settings, "SMART_COPIED_TITLE_DIRECTORATES", DEFAULT_COPIED_TITLE_DIRECTORATES)


def goal_warnings(
    goal: Goal,
    indicators: Iterable[GoalIndicator],
    *,
    year: int,
    copied: dict[str, int],
    totals: dict[int, int],
) -> list[SmartWarning]:
    """Every warning of one draft goal: `copied` counts the directorates of each copied
    normalised title, `totals` the weights of each directorate's set (a directorate with
    nothing accepted yet has no total to warn of)."""
    warnings = title_warnings(goal.title)
    warnings += indicator_warnings(
        Measure(goal.indicator, goal.unit_of_measure, goal.target_kind, goal.baseline, goal.target)
    )
    for indicator in indicators:
        measure = Measure(
            indicator.name,
            indicator.unit_of_measure,
            indicator.target_kind,
            indicator.baseline,
            indicator.target,
        )
        warnings += [
            SmartWarning(w.code, w.reason, indicator.name) for w in indicator_warnings(measure)
        ]
    warnings += deadline_warnings(goal.deadline, year)
    count = copied.get(normalise_for_search(goal.title))
    if count:
        warnings.append(copied_title_warning(count))
    weights = (
        weights_warning(totals[goal.directorate_id]) if goal.directorate_id in totals else None
    )
    if weights:
        warnings.append(weights)
    return warnings


@dataclass
class CycleCheck:
    """The warnings of a cycle's draft goals, by the goal's id, with the goals they concern
    (the fields the rules read, with code and directorate)."""

    warnings: dict[int, list[SmartWarning]]
    goals: dict[int, Goal]

    def seen_by(self, user) -> dict[int, list[SmartWarning]]:
        """The warnings this person may read (`goals.rules.may_see_smart_warnings`)."""
        return {
            pk: warnings
            for pk, warnings in self.warnings.items()
            if may_see_smart_warnings(user, self.goals[pk])
        }

    def per_directorate(self, user) -> dict[int, int]:
        """How many goals with warnings each directorate has, of those this person may read."""
        counts: dict[int, int] = defaultdict(int)
        for pk in self.seen_by(user):
            counts[self.goals[pk].directorate_id] += 1
        return dict(counts)


def cycle_warnings(cycle: GoalCycle | None) -> CycleCheck:
    """The warnings of each draft goal of the cycle that has any.

    Two queries whatever the cycle's size: its goals that are still live (the fields the rules
    read), and the further indicators of the drafts among them."""
    if cycle is None:
        return CycleCheck({}, {})
    goals = list(
        Goal.objects.filter(cycle=cycle, status__in=STILL_LIVE)
        .order_by("directorate__order", "code")
        .only(
            "pk",
            "code",
            "directorate_id",
            "status",
            "title",
            "indicator",
            "unit_of_measure",
            "target_kind",
            "baseline",
            "target",
            "deadline",
            "weight",
        )
    )
    drafts = [goal for goal in goals if goal.status in CHECKED]
    if not drafts:
        return CycleCheck({}, {})
    indicators = defaultdict(list)
    further = GoalIndicator.objects.filter(goal__cycle=cycle, goal__status__in=CHECKED)
    for indicator in further.order_by("order", "pk"):
        indicators[indicator.goal_id].append(indicator)
    copied = copied_titles(goals, copied_title_threshold())
    totals = weight_totals(goal for goal in goals if goal.status in IN_THE_SET)
    found, concerned = {}, {}
    for goal in drafts:
        warnings = goal_warnings(
            goal, indicators[goal.pk], year=cycle.year, copied=copied, totals=totals
        )
        if warnings:
            found[goal.pk] = warnings
            concerned[goal.pk] = goal
    return CycleCheck(found, concerned)
