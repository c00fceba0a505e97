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
- `copied_title`: the same title (accents, case, spacing, commas and full stops aside) in at least
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
or a completion with a date ("Ολοκλήρωση ... έως"). Words are compared without accents, case,
commas and full stops (`goals.models.goals.title_key`), by their stem, so that every ending of
a word matches. "Υλοποίηση προγράμματος ανακύκλωσης" warns; "Υλοποίηση προγράμματος για αύξηση
της ανακύκλωσης" does not.

Which goals have a warning is asked of the database (`with_smart_flag`: the same rules as SQL
conditions, the rules across goals as subqueries on the cycle), so that the goal list's filter,
the consultation's counts per directorate and a goal's page cost the same whatever the size of
the cycle; the reasons are worded by the rule functions, which are pure, for the goals a page
shows (`warnings_of`). The tests hold the two to the same answer goal by goal.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals.models import Goal, GoalCycle, GoalIndicator
from goals.models.goals import title_key
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
    words = title_key(title).split()
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
        directorates[title_key(goal.title)].add(goal.directorate_id)
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
    count = copied.get(title_key(goal.title))
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


# --- The rules in the database --------------------------------------------------------------------
# Which goals have a warning is asked of the database, so that a page that lists or counts them
# does the same work whatever the size of the cycle; the reasons are worded in Python (the rules
# above) for the goals a page shows. The two are kept in step by the tests, goal by goal.
def with_cycle_facts(goals: QuerySet) -> QuerySet:
    """The facts of the cycle that the rules across goals read, for each goal:
    `smart_copied_in`, how many directorates give a live goal of the cycle the same title, and
    `smart_weight_total`, the sum of the weights of its directorate's set (None when the set
    is empty)."""
    same_title = (
        Goal.objects.filter(
            cycle=OuterRef("cycle"), title_key=OuterRef("title_key"), status__in=STILL_LIVE
        )
        .order_by()
        .values("title_key")
        .annotate(directorates=Count("directorate", distinct=True))
        .values("directorates")
    )
    same_set = (
        Goal.objects.filter(
            cycle=OuterRef("cycle"), directorate=OuterRef("directorate"), status__in=IN_THE_SET
        )
        .order_by()
        .values("directorate")
        .annotate(total=Sum("weight"))
        .values("total")
    )
    return goals.annotate(
        smart_copied_in=Coalesce(Subquery(same_title, output_field=IntegerField()), 0),
        smart_weight_total=Subquery(same_set, output_field=IntegerField()),
    )


def _unmeasurable() -> Q:
    """`indicator_warnings` in SQL: a measured indicator without unit or baseline, or whose
    target is its baseline."""
    return ~Q(target_kind=Goal.TargetKind.MILESTONE) & (
        Q(unit_of_measure__regex=r"^\s*$")
        | Q(baseline__isnull=True)
        | Q(target__isnull=False, baseline__isnull=False, target=F("baseline"))
    )


def with_smart_flag(goals: QuerySet, cycle: GoalCycle, directorates=None) -> QuerySet:
    """Each goal annotated `smart_warned`: a draft goal of `cycle` with at least one warning
    (the rules of this module, asked of the database). The rules across goals read the
    cycle's copied titles and unbalanced directorates once, not once per goal; with
    `directorates` (ids), only the goals of those directorates are asked about, and only
    their titles and sets are read."""
    # The stored key is the title's words one space apart: a word begins at the start or
    # after a space (regular expressions that PostgreSQL and SQLite read alike).
    activity = Q(title_key__regex=rf"^({'|'.join(ACTIVITY_WORDS)})")
    result = Q(title_key__regex=rf"(^| )({'|'.join(RESULT_WORDS)})")
    completion = Q(title_key__regex=rf"(^| ){COMPLETION_WORD}") & Q(
        title_key__regex=rf"(^| ){DATE_WORD}( |$)"
    )
    further = GoalIndicator.objects.filter(goal=OuterRef("pk")).filter(_unmeasurable())
    live = Goal.objects.filter(cycle=cycle, status__in=STILL_LIVE)
    in_the_set = Goal.objects.filter(cycle=cycle, status__in=IN_THE_SET)
    if directorates is not None:
        goals = goals.filter(directorate__in=directorates)
        titles = Goal.objects.filter(cycle=cycle, directorate__in=directorates)
        live = live.filter(title_key__in=titles.values("title_key"))
        in_the_set = in_the_set.filter(directorate__in=directorates)
    copied = (
        live.order_by()
        .values("title_key")
        .annotate(directorates=Count("directorate", distinct=True))
        .filter(directorates__gte=copied_title_threshold())
        .values("title_key")
    )
    unbalanced = (
        in_the_set.order_by()
        .values("directorate")
        .annotate(total=Sum("weight"))
        .exclude(total=WHOLE_WEIGHT)
        .values("directorate")
    )
    warned = (
        (activity & ~result & ~completion)
        | _unmeasurable()
        | Exists(further)
        | Q(deadline__isnull=False) & ~Q(deadline__year=cycle.year)
        | Q(title_key__in=copied)
        | Q(directorate__in=unbalanced)
    )
    flag = Q(cycle=cycle, status__in=CHECKED) & warned
    return goals.annotate(smart_warned=ExpressionWrapper(flag, BooleanField()))


def seen_warned(goals: QuerySet, user, cycle: GoalCycle | None, directorates=None) -> QuerySet:
    """The goals of `goals` with a warning that this person may read (none without a cycle),
    of `directorates` (ids) only when given."""
    if cycle is None:
        return goals.none()
    goals = with_smart_flag(goals.filter(cycle=cycle), cycle, directorates)
    goals = goals.filter(smart_warned=True)
    if user.sees_everything:
        return goals
    return goals.filter(directorate__in=user.headship.directorates)


def warnings_of(goals: Iterable[Goal], year_of: dict[int, int] | None = None):
    """The warnings of each of `goals` that has any, by id: goals read through
    `with_cycle_facts` (their cycle selected, or its year given in `year_of` by cycle id). One
    query, for the further indicators of the drafts among them."""
    drafts = [goal for goal in goals if goal.status in CHECKED]
    if not drafts:
        return {}
    indicators = defaultdict(list)
    further = GoalIndicator.objects.filter(goal__in=[goal.pk for goal in drafts])
    for indicator in further.order_by("order", "pk"):
        indicators[indicator.goal_id].append(indicator)
    threshold = copied_title_threshold()
    found = {}
    for goal in drafts:
        copied = {goal.title_key: goal.smart_copied_in} if goal.smart_copied_in >= threshold else {}
        totals = (
            {goal.directorate_id: goal.smart_weight_total}
            if goal.smart_weight_total is not None
            else {}
        )
        year = year_of[goal.cycle_id] if year_of else goal.cycle.year
        warnings = goal_warnings(goal, indicators[goal.pk], year=year, copied=copied, totals=totals)
        if warnings:
            found[goal.pk] = warnings
    return found


def cycle_warnings(cycle: GoalCycle | None) -> CycleCheck:
    """The warnings of each draft goal of the cycle that has any.

    Two queries whatever the cycle's size: the goals the database finds warned of (with the
    fields the rules read), and their further indicators. Python reads only those goals."""
    if cycle is None:
        return CycleCheck({}, {})
    goals = list(
        with_cycle_facts(with_smart_flag(Goal.objects.filter(cycle=cycle), cycle))
        .filter(smart_warned=True)
        .order_by("directorate__order", "code")
        .only(
            "pk",
            "cycle_id",
            "code",
            "directorate_id",
            "status",
            "title",
            "title_key",
            "indicator",
            "unit_of_measure",
            "target_kind",
            "baseline",
            "target",
            "deadline",
            "weight",
        )
    )
    found = warnings_of(goals, {cycle.pk: cycle.year})
    return CycleCheck(found, {goal.pk: goal for goal in goals if goal.pk in found})


def warnings_seen(user, goals: Iterable[Goal], year_of: dict[int, int] | None = None):
    """`warnings_of` these goals, those this person may read (`may_see_smart_warnings`)."""
    return warnings_of([goal for goal in goals if may_see_smart_warnings(user, goal)], year_of)
