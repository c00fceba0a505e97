from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Activate the language the person chose: their profile, else the cookie, else Greek.

    The browser's Accept-Language is deliberately ignored: the municipality works in Greek, and
    English is a choice a person makes with the switcher.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "") or request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME, ""
        )
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
