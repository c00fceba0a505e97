"""Concurrency against a live gunicorn on PostgreSQL.

- 50 heads of directorate submit 500 observations at once (50 threads x 10 submissions, each
  through its own logged-in HTTP session): all 500 stored, none twice, no error answer.
- Two people save the same goal at the same moment, from the same version: exactly one wins,
  the other gets the conflict page, the history has one new row, nothing overwritten silently.

Every request has a timeout (tests.servers.Browser: 15 s) and every join is bounded.
"""

import contextlib
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from directorates.roles import Role
from goals.models import Goal, Observation
from tests.factories import (
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    UserFactory,
)
from tests.goals.test_goal_form import goal_data
from tests.servers import PRODUCTION_ENV, Browser, database_url, gunicorn, server_env

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]

HEADS = 50
EACH = 10
JOIN_TIMEOUT = 45


@pytest.fixture(scope="module")
def server(django_db_setup, production_static):
    env = server_env(
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(production_static),
        SECURE_SSL_REDIRECT="false",
        GUNICORN_CMD_ARGS="--threads 8",
    )
    with gunicorn(env, workers=4) as url:
        yield url


@pytest.fixture
def browser_for(transactional_db, settings, server, client_for):
    """A Browser on the live server with a session made directly in the database (as after a
    login, second factor passed): signed with the server's secret key, so the server takes it."""
    settings.SECRET_KEY = PRODUCTION_ENV["SECRET_KEY"]

    def make(user) -> Browser:
        session = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
        return Browser(server, cookies={settings.SESSION_COOKIE_NAME: session})

    return make


def token_of(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token"
    return match[1]


def test_fifty_heads_submit_five_hundred_observations_at_once(browser_for):
    cycle = GoalCycleFactory(year=2024, open=True)
    heads = []
    for n in range(HEADS):
        directorate = DirectorateFactory(code=f"C{n:02d}")
        head = UserFactory(
            username=f"head-{n:02d}", directorate=directorate, roles=[Role.HEAD_OF_DIRECTORATE]
        )
        directorate.head = head
        directorate.save()
        goal = GoalFactory(cycle=cycle, directorate=directorate, code=f"C{n:02d}-01")
        heads.append((head, goal))

    browsers = [browser_for(head) for head, _goal in heads]

    start = threading.Barrier(HEADS, timeout=JOIN_TIMEOUT)
    answers: list[tuple[str, int]] = []
    lock = threading.Lock()

    def submit(browser: Browser, head, goal) -> None:
        path = f"/goals/{goal.pk}/observations/new/"
        page = browser.get(path)
        assert page.status == 200
        token = token_of(page.text)
        start.wait()
        for i in range(EACH):
            text = f"Παρατήρηση {i} της {head.username}"
            status = browser.request("POST", path, {"csrfmiddlewaretoken": token, "text": text})
            with lock:
                answers.append((text, status.status))

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=HEADS) as pool:
        futures = [
            pool.submit(submit, browser, head, goal)
            for browser, (head, goal) in zip(browsers, heads, strict=True)
        ]
        for future in futures:
            future.result(timeout=JOIN_TIMEOUT)
    elapsed = time.monotonic() - began
    print(f"\n{HEADS * EACH} observations by {HEADS} heads in {elapsed:.2f} s")

    assert sorted({status for _text, status in answers}) == [302]
    assert len(answers) == HEADS * EACH
    stored = list(Observation.objects.values_list("text", "author__username", "goal_id"))
    assert len(stored) == HEADS * EACH
    assert sorted(text for text, _author, _goal in stored) == sorted(t for t, _s in answers)
    for text, author, goal_pk in stored:
        assert text.endswith(author)
        assert goal_pk == dict((h.username, g.pk) for h, g in heads)[author]


def test_two_people_saving_one_goal_at_once_one_wins_the_other_sees_the_conflict(
    browser_for,
):
    cycle = GoalCycleFactory(year=2024, open=True)
    planning = DirectorateFactory(code="PROG")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01", title="Αρχικός τίτλος")
    history_before = goal.history.count()
    people = []
    secretary = UserFactory(username="secretary", roles=[Role.GENERAL_SECRETARY])
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    for person in (secretary, admin):
        people.append((person.username, browser_for(person)))

    path = f"/goals/{goal.pk}/edit/"
    posts = {}
    for username, browser in people:
        page = browser.get(path)
        assert page.status == 200
        data = goal_data(cycle, planning, code="PROG-01", title=f"Τίτλος από {username}")
        posts[username] = {
            "csrfmiddlewaretoken": token_of(page.text),
            **data,
            "version": str(goal.version),
        }

    start = threading.Barrier(2, timeout=JOIN_TIMEOUT)
    answers = {}

    def save(username, browser):
        start.wait()
        answers[username] = browser.request("POST", path, posts[username])

    threads = [threading.Thread(target=save, args=person, daemon=True) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
        assert not thread.is_alive(), "a save did not finish in time"

    statuses = {username: answer.status for username, answer in answers.items()}
    assert sorted(statuses.values()) == [302, 409], statuses
    winner = next(username for username, status in statuses.items() if status == 302)
    loser = next(username for username, status in statuses.items() if status == 409)
    goal.refresh_from_db()
    assert goal.title == f"Τίτλος από {winner}"
    assert goal.version == int(posts[winner]["version"]) + 1
    assert goal.history.count() == history_before + 1
    conflict_page = answers[loser].text
    assert f"Τίτλος από {winner}" in conflict_page  # the loser is shown what was saved
    assert f"Τίτλος από {loser}" in conflict_page  # and keeps what they typed
    with contextlib.suppress(Goal.DoesNotExist):
        assert Goal.objects.get(pk=goal.pk).title != f"Τίτλος από {loser}"
