"""Saving a goal: one editor at a time, and never a goal that only an amendment may change."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directorates.models import Directorate, User
from goals.indicators import weights_refusal
from goals.models import (
    Goal,
    GoalCycle,
    GoalIndicator,
)
from goals.rules import may_draft_goals
from goals.services.monitoring import changes_achievement, store_achievement


class GoalConflict(Exception):
    """Someone else saved the goal since the editor loaded it; `stored` is their version."""

    def __init__(self, stored: Goal):
        super().__init__(f"goal {stored.pk} is at version {stored.version}")
        self.stored = stored


def save_goal(
    *,
    goal: Goal,
    by: User,
    participants: Iterable[Directorate] | None = None,
    expected_version: int | None = None,
    indicators: list[dict] | None = None,
    removed_indicators: Iterable[GoalIndicator] = (),
) -> Goal:
    """Save a new or edited goal and, when given, its participating directorates and its
    further indicators (`save_indicators`).

    A head's new goal is a proposal. An edit names the version it started from: when the stored
    goal has moved on since, nothing is written and `GoalConflict` carries the stored version.
    The check locks the row, so it holds when two people save at the same moment.
    """
    with transaction.atomic():
        stored = None
        if goal.pk:
            stored = Goal.objects.select_for_update().get(pk=goal.pk)
            _refuse_frozen_goal(stored)
            if stored.version != expected_version:
                raise GoalConflict(stored)
            goal.version = stored.version + 1
        elif not may_draft_goals(by):
            goal.status = Goal.Status.PROPOSED
            goal.proposed_by = by
        goal._history_user = by
        goal.save()
        if participants is not None:
            goal.participating_directorates.set(
                [d for d in participants if d.pk != goal.directorate_id]
            )
        indicators_changed = False
        if indicators is not None:
            indicators_changed = save_indicators(
                goal=goal, by=by, rows=indicators, removed=removed_indicators
            )
        if stored is not None and (indicators_changed or changes_achievement(stored, goal)):
            store_achievement(goal_ids=[goal.pk])
    return goal


def save_indicators(
    *, goal: Goal, by: User, rows: list[dict], removed: Iterable[GoalIndicator]
) -> bool:
    """Put the goal's further indicators in place, in the rows' order; returns whether any
    changed. Called inside `save_goal`, which has locked the goal and checked its version.

    Each row holds the indicator's fields and `indicator`, the stored one it edits (or None).
    """
    message = weights_refusal(row["weight"] for row in rows)
    if message:
        raise ValidationError(message)
    stored = {indicator.pk: indicator for indicator in goal.extra_indicators.all()}
    changed = False
    for indicator in removed:
        indicator = stored.pop(indicator.pk, None)
        if indicator is None:
            continue
        if indicator.values.exists():
            raise ValidationError(
                _("Progress was recorded on the indicator “%(name)s”: it stays.")
                % {"name": indicator.name}
            )
        indicator._history_user = by
        indicator.delete()
        changed = True
    for order, row in enumerate(rows, start=1):
        edited = row["indicator"]
        indicator = stored.get(edited.pk) if edited else GoalIndicator(goal=goal)
        if indicator is None:
            raise ValidationError(_("This indicator belongs to another goal."))
        fields = {name: value for name, value in row.items() if name != "indicator"}
        fields["order"] = order
        if indicator.pk and all(getattr(indicator, k) == v for k, v in fields.items()):
            continue
        for name, value in fields.items():
            setattr(indicator, name, value)
        indicator._history_user = by
        indicator.save()
        changed = True
    return changed


def _refuse_frozen_goal(goal: Goal) -> None:
    """An adopted goal, or any goal of a cycle past consultation, changes only by amendment."""
    open_phases = (GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION)
    if goal.status == Goal.Status.ADOPTED or goal.cycle.phase not in open_phases:
        raise ValidationError(
            _("The goal was adopted by the Mayor's decision: it changes only by an amendment.")
        )
