"""What an API token may do: each rule named once (the people's rules are in goals/rules.py).

A token reads what the public pages show (`portal.visibility`); a token of the progress scope
also records progress values, only on the goals named on it, and only where its owner may
record them in the browser (`goals.services.monitoring.record_progress` asks that again).
"""

from goals.models import Goal
from portal.models import ApiToken


def may_read(token: ApiToken) -> bool:
    return token.is_usable


def may_record_progress(token: ApiToken, goal: Goal, named_goal_ids: set[int]) -> bool:
    """The progress scope, on a goal named on the token."""
    return token.is_usable and token.may_write_progress and goal.pk in named_goal_ids
