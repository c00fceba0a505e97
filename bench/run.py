"""Benchmark the pages under load: gunicorn (2 workers) on PostgreSQL, every page worked out.

Run with `make bench` or `.venv/bin/python bench/run.py --scale 1` (`--scale 10` for ten
municipalities' worth of data, `--duration` seconds per page, `--scenario pages|day|all`,
`--day-people`, `--day-duration`, `--keep` to leave the server's database behind and `--reuse`
to run again on it without generating). It needs a local PostgreSQL that trusts `postgres` on
127.0.0.1:5432 and `wrk` (`STOX_WITH_BENCH_TOOLS=1 scripts/bootstrap.sh` installs it).

Steps: recreate the database `stoxothesia_bench`, migrate, generate the data (bench/generate.py),
collect the static files, start gunicorn in production mode on a free loopback port (every
request is worked out: nothing is kept between requests), make a session for each person
directly (a verified second factor for the Mayor and the General Secretary), then:

- **pages**: for each page run wrk with 16 connections and read p50/p95/p99 from
  bench/report.lua. The ceiling is `/healthz`, a view that runs one query; it is measured a
  second time with a session cookie: the reference, what any logged-in request costs. Next to
  each page, measured in-process with Django's test client against the same database: its
  median time and its queries.
- **day**: a working day (bench/day.py): many people at once on their own pages, one request in
  twenty a write, against the same reference; every write is checked to be stored.

Peak memory per worker is VmHWM from /proc after the run; the CPU time that the gunicorn
workers and PostgreSQL used during each load, divided by its requests, is read from /proc too.
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
# `BENCH_DATABASE` names another database, to keep scale 1 and scale 10 side by side.
DB_NAME = os.environ.get("BENCH_DATABASE", "stoxothesia_bench")
CONNECTIONS = 16
# Against the logged-in reference measured in the same run (see the README's "Performance").
TARGET_MB = 150
TARGET_PAGE = {"ratio": 0.30, "p95_ms": 150}  # a page, at scale 1 (20% at scale 10)
TARGET_DAY = {"ratio": 0.25, "p95_ms": 200}
REFERENCE = "reference: /healthz logged in"
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


def make_session(user) -> str:
    """A session for `user`, as `django.contrib.auth.login` (and django_otp.login) would leave
    it; returns its key."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[-1]  # the one that logs in
    session["_auth_user_hash"] = user.get_session_auth_hash()
    if user.requires_two_factor:
        # One device per person and database, whatever else made one since (a rerun, --reuse).
        device = TOTPDevice.objects.filter(user=user, name="bench", confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def make_sessions() -> tuple[dict[str, str], dict[str, object]]:
    """A session for each role the pages are requested as."""
    from directorates.models import User

    usernames = {"head": "head0", "department": "dept0", "gs": "gs", "mayor": "mayor"}
    users = {role: User.objects.get(username=name) for role, name in usernames.items()}
    return {role: make_session(user) for role, user in users.items()}, users


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
    code = head.directorate.code
    return [
        {"name": "ceiling: /healthz", "path": "/healthz", "as": None},
        # The same view for a logged-in person: what session and login cost on every page.
        {"name": REFERENCE, "path": "/healthz", "as": "head"},
        {"name": "goal list (head)", "path": "/goals/", "as": "head"},
        {"name": "goal page (head)", "path": f"/goals/{monitored.pk}/", "as": "head"},
        {"name": "start page (head of directorate)", "path": "/", "as": "head"},
        {"name": "start page (head of department)", "path": "/", "as": "department"},
        {"name": "start page (General Secretary)", "path": "/", "as": "gs"},
        {"name": "start page (Mayor)", "path": "/", "as": "mayor"},
        {"name": "meeting page (Mayor)", "path": f"/meetings/{meeting.pk}/", "as": "mayor"},
        {"name": "organisation chart (head)", "path": "/organisation/", "as": "head"},
        {"name": "directorate report (head)", "path": f"/reports/{code}/", "as": "head"},
        {"name": "consultation overview (GS)", "path": "/consultation/", "as": "gs"},
        {"name": "allocation overview (GS)", "path": "/allocations/", "as": "gs"},
        {
            "name": "observation submit, POST (head)",
            "path": f"/goals/{open_goal.pk}/observations/new/",
            "as": "head",
            "body": body,
        },
    ]


def in_process(page: dict, keys: dict[str, str]) -> dict:
    """What one request does, in-process with Django's test client against the same database:
    its status, its queries and its median time over five requests."""
    import statistics

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    if page["as"]:
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[page["as"]]

    def request():
        if "body" in page:
            return client.post(page["path"], {"text": "Counting queries"})
        return client.get(page["path"])

    request()  # warm up (templates, connections)
    with CaptureQueriesContext(connection) as queries:
        response = request()
    # Read now: the next request empties the log the context points into.
    count = len(queries)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        request()
        times.append((time.perf_counter() - started) * 1000)
    return {"status": response.status_code, "queries": count, "ms": statistics.median(times)}


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


def probe(url: str, cookie: str, body: str | None, timeout: float = 30) -> int | None:
    """The status of one request, redirects not followed; None when it failed or did not
    answer within `timeout` seconds."""
    request = urllib.request.Request(url, data=body.encode() if body else None)
    request.add_header("Cookie", cookie)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def drain(base: str, limit: float = 180) -> None:
    """Wait until gunicorn answers `/healthz` at once again: the requests that a slow page's
    load left queued when wrk stopped must not count against the next page (bounded)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        answered = probe(base + "/healthz", "", None, timeout=5) == 200
        if answered and time.monotonic() - started < 0.5:
            return
        time.sleep(1)


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


def prepare(args) -> tuple[dict[str, int], float | None]:
    """The database: generated afresh, or as a previous `--keep` left it (`--reuse`)."""
    from django.core.management import call_command

    if args.reuse:
        from directorates.models import Directorate
        from goals.models import Goal, Observation, ProgressUpdate

        sizes = {
            "directorates": Directorate.objects.count(),
            "goals": Goal.objects.count(),
            "observations": Observation.objects.count(),
            "progress": ProgressUpdate.objects.count(),
        }
        call_command("collectstatic", interactive=False, verbosity=0)
        return sizes, None
    from bench.generate import generate

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"migrated in {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()
    sizes = generate(scale=args.scale)
    seconds = time.monotonic() - started
    print(f"generated {sizes} in {seconds:.0f} s", flush=True)
    return sizes, seconds


def start_gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "stoxothesia.wsgi", "--workers", "2"]
    gunicorn += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
    for _attempt in range(120):
        try:
            if probe(f"http://127.0.0.1:{port}/healthz", "", None) == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.5)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def load_page(page: dict, keys, base: str, server, duration: int, workdir: Path) -> dict:
    """One page under wrk's load: its figures, CPU per request, and for a POST what it stored."""
    from goals.models import Observation

    cookie = cookie_header(page, keys)
    body = page.get("body")
    before = Observation.objects.count() if body else 0
    status = probe(base + page["path"], cookie, body)
    before += 1 if body and status == 302 else 0  # the probe's own observation
    cpu_before = cpu_ticks(server.pid)
    figures = run_wrk(base + page["path"], cookie, body, duration, workdir)
    for part, used in cpu_used(cpu_before, cpu_ticks(server.pid)).items():
        figures[f"cpu_{part}_ms"] = used * 1000 / max(figures["requests"], 1)
    drain(base)
    if body:
        figures["succeeded"] = Observation.objects.count() - before
        # Requests still in flight when wrk stops may land after its count: never < 0.
        figures["failed"] = max(0, figures["requests"] - figures["succeeded"])
    figures["probe_status"] = status
    return figures


def run_day(args, people, port: int, server) -> dict:
    """The working day (bench/day.py) under load, its CPU per request, and its writes checked
    against the database."""
    from django.conf import settings

    from bench import day
    from goals.models import Observation, ProgressUpdate

    def stored() -> dict[str, int]:
        return {
            "observation": Observation.objects.count(),
            "progress update": ProgressUpdate.objects.count(),
        }

    cookies = day.Cookies(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, CSRF_SECRET)
    base = f"http://127.0.0.1:{port}"
    # Each person's start page once (templates loaded, sessions checked); not counted.
    warm = {}
    for person in people:
        cookie = f"{cookies.csrf}={CSRF_SECRET}; {cookies.session}={person.session_key}"
        warm[person.username] = probe(base + "/", cookie, None)
    refused = {name: status for name, status in warm.items() if status != 200}
    if refused:
        print(f"day: start page not answered 200 to {refused}", flush=True)

    # The same load generator on the reference: how far the generator itself could go.
    def reference(_rng, own, _number):
        return day.Request(own[0], "reference", "/healthz")

    generator = day.load(
        port, people, cookies=cookies, connections=CONNECTIONS, duration=5, choose=reference
    )
    before = stored()
    cpu_before = cpu_ticks(server.pid)
    result = day.load(
        port,
        people,
        cookies=cookies,
        connections=CONNECTIONS,
        duration=args.day_duration,
        max_requests=args.day_max_requests,
    )
    cpu = cpu_used(cpu_before, cpu_ticks(server.pid))
    after = stored()
    figures = day.summary(result)
    figures.update(
        {
            "people": len(people),
            "roles": {
                role: sum(p.role == role for p in people) for role in {p.role for p in people}
            },
            "connections": result["connections"],
            "seconds": result["seconds"],
            "by_kind": {kind: t.figures() for kind, t in sorted(result["tallies"].items())},
            "stored": day.stored_by_kind(result),
            "gained": {kind: after[kind] - before[kind] for kind in after},
            "unstored": day.unstored(before, after, day.stored_by_kind(result)),
            "generator_rps": day.summary(generator)["rps"],
            "cpu_app_ms": cpu["app"] * 1000 / max(figures["requests"], 1),
            "cpu_database_ms": cpu["database"] * 1000 / max(figures["requests"], 1),
        }
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database a --keep left, as it is"
    )
    parser.add_argument("--scenario", choices=["pages", "day", "all"], default="all")
    parser.add_argument("--day-people", type=int, default=40, help="people at work at once")
    parser.add_argument("--day-duration", type=int, default=60, help="seconds of the day's load")
    parser.add_argument("--day-max-requests", type=int, default=50_000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="stoxothesia-bench-"))
    env = {**os.environ, **ENV, "STATIC_ROOT": str(workdir / "static")}
    os.environ.update({k: v for k, v in env.items() if k in ENV or k == "STATIC_ROOT"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoxothesia.settings")
    sys.path.insert(0, str(ROOT))
    server = None
    day_figures = None
    try:
        if not args.reuse:
            recreate_database()
        import django

        django.setup()
        from django.db import connections

        from bench import day

        sizes, generation_seconds = prepare(args)
        keys, users = make_sessions()
        page_list = pages(users)
        if args.scenario == "day":
            page_list = page_list[:2]  # the ceiling and the reference only
        costs = {page["name"]: in_process(page, keys) for page in page_list}
        people = []
        if args.scenario in ("day", "all"):
            people = day.choose_people(args.day_people, make_session)
        connections.close_all()

        server, port = start_gunicorn(env)
        base = f"http://127.0.0.1:{port}"
        results = {}
        for page in page_list:
            results[page["name"]] = load_page(page, keys, base, server, args.duration, workdir)
            print(f"{page['name']}: {results[page['name']]}", flush=True)
        if people:
            day_figures = run_day(args, people, port, server)
        memory = worker_memory_mb(server.pid)
        load = os.getloadavg()
        connections.close_all()
    finally:
        if server is not None:
            stop_gunicorn(server)
        if not args.keep:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:
                pass
            recreate_database(keep_only_drop=True)
        shutil.rmtree(workdir, ignore_errors=True)

    print_table(args, sizes, generation_seconds, results, costs, memory, load)
    if day_figures:
        print_day(day_figures, results[REFERENCE]["rps"])


def print_table(args, sizes, generation_seconds, results, costs, memory, load) -> None:
    ceiling = results["ceiling: /healthz"]["rps"]
    reference = results[REFERENCE]["rps"]
    generated = f"generated in {generation_seconds:.0f} s" if generation_seconds else "reused"
    print()
    print(
        f"Scale {args.scale:g} ({sizes['goals']:,} goals, {sizes['observations']:,} observations, "
        f"{sizes['progress']:,} progress updates; {generated}), "
        f"{CONNECTIONS} connections, {args.duration} s per page, gunicorn 2 workers, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the "
        "end (other work on the machine skews the figures)"
    )
    print()
    print(
        "| page | req/s | p50 ms | p95 ms | p99 ms | ratio to reference | ratio to ceiling "
        "| errors | CPU per request: app, database | in-process: ms, queries |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, f in results.items():
        cost = costs[name]
        errors = f"{f['errors']} ({f['non_2xx']} non-2xx)"
        if "succeeded" in f:
            errors = f"{f['succeeded']} stored / {f['failed']} not"
        print(
            f"| {name} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
            f"{f['p99_ms']:.1f} | {f['rps'] / reference if reference else 0:.0%} "
            f"| {f['rps'] / ceiling if ceiling else 0:.0%} | {errors} "
            f"| {f['cpu_app_ms']:.2f} ms, {f['cpu_database_ms']:.2f} ms "
            f"| {cost['ms']:.1f} ms, {cost['queries']} (HTTP {cost['status']}) |"
        )
    print()
    peak = max(memory) if memory else 0
    print(f"Peak memory per worker (VmHWM): {', '.join(f'{m:.0f} MB' for m in memory)}")
    print()
    ratio = TARGET_PAGE["ratio"] if args.scale < 10 else 0.20
    print(
        f"Targets: p95 < {TARGET_PAGE['p95_ms']} ms, >= {ratio:.0%} of the reference, "
        f"< {TARGET_MB} MB per worker"
    )
    for name, f in results.items():
        if name.startswith(("ceiling", "reference")):
            continue
        missed = []
        if not f["requests"]:
            missed.append("no request answered")
        if f["p95_ms"] >= TARGET_PAGE["p95_ms"]:
            missed.append(f"p95 {f['p95_ms']:.0f} ms")
        if reference and f["rps"] / reference < ratio:
            missed.append(f"{f['rps'] / reference:.0%} of the reference")
        print(f"  {name}: {'MISSED ' + ', '.join(missed) if missed else 'met'}")
    print(f"  memory: {'met' if peak < TARGET_MB else f'MISSED ({peak:.0f} MB)'}")


def print_day(f: dict, reference: float) -> None:
    roles = ", ".join(f"{n} {role}" for role, n in sorted(f["roles"].items()))
    print()
    print(
        f"Working day: {f['people']} people ({roles}), {f['connections']} connections, "
        f"{f['seconds']:.0f} s, one request in 20 a write"
    )
    print()
    print(
        f"{f['rps']:.1f} req/s ({f['rps'] / reference if reference else 0:.0%} of the "
        f"reference), p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms, p99 {f['p99_ms']:.0f} "
        f"ms, {f['requests']:,} requests, {f['errors']} errors {f['outcomes']}; CPU per request "
        f"{f['cpu_app_ms']:.1f} ms app, {f['cpu_database_ms']:.1f} ms database; the load "
        f"generator alone reached {f['generator_rps']:.0f} req/s on the reference"
    )
    print()
    print("| request | count | p50 ms | p95 ms | p99 ms | mean ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, k in f["by_kind"].items():
        print(
            f"| {kind} | {k['requests']} | {k['p50_ms']:.0f} | {k['p95_ms']:.0f} "
            f"| {k['p99_ms']:.0f} | {k['mean_ms']:.0f} | {k['errors']} |"
        )
    print()
    stored = ", ".join(
        f"{kind}: {f['stored'].get(kind, 0)} answered as stored, {gained} in the database"
        for kind, gained in f["gained"].items()
    )
    print(f"Writes: {stored}; {'all stored' if not f['unstored'] else f['unstored']}")
    missed = []
    if reference and f["rps"] / reference < TARGET_DAY["ratio"]:
        missed.append(f"{f['rps'] / reference:.0%} of the reference")
    if f["p95_ms"] >= TARGET_DAY["p95_ms"]:
        missed.append(f"p95 {f['p95_ms']:.0f} ms")
    if f["errors"]:
        missed.append(f"{f['errors']} errors")
    if f["unstored"]:
        missed.append("writes not stored")
    print(
        f"Target: >= {TARGET_DAY['ratio']:.0%} of the reference, p95 < {TARGET_DAY['p95_ms']} ms, "
        f"no error, every write stored: {'MISSED ' + ', '.join(missed) if missed else 'met'}"
    )


if __name__ == "__main__":
    main()
