"""What a goal version freezes besides the goal's own fields: the participating directorates and
the further indicators; how they are read for the documents, compared, and written back into
the goal when the decision takes effect.

An amendment's version of a changed goal holds the whole set of further indicators the goal
will have: an indicator missing from it is dropped, one without a `source` is added. A dropped
indicator stays, marked with the decision, with the values reported on it: they are kept (and
shown in the goal's history) but no longer count in the goal's achievement, which is worked
out again from the indicators left, whose weights add up to 100 with the goal's own.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directorates.models import User
from goals.changes import FieldChange, readable_number
from goals.indicators import first_indicator_weight, weights_refusal
from goals.models import (
    Goal,
    GoalIndicator,
    GoalVersion,
    GoalVersionIndicator,
    MayoralDecision,
)
from goals.models.goals import target_errors

INDICATOR_FIELDS = GoalVersionIndicator.FROZEN_FIELDS


def freeze_extras(versions: list[GoalVersion], *, goals: dict[int, Goal] | None = None) -> None:
    """Freeze in each saved version its goal's participating directorates and further
    indicators as they stand now (replacing any frozen before): three queries in all."""
    if not versions:
        return
    goal_ids = [version.goal_id for version in versions]
    through = GoalVersion.participating_directorates.through
    through.objects.filter(goalversion__in=versions).delete()
    GoalVersionIndicator.objects.filter(version__in=versions).delete()
    participants: dict[int, list[int]] = {}
    goal_through = Goal.participating_directorates.through
    for goal_id, directorate_id in goal_through.objects.filter(goal_id__in=goal_ids).values_list(
        "goal_id", "directorate_id"
    ):
        participants.setdefault(goal_id, []).append(directorate_id)
    indicators: dict[int, list[GoalIndicator]] = {}
    for indicator in GoalIndicator.objects.filter(goal_id__in=goal_ids).order_by("order", "pk"):
        indicators.setdefault(indicator.goal_id, []).append(indicator)
    through.objects.bulk_create(
        through(goalversion_id=version.pk, directorate_id=directorate_id)
        for version in versions
        for directorate_id in participants.get(version.goal_id, [])
    )
    GoalVersionIndicator.objects.bulk_create(
        GoalVersionIndicator.frozen_from(indicator, version=version, order=order)
        for version in versions
        for order, indicator in enumerate(indicators.get(version.goal_id, []), start=1)
    )


def attach_version_extras(versions: Iterable[GoalVersion]) -> None:
    """Give each version `indicator_list` (its frozen further indicators, in order),
    `first_indicator_weight` and `participant_list`: two queries whatever their number."""
    versions = [version for version in versions if version.pk]
    by_version: dict[int, list] = {}
    rows = (
        GoalVersionIndicator.objects.filter(version__in=versions)
        .select_related("source")
        .order_by("order", "pk")
    )
    for row in rows:
        by_version.setdefault(row.version_id, []).append(row)
    participants: dict[int, list] = {}
    through = GoalVersion.participating_directorates.through
    for link in through.objects.filter(goalversion__in=versions).select_related("directorate"):
        participants.setdefault(link.goalversion_id, []).append(link.directorate)
    for version in versions:
        version.indicator_list = by_version.get(version.pk, [])
        version.first_indicator_weight = first_indicator_weight(version.indicator_list)
        version.participant_list = sorted(participants.get(version.pk, []), key=str)


def check_indicator_rows(*, goal: Goal, rows: list[dict]) -> None:
    """The further indicators an amendment gives a goal: each with a target fitting its kind,
    each changing an indicator of this goal in force (or a new one), the weights leaving at
    least 1 of the 100 to the goal's own indicator."""
    in_force = set(goal.extra_indicators.values_list("pk", flat=True))
    for row in rows:
        source = row.get("source")
        if source is not None and source.pk not in in_force:
            raise ValidationError(_("This indicator belongs to another goal."))
        errors = target_errors(
            kind=row["target_kind"], baseline=row["baseline"], target=row["target"]
        )
        if errors:
            raise ValidationError(
                _("Indicator “%(name)s”: %(errors)s")
                % {"name": row["name"], "errors": " ".join(str(e) for e in errors.values())}
            )
        if not 1 <= row["weight"] <= 99:
            raise ValidationError(_("An indicator's weight lies between 1 and 99."))
    message = weights_refusal(row["weight"] for row in rows)
    if message:
        raise ValidationError(message)


def store_indicator_rows(*, version: GoalVersion, rows: list[dict]) -> None:
    """Replace the version's further indicators by `rows` (in their order)."""
    version.indicators.all().delete()
    GoalVersionIndicator.objects.bulk_create(
        GoalVersionIndicator(
            version=version,
            source=row.get("source"),
            order=order,
            **{name: row[name] for name in INDICATOR_FIELDS},
        )
        for order, row in enumerate(rows, start=1)
    )


def rows_of(indicators: Iterable) -> list[dict]:
    """Goal indicators (or frozen ones) as rows: their fields and `source`, the goal's indicator."""
    return [
        {
            **{name: getattr(indicator, name) for name in INDICATOR_FIELDS},
            "source": indicator if isinstance(indicator, GoalIndicator) else indicator.source,
        }
        for indicator in indicators
    ]


@dataclass(frozen=True)
class IndicatorChange:
    """What an amendment does to one further indicator: adds it, drops it, or changes fields."""

    ADDED = "added"
    DROPPED = "dropped"
    CHANGED = "changed"

    change: str
    name: str
    fields: list[FieldChange]

    @property
    def is_added(self) -> bool:
        return self.change == self.ADDED

    @property
    def is_dropped(self) -> bool:
        return self.change == self.DROPPED


_LABELS = {
    name: GoalVersionIndicator._meta.get_field(name).verbose_name for name in INDICATOR_FIELDS
}
_LABELS["name"] = gettext_lazy("name")


def indicator_changes(before: list[dict], after: list[dict]) -> list[IndicatorChange]:
    """From the further indicators in force (`before`) to the amendment's (`after`), as rows
    (`rows_of`): the ones changed or dropped in the order in force, then the ones added."""
    after_by_source = {row["source"].pk: row for row in after if row.get("source") is not None}
    changes = []
    for old in before:
        source = old.get("source")
        new = after_by_source.get(source.pk) if source is not None else None
        if new is None:
            changes.append(IndicatorChange(IndicatorChange.DROPPED, old["name"], []))
            continue
        fields = [
            FieldChange(field=name, label=_LABELS[name], old=_readable(old, name), new=value)
            for name in INDICATOR_FIELDS
            if (value := _readable(new, name)) != _readable(old, name)
        ]
        if fields:
            changes.append(IndicatorChange(IndicatorChange.CHANGED, old["name"], fields))
    kept = {row["source"].pk for row in before if row.get("source") is not None}
    for new in after:
        if new.get("source") is None or new["source"].pk not in kept:
            fields = [
                FieldChange(field=name, label=_LABELS[name], old=None, new=_readable(new, name))
                for name in INDICATOR_FIELDS[1:]
                if _readable(new, name) not in ("", None)
            ]
            changes.append(IndicatorChange(IndicatorChange.ADDED, new["name"], fields))
    return changes


def _readable(row: dict, name: str):
    value = row[name]
    if name == "target_kind":
        return str(dict(Goal.TargetKind.choices).get(value, value))
    return readable_number(value)


def write_extras_into_goal(
    *, goal: Goal, version: GoalVersion, decision: MayoralDecision, by: User
) -> bool:
    """Give the goal the participating directorates and further indicators the version froze,
    when the decision takes effect; returns whether the indicators changed.

    An indicator of the goal the version no longer has is dropped, marked with the decision,
    its values kept; one the version adds is created, and the version's row then names it.
    """
    goal.participating_directorates.set(
        [
            pk
            for pk in version.participating_directorates.values_list("pk", flat=True)
            if pk != goal.directorate_id
        ]
    )
    stored = {indicator.pk: indicator for indicator in goal.extra_indicators.all()}
    rows = list(version.indicators.order_by("order", "pk"))
    kept = {row.source_id for row in rows if row.source_id}
    if kept - set(stored):
        raise ValidationError(
            _("An indicator of %(code)s was dropped meanwhile: change the amendment.")
            % {"code": goal.code}
        )
    changed = False
    for indicator in stored.values():
        if indicator.pk not in kept:
            indicator.dropped_by_decision = decision
            indicator._history_user = by
            indicator._change_reason = _("Dropped by %(decision)s") % {"decision": decision}
            indicator.save()
            changed = True
    for row in rows:
        indicator = stored[row.source_id] if row.source_id else GoalIndicator(goal=goal)
        values = {name: getattr(row, name) for name in INDICATOR_FIELDS}
        values["order"] = row.order
        if indicator.pk and all(getattr(indicator, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator._history_user = by
        indicator._change_reason = _("Set by %(decision)s") % {"decision": decision}
        indicator.save()
        if row.source_id is None:
            row.source = indicator
            row.save(update_fields=["source"])
        changed = True
    return changed
