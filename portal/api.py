"""The API for the municipality's other systems (django-ninja): /api/v1/, schema at
/api/v1/openapi.json.

Every call carries a token issued in Django admin (`Authorization: Bearer stx_…`); without a
usable one (unknown, revoked, expired, or its owner deactivated) the answer is 401. Each token
may make API_REQUESTS_PER_MINUTE requests a minute (counted in the shared cache with
`directorates.limits`, as the logins are); past them, 429 with Retry-After. Reading returns
what the public pages show (`portal.visibility`, the same JSON as the open data); recording a
progress value goes through `goals.services.monitoring.record_progress`, the service behind the
browser's form, in the name of the token's owner, so it is checked, stored and worked into the
achievement as one made in the browser.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from directorates import limits
from directorates.audit import log_event
from goals.models import Allocation, Goal, ProgressUpdate
from goals.services.monitoring import record_progress
from portal.models import ApiToken, digest
from portal.opendata import cycle_json
from portal.rules import may_read, may_record_progress
from portal.visibility import cycle_dataset, published_cycle, published_cycles

RATE_WINDOW = 60
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class RateLimited(HttpError):
    def __init__(self, wait: int):
        self.wait = wait
        super().__init__(429, _("Too many requests: try again in a minute."))


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        api_token = (
            ApiToken.objects.usable().select_related("owner").filter(key_digest=digest(token))
        ).first()
        if api_token is None:
            return None
        key = f"token:{api_token.pk}"
        if (
            limits.count_in_window("api", key, window=RATE_WINDOW)
            > settings.API_REQUESTS_PER_MINUTE
        ):
            raise RateLimited(RATE_WINDOW)
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return api_token


api = NinjaAPI(
    title="Stoxothesia API",
    version="1",
    description=(
        "The published goals of the municipality, their indicators, targets, monthly values and "
        "achievement, and the recording of progress values by the municipality's other systems. "
        "Tokens are issued by the administrators; send them as `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    docs_url=None,
    auth=TokenAuth(),
)


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.wait)
    return response


# --- Schemas ------------------------------------------------------------------------------------
class ValueOut(Schema):
    month: str = Field(description="YYYY-MM")
    department: str = Field(description="Empty for a measurement of the whole goal.")
    indicator_number: int = Field(
        description="1: the goal's own indicator; 2 and on: its further indicators."
    )
    indicator: str
    value: float
    measured_on: datetime.date


class GoalOut(Schema):
    cycle_year: int
    goal_code: str
    title: str
    description: str
    directorate_code: str
    directorate_name: str
    directorate_name_en: str
    directorate_head: str
    category: Goal.Category
    indicator: str
    unit_of_measure: str
    target_kind: Goal.TargetKind
    baseline: float | None
    target: float | None
    deadline: datetime.date
    weight: int
    indicator_weight: int
    further_indicators: str
    programme_action: str
    latest_value: float | None
    latest_measured_on: datetime.date | None
    final_value: float | None
    achievement: float | None = Field(description="Percent; above 100 when exceeded.")
    values: list[ValueOut]


class DecisionOut(Schema):
    kind: str
    number: str
    decision_date: datetime.date
    ada: str
    subject: str
    amends_ada: str
    diavgeia_url: str


class CycleOut(Schema):
    cycle_year: int
    phase: str
    published: datetime.datetime
    modified: datetime.datetime
    publisher: str
    licence: str
    goals: list[GoalOut]
    decisions: list[DecisionOut]


class CycleSummary(Schema):
    cycle_year: int
    phase: str
    goal_count: int
    published: datetime.datetime


class ProgressIn(Schema):
    value: Decimal = Field(max_digits=14, decimal_places=2)
    measured_on: datetime.date
    status: ProgressUpdate.Status
    comment: str = Field("", max_length=2000)
    department: str | None = Field(
        None, description="The code of a department the goal is allocated to; empty: whole goal."
    )


class ProgressOut(Schema):
    goal_code: str
    value: float
    measured_on: datetime.date
    status: str
    achievement: float | None


class Problem(Schema):
    detail: str


# --- Reading ------------------------------------------------------------------------------------
def _readable(request) -> None:
    if not may_read(request.auth):
        raise HttpError(403, _("This token may not read."))


@api.get("/cycles", response=list[CycleSummary], summary="The published cycles")
def list_cycles(request):
    _readable(request)
    return [
        {
            "cycle_year": c.year,
            "phase": c.phase,
            "goal_count": c.goal_count,
            "published": c.published_at,
        }
        for c in published_cycles()
    ]


def _dataset(year: int):
    cycle = published_cycle(year)
    if cycle is None:
        raise HttpError(404, _("No published goals for that year."))
    return cycle_dataset(cycle)


@api.get(
    "/cycles/{year}",
    response={200: CycleOut, 404: Problem},
    summary="A published cycle: its goals with their monthly values, and its decisions",
)
def get_cycle(request, year: int):
    _readable(request)
    return cycle_json(_dataset(year))


@api.get(
    "/cycles/{year}/goals/{code}",
    response={200: GoalOut, 404: Problem},
    summary="One goal of a published cycle, with its monthly values",
)
def get_goal(request, year: int, code: str):
    _readable(request)
    document = cycle_json(_dataset(year))
    goal = next((g for g in document["goals"] if g["goal_code"] == code), None)
    if goal is None:
        raise HttpError(404, _("No such goal among the published ones."))
    return goal


# --- Writing ------------------------------------------------------------------------------------
@api.post(
    "/cycles/{year}/goals/{code}/progress",
    response={201: ProgressOut, 403: Problem, 404: Problem, 422: Problem},
    summary="Record a measured value of a goal named on the token",
)
def post_progress(request, year: int, code: str, payload: ProgressIn):
    token: ApiToken = request.auth
    goal = get_object_or_404(Goal.objects.select_related("cycle"), cycle__year=year, code=code)
    named = set(token.goals.values_list("pk", flat=True))
    if not may_record_progress(token, goal, named):
        log_event(request, "api.progress_refused", token=token.prefix, goal=goal.code)
        raise HttpError(403, _("This token may not record progress on this goal."))
    allocation = None
    if payload.department:
        allocation = Allocation.objects.filter(
            goal=goal, department__code=payload.department
        ).first()
        if allocation is None:
            raise HttpError(422, _("The goal is not allocated to that department."))
    try:
        update = record_progress(
            goal=goal,
            by=token.owner,
            value=payload.value,
            measured_on=payload.measured_on,
            status=payload.status,
            comment=payload.comment.strip(),
            allocation=allocation,
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    goal.refresh_from_db(fields=["current_achievement"])
    log_event(
        request,
        "api.progress_recorded",
        token=token.prefix,
        owner=token.owner.get_username(),
        goal=goal.code,
        update=update.pk,
    )
    return Status(
        201,
        {
            "goal_code": goal.code,
            "value": update.value,
            "measured_on": update.measured_on,
            "status": update.status,
            "achievement": goal.current_achievement,
        },
    )
