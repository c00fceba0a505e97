"""What changed on a goal, read the way people read it.

One function, `goal_changes`, for every page that shows a goal's changes: the conflict page
(your version against the stored one), the import preview (the stored goal against the row),
an amendment (the version in force against the new one) and the goal's history (each history
row against the one before). Values are read as people read them: a choice's label, the name
of a related object, the participating directorates as a list of names, numbers without
trailing zeros (12.00 reads as 12, 12.50 stays); dates stay dates, for the page to format.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from goals.models.goals import GOAL_FIELDS, Goal

PARTICIPANTS = "participating_directorates"
# The participating directorates each history row recorded (django-simple-history's rows).
HISTORY_PARTICIPANTS = "historicalgoal_participating_directorates_set"


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object


def goal_changes(
    before,
    after,
    *,
    fields: Iterable[str] = GOAL_FIELDS,
    participants_before: Iterable | None = None,
    participants_after: Iterable | None = None,
) -> list[FieldChange]:
    """Field by field, in the order of `fields`, what differs from `before` to `after`.

    Either side is a goal, a goal version or a history row of a goal; `before` may be None
    (nothing yet: every value set counts). The participating directorates are read from the
    goal or history row, unless given (an unsaved edit carries them apart from the goal).
    """
    changes = []
    for name in fields:
        if name == PARTICIPANTS:
            new = _participants(after, participants_after)
            old = _participants(before, participants_before) if before is not None else None
        else:
            new = readable_value(after, name)
            old = readable_value(before, name) if before is not None else None
        if before is None and new in ("", None):
            continue
        if before is None or old != new:
            label = Goal._meta.get_field(name).verbose_name
            changes.append(FieldChange(field=name, label=label, old=old, new=new))
    return changes


def readable_value(goal, name: str) -> object:
    """One value of a goal (or goal version, or history row) as people read it."""
    field = Goal._meta.get_field(name)
    value = getattr(goal, name)
    if field.is_relation:
        return str(value) if value is not None else None
    if field.choices:
        label = dict(field.flatchoices).get(value)
        return str(label) if label is not None else value
    return readable_number(value)


def readable_number(value: object) -> object:
    """A number without trailing zeros (12.00 reads as 12, 12.50 stays); anything else as is."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def _participants(goal, given: Iterable | None) -> str:
    if given is None and hasattr(goal, HISTORY_PARTICIPANTS):
        given = [row.directorate for row in getattr(goal, HISTORY_PARTICIPANTS).all()]
    elif given is None:
        given = goal.participating_directorates.all()
    return ", ".join(sorted(str(directorate) for directorate in given))
