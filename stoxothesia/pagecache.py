"""A person's pages, kept in the shared cache until any data changes.

The main pages (start page, goal list, goal page, meeting page, organisation chart) are read
far more often than the data under them changes. `cache_per_person` keeps the HTML a view
answered to one browser, and `PageCacheMiddleware` answers it again to that browser, without
running the view, for as long as nothing was written to the database since.

How it stays correct:

- **Any write invalidates.** Every database connection carries `WriteWatcher`, which sees each
  INSERT, UPDATE and DELETE of an application table and replaces the *data version* (a token in
  the cache) once the write is committed. An entry is used only when it was stored under the
  current version.
  Tables whose writes change no page (sessions, the cache itself, lockout records, task
  results) are left out.
- **One browser's pages only.** The key holds the person, the session, the browser's CSRF
  cookie (so every form in the page carries a token valid for that browser), the language, the
  full path and today's date; an entry also expires after `TIMEOUT` seconds, which bounds what
  depends on the clock alone (a meeting that has just begun).
- **A new release starts afresh.** `manage.py migrate`, which every deployment runs, ends with
  a new data version too, so no page rendered by the previous code (with its templates and
  static file names) is answered after it.
- **Answered before the rest of the stack.** `PageCacheMiddleware`, just after the session
  middleware, answers a stored page for the cost of the session and one cache read; the
  checks it skips (login, second factor, roles, the view's permissions) were passed by the
  request that stored the page, in the same session, and anything that could change their
  outcome is a write. A session that ended names no one and gets nothing.
- **Only what is safe to repeat.** Plain GETs answered 200, never an htmx request, never when a
  message waits to be shown, never before the browser has a CSRF cookie.

Settings: `CACHES["default"]` is shared by every application server (the database cache by
default, `CACHE_URL` for Redis or Memcached); `PAGE_CACHE` (default on) turns it off.
"""

import base64
import hashlib
import pickle
import re
import secrets
import zlib
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage import default_storage
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.signals import request_finished
from django.db import connections, router, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

TIMEOUT = 300
_lookups = 0  # pages looked up in the cache by this process
VERSION_KEY = "stoxothesia:data-version"
PAGE_KEY = "stoxothesia:page:{}"

# Tables whose writes change no page. The cache's own table is added from the settings.
QUIET_TABLES = ("django_session", "django_cache", "axes_", "django_tasks", "django_admin_log")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)


def _database_cache() -> DatabaseCache | None:
    """The shared cache when it is the database cache (its table is then one of ours)."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    return backend if isinstance(backend, DatabaseCache) else None


def _quiet_tables() -> tuple[str, ...]:
    backend = _database_cache()
    return QUIET_TABLES + ((backend._table,) if backend else ())


def data_version() -> str | None:
    return cache.get(VERSION_KEY)


def bump() -> str:
    """Make every stored page stale: a new data version, which it returns."""
    version = secrets.token_hex(8)
    if not _replace_in_database_cache(VERSION_KEY, version):
        cache.set(VERSION_KEY, version, timeout=None)
    return version


def _replace_in_database_cache(key: str, value) -> bool:
    """With the database cache, replace an existing entry's value in one UPDATE.

    Every write of the application ends with a bump; Django's `cache.set` would count the
    whole table, then select and update in a transaction of its own. The value is encoded as
    that backend encodes it (tested). False when the cache is another, or the entry is gone.
    """
    backend = _database_cache()
    if backend is None:
        return False
    connection = connections[router.db_for_write(backend.cache_model_class)]
    quote = connection.ops.quote_name
    encoded = base64.b64encode(pickle.dumps(value, backend.pickle_protocol)).decode("latin1")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(backend._table)} SET {quote('value')} = %s "
            f"WHERE {quote('cache_key')} = %s",
            [encoded, backend.make_and_validate_key(key)],
        )
        return cursor.rowcount == 1


class WriteWatcher:
    """An execute wrapper that gives the data a new version after each write to an application
    table: when its transaction commits, or, for a write outside a transaction, before the next
    statement or at the end of the request, whichever comes first.

    The new version is never written inside the transaction of the change: that would make
    every writing transaction wait for the others on the cache's one version row, while they
    hold their own locks. Between a commit and its bump, a page may still be answered as it was
    a moment before the commit; never afterwards. Nothing is run between a write and the
    reading of its results (an INSERT ... RETURNING).

    In a test wrapped in a transaction that never commits (Django's TestCase), the version is
    replaced just before each write, inside that transaction.
    """

    # While migrations run, the cache's table may not exist yet; a bump follows at their end.
    migrating = False

    def __init__(self, connection):
        self.connection = connection
        self.pending = False
        self.bumped_at_lookup = None

    def __call__(self, execute, sql, params, many, context):
        if self.pending and not self._in_transaction():
            self.flush()
        if isinstance(sql, str) and not WriteWatcher.migrating:
            match = WRITE.match(sql)
            if match and not match.group(1).lower().startswith(_quiet_tables()):
                self._written()
        return execute(sql, params, many, context)

    def flush(self) -> None:
        if self.pending:
            self.pending = False
            bump()

    def _in_transaction(self) -> bool:
        """In a transaction of the application's own (not only a test's)."""
        return any(
            not getattr(block, "_from_testcase", False) for block in self.connection.atomic_blocks
        )

    def _written(self) -> None:
        connection = self.connection
        blocks = connection.atomic_blocks
        if blocks and getattr(blocks[0], "_from_testcase", False):
            # Inside a test's transaction, which never commits and has no one to wait for;
            # needed only when a page was looked up since the last bump.
            if self.bumped_at_lookup != _lookups:
                self.bumped_at_lookup = _lookups
                bump()
        elif not self._in_transaction():
            self.pending = True
        elif not any(func is bump for _sids, func, _robust in connection.run_on_commit):
            transaction.on_commit(bump, using=connection.alias)


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
    """The entry's key, from what the request carries itself: the logged-in person as the
    session names them, the session, the browser's CSRF cookie and language cookie (with the
    person's profile, which any change of bumps the version, they decide the language), today's
    date and the full path. None when the request has no session of a logged-in person."""
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf_cookie:
        return None
    user_id = request.session.get(SESSION_KEY)
    session_key = request.session.session_key
    if not (user_id and session_key):
        return None
    parts = [
        str(user_id),
        session_key,
        csrf_cookie,
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        timezone.localdate().isoformat(),
        request.get_full_path(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return PAGE_KEY.format(digest)


def _may_use(request) -> bool:
    return (
        getattr(settings, "PAGE_CACHE", True)
        and request.method == "GET"
        and "HX-Request" not in request.headers
    )


class PageCacheMiddleware:
    """Answers a stored page before the rest of the stack runs.

    It sits just after the session middleware: a stored page answered here costs the session
    and the cache, not the person, their second factor and their roles. That is safe because
    an entry was stored only by a request that passed every check below (login, second
    factor, the view's own permissions), for this very session; anything that could change
    the outcome of those checks (an account disabled, a password or a role changed, a device
    removed) is a write, which makes the entry stale; and a session that ended (logout,
    expiry, deletion) no longer names a person. A miss goes on through the whole stack, and
    the view's `cache_per_person` stores what it answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self._stored_page(request) or self.get_response(request)

    def _stored_page(self, request) -> HttpResponse | None:
        if not _may_use(request) or not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return None
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            return None
        if not getattr(view, "cache_per_person", False):
            return None
        key = _key(request)
        if key is None or len(default_storage(request)):  # a message waits to be shown
            return None
        for watcher in _watchers():
            watcher.flush()  # this request's own earlier writes, if any
        global _lookups
        _lookups += 1
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or bump()
        stored = found.get(key)
        # What the view will store on a miss is filed under the version read *before* it ran:
        # a change committed while it works makes that entry stale at once.
        request._page_cache_entry = (key, version)
        if not stored or stored["version"] != version:
            return None
        response = HttpResponse(zlib.decompress(stored["content"]))
        for header, value in stored["headers"].items():
            response.headers[header] = value
        response.headers["X-Page-Cache"] = "hit"
        return response


def cache_per_person(view):
    """Store what the view answers to a GET, for `PageCacheMiddleware` to answer again while
    no data has changed (see the module's notes)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        entry = getattr(request, "_page_cache_entry", None)
        if entry is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key, version = entry
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            # The view's own headers, and the language the page is in (which the middleware
            # below would add, but it does not run for an answer from the cache).
            headers = dict(response.headers)
            headers.setdefault("Content-Language", translation.get_language())
            cache.set(
                key,
                {
                    "version": version,
                    # Compressed: a tenth of the bytes to store, carry and decode on each hit.
                    "content": zlib.compress(response.content),
                    "headers": headers,
                },
                TIMEOUT,
            )
        return response

    wrapper.cache_per_person = True
    return wrapper
