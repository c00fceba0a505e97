"""Where a page's time goes when it is worked out: cProfile and the query log, in-process.

Run after `bench/run.py --keep` (or point `--database` at another database that
bench/generate.py filled): `.venv/bin/python bench/page_costs.py` profiles every page of the
benchmark, as the same people, with Django's test client against that database and the page
cache off. For each page it prints the median time of `--repeat` requests without the profiler,
the queries (their count, the time spent waiting on them, the slowest, and any statement run
more than once with other parameters), the Python calls and model instances of a request
(counted, so comparable between a busy machine and an idle one, and between data sizes),
each template's time, then, under cProfile, the Python time by area of the stack (templates,
forms and filters, ORM, database driver, localisation, session and login, the application's
own code...) and the functions that take most of it. `--only` picks pages by a word of their
name.

cProfile slows down code that makes many small calls (template rendering most) more than
the rest: read the areas as shares, the medians as the real cost.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Areas of the stack, by the path of the function's file (first match wins).
AREAS = [
    ("database driver (psycopg), mostly waiting", ("/psycopg/", "/psycopg_pool/")),
    ("templates", ("/django/template/", "/django/templatetags/", "/crispy_forms/")),
    ("forms and filters", ("/django/forms/", "/django_filters/")),
    ("ORM: building and reading rows", ("/django/db/",)),
    ("localisation", ("/django/utils/formats", "/django/utils/translation", "/gettext")),
    (
        "session, login, second factor",
        ("/django/contrib/sessions/", "/django/contrib/auth/", "/django_otp/", "/axes/"),
    ),
    ("middleware and request handling", ("/django/core/handlers/", "/django/middleware/")),
    ("URL resolving and reversing", ("/django/urls/",)),
    ("test client", ("/django/test/",)),
    ("other Django", ("/django/",)),
    (
        "the application",
        tuple(f"{ROOT}/{app}/" for app in ("goals", "directorates", "meetings", "stoxothesia")),
    ),
    ("Python and other libraries", ("",)),
]


def area_of(filename: str) -> str:
    for name, needles in AREAS:
        if any(needle in filename for needle in needles):
            return name
    return "Python and other libraries"


def shape(sql: str) -> str:
    """A statement with its literals taken out: the same shape run twice is a repeat."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)*\)", "(...)", sql)


class QueryTimer:
    """An execute wrapper: each statement and the time spent waiting for it, in ms."""

    def __init__(self):
        self.queries: list[tuple[str, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, (time.perf_counter() - started) * 1000))


class TemplateTimer:
    """The time each template takes to render, includes counted in the template around them
    too (inclusive), in ms over all requests while it is installed."""

    def __init__(self):
        self.ms: Counter = Counter()

    def __enter__(self):
        from django.template.base import Template

        self.original = Template.render
        timer = self

        def render(template, context):
            started = time.perf_counter()
            try:
                return timer.original(template, context)
            finally:
                timer.ms[template.origin.template_name] += (time.perf_counter() - started) * 1000

        Template.render = render
        return self

    def __exit__(self, *exc):
        from django.template.base import Template

        Template.render = self.original


def profile_page(page: dict, keys: dict[str, str], repeat: int, top: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bench.run import CSRF_SECRET

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    if page["as"]:
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[page["as"]]

    def request():
        if "body" in page:
            return client.post(page["path"], {"text": "Profiling"})
        return client.get(page["path"])

    for _ in range(2):
        request()  # warm up (templates, connections, translations)
    times, waits = [], []
    for _ in range(repeat):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = request()
            times.append((time.perf_counter() - started) * 1000)
        waits.append(sum(ms for _sql, ms in timer.queries))
    queries = timer.queries  # the last request's
    with TemplateTimer() as templates:
        for _ in range(repeat):
            request()

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        request()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # own time of every function
    by_area = Counter()
    for (filename, _line, _name), row in stats.stats.items():
        by_area[area_of(filename)] += row[2]
    own = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]
    # What a page's time is made of: functions below the request's own chain (< 85%).
    cumulative = [
        item
        for item in sorted(stats.stats.items(), key=lambda item: -item[1][3])
        if item[0][1] and item[1][3] < 0.85 * total
    ][:top]
    shapes = Counter(shape(sql) for sql, _ms in queries)
    # Counted, not timed: the same on a busy machine as on an idle one.
    calls = sum(row[1] for row in stats.stats.values()) / repeat
    instances = sum(
        row[1]
        for (filename, _line, name), row in stats.stats.items()
        if name == "__init__" and filename.endswith("django/db/models/base.py")
    )
    return {
        "calls": calls,
        "instances": instances / repeat,
        "status": response.status_code,
        "ms": statistics.median(times),
        "waited_ms": statistics.median(waits),
        "queries": queries,
        "repeated": [(n, s) for s, n in shapes.most_common() if n > 1],
        "templates": [(name, ms / repeat) for name, ms in templates.ms.most_common(8)],
        "areas": [(a, s / total if total else 0) for a, s in by_area.most_common()],
        "own": [(key, row[2] / repeat * 1000, row[1]) for key, row in own],
        "cumulative": [(key, row[3] / repeat * 1000, row[1]) for key, row in cumulative],
        "profiled_ms": total / repeat * 1000,
        "bytes": len(response.content),
    }


def where(key) -> str:
    filename, line, name = key
    for prefix in (f"{ROOT}/.venv/lib/python3.13/site-packages/", f"{ROOT}/"):
        filename = filename.removeprefix(prefix)
    return f"{filename}:{line}:{name}" if line else name


def report(name: str, path: str, found: dict) -> None:
    queries = found["queries"]
    python_ms = max(found["ms"] - found["waited_ms"], 0)
    print(f"\n## {name} `{path}` (HTTP {found['status']}, {found['bytes']:,} bytes)")
    print(
        f"median {found['ms']:.1f} ms: {len(queries)} queries waited on for "
        f"{found['waited_ms']:.1f} ms, so {python_ms:.1f} ms of Python "
        f"({found['profiled_ms']:.1f} ms under cProfile); {found['calls']:,.0f} Python calls "
        f"and {found['instances']:,.0f} model instances per request"
    )
    print("\nTemplates, inclusive ms per request:")
    for template, ms in found["templates"]:
        print(f"  {ms:7.2f}  {template}")
    print("\nProfiled time by area (the database driver's share is mostly waiting):")
    for area, share in found["areas"]:
        if share >= 0.01:
            print(f"  {share:5.0%}  {area}")
    print("\nCumulative per request (ms, calls over all profiled requests):")
    for key, ms, calls in found["cumulative"]:
        print(f"  {ms:7.2f}  {calls:8d}  {where(key)}")
    print("\nOwn time per request (ms, calls over all profiled requests):")
    for key, ms, calls in found["own"]:
        print(f"  {ms:7.2f}  {calls:8d}  {where(key)}")
    print("\nSlowest queries (ms):")
    for sql, ms in sorted(queries, key=lambda q: -q[1])[:5]:
        print(f"  {ms:6.1f}  {sql[:300]}")
    if found["repeated"]:
        print("\nStatements run more than once (other parameters):")
        for n, sql in found["repeated"]:
            print(f"  {n}x  {sql[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="stoxothesia_bench")
    parser.add_argument("--repeat", type=int, default=20, help="requests measured per page")
    parser.add_argument("--top", type=int, default=15, help="functions listed per page")
    parser.add_argument("--only", nargs="*", default=[], help="words of the pages' names")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.run import ENV, SERVER_URL

    os.environ.update({**ENV, "DATABASE_URL": f"{SERVER_URL}/{args.database}"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoxothesia.settings")
    os.environ.setdefault("STATIC_ROOT", "/tmp/stoxothesia-profile-static")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.run import make_sessions, pages

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of names
    keys, users = make_sessions()
    page_list = [p for p in pages(users) if not p["path"].startswith("/healthz")]
    head = users["head"]
    page_list += [
        {
            "name": "own goal list (head)",
            "path": f"/goals/?directorate={head.directorate_id}",
            "as": "head",
        },
        {"name": "goal list (GS)", "path": "/goals/", "as": "gs"},
        {"name": "consultation overview (head)", "path": "/consultation/", "as": "head"},
        {"name": "allocation overview (head)", "path": "/allocations/", "as": "head"},
        {"name": "meeting list (head)", "path": "/meetings/", "as": "head"},
        {"name": "logged-in /healthz (head)", "path": "/healthz", "as": "head"},
    ]
    if args.only:
        page_list = [p for p in page_list if any(w.lower() in p["name"].lower() for w in args.only)]
    summary = defaultdict(dict)
    for page in page_list:
        found = profile_page(page, keys, args.repeat, args.top)
        report(page["name"], page["path"], found)
        summary[page["name"]] = found
    print("\n## Summary\n")
    print(
        "| page | median ms | queries | waiting on them ms | Python ms | Python calls "
        "| model instances | bytes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, found in summary.items():
        python_ms = max(found["ms"] - found["waited_ms"], 0)
        print(
            f"| {name} | {found['ms']:.1f} | {len(found['queries'])} | "
            f"{found['waited_ms']:.1f} | {python_ms:.1f} | {found['calls']:,.0f} "
            f"| {found['instances']:,.0f} | {found['bytes']:,} |"
        )


if __name__ == "__main__":
    main()
