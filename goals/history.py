"""A goal's history as people read it: who changed what, when, from which value to which.

Built from django-simple-history's rows in a fixed number of queries, whatever the length of
the history: consecutive rows are compared in Python by `goals.changes.goal_changes`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from goals.changes import HISTORY_PARTICIPANTS, FieldChange, goal_changes
from goals.models import Goal, Observation, StaffGoal

# simple-history's kinds of row, in our words (and in Greek: simple-history has no Greek).
HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    kind: str
    observation: Observation | None
    changes: list[FieldChange] = field(default_factory=list)


def goal_history(goal: Goal) -> list[HistoryEntry]:
    """The goal's changes, newest first; the creation is the last entry."""
    participants = getattr(Goal.history.model, HISTORY_PARTICIPANTS).field.model
    rows = list(
        goal.history.select_related(
            "history_user", "applied_observation", "directorate", "programme_action"
        )
        .prefetch_related(
            Prefetch(
                HISTORY_PARTICIPANTS, queryset=participants.objects.select_related("directorate")
            )
        )
        .order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for row in rows:
        entry = HistoryEntry(
            when=row.history_date,
            who=row.history_user,
            kind=HISTORY_TYPES.get(row.history_type, row.history_type),
            observation=row.applied_observation,
            changes=goal_changes(previous, row),
        )
        if entry.changes or previous is None:
            entries.append(entry)
        previous = row
    return list(reversed(entries))


# The fields of an employee's goal, in the order its page reads them.
STAFF_GOAL_FIELDS = [
    "goal",
    "allocation",
    "title",
    "indicator",
    "unit_of_measure",
    "baseline",
    "target",
    "deadline",
    "weight",
    "acknowledged_at",
    "midyear_review",
    "final_value",
    "achievement",
    "year_end_comment",
]


def staff_goal_history(staff_goal: StaffGoal) -> list[HistoryEntry]:
    """An employee's goal's changes, newest first: who set, changed, acknowledged, reviewed and
    evaluated it. Two queries, whatever the length of its history."""
    rows = list(
        staff_goal.history.select_related(
            "history_user", "goal", "allocation__goal", "allocation__department"
        ).order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for row in rows:
        changes = []
        for name in STAFF_GOAL_FIELDS:
            new = _staff_value(row, name)
            old = _staff_value(previous, name) if previous is not None else None
            if previous is None and new in ("", None):
                continue
            if previous is None or old != new:
                label = StaffGoal._meta.get_field(name).verbose_name
                changes.append(FieldChange(field=name, label=label, old=old, new=new))
        if changes or previous is None:
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    who=row.history_user,
                    kind=HISTORY_TYPES.get(row.history_type, row.history_type),
                    observation=None,
                    changes=changes,
                )
            )
        previous = row
    return list(reversed(entries))


def _staff_value(row, name: str) -> object:
    value = getattr(row, name)
    if StaffGoal._meta.get_field(name).is_relation:
        return str(value) if value is not None else None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value
