import logging

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from directorates import limits
from directorates.audit import client_address, log_event
from directorates.services import SESSION_TWO_FACTOR_STEP, two_factor_step


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


class PrivatePagesMiddleware:
    """Keep every page that needs a login out of all caches, the browser's own included.

    `Cache-Control: private, no-store`: after logging out, the Back button or the browser's
    cache on a shared computer cannot show what the last person saw. Public views (marked
    `@login_not_required`: the login page, /healthz) and static files keep their own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and getattr(match.func, "login_required", True):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RefusalLogMiddleware:
    """Write every refusal (403) to the security log: who, which page, which method; and a
    burst of "not found" (404) answers on object pages from one session, as someone walking
    the ids of another directorate's goals would cause.

    It sits before CsrfViewMiddleware, so it also sees requests refused for a missing or wrong
    CSRF token. The 404s are counted per session (per client address without one) in the shared
    cache; one line is written when a window of NOT_FOUND_WINDOW seconds reaches
    NOT_FOUND_BURST of them, so a long walk writes a line a minute, not one per id.
    """

    NOT_FOUND_BURST = 10
    NOT_FOUND_WINDOW = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_event(
                request,
                "request.refused",
                level=logging.WARNING,
                method=request.method,
                path=request.path[:500],
            )
        elif response.status_code == 404 and self._names_an_object(request):
            self._count_not_found(request)
        return response

    @staticmethod
    def _names_an_object(request) -> bool:
        match = getattr(request, "resolver_match", None)
        return match is not None and bool(match.kwargs)

    def _count_not_found(self, request) -> None:
        session = getattr(request, "session", None)
        session_key = session.session_key if session is not None else None
        who = f"session:{session_key}" if session_key else f"address:{client_address(request)}"
        count = limits.count_in_window("not-found", who, window=self.NOT_FOUND_WINDOW)
        if count == self.NOT_FOUND_BURST:
            log_event(
                request,
                "request.not_found_burst",
                level=logging.WARNING,
                count=count,
                seconds=self.NOT_FOUND_WINDOW,
                path=request.path[:500],
            )


class TwoFactorMiddleware:
    """Ask for the second factor before anything else.

    A logged-in person with a device who has not yet entered a code in this session is sent to
    the code page; a person whose role requires a second factor and who has none is sent to set
    one up. Logging out and switching the language stay possible. What is needed is decided once,
    at login (a role given later takes effect at the next login); django-otp's middleware marks a
    session that passed.
    """

    ALWAYS_ALLOWED = {"logout", "set_language", "healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        view_name = request.resolver_match.view_name
        if view_name in self.ALWAYS_ALLOWED:
            return None
        if SESSION_TWO_FACTOR_STEP not in request.session:
            request.session[SESSION_TWO_FACTOR_STEP] = two_factor_step(user=user)
        step = request.session[SESSION_TWO_FACTOR_STEP]
        if not step and user.requires_two_factor:
            # Their device was removed during the session, or a role that needs one was given:
            # whoever must use a second factor never goes on without it.
            step = request.session[SESSION_TWO_FACTOR_STEP] = two_factor_step(user=user)
        if not step:
            return None
        target = f"two_factor_{step}"
        if view_name == target:
            return None
        next_url = request.get_full_path() if request.method == "GET" else ""
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return redirect(reverse(target) + query)
