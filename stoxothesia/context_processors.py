from django.conf import settings
from django.utils.translation import get_language

from directorates.rules import may_open_admin
from goals.rules import (
    may_follow_consultation,
    may_review_final_values,
    may_see_allocations,
    may_submit_final_values,
)


def municipality(request):
    name = settings.MUNICIPALITY_NAME
    if get_language() == "en" and settings.MUNICIPALITY_NAME_EN:
        name = settings.MUNICIPALITY_NAME_EN
    return {"municipality_name": name}


def navigation(request):
    """Which section of the menu the page belongs to, to mark it as current, and which of the
    menu's entries this person may open (the rules the pages themselves ask)."""
    match = getattr(request, "resolver_match", None)
    section = (match.namespace or match.url_name) if match else ""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav_section": section,
        "nav_may_follow_consultation": signed_in and may_follow_consultation(user),
        "nav_may_see_allocations": signed_in and may_see_allocations(user),
        "nav_may_open_admin": signed_in and may_open_admin(user),
        "nav_may_submit_final_values": signed_in and may_submit_final_values(user),
        "nav_may_review_final_values": signed_in and may_review_final_values(user),
    }
