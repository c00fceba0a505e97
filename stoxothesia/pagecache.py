"""A person's pages, kept in the shared cache until any data changes.

The main pages (start page, goal list, goal page, meeting page, organisation chart) are read
far more often than the data under them changes. `cache_per_person` keeps the HTML a view
answered to one browser and answers it again to that browser, without running the view,
for as long as nothing was written to the database since.

How it stays correct:

- **Any write invalidates.** Every database connection carries `WriteWatcher`, which sees each
  INSERT, UPDATE and DELETE of an application table and replaces the *data version* (a token in
  the cache) before the statement and again once it is committed. An entry is used only when
  it was stored under the current version. With the default database cache the new version is
  written in the same transaction as the change itself, so the two become visible together;
  with a cache outside the database the second bump closes the gap.
  Tables whose writes change no page (sessions, the cache itself, lockout records, task
  results) are left out.
- **One browser's pages only.** The key holds the person, the session, the browser's CSRF
  cookie (so every form in the page carries a token valid for that browser), the language, the
  full path and today's date; an entry also expires after `TIMEOUT` seconds, which bounds what
  depends on the clock alone (a meeting that has just begun).
- **Only what is safe to repeat.** Plain GETs answered 200, never an htmx request, never when a
  message waits to be shown, never before the browser has a CSRF cookie.

Settings: `CACHES["default"]` is shared by every application server (the database cache by
default, `CACHE_URL` for Redis or Memcached); `PAGE_CACHE` (default on) turns it off.
"""

import hashlib
import re
import secrets
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone, translation

TIMEOUT = 300
VERSION_KEY = "stoxothesia:data-version"
PAGE_KEY = "stoxothesia:page:{}"

# Tables whose writes change no page. The cache's own table is added from the settings.
QUIET_TABLES = ("django_session", "django_cache", "axes_", "django_tasks", "django_admin_log")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)


def _quiet_tables() -> tuple[str, ...]:
    location = settings.CACHES["default"].get("LOCATION", "")
    extra = (location,) if "DatabaseCache" in settings.CACHES["default"]["BACKEND"] else ()
    return QUIET_TABLES + extra


def data_version() -> str | None:
    return cache.get(VERSION_KEY)


def bump() -> None:
    """Make every stored page stale: a new data version."""
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


class WriteWatcher:
    """An execute wrapper that gives the data a new version around each write to an
    application table.

    Before the write: inside a transaction (the database cache then commits or rolls back with
    it) or, in autocommit, at once. After it: at the transaction's commit, or, in autocommit,
    before the next statement or at the end of the request, whichever comes first. Nothing is
    run between a write and the reading of its results (an INSERT ... RETURNING).
    """

    # While migrations run, the cache's table may not exist yet; a bump follows at their end.
    migrating = False

    def __init__(self, connection):
        self.connection = connection
        self.pending = False
        # A page was stored through this connection since the last bump (in a test, or a
        # transaction that reads pages between writes): the next write bumps again.
        self.page_stored = False

    def __call__(self, execute, sql, params, many, context):
        if self.pending and not self.connection.in_atomic_block:
            self.flush()
        if isinstance(sql, str) and not WriteWatcher.migrating:
            match = WRITE.match(sql)
            if match and not match.group(1).lower().startswith(_quiet_tables()):
                self._before_write()
        return execute(sql, params, many, context)

    def flush(self) -> None:
        if self.pending:
            self.pending = False
            bump()

    def _before_write(self) -> None:
        connection = self.connection
        if not connection.in_atomic_block:
            bump()
            self.pending = True
            return
        if not any(func is bump for _sids, func, _robust in connection.run_on_commit):
            transaction.on_commit(bump, using=connection.alias)
        elif not self.page_stored:
            return  # the version is already new in this transaction, and no page read it
        self.page_stored = False
        bump()


@receiver(connection_created)
def watch_writes(sender, connection, **kwargs):
    if not any(isinstance(w, WriteWatcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(WriteWatcher(connection))


@receiver(request_finished)
def writes_done(sender, **kwargs):
    for watcher in _watchers():
        watcher.flush()


@receiver(pre_migrate)
def migrations_start(sender, **kwargs):
    WriteWatcher.migrating = True


@receiver(post_migrate)
def migrations_done(sender, **kwargs):
    if WriteWatcher.migrating:
        WriteWatcher.migrating = False
        bump()


def _watchers():
    for connection in connections.all(initialized_only=True):
        for wrapper in connection.execute_wrappers:
            if isinstance(wrapper, WriteWatcher):
                yield wrapper


def _key(request) -> str | None:
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    session_key = request.session.session_key
    if not (csrf_cookie and session_key and request.user.is_authenticated):
        return None
    parts = [
        str(request.user.pk),
        session_key,
        csrf_cookie,
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        request.get_full_path(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return PAGE_KEY.format(digest)


def _cacheable(request) -> bool:
    return (
        getattr(settings, "PAGE_CACHE", True)
        and request.method == "GET"
        and "HX-Request" not in request.headers
        and not len(messages.get_messages(request))
    )


def cache_per_person(view):
    """Answer a GET again from the cache while no data has changed (see the module's notes)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request) if _cacheable(request) else None
        if key is None:
            return view(request, *args, **kwargs)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            bump()
            version = data_version()
        stored = found.get(key)
        if stored and stored["version"] == version:
            response = HttpResponse(stored["content"], content_type=stored["content_type"])
            response.headers["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(
                key,
                {
                    "version": version,
                    "content": response.content,
                    "content_type": response["Content-Type"],
                },
                TIMEOUT,
            )
            for watcher in _watchers():
                watcher.page_stored = True
        return response

    return wrapper
