from django.conf import settings
from django.utils.translation import get_language


def municipality(request):
    name = settings.MUNICIPALITY_NAME
    if get_language() == "en" and settings.MUNICIPALITY_NAME_EN:
        name = settings.MUNICIPALITY_NAME_EN
    return {"municipality_name": name}
