from django.conf import settings
from django.utils.translation import get_language


def municipality(request):
    name = settings.MUNICIPALITY_NAME
    if get_language() == "en" and settings.MUNICIPALITY_NAME_EN:
        name = settings.MUNICIPALITY_NAME_EN
    return {"municipality_name": name}


def navigation(request):
    """Which section of the menu the page belongs to, to mark it as current."""
    match = getattr(request, "resolver_match", None)
    section = (match.namespace or match.url_name) if match else ""
    return {"nav_section": section}
