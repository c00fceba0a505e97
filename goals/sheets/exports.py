"""What the goal spreadsheets hold: their columns, and the workbooks built from them.

The goal sheet's columns are shared by the export and the import (`goals/imports.py`), so a
sheet exported from the goal list can be filled in and imported again. Headers follow the
interface language; the import recognises them in Greek and in English.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directorates.models import Directorate
from goals import reports
from goals.models import (
    Goal,
    GoalCycle,
    GoalVersion,
    MayoralDecision,
    ProgrammeAction,
    ProgressUpdate,
)
from goals.models.goals import GOAL_FIELDS
from goals.rules import may_follow_goal
from goals.sheets.workbooks import DATE, DECIMAL, INTEGER, PERCENT, Column, Sheet

# The goal sheet. The import writes the first group into goals, checks the year, and skips
# the columns that only report (who proposed it, when it changed).
GOAL_COLUMNS = [
    Column("cycle", gettext_lazy("Year"), INTEGER, 8),
    Column("code", gettext_lazy("Code"), width=12),
    Column("directorate", gettext_lazy("Directorate"), width=36),
    Column("participating_directorates", gettext_lazy("Participating directorates"), width=30),
    Column("category", gettext_lazy("Category"), width=30),
    Column("title", gettext_lazy("Title"), width=45),
    Column("description", gettext_lazy("Description"), width=45),
    Column("indicator", gettext_lazy("Indicator"), width=40),
    Column("unit_of_measure", gettext_lazy("Unit of measure"), width=16),
    Column("target_kind", gettext_lazy("Kind of target"), width=22),
    Column("baseline", gettext_lazy("Baseline"), DECIMAL, 11),
    Column("target", gettext_lazy("Target"), DECIMAL, 11),
    Column("deadline", gettext_lazy("Deadline"), DATE, 12),
    Column("weight", gettext_lazy("Weight"), INTEGER, 9),
    Column("programme_action", gettext_lazy("Operational programme action (code)"), width=16),
    Column("status", gettext_lazy("Status"), width=24),
    # Reported, not imported: a goal's further indicators are edited on its form.
    Column("further_indicators", gettext_lazy("Further indicators"), width=50),
    Column("proposed_by", gettext_lazy("Proposed by"), width=22),
    Column("updated_at", gettext_lazy("Last changed"), DATE, 12),
    Column("decision", gettext_lazy("Adopting decision"), width=22),
    Column("ada", gettext_lazy("ΑΔΑ"), width=16),
    Column("amendments", gettext_lazy("Amending decisions"), width=22),
    Column("allocations", gettext_lazy("Allocations"), width=50),
    Column("latest_value", gettext_lazy("Latest value"), DECIMAL, 11),
    Column("measured_on", gettext_lazy("Measured on"), DATE, 12),
    Column("final_value", gettext_lazy("Final value"), DECIMAL, 11),
    Column("achievement", gettext_lazy("Achievement (%)"), PERCENT, 12),
]
# The goal sheet's columns by key, for the other sheets that show some of them.
COLUMN = {column.key: column for column in GOAL_COLUMNS}
# What the import writes into a goal: the fields people set on a goal, as in its form.
IMPORTED_KEYS = GOAL_FIELDS
REQUIRED_KEYS = ["code", "directorate", "category", "title", "indicator", "target_kind", "deadline"]
TEMPLATE_COLUMNS = [column for column in GOAL_COLUMNS if column.key in IMPORTED_KEYS]
# A sheet of several participating directorates separates them with this.
LIST_SEPARATOR = "; "


def goals_title() -> str:
    return _("Goals")


def goals_for_export(goals: QuerySet) -> list[Goal]:
    """The goals with all their sheet needs, in a fixed number of queries, achievement worked
    out by `reports.with_achievement`."""
    issued_versions = (
        GoalVersion.objects.filter(decision__status=MayoralDecision.Status.POSTED)
        .select_related("decision__cycle")
        .order_by("decision__posted_at", "pk")
    )
    return reports.with_achievement(
        goals.select_related("programme_action", "proposed_by").prefetch_related(
            "participating_directorates",
            Prefetch("versions", queryset=issued_versions, to_attr="issued_versions"),
        )
    )


def goal_row(goal: Goal, *, shows_progress: bool) -> list[object]:
    """A goal's values in the order of `GOAL_COLUMNS`, typed (numbers, dates) for the sheet.

    Expects a goal from `goals_for_export`. Progress (allocations, values, achievement) is
    left empty when `shows_progress` is false: other directorates do not read it.
    """
    adoption = next((v.decision for v in goal.issued_versions if not v.decision.is_amendment), None)
    amendments = [str(v.decision) for v in goal.issued_versions if v.decision.is_amendment]
    row = [
        goal.cycle.year,
        goal.code,
        str(goal.directorate),
        LIST_SEPARATOR.join(str(d) for d in goal.participating_directorates.all()),
        goal.get_category_display(),
        goal.title,
        goal.description,
        goal.indicator,
        goal.unit_of_measure,
        goal.get_target_kind_display(),
        goal.baseline,
        goal.target,
        goal.deadline,
        goal.weight,
        goal.programme_action.code if goal.programme_action_id else "",
        goal.get_status_display(),
        LIST_SEPARATOR.join(_indicator_text(i) for i in goal.indicator_list),
        str(goal.proposed_by) if goal.proposed_by_id else "",
        goal.updated_at.date() if goal.updated_at else None,
        str(adoption) if adoption else "",
        adoption.ada if adoption else "",
        LIST_SEPARATOR.join(amendments),
    ]
    if not shows_progress:
        return [*row, "", None, None, None, None]
    whole_goal = next((u for u in goal.update_list if u.allocation_id is None), None)
    evaluation = getattr(goal, "evaluation", None)
    return [
        *row,
        LIST_SEPARATOR.join(_allocation_text(a) for a in goal.allocation_list),
        whole_goal.value if whole_goal else None,
        whole_goal.measured_on if whole_goal else None,
        evaluation.final_value if evaluation else None,
        goal.achievement,
    ]


def _indicator_text(indicator) -> str:
    """A further indicator in a cell: its name and unit, target and weight."""
    unit = f" ({indicator.unit_of_measure})" if indicator.unit_of_measure else ""
    if indicator.is_milestone:
        target = _("yes/no milestone")
    else:
        target = number_format(indicator.target.normalize())
        if indicator.baseline is not None:
            target = f"{number_format(indicator.baseline.normalize())} → {target}"
    return _("%(name)s%(unit)s: %(target)s, weight %(weight)s") % {
        "name": indicator.name,
        "unit": unit,
        "target": target,
        "weight": indicator.weight,
    }


def _allocation_text(allocation) -> str:
    text = _("%(department)s (share %(share)s%%)") % {
        "department": allocation.department,
        "share": number_format(allocation.share.normalize()),
    }
    if allocation.latest_update:
        text += ": " + _("%(value)s on %(date)s") % {
            "value": number_format(allocation.latest_update.value.normalize()),
            "date": date_format(allocation.latest_update.measured_on, "SHORT_DATE_FORMAT"),
        }
    return text


def goal_export_sheet(goals: QuerySet, *, user) -> Sheet:
    """The goal list's sheet for this person: every goal they read, progress where they may."""
    return Sheet(
        title=goals_title(),
        columns=GOAL_COLUMNS,
        rows=(
            goal_row(
                goal,
                shows_progress=may_follow_goal(user, goal),
            )
            for goal in goals_for_export(goals)
        ),
        wrap_text=True,
    )


def goal_template_sheets(cycle: GoalCycle) -> Sequence[Sheet]:
    """The import template: an empty goal sheet with drop-down lists, and what each column means."""
    directorates = [str(d) for d in Directorate.objects.active()]
    choices = {
        "directorate": directorates,
        "category": [str(label) for label in Goal.Category.labels],
        "target_kind": [str(label) for label in Goal.TargetKind.labels],
        "status": [str(label) for label in Goal.Status.labels],
        "programme_action": list(ProgrammeAction.objects.values_list("code", flat=True)),
    }
    explanations = [
        (column.header, _("required") if column.key in REQUIRED_KEYS else _("optional"), text)
        for column, text in zip(TEMPLATE_COLUMNS, _column_explanations(cycle), strict=True)
    ]
    help_columns = [
        Column("column", gettext_lazy("Column"), width=34),
        Column("required", gettext_lazy("Required"), width=12),
        Column("meaning", gettext_lazy("What to write"), width=100),
    ]
    return [
        Sheet(title=goals_title(), columns=TEMPLATE_COLUMNS, choices=choices),
        Sheet(
            title=_("Instructions"),
            columns=help_columns,
            rows=explanations,
            preamble=[
                _("Goals of %(year)s: fill in one row per goal in the sheet “%(sheet)s”.")
                % {"year": cycle.year, "sheet": goals_title()},
                _(
                    "A row whose code already exists in the cycle updates that goal; any other "
                    "row creates a new goal. Type values, not formulas."
                ),
            ],
            wrap_text=True,
        ),
    ]


def _column_explanations(cycle: GoalCycle) -> list[str]:
    """What to write in each column of `TEMPLATE_COLUMNS`, in the same order."""
    return [
        _("The goal's code, unique in the cycle, e.g. PROG-03. An existing code updates the goal."),
        _("The directorate that owns the goal: choose it from the list (or write its code)."),
        _(
            "For a cross-cutting goal, the other directorates that take part, separated by a "
            "semicolon (;)."
        ),
        _("One of the three categories of the law: choose it from the list."),
        _("The goal in a few words."),
        _("What the goal is about, in more detail."),
        _("How the goal is measured (the measurement indicator)."),
        _("E.g. days, applications, %."),
        _(
            "Number to increase, number to decrease, percentage (0–100) or yes/no milestone: "
            "choose it from the list."
        ),
        _("The value at the start, as a number. Leave it empty for a milestone."),
        _(
            "The value to reach, as a number: above the baseline for a number to increase, "
            "below it for a number to decrease. Leave it empty for a milestone."
        ),
        _("The date by which the goal is to be reached, within %(year)s.") % {"year": cycle.year},
        _("The goal's relative importance, a whole number from 1 to 100 (default 1)."),
        _("Optional: the code of the Operational Programme action the goal serves."),
        _("Optional: the goal's status (default: accepted in the draft)."),
    ]


# --- A directorate's goals, for the evaluation of its head ----------------------------------------
EVALUATION_COLUMNS = [
    *(COLUMN[key] for key in ("code", "title", "indicator", "unit_of_measure", "target_kind")),
    *(COLUMN[key] for key in ("baseline", "target", "deadline", "weight")),
    *(COLUMN[key] for key in ("latest_value", "measured_on", "final_value", "achievement")),
    Column("justification", gettext_lazy("Justification"), width=45),
]
SUMMARY_COLUMNS = [
    Column("category", gettext_lazy("Category"), width=40),
    Column("goals", gettext_lazy("Goals"), INTEGER, 10),
    Column("weights", gettext_lazy("Sum of weights"), INTEGER, 14),
    Column("achievement", gettext_lazy("Achievement (%)"), PERCENT, 16),
]


def decision_reference(cycle: GoalCycle) -> str:
    """The decisions in force that adopted and amended the cycle's goals, as one line."""
    decisions = MayoralDecision.objects.posted().filter(cycle=cycle).order_by("posted_at", "pk")
    parts = [
        _("%(decision)s of %(date)s, ΑΔΑ %(ada)s, protocol no. %(protocol)s")
        % {
            "decision": decision,
            "date": date_format(decision.decision_date, "SHORT_DATE_FORMAT"),
            "ada": decision.ada,
            "protocol": decision.protocol_number,
        }
        for decision in decisions
    ]
    return _("Mayoral decisions: %(decisions)s") % {"decisions": "; ".join(parts)} if parts else ""


def evaluation_sheets(*, directorate, cycle: GoalCycle, categories, overall) -> list[Sheet]:
    """A summary sheet, then one sheet per category: the goal-achievement form of the head.

    `categories` and `overall` come from `reports.by_category` and `reports.overall` over goals
    loaded by `reports.with_achievement`, as on the directorate's report page.
    """
    heading = _("%(directorate)s: goal achievement %(year)s") % {
        "directorate": directorate,
        "year": cycle.year,
    }
    reference = decision_reference(cycle)
    head = ""
    if directorate.head_id:
        head = f"{directorate.head_title}: {directorate.head}"
    preamble = [line for line in (heading, reference, head) if line]
    summary = Sheet(
        title=_("Summary"),
        columns=SUMMARY_COLUMNS,
        rows=[
            *(
                [
                    group.label,
                    len(group.goals),
                    sum(g.weight for g in group.goals),
                    group.achievement,
                ]
                for group in categories
            ),
            [_("All goals"), sum(len(g.goals) for g in categories), None, overall],
        ],
        preamble=preamble,
    )
    return [
        summary,
        *(
            Sheet(
                title=str(group.label),
                columns=EVALUATION_COLUMNS,
                rows=[row for goal in group.goals for row in _evaluation_rows(goal)],
                preamble=[*preamble[:2], str(group.label)],
                wrap_text=True,
            )
            for group in categories
        ),
    ]


def _evaluation_rows(goal: Goal) -> list[list[object]]:
    """The goal's row and, under it, one row per further indicator with its own values."""
    whole_goal = next((u for u in goal.update_list if u.allocation_id is None), None)
    evaluation = getattr(goal, "evaluation", None)
    indicators = getattr(goal, "indicator_list", [])
    indicator = goal.indicator
    if indicators:
        indicator = _weighed(indicator, goal.first_indicator_weight)
    latest = {v.indicator_id: v.value for v in getattr(whole_goal, "value_list", [])}
    final = evaluation.further_values if evaluation else {}
    further = [
        [goal.code, "", _weighed(i.name, i.weight), i.unit_of_measure]
        + [i.get_target_kind_display(), i.baseline, i.target, None, None]
        + [latest.get(i.pk), whole_goal.measured_on if i.pk in latest else None]
        + [_decimal_or_none(final.get(str(i.pk))), None, ""]
        for i in indicators
    ]
    return [_evaluation_row(goal, whole_goal, evaluation, indicator), *further]


def _weighed(name: str, weight: int) -> str:
    return _("%(name)s (weight %(weight)s of 100)") % {"name": name, "weight": weight}


def _decimal_or_none(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _evaluation_row(goal: Goal, whole_goal, evaluation, indicator: str) -> list[object]:
    return [
        goal.code,
        goal.title,
        indicator,
        goal.unit_of_measure,
        goal.get_target_kind_display(),
        goal.baseline,
        goal.target,
        goal.deadline,
        goal.weight,
        whole_goal.value if whole_goal else None,
        whole_goal.measured_on if whole_goal else None,
        evaluation.final_value if evaluation else None,
        goal.achievement,
        evaluation.justification if evaluation else "",
    ]


# --- Progress updates in bulk ---------------------------------------------------------------------
# A head's sheet: one row per goal of the directorate (the whole goal, department empty) and
# one per allocation to a department, with the latest value; the last four columns take the
# new measurement. A goal measured by several indicators has, under each of its rows, one row
# per further indicator (its name in the indicator column), which takes only the new value.
# The import reads the first two (which goal, which department), the indicator's name on the
# rows of further indicators, and the new measurement; the others only inform.
PROGRESS_COLUMNS = [
    COLUMN["code"],
    Column("department", gettext_lazy("Department"), width=30),
    *(COLUMN[key] for key in ("title", "indicator", "unit_of_measure", "target_kind")),
    *(COLUMN[key] for key in ("baseline", "target")),
    Column("share", gettext_lazy("Share (%)"), DECIMAL, 10),
    *(COLUMN[key] for key in ("latest_value", "measured_on")),
    Column("new_value", gettext_lazy("New value"), DECIMAL, 12),
    Column("new_measured_on", gettext_lazy("Date of the new value"), DATE, 14),
    Column("new_status", gettext_lazy("Progress"), width=16),
    Column("comment", gettext_lazy("Comment"), width=45),
]
PROGRESS_REQUIRED_KEYS = ["code", "department", "new_value", "new_measured_on", "new_status"]


def _further_rows(goal: Goal, department: str, latest) -> list[list[object]]:
    """The rows of a goal's further indicators under a row of the progress sheet; `latest` is
    that row's latest update (with `value_list`, as `attach_indicators` gives)."""
    values = {v.indicator_id: v.value for v in getattr(latest, "value_list", [])}
    return [
        [goal.code, department, goal.title, indicator.name, indicator.unit_of_measure]
        + [indicator.get_target_kind_display(), indicator.baseline, indicator.target, None]
        + [values.get(indicator.pk), latest.measured_on if indicator.pk in values else None]
        + [None, None, "", ""]
        for indicator in getattr(goal, "indicator_list", [])
    ]


def progress_title() -> str:
    return _("Progress")


def progress_sheets(
    *, goals: list[Goal], reportable_ids: set[int], whole_goals: bool
) -> list[Sheet]:
    """The sheet to fill in: `goals` from `reports.with_achievement`; rows only for what the
    person reports on (the allocations in `reportable_ids`, and whole goals if `whole_goals`)."""
    rows = []
    for goal in goals:
        common = [goal.title, goal.indicator, goal.unit_of_measure, goal.get_target_kind_display()]
        if whole_goals:
            latest = next((u for u in goal.update_list if u.allocation_id is None), None)
            rows.append(
                [goal.code, "", *common, goal.baseline, goal.target, None]
                + [latest.value if latest else None, latest.measured_on if latest else None]
                + [None, None, "", ""]
            )
            rows.extend(_further_rows(goal, "", latest))
        for allocation in goal.allocation_list:
            if allocation.pk not in reportable_ids:
                continue
            latest = allocation.latest_update
            rows.append(
                [goal.code, str(allocation.department), *common]
                + [
                    allocation.baseline if allocation.baseline is not None else goal.baseline,
                    allocation.target if allocation.target is not None else goal.target,
                    allocation.share,
                ]
                + [latest.value if latest else None, latest.measured_on if latest else None]
                + [None, None, "", ""]
            )
            rows.extend(_further_rows(goal, str(allocation.department), latest))
    return [
        Sheet(
            title=progress_title(),
            columns=PROGRESS_COLUMNS,
            rows=rows,
            choices={"new_status": [str(label) for label in ProgressUpdate.Status.labels]},
            wrap_text=True,
        ),
        Sheet(
            title=_("Instructions"),
            columns=[Column("text", gettext_lazy("Instructions"), width=110)],
            rows=[
                [_("Fill in the last four columns of the rows you have a new measurement for.")],
                [
                    _(
                        "A row with an empty department is the whole goal; the others are the "
                        "allocations to departments."
                    )
                ],
                [_("Leave the other rows empty: they are skipped. Type values, not formulas.")],
                [
                    _(
                        "A goal measured by several indicators has a row for each further "
                        "indicator under its own row: when you fill in the goal's row, write the "
                        "new value of each further indicator in its row too (the date, progress "
                        "and comment are the goal's row's)."
                    )
                ],
                [
                    _("Progress: %(choices)s.")
                    % {"choices": ", ".join(str(x) for x in ProgressUpdate.Status.labels)}
                ],
            ],
        ),
    ]
