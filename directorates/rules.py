"""Who may do what with the organisation, and the one way every view refuses.

Each app names its rules once, in its own `rules.py` (`goals.rules.may_allocate(user, goal)`,
`meetings.rules.may_keep_minutes(user, meeting)`, …): views refuse with `require(rule(...))`,
templates receive the same answers as `may_*` flags, and services ask the same rule before they
act. Which objects a person may see at all is a QuerySet method (`visible_to(user)`): another
directorate's object is a 404 before any rule is asked; a rule refused is a 403. Role membership
itself is decided in `directorates/roles.py` and the role properties of `User`.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone


def require(allowed: bool) -> None:
    """Refuse the request (403, logged as a refusal) unless the rule allowed it."""
    if not allowed:
        raise PermissionDenied


def may_open_admin(user) -> bool:
    """Django admin: the staff accounts (it also asks its own permissions and second factor)."""
    return user.is_staff


def may_turn_off_two_factor(user) -> bool:
    """Not for the roles that must use it, and only from a session that passed it."""
    return not user.requires_two_factor and user.is_verified()


# --- The organisation changes (ΟΕΥ) -----------------------------------------------------------
def may_reorganise(user) -> bool:
    """Map the units of a new internal services organisation: the General Secretary (the
    coordinators)."""
    return user.is_coordinator


def may_apply_act(user, act, *, today=None) -> bool:
    """Apply an act's map once, from the day it takes effect."""
    today = today or timezone.localdate()
    return may_reorganise(user) and not act.is_applied and act.effective_on <= today
