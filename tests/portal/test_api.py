"""The API: tokens issued in admin, scopes, rate limits, and writes recorded as the browser's."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import ProgressUpdate
from portal.models import ApiToken, digest

pytestmark = pytest.mark.django_db

PROGRESS = {"value": "140", "measured_on": "2024-05-31", "status": "on_track", "comment": "GIS"}


def issue(owner, scope="read", goals=(), **fields) -> str:
    token = ApiToken(name="Σύστημα GIS", owner=owner, scope=scope, **fields)
    secret = token.issue_key()
    token.save()
    token.goals.set(goals)
    return secret


def call(client, method, url, secret=None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    if method == "post":
        return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)
    return client.get(url, **headers)


def progress_url(goal) -> str:
    return f"/api/v1/cycles/{goal.cycle.year}/goals/{goal.code}/progress"


def test_without_a_token_every_call_is_401(published, client):
    for url in ("/api/v1/cycles", "/api/v1/cycles/2024", "/api/v1/cycles/2024/goals/PROG-01"):
        assert call(client, "get", url).status_code == 401
    assert call(client, "post", progress_url(published.goal), body=PROGRESS).status_code == 401
    assert call(client, "get", "/api/v1/cycles", "stx_not-a-token").status_code == 401
    assert not ProgressUpdate.objects.filter(value=140).exists()


def test_a_read_token_reads_the_published_data(published, head_of_planning, client):
    secret = issue(head_of_planning)

    cycles = call(client, "get", "/api/v1/cycles", secret).json()
    cycle = call(client, "get", "/api/v1/cycles/2024", secret).json()
    goal = call(client, "get", "/api/v1/cycles/2024/goals/PROG-01", secret).json()

    assert cycles == [
        {
            "cycle_year": 2024,
            "phase": "monitoring",
            "goal_count": 3,
            "published": cycles[0]["published"],
        }
    ]
    public = json.loads(client.get(reverse("portal:cycle_json", args=[2024])).content)
    # The same as the open data file (the API writes times to the millisecond).
    assert cycle["goals"] == public["goals"] and cycle["decisions"] == public["decisions"]
    published = [datetime.datetime.fromisoformat(d["published"]) for d in (cycle, public)]
    assert published[0] == published[1]
    assert goal["latest_value"] == 125 and [v["month"] for v in goal["values"]] == [
        "2024-03",
        "2024-04",
    ]


def test_a_token_reads_nothing_unpublished(adopted, head_of_planning, client):
    secret = issue(head_of_planning)

    assert call(client, "get", "/api/v1/cycles", secret).json() == []
    assert call(client, "get", "/api/v1/cycles/2024", secret).status_code == 404


def test_a_read_token_cannot_write(published, head_of_planning, client):
    secret = issue(head_of_planning, goals=[published.goal])

    response = call(client, "post", progress_url(published.goal), secret, PROGRESS)

    assert response.status_code == 403
    assert not ProgressUpdate.objects.filter(value=140).exists()


def test_a_token_for_one_goal_cannot_write_another(published, head_of_planning, client):
    secret = issue(head_of_planning, scope="progress", goals=[published.goal])

    response = call(client, "post", progress_url(published.other_goal), secret, PROGRESS)

    assert response.status_code == 403
    assert not ProgressUpdate.objects.filter(value=140).exists()


def test_a_progress_token_records_as_the_browser_does(published, head_of_planning, client):
    secret = issue(head_of_planning, scope="progress", goals=[published.goal])

    response = call(client, "post", progress_url(published.goal), secret, PROGRESS)

    assert response.status_code == 201, response.content
    update = ProgressUpdate.objects.get(value=140)
    assert update.author == head_of_planning  # in the token owner's name
    assert update.measured_on == datetime.date(2024, 5, 31) and update.comment == "GIS"
    published.goal.refresh_from_db()
    assert published.goal.last_measured_on == datetime.date(2024, 5, 31)
    assert published.goal.current_achievement == 80  # (140-100)/(150-100), stored as always
    assert response.json()["achievement"] == 80


def test_the_owner_must_be_allowed_to_record_on_the_goal(published, head_of_finance, client):
    """The service asks the same rule as in the browser: the token's owner leads the goal."""
    secret = issue(head_of_finance, scope="progress", goals=[published.goal])

    response = call(client, "post", progress_url(published.goal), secret, PROGRESS)

    assert response.status_code == 422
    assert response.json()["detail"]  # the service's own refusal, in words
    assert not ProgressUpdate.objects.filter(value=140).exists()


def test_bad_values_are_refused_with_a_message(published, head_of_planning, client):
    secret = issue(head_of_planning, scope="progress", goals=[published.goal])
    url = progress_url(published.goal)

    future = {**PROGRESS, "measured_on": "2099-01-01"}
    other_year = {**PROGRESS, "measured_on": "2023-05-01"}
    assert call(client, "post", url, secret, future).status_code == 422
    assert call(client, "post", url, secret, other_year).status_code == 422
    assert call(client, "post", url, secret, {**PROGRESS, "status": "great"}).status_code == 422
    assert call(client, "post", url, secret, {**PROGRESS, "value": "abc"}).status_code == 422
    unknown = {**PROGRESS, "department": "NOPE"}
    assert call(client, "post", url, secret, unknown).status_code == 422
    assert not ProgressUpdate.objects.filter(value=140).exists()


def test_a_department_value_goes_to_its_allocation(published, head_of_planning, client):
    secret = issue(head_of_planning, scope="progress", goals=[published.other_goal])
    body = {**PROGRESS, "value": "70", "department": published.department.code}

    response = call(client, "post", progress_url(published.other_goal), secret, body)

    assert response.status_code == 201, response.content
    update = ProgressUpdate.objects.get(goal=published.other_goal, value=70)
    assert update.allocation.department == published.department


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked_at": timezone.now()},
        {"expires_at": timezone.now() - datetime.timedelta(minutes=1)},
    ],
    ids=["revoked", "expired"],
)
def test_revoked_and_expired_tokens_are_refused(published, head_of_planning, client, fields):
    secret = issue(head_of_planning, scope="progress", goals=[published.goal], **fields)

    assert call(client, "get", "/api/v1/cycles", secret).status_code == 401
    assert call(client, "post", progress_url(published.goal), secret, PROGRESS).status_code == 401


def test_a_deactivated_owner_s_token_is_refused(published, head_of_planning, client):
    secret = issue(head_of_planning)
    head_of_planning.is_active = False
    head_of_planning.save()

    assert call(client, "get", "/api/v1/cycles", secret).status_code == 401


def test_tokens_are_rate_limited(published, head_of_planning, client, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    secret = issue(head_of_planning)

    statuses = [call(client, "get", "/api/v1/cycles", secret).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = call(client, "get", "/api/v1/cycles", secret)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    other = issue(head_of_planning)
    assert call(client, "get", "/api/v1/cycles", other).status_code == 200  # per token


def test_the_openapi_schema_describes_the_versioned_api(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["info"]["version"] == "1"
    assert "/api/v1/cycles/{year}/goals/{code}/progress" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_admin_shows_a_new_token_once_and_keeps_only_its_digest(
    admin_user, head_of_planning, client_for
):
    client = client_for(admin_user)

    response = client.post(
        reverse("admin:portal_apitoken_add"),
        {"name": "GIS", "owner": head_of_planning.pk, "scope": "read", "goals": []},
        follow=True,
    )

    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    secret = next(word for m in shown for word in m.split() if word.startswith("stx_"))
    assert token.key_digest == digest(secret) and secret not in token.key_digest
    assert token.created_by == admin_user
    page = client.get(reverse("admin:portal_apitoken_change", args=[token.pk])).content.decode()
    assert secret not in page


def test_the_admin_revokes_tokens(admin_user, head_of_planning, client_for, published):
    secret = issue(head_of_planning)
    token = ApiToken.objects.get()

    client_for(admin_user).post(
        reverse("admin:portal_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        client_for(None).get("/api/v1/cycles", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
        == 401
    )
