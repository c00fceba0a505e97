"""A goal's history as people read it: who changed what, when, from which value to which.

Built from django-simple-history's rows in a fixed number of queries, whatever the length of
the history: consecutive rows are compared in Python.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate
from goals.models import Goal, Observation, ProgrammeAction
from goals.models.goals import GOAL_FIELDS

# The fields shown in the history; the participating directorates are compared apart.
TRACKED_FIELDS = [name for name in GOAL_FIELDS if name != "participating_directorates"]

# simple-history's kinds of row, in our words (and in Greek: simple-history has no Greek).
HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}

# The participating directorates that each history row recorded.
PARTICIPANTS = "historicalgoal_participating_directorates_set"


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    kind: str
    observation: Observation | None
    changes: list[FieldChange] = field(default_factory=list)


def goal_history(goal: Goal) -> list[HistoryEntry]:
    """The goal's changes, newest first; the creation is the last entry."""
    rows = list(
        goal.history.select_related("history_user", "applied_observation")
        .prefetch_related(PARTICIPANTS)
        .order_by("history_date", "history_id")
    )
    directorates = {d.pk: str(d) for d in Directorate.objects.all()}
    action_ids = {row.programme_action_id for row in rows} - {None}
    actions = {a.pk: str(a) for a in ProgrammeAction.objects.filter(pk__in=action_ids)}
    entries = []
    previous = None
    for row in rows:
        entry = HistoryEntry(
            when=row.history_date,
            who=row.history_user,
            kind=HISTORY_TYPES.get(row.history_type, row.history_type),
            observation=row.applied_observation,
        )
        for name in TRACKED_FIELDS:
            new = _display(row, name, directorates, actions)
            old = _display(previous, name, directorates, actions) if previous else None
            if previous is None and new in ("", None):
                continue
            if previous is None or old != new:
                entry.changes.append(FieldChange(Goal._meta.get_field(name).verbose_name, old, new))
        old_participants = _participants(previous, directorates) if previous else ""
        participants = _participants(row, directorates)
        if participants != old_participants:
            entry.changes.append(
                FieldChange(_("participating directorates"), old_participants or None, participants)
            )
        if entry.changes or previous is None:
            entries.append(entry)
        previous = row
    return list(reversed(entries))


def _display(row, name: str, directorates: dict, actions: dict) -> object:
    if name == "directorate":
        return directorates.get(row.directorate_id)
    if name == "programme_action":
        return actions.get(row.programme_action_id)
    value = getattr(row, name)
    if isinstance(value, Decimal):
        # 12.00 reads as 12; 12.50 stays.
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    choices = Goal._meta.get_field(name).flatchoices
    return dict(choices).get(value, value) if choices else value


def _participants(row, directorates: dict) -> str:
    names = sorted(
        directorates.get(p.directorate_id, "?") for p in getattr(row, PARTICIPANTS).all()
    )
    return ", ".join(names)
