from django.conf import settings
from django.utils.translation import get_language

from directorates.rules import may_open_admin
from goals.rules import (
    may_follow_consultation,
    may_follow_staff_goals,
    may_review_final_values,
    may_see_allocations,
    may_submit_final_values,
)


def municipality(request):
    name = settings.MUNICIPALITY_NAME
    if get_language() == "en" and settings.MUNICIPALITY_NAME_EN:
        name = settings.MUNICIPALITY_NAME_EN
    return {"municipality_name": name}


# The menu's entry each page belongs to, by URL name (or by namespace for the rest of an app's
# pages); a page of none (the sign-in pages) marks no entry.
NAV_ENTRIES = {
    "home": "home",
    "goals:consultation": "consultation",
    "goals:observe_general": "consultation",
    "goals:observation": "consultation",
    "goals:observe": "consultation",
    "goals:allocations": "allocation",
    "goals:allocate": "allocation",
    "goals:final_values": "final_values",
    "goals:final_value": "final_values",
    "goals:final_value_queue": "final_values",
    "goals:final_value_review": "final_values",
    "goals:decisions": "decisions",
    "goals:decision_detail": "decisions",
    "goals:decision_update": "decisions",
    "goals:amendment_goal": "decisions",
    "goals:amendment_choose": "decisions",
    "goals:amendment_goal_add": "decisions",
    "goals:amendment_goal_withdraw": "decisions",
    "goals:decision_sign": "decisions",
    "goals:decision_post": "decisions",
    "goals:decision_correct": "decisions",
    "goals:decision_window_override": "decisions",
    "goals:staff_goals": "staff_goals",
    "goals:staff_person": "staff_goals",
    "goals:staff_goal_create": "staff_goals",
    "goals:staff_goal": "staff_goals",
    "goals:staff_goal_update": "staff_goals",
    "goals:staff_goal_midyear": "staff_goals",
    "goals:staff_goal_year_end": "staff_goals",
    "goals:my_goals": "my_goals",
    "goals:organisation_acts": "organisation",
    "goals:organisation_act": "organisation",
    "goals": "goals",
    "directorates:list": "organisation",
    "directorates:detail": "organisation",
    "directorates:profile": "profile",
    "password_change": "password",
    "password_change_done": "password",
    "meetings": "meetings",
    "goals:statements": "statements",
    "goals:national_import": "statements",
    "goals:national_import_confirm": "statements",
}
# An entry shown to only some people: its pages fall back on the goals' entry for the others.
NAV_FALLBACK = {
    "consultation": "goals",
    "allocation": "goals",
    "final_values": "goals",
    "staff_goals": "my_goals",
}
# The pages the entries link to: there an entry is the current page, elsewhere its section.
ENTRY_PAGES = {
    "home",
    "goals:list",
    "goals:consultation",
    "goals:allocations",
    "goals:final_values",
    "goals:final_value_queue",
    "goals:decisions",
    "goals:staff_goals",
    "goals:my_goals",
    "goals:statements",
    "directorates:list",
    "directorates:profile",
    "password_change",
    "meetings:list",
}


def navigation(request):
    """Which entry of the menu the page belongs to, marked with `aria-current` ("page" on the
    entry's own page, "true" on another page of its section), and which of the menu's entries
    this person may open (the rules the pages themselves ask)."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    shown = {
        "consultation": signed_in and may_follow_consultation(user),
        "allocation": signed_in and may_see_allocations(user),
        "submit_final_values": signed_in and may_submit_final_values(user),
        "review_final_values": signed_in and may_review_final_values(user),
        "staff_goals": signed_in and may_follow_staff_goals(user),
    }
    shown["final_values"] = shown["submit_final_values"] or shown["review_final_values"]
    entry = ""
    if match:
        entry = NAV_ENTRIES.get(match.view_name) or NAV_ENTRIES.get(match.namespace, "")
        if not shown.get(entry, True):
            entry = NAV_FALLBACK[entry]
    own_page = bool(match) and match.view_name in ENTRY_PAGES
    return {
        "nav_current": {entry: "page" if own_page else "true"} if entry else {},
        "nav_may_follow_consultation": shown["consultation"],
        "nav_may_see_allocations": shown["allocation"],
        "nav_may_open_admin": signed_in and may_open_admin(user),
        "nav_may_submit_final_values": shown["submit_final_values"],
        "nav_may_review_final_values": shown["review_final_values"],
        "nav_may_follow_staff_goals": shown["staff_goals"],
    }
