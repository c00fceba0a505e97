"""Benchmark the main pages under load: gunicorn (2 workers) on PostgreSQL, measured with wrk.

Run with `make bench` or `.venv/bin/python bench/run.py --scale 1` (`--scale 10` for ten
municipalities' worth of data, `--duration` seconds per page, `--keep` to leave the server's
database behind). It needs a local PostgreSQL that trusts `postgres` on 127.0.0.1:5432 and
`wrk` (`STOX_WITH_BENCH_TOOLS=1 scripts/bootstrap.sh` installs it).

Steps: recreate the database `stoxothesia_bench`, migrate, generate the data (bench/generate.py),
collect the static files, start gunicorn in production mode on a free loopback port, make a
session for each role directly (a verified second factor for the Mayor), then for each page run
wrk with 16 connections and read p50/p95/p99 from bench/report.lua. The ceiling is `/healthz`,
a view that runs one query; it is measured a second time with a session cookie, for reference.
wrk sends the same session and CSRF cookies on every request, so the pages that the page cache
keeps (stoxothesia/pagecache.py) are answered from it after the first request; the table also
shows, measured in-process with Django's test client against the same database, what each page
costs when worked out (the page cache off: median time and queries) and the queries of an
answer from the page cache. Peak memory per worker is VmHWM from /proc after the run; the CPU
time that the gunicorn workers and PostgreSQL used during each page's load, divided by its
requests, is read from /proc too.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "stoxothesia_bench"
CONNECTIONS = 16
TARGET_P95_MS, TARGET_RATIO, TARGET_MB = 100, 0.30, 200
CSRF_SECRET = "b" * 32  # an unmasked CSRF secret, sent both as cookie and as form field

ENV = {
    "DATABASE_URL": f"{SERVER_URL}/{DB_NAME}",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1",
    # Plain HTTP on loopback: no redirect to https, no HSTS. Secure cookies need no switch:
    # wrk sends the Cookie header itself, and Django checks the Referer only over https.
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def recreate_database(keep_only_drop: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not keep_only_drop:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_sessions() -> tuple[dict[str, str], dict[str, object]]:
    """A session per role, as `django.contrib.auth.login` (and django_otp.login) would leave it."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from directorates.models import User

    backend = settings.AUTHENTICATION_BACKENDS[-1]  # the one that logs people in
    users = {
        "head": User.objects.get(username="head0"),
        "mayor": User.objects.get(username="mayor"),
    }
    keys = {}
    for role, user in users.items():
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = backend
        session["_auth_user_hash"] = user.get_session_auth_hash()
        if user.requires_two_factor:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        keys[role] = session.session_key
    return keys, users


def pages(users) -> list[dict]:
    from goals.models import Goal, GoalCycle
    from meetings.models import Meeting

    head = users["head"]
    monitored = Goal.objects.filter(
        cycle__phase=GoalCycle.Phase.MONITORING, directorate_id=head.directorate_id
    ).first()
    open_goal = Goal.objects.filter(
        cycle__phase=GoalCycle.Phase.CONSULTATION, directorate_id=head.directorate_id
    ).first()
    meeting = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-date").first()
    body = f"csrfmiddlewaretoken={CSRF_SECRET}&text=Bench+observation"
    return [
        {"name": "ceiling: /healthz", "path": "/healthz", "as": None},
        # The same view for a logged-in person: what session and login cost on every page.
        {"name": "reference: /healthz logged in", "path": "/healthz", "as": "head"},
        {"name": "goal list", "path": "/goals/", "as": "head"},
        {"name": "goal page", "path": f"/goals/{monitored.pk}/", "as": "head"},
        {"name": "dashboard (head)", "path": "/", "as": "head"},
        {"name": "dashboard (mayor)", "path": "/", "as": "mayor"},
        {"name": "meeting page", "path": f"/meetings/{meeting.pk}/", "as": "mayor"},
        {"name": "organisation chart", "path": "/organisation/", "as": "head"},
        {
            "name": "observation submit (POST)",
            "path": f"/goals/{open_goal.pk}/observations/new/",
            "as": "head",
            "body": body,
        },
    ]


def in_process(page: dict, keys: dict[str, str]) -> dict:
    """What one request does, in-process with Django's test client against the same database:
    its status, its queries and its median time when the page is worked out (the page cache
    off), and its queries when answered from the page cache."""
    import statistics

    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    if page["as"]:
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[page["as"]]

    def request():
        if "body" in page:
            return client.post(page["path"], {"text": "Counting queries"})
        return client.get(page["path"])

    with override_settings(PAGE_CACHE=False):
        request()  # warm up (templates, connections)
        with CaptureQueriesContext(connection) as queries:
            response = request()
        # Read now: the next request empties the log the context points into.
        worked_out_queries = len(queries)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            request()
            times.append((time.perf_counter() - started) * 1000)
    request()  # stores the page when it may be cached
    with CaptureQueriesContext(connection) as cached:
        hit = request()
    cached_queries = len(cached) if hit.headers.get("X-Page-Cache") == "hit" else None
    return {
        "status": response.status_code,
        "queries": worked_out_queries,
        "ms": statistics.median(times),
        "cached_queries": cached_queries,
    }


def cookie_header(page: dict, keys: dict[str, str]) -> str:
    from django.conf import settings

    parts = [f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"]
    if page["as"]:
        parts.append(f"{settings.SESSION_COOKIE_NAME}={keys[page['as']]}")
    return "; ".join(parts)


def run_wrk(url: str, cookie: str, body: str | None, duration: int, workdir: Path) -> dict:
    script = (ROOT / "bench" / "report.lua").read_text()
    if body is not None:
        prelude = (
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(body)}\n"
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        )
        script = prelude + script
    script_path = workdir / "wrk.lua"
    script_path.write_text(script)
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(script_path), "-H", f"Cookie: {cookie}", url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    line = next(line for line in output.stdout.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    non_2xx = [line for line in output.stdout.splitlines() if "Non-2xx" in line]
    figures["non_2xx"] = int(non_2xx[0].split(":")[1]) if non_2xx else 0
    figures["rps"] = figures["requests"] / figures["seconds"] if figures["seconds"] else 0
    return figures


def probe(url: str, cookie: str, body: str | None) -> int:
    request = urllib.request.Request(url, data=body.encode() if body else None)
    request.add_header("Cookie", cookie)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def cpu_ticks(master_pid: int) -> dict[int, tuple[str, int]]:
    """Per process of the gunicorn workers ("app") and of PostgreSQL ("database"): the CPU time
    (user + system, in clock ticks) it and its ended children have used so far. A database
    connection that closes ends its server process: its time moves to the postmaster's."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        used = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        if int(fields[1]) == master_pid:
            found[int(stat.parent.name)] = ("app", used)
        elif name.startswith("postgres"):
            found[int(stat.parent.name)] = ("database", used)
    return found


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """Seconds of CPU per part between two readings."""
    seconds = {"app": 0.0, "database": 0.0}
    hertz = os.sysconf("SC_CLK_TCK")
    for reading, sign in ((after, 1), (before, -1)):
        for part, used in reading.values():
            seconds[part] += sign * used / hertz
    return seconds


def worker_memory_mb(master_pid: int) -> list[float]:
    """Peak resident memory (VmHWM) of the gunicorn workers, children of the master."""
    peaks = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master_pid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="stoxothesia-bench-"))
    env = {**os.environ, **ENV, "STATIC_ROOT": str(workdir / "static")}
    os.environ.update({k: v for k, v in env.items() if k in ENV or k == "STATIC_ROOT"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoxothesia.settings")
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        recreate_database()
        import django
        from django.core.management import call_command

        django.setup()
        from bench.generate import generate

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"migrated in {time.monotonic() - started:.0f} s", flush=True)
        started = time.monotonic()
        sizes = generate(scale=args.scale)
        generation_seconds = time.monotonic() - started
        print(f"generated {sizes} in {generation_seconds:.0f} s", flush=True)

        from django.db import connections

        from goals.models import Observation

        keys, users = make_sessions()
        page_list = pages(users)
        queries = {page["name"]: in_process(page, keys) for page in page_list}
        connections.close_all()

        port = free_port()
        gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "stoxothesia.wsgi", "--workers", "2"]
        gunicorn += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(120):
            try:
                if probe(base + "/healthz", "", None) == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer /healthz within 60 s")

        results = {}
        for page in page_list:
            cookie = cookie_header(page, keys)
            body = page.get("body")
            before = Observation.objects.count() if body else 0
            status = probe(base + page["path"], cookie, body)
            before += 1 if body and status == 302 else 0  # the probe's own observation
            cpu_before = cpu_ticks(server.pid)
            figures = run_wrk(base + page["path"], cookie, body, args.duration, workdir)
            for part, used in cpu_used(cpu_before, cpu_ticks(server.pid)).items():
                figures[f"cpu_{part}_ms"] = used * 1000 / max(figures["requests"], 1)
            if body:
                figures["succeeded"] = Observation.objects.count() - before
                # Requests still in flight when wrk stops may land after its count: never < 0.
                figures["failed"] = max(0, figures["requests"] - figures["succeeded"])
            figures["probe_status"] = status
            results[page["name"]] = figures
            print(f"{page['name']}: {figures}", flush=True)
        memory = worker_memory_mb(server.pid)
        load = os.getloadavg()[0]
        connections.close_all()
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        if not args.keep:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:
                pass
            recreate_database(keep_only_drop=True)
        shutil.rmtree(workdir, ignore_errors=True)

    print_table(args, sizes, generation_seconds, results, queries, memory, load)


def print_table(args, sizes, generation_seconds, results, queries, memory, load) -> None:
    ceiling = results["ceiling: /healthz"]["rps"]
    print()
    print(
        f"Scale {args.scale:g} ({sizes['goals']:,} goals, {sizes['observations']:,} observations, "
        f"{sizes['progress']:,} progress updates; generated in {generation_seconds:.0f} s), "
        f"{CONNECTIONS} connections, {args.duration} s per page, gunicorn 2 workers, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at the end (other work on the machine "
        "skews the figures)"
    )
    print()
    print(
        "| page | req/s | p50 ms | p95 ms | p99 ms | ratio to ceiling | queries | errors "
        "| CPU per request: app, database | worked out: ms, queries "
        "| from the page cache: queries |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, f in results.items():
        measured = queries[name]
        errors = f["errors"]
        if "succeeded" in f:
            errors = f"{f['succeeded']} ok / {f['failed']} failed"
        ratio = f["rps"] / ceiling if ceiling else 0
        served = measured["cached_queries"] if measured["cached_queries"] is not None else "—"
        count = served if measured["cached_queries"] is not None else measured["queries"]
        print(
            f"| {name} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
            f"{f['p99_ms']:.1f} | {ratio:.0%} | {count} (HTTP {measured['status']}) | {errors} "
            f"| {f['cpu_app_ms']:.2f} ms, {f['cpu_database_ms']:.2f} ms "
            f"| {measured['ms']:.1f} ms, {measured['queries']} | {served} |"
        )
    print()
    peak = max(memory) if memory else 0
    print(f"Peak memory per worker (VmHWM): {', '.join(f'{m:.0f} MB' for m in memory)}")
    print()
    print(
        f"Targets: p95 < {TARGET_P95_MS} ms, >= {TARGET_RATIO:.0%} of the ceiling, < {TARGET_MB} MB"
    )
    for name, f in results.items():
        if name.startswith(("ceiling", "reference")):
            continue
        missed = []
        if f["p95_ms"] >= TARGET_P95_MS:
            missed.append(f"p95 {f['p95_ms']:.0f} ms")
        if ceiling and f["rps"] / ceiling < TARGET_RATIO:
            missed.append(f"{f['rps'] / ceiling:.0%} of ceiling")
        print(f"  {name}: {'MISSED ' + ', '.join(missed) if missed else 'met'}")
    print(f"  memory: {'met' if peak < TARGET_MB else f'MISSED ({peak:.0f} MB)'}")


if __name__ == "__main__":
    main()
