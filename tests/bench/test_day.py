"""The working day's choices: who reads what, how often a write comes, what counts as an error,
and the check that every write answered as stored is in the database."""

import random
from collections import Counter

import pytest

from bench.day import (
    READ_WEIGHTS,
    WRITE_EVERY,
    Person,
    Request,
    cast,
    choose_people,
    connection_people,
    next_request,
    outcome,
    percentile,
    reads,
    unstored,
    writes,
)

HEAD = Person(
    username="head3",
    role="head of directorate",
    session_key="h",
    directorate_id=4,
    directorate_code="D003",
    goals=(10, 11),
    report_codes=("D003",),
    meetings=(7,),
    open_goals=(20,),
    reportable=((10, None),),
    measured_on="2026-11-30",
)
DEPARTMENT_HEAD = Person(
    username="dept3",
    role="head of department",
    session_key="d",
    directorate_id=4,
    directorate_code="D003",
    goals=(10,),
    report_codes=("D003",),
    reportable=((10, 55),),
    measured_on="2026-11-30",
)
MAYOR = Person(
    username="mayor", role="mayor", session_key="m", goals=(10, 99), report_codes=("D001",)
)


def test_a_head_reads_their_own_directorate_and_never_another():
    paths = {path for _kind, path, _weight in reads(HEAD)}

    assert "/goals/?directorate=4" in paths
    assert {"/goals/10/", "/goals/11/", "/goals/10/progress/", "/reports/D003/"} <= paths
    assert {"/consultation/", "/allocations/", "/meetings/7/", "/organisation/", "/"} <= paths
    assert not any(path.startswith("/reports/") and path != "/reports/D003/" for path in paths)


def test_a_head_of_department_is_not_sent_to_the_consultation_or_meetings():
    kinds = {kind for kind, _path, _weight in reads(DEPARTMENT_HEAD)}

    assert "consultation overview" not in kinds
    assert "meeting page" not in kinds


def test_the_mayor_reads_the_whole_list_and_writes_nothing():
    paths = {path for _kind, path, _weight in reads(MAYOR)}

    assert "/goals/" in paths and "/consultation/" in paths
    assert writes(MAYOR) == []
    assert not MAYOR.writes


def test_a_kinds_weight_is_shared_by_its_pages():
    weights = Counter()
    for kind, _path, weight in reads(MAYOR):
        weights[kind] += weight

    assert weights["goal page"] == READ_WEIGHTS["goal page"]  # two goals, one kind's weight
    assert weights["goal page"] > weights["organisation chart"]


def test_writes_carry_the_form_of_an_observation_and_of_a_progress_update():
    (observation,) = [w for w in writes(HEAD) if w[0] == "observation"]
    (whole,) = [w for w in writes(HEAD) if w[0] == "progress update"]
    (share,) = writes(DEPARTMENT_HEAD)

    assert observation[1] == "/goals/20/observations/new/" and observation[2]["text"]
    assert whole[1] == "/goals/10/progress/" and whole[2]["allocation"] == ""
    assert share[2]["allocation"] == "55" and share[2]["measured_on"] == "2026-11-30"


def test_one_request_in_twenty_is_a_write_by_someone_who_may():
    rng = random.Random(1)
    own = [MAYOR, HEAD]

    made = [next_request(rng, own, number) for number in range(WRITE_EVERY * 50)]

    written = [r for r in made if r.is_write]
    assert len(written) == 50
    assert {r.person.username for r in written} == {"head3"}
    assert {r.person.username for r in made if not r.is_write} == {"mayor", "head3"}


def test_a_connection_of_readers_only_never_writes():
    rng = random.Random(2)

    made = [next_request(rng, [MAYOR], number) for number in range(100)]

    assert not any(r.is_write for r in made)


def test_people_keep_to_one_connection_and_every_one_is_dealt():
    people = [Person(username=f"p{i}", role="mayor", session_key=str(i)) for i in range(40)]

    dealt = connection_people(people, 16)

    assert len(dealt) == 16
    assert sorted(p.username for own in dealt for p in own) == sorted(p.username for p in people)
    assert {len(own) for own in dealt} == {2, 3}
    assert len(connection_people(people[:5], 16)) == 5


def test_forty_people_are_the_mayor_the_secretary_and_heads_in_halves():
    assert cast(40) == (19, 19)
    assert cast(41) == (20, 19)
    assert cast(2) == (0, 0)


def test_outcomes_count_a_login_redirect_and_a_refused_write_as_errors():
    read = Request(HEAD, "start page", "/")
    write = Request(HEAD, "observation", "/goals/20/observations/new/", {"text": "x"})

    assert outcome(read, 200) == "ok"
    assert outcome(read, 302, "/goals/") == "ok"
    assert outcome(read, 302, "/accounts/login/?next=/") == "sent to log in"
    assert outcome(read, 302, "http://127.0.0.1/accounts/two-factor/") == "sent to log in"
    assert outcome(read, 403) == "HTTP 403"
    assert outcome(read, None) == "failed"
    assert outcome(write, 302, "/observations/5/") == "stored"
    assert outcome(write, 200) == "write refused"


def test_every_write_answered_as_stored_must_be_in_the_database():
    before = {"observation": 100, "progress update": 50}

    after = {"observation": 103, "progress update": 52}
    assert unstored(before, after, {"observation": 3, "progress update": 2}) == []
    missing = unstored(before, {"observation": 102, "progress update": 52}, {"observation": 3})
    assert missing == [
        "observation: 3 answered as stored, 2 in the db",
        "progress update: 0 answered as stored, 2 in the db",
    ]


def test_percentiles_by_nearest_rank():
    values = [float(v) for v in range(1, 101)]

    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile([7.0], 0.99) == 7
    assert percentile([], 0.5) == 0


@pytest.mark.django_db
def test_every_page_and_write_of_the_day_is_open_to_its_person(client, settings):
    """The day counts any refusal as an error: what it chooses for each role must be allowed."""
    from bench.generate import generate
    from bench.run import make_session

    generate(scale=0.01)
    people = choose_people(4, make_session)

    assert [p.role for p in people] == [
        "mayor",
        "general secretary",
        "head of directorate",
        "head of department",
    ]
    assert all(writes(p) for p in people[2:])
    for person in people:
        client.cookies[settings.SESSION_COOKIE_NAME] = person.session_key
        for _kind, path, _weight in reads(person):
            assert client.get(path).status_code == 200, (person.username, path)
        for kind, path, fields in writes(person):
            response = client.post(path, fields)
            location = response.get("Location", "")
            made = outcome(Request(person, kind, path, fields), response.status_code, location)
            assert made == "stored", (person.username, path, response.status_code)
