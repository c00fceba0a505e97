"""A working day: many different people at once, each on their own pages, with writes between.

`bench/run.py --scenario day` runs it against the same gunicorn and data as the per-page
benchmark. Heads of directorate and of department, the General Secretary and the Mayor (the
last two with a verified second factor) each get a session of their own; sixteen connections
send their requests, each connection keeping to its own few people, as browsers would. A
request is a page its person may read (start page, own goal list, own goals' pages, meetings,
organisation chart, directorate report, consultation and allocation overviews, as the role
allows), chosen at random with the weights below; one request in `WRITE_EVERY` is a write by one
of the connection's people who may write: an observation on a goal open to them, or a progress
update on a goal they report on.

An error is any answer other than 2xx/3xx, a redirect to the login or second-factor page, a
write answered without a redirect (the form came back), or a request that failed. After the
load, the observations and progress updates stored are counted against the writes answered
with success: every one must be there, and no more.

The load is bounded twice: by time (`duration`) and by a number of requests (`max_requests`);
it goes to 127.0.0.1 only.
"""

import datetime
import http.client
import math
import random
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

WRITE_EVERY = 20  # one request in twenty is a write
LOGIN_PATHS = ("/accounts/login/", "/accounts/two-factor/")
GOALS_PER_PERSON = 12  # own goals' pages a person moves between
READ_WEIGHTS = {
    "start page": 5,
    "goal list": 4,
    "goal page": 6,
    "progress page": 1,
    "meeting list": 1,
    "meeting page": 1,
    "organisation chart": 1,
    "directorate report": 1,
    "consultation overview": 1,
    "allocation overview": 1,
}


@dataclass(frozen=True)
class Person:
    """Someone at work, with what they may read and write, as ids and paths."""

    username: str
    role: str  # "mayor", "general secretary", "head of directorate", "head of department"
    session_key: str
    directorate_id: int | None = None
    directorate_code: str | None = None
    goals: tuple[int, ...] = ()  # goals they read: their directorate's, or any for oversight
    report_codes: tuple[str, ...] = ()  # directorates whose report they read
    meetings: tuple[int, ...] = ()
    open_goals: tuple[int, ...] = ()  # open for their observations
    reportable: tuple[tuple[int, int | None], ...] = ()  # (goal, allocation or None: the whole)
    measured_on: str = ""  # the date their progress updates carry (ISO)

    @property
    def oversees(self) -> bool:
        return self.role in ("mayor", "general secretary")

    @property
    def writes(self) -> bool:
        return bool(self.open_goals or self.reportable)


def cast(n: int) -> tuple[int, int]:
    """Of `n` people, how many heads of directorate and of department, besides the Mayor and
    the General Secretary (heads of directorate first when the count is odd)."""
    heads = max(0, n - 2)
    return (heads + 1) // 2, heads // 2


def reads(person: Person) -> list[tuple[str, str, int]]:
    """The pages a person reads, as (kind, path, weight): what their role lets them open."""
    own_list = "/goals/" if person.oversees else f"/goals/?directorate={person.directorate_id}"
    choices = [("start page", "/"), ("goal list", own_list)]
    choices += [("goal page", f"/goals/{pk}/") for pk in person.goals]
    choices += [("progress page", f"/goals/{pk}/progress/") for pk, _a in person.reportable]
    choices += [("meeting list", "/meetings/")]
    choices += [("meeting page", f"/meetings/{pk}/") for pk in person.meetings]
    choices += [("organisation chart", "/organisation/")]
    choices += [("directorate report", f"/reports/{code}/") for code in person.report_codes]
    if person.oversees or person.role == "head of directorate":
        choices.append(("consultation overview", "/consultation/"))
    choices.append(("allocation overview", "/allocations/"))
    # A kind's weight is shared by its pages: six goals are not read six times as often as one.
    per_kind = {}
    for kind, _path in choices:
        per_kind[kind] = per_kind.get(kind, 0) + 1
    return [(kind, path, READ_WEIGHTS[kind] / per_kind[kind]) for kind, path in choices]


def writes(person: Person) -> list[tuple[str, str, dict[str, str]]]:
    """The writes a person may make, as (kind, path, form fields without the CSRF token)."""
    choices = [
        ("observation", f"/goals/{pk}/observations/new/", {"text": "Working-day observation"})
        for pk in person.open_goals
    ]
    for goal, allocation in person.reportable:
        fields = {
            "allocation": "" if allocation is None else str(allocation),
            "value": "1",
            "measured_on": person.measured_on,
            "status": "on_track",
            "comment": "Working-day measurement",
        }
        choices.append(("progress update", f"/goals/{goal}/progress/", fields))
    return choices


@dataclass(frozen=True)
class Request:
    person: Person
    kind: str
    path: str
    fields: dict[str, str] | None = None  # a POST's form fields

    @property
    def is_write(self) -> bool:
        return self.fields is not None


def connection_people(people: list[Person], connections: int) -> list[list[Person]]:
    """Each connection's people: dealt out in turn, so every person keeps to one connection."""
    return [people[i::connections] for i in range(connections) if people[i::connections]]


def next_request(rng: random.Random, own: list[Person], number: int) -> Request:
    """A connection's `number`-th request (from 0): every `WRITE_EVERY`-th a write by one of
    its people who may write, else a page one of its people reads."""
    writers = [person for person in own if person.writes]
    if number % WRITE_EVERY == WRITE_EVERY - 1 and writers:
        person = rng.choice(writers)
        kind, path, fields = rng.choice(writes(person))
        return Request(person, kind, path, fields)
    person = rng.choice(own)
    choices = reads(person)
    kind, path, _weight = rng.choices(choices, weights=[w for _k, _p, w in choices])[0]
    return Request(person, kind, path)


def outcome(request: Request, status: int | None, location: str = "") -> str:
    """ "ok", "stored" (a write answered with its redirect) or what went wrong."""
    if status is None:
        return "failed"
    if status >= 400 or status < 200:
        return f"HTTP {status}"
    if 300 <= status < 400:
        path = urllib.parse.urlsplit(location).path
        if path.startswith(LOGIN_PATHS):
            return "sent to log in"
        return "stored" if request.is_write else "ok"
    return "write refused" if request.is_write else "ok"


def unstored(before: dict[str, int], after: dict[str, int], stored: dict[str, int]) -> list[str]:
    """What the database does not bear out: for each kind of write, the rows it gained against
    the writes answered with success (none may be missing, none extra)."""
    problems = []
    for kind in sorted(set(before) | set(stored)):
        gained = after.get(kind, 0) - before.get(kind, 0)
        if gained != stored.get(kind, 0):
            problems.append(f"{kind}: {stored.get(kind, 0)} answered as stored, {gained} in the db")
    return problems


def percentile(sorted_values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); 0 for none."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # ms
    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, ms: float, result: str) -> None:
        self.latencies.append(ms)
        self.outcomes[result] = self.outcomes.get(result, 0) + 1

    @property
    def errors(self) -> int:
        return sum(n for result, n in self.outcomes.items() if result not in ("ok", "stored"))

    def figures(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "p50_ms": percentile(ordered, 0.50),
            "p95_ms": percentile(ordered, 0.95),
            "p99_ms": percentile(ordered, 0.99),
            "mean_ms": statistics.fmean(ordered) if ordered else 0.0,
            "errors": self.errors,
        }


@dataclass(frozen=True)
class Cookies:
    """The names of the session and CSRF cookies, and the CSRF secret every request sends (as
    cookie and, in a POST, as form field)."""

    session: str
    csrf: str
    secret: str


def send(conn: http.client.HTTPConnection, request: Request, cookies: Cookies):
    """One request on a kept connection; its status and Location header."""
    secret = cookies.secret
    headers = {"Cookie": f"{cookies.csrf}={secret}; {cookies.session}={request.person.session_key}"}
    body = None
    method = "GET"
    if request.is_write:
        method = "POST"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": secret, **request.fields})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, request.path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status, response.getheader("Location", "")


def load(
    port: int,
    people: list[Person],
    *,
    cookies: Cookies,
    connections: int = 16,
    duration: float = 60,
    max_requests: int = 50_000,
    seed: int = 11,
    timeout: float = 30,
    choose=next_request,
) -> dict:
    """Run the day against 127.0.0.1:`port`; per kind of request, its Tally. `choose(rng,
    people, number)` gives a connection's next request (`next_request` by default)."""
    tallies: dict[str, Tally] = {}
    lock = threading.Lock()
    sent = 0
    stop_at = time.monotonic() + duration

    def connection_loop(index: int, own: list[Person]) -> None:
        nonlocal sent
        rng = random.Random(seed * 1000 + index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        # Connections start at different points of their twenty: writes come from the first
        # seconds on, spread over time, not all at each connection's twentieth request.
        number = index % WRITE_EVERY
        try:
            while time.monotonic() < stop_at:
                with lock:
                    if sent >= max_requests:
                        return
                    sent += 1
                request = choose(rng, own, number)
                number += 1
                started = time.perf_counter()
                try:
                    status, location = send(conn, request, cookies)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    status, location = None, ""
                ms = (time.perf_counter() - started) * 1000
                result = outcome(request, status, location)
                with lock:
                    tallies.setdefault(request.kind, Tally()).add(ms, result)
        finally:
            conn.close()

    started = time.monotonic()
    threads = [
        threading.Thread(target=connection_loop, args=(i, own), daemon=True)
        for i, own in enumerate(connection_people(people, connections))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + timeout + 30)
    seconds = time.monotonic() - started
    return {"seconds": seconds, "tallies": tallies, "connections": len(threads)}


def summary(result: dict) -> dict:
    """The whole day's figures (req/s, percentiles, errors) from `load`'s result."""
    everything = Tally()
    for tally in result["tallies"].values():
        everything.latencies += tally.latencies
        for outcome_, n in tally.outcomes.items():
            everything.outcomes[outcome_] = everything.outcomes.get(outcome_, 0) + n
    figures = everything.figures()
    figures["rps"] = figures["requests"] / result["seconds"] if result["seconds"] else 0.0
    figures["outcomes"] = everything.outcomes
    return figures


def stored_by_kind(result: dict) -> dict[str, int]:
    return {
        kind: tally.outcomes.get("stored", 0)
        for kind, tally in result["tallies"].items()
        if kind in ("observation", "progress update")
    }


# --- The people, from the benchmark's database -----------------------------------------------
def choose_people(n: int, session_for, seed: int = 5) -> list[Person]:
    """`n` people of the generated data (bench/generate.py) with a session each: the Mayor, the
    General Secretary, then heads of directorate and of department of different units.
    `session_for(user)` makes the session and returns its key."""
    from django.utils import timezone

    from directorates.models import Department, Directorate, User
    from goals.models import Allocation, Goal, GoalCycle
    from goals.reports import monitored_cycle
    from meetings.models import Meeting

    rng = random.Random(seed)
    monitored = monitored_cycle()
    open_cycles = [c.pk for c in GoalCycle.objects.all() if c.is_consultation_open()]
    measured_on = ""
    if monitored is not None:
        measured_on = min(timezone.localdate(), datetime.date(monitored.year, 12, 31)).isoformat()
    meetings = list(Meeting.objects.order_by("-date").values_list("pk", flat=True)[:40])
    codes = list(Directorate.objects.order_by("order").values_list("code", flat=True))
    cycles = [c for c in [monitored and monitored.pk, *open_cycles] if c]

    def goals_of(directorate_id: int | None) -> tuple[int, ...]:
        goals = Goal.objects.filter(cycle_id__in=cycles)
        if directorate_id is not None:
            goals = goals.filter(directorate_id=directorate_id)
        pks = list(goals.values_list("pk", flat=True))
        return tuple(rng.sample(pks, min(GOALS_PER_PERSON, len(pks))))

    directorate_heads, department_heads = cast(n)
    people = []
    for username, role in (("mayor", "mayor"), ("gs", "general secretary"))[: min(n, 2)]:
        user = User.objects.get(username=username)
        people.append(
            Person(
                username=username,
                role=role,
                session_key=session_for(user),
                goals=goals_of(None),
                report_codes=tuple(rng.sample(codes, min(5, len(codes)))),
                meetings=tuple(rng.sample(meetings, min(5, len(meetings)))),
            )
        )
    heads = Directorate.objects.filter(head__isnull=False).select_related("head")
    for directorate in heads.order_by("order")[:directorate_heads]:
        user = directorate.head
        adopted = Goal.objects.filter(
            cycle=monitored, directorate=directorate, status=Goal.Status.ADOPTED
        )
        people.append(
            Person(
                username=user.username,
                role="head of directorate",
                session_key=session_for(user),
                directorate_id=directorate.pk,
                directorate_code=directorate.code,
                goals=goals_of(directorate.pk),
                report_codes=(directorate.code,),
                meetings=tuple(rng.sample(meetings, min(5, len(meetings)))),
                open_goals=tuple(
                    Goal.objects.filter(cycle_id__in=open_cycles, directorate=directorate)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:GOALS_PER_PERSON]
                ),
                reportable=tuple(
                    (pk, None) for pk in adopted.order_by("pk").values_list("pk", flat=True)[:6]
                ),
                measured_on=measured_on,
            )
        )
    # Heads of department: the generator deals departments out to directorates in turn, so
    # the first ones belong to different directorates.
    departments = list(
        Department.objects.filter(head__isnull=False).select_related("head", "directorate")
    )
    departments.sort(key=lambda d: d.pk)
    for department in departments[:department_heads]:
        user = department.head
        allocations = Allocation.objects.filter(
            department=department, goal__cycle=monitored
        ).order_by("pk")
        people.append(
            Person(
                username=user.username,
                role="head of department",
                session_key=session_for(user),
                directorate_id=department.directorate_id,
                directorate_code=department.directorate.code,
                goals=goals_of(department.directorate_id),
                report_codes=(department.directorate.code,),
                reportable=tuple(allocations.values_list("goal_id", "pk")[:6]),
                measured_on=measured_on,
            )
        )
    return people
