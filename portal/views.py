"""The public pages (no login): published goals and progress, open data, accessibility statement.

Every page and file reads a published cycle through `portal.visibility` (one rule); an
unpublished or withdrawn year is a 404, whoever asks. The HTML pages carry the language switch
(with its CSRF token), so they are not stored by shared caches, but the cycle they show is read
from the shared cache (`cycle_dataset`); the files and the catalogue are the same for everyone
and may be kept by shared caches for PORTAL_CACHE_SECONDS.
"""

import datetime
import json
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from goals.models import Goal, MayoralDecision
from goals.trend import trend_of
from portal import catalogue as dcat
from portal import opendata
from portal.visibility import PublicGoal, cycle_dataset, published_cycle, published_cycles

# The date this accessibility statement was prepared (and last reviewed), by self-assessment.
STATEMENT_PREPARED_ON = datetime.date(2026, 12, 1)


def _public_cycle(year: int):
    cycle = published_cycle(year)
    if cycle is None:
        raise Http404
    return cycle_dataset(cycle)


@login_not_required
@require_safe
def index(request):
    """The published years, newest first."""
    ctx = {"cycles": list(published_cycles()), "public_section": "goals"}
    return render(request, "portal/index.html", ctx)


@login_not_required
@require_safe
def cycle(request, year: int):
    """A published year: its goals by directorate and category, with progress, and decisions."""
    dataset = _public_cycle(year)
    ctx = {"dataset": dataset, "groups": dataset.by_directorate(), "public_section": "goals"}
    return render(request, "portal/cycle.html", ctx)


def _trend(goal: PublicGoal, year: int):
    by_line: dict = {}
    for value in goal.values:
        if value.indicator_number != 1:
            continue  # the trend follows the goal's own indicator, against its target
        by_line.setdefault(value.department or None, {})[value.measured_on] = value.value
    target = Decimal(1) if goal.is_milestone else goal.target
    return trend_of(by_line, target=target, year=year)


@login_not_required
@require_safe
def goal(request, year: int, code: str):
    """One published goal: what was adopted, its monthly values and their trend."""
    dataset = _public_cycle(year)
    public_goal = dataset.goal(code)
    if public_goal is None:
        raise Http404
    ctx = {
        "dataset": dataset,
        "goal": public_goal,
        "trend": _trend(public_goal, year),
        "public_section": "goals",
    }
    return render(request, "portal/goal.html", ctx)


@login_not_required
@require_safe
def open_data(request):
    """The open data: the files of each published year, the licence, the catalogue, the API."""
    ctx = {
        "cycles": list(published_cycles()),
        "licence_url": opendata.LICENCE_URL,
        "contact_email": settings.MUNICIPALITY_CONTACT_EMAIL,
        "public_section": "data",
    }
    return render(request, "portal/open_data.html", ctx)


@login_not_required
@require_safe
def fields(request):
    """Every field of the open data files, with its type and meaning, and the codes used."""
    ctx = {
        "tables": [
            ("goals", opendata.GOAL_FIELDS),
            ("values", opendata.VALUE_FIELDS),
            ("decisions", opendata.DECISION_FIELDS),
        ],
        "categories": Goal.Category.choices,
        "target_kinds": Goal.TargetKind.choices,
        "decision_kinds": MayoralDecision.Kind.choices,
        "licence_url": opendata.LICENCE_URL,
        "public_section": "data",
    }
    return render(request, "portal/fields.html", ctx)


@login_not_required
@require_safe
def accessibility(request):
    """The accessibility statement, in the form of the EU model (Decision (EU) 2018/1523)."""
    ctx = {
        "prepared_on": STATEMENT_PREPARED_ON,
        "contact_email": settings.MUNICIPALITY_CONTACT_EMAIL,
        "contact_phone": settings.MUNICIPALITY_CONTACT_PHONE,
        "site_url": settings.SITE_URL,
        "public_section": "accessibility",
    }
    return render(request, "portal/accessibility.html", ctx)


# --- Files --------------------------------------------------------------------------------------
def _file(body: str, content_type: str, filename: str = "") -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The same for everyone: shared caches may keep it a short while; any site may fetch it.
    patch_cache_control(response, public=True, max_age=settings.PORTAL_CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_safe
def goals_csv(request, year: int):
    body = opendata.goals_csv(_public_cycle(year))
    return _file(body, "text/csv; charset=utf-8", f"stoxothesia-{year}-goals.csv")


@login_not_required
@require_safe
def values_csv(request, year: int):
    body = opendata.values_csv(_public_cycle(year))
    return _file(body, "text/csv; charset=utf-8", f"stoxothesia-{year}-values.csv")


@login_not_required
@require_safe
def cycle_json(request, year: int):
    document = opendata.cycle_json(_public_cycle(year))
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return _file(body, "application/json", f"stoxothesia-{year}.json")


@login_not_required
@require_safe
def catalogue(request):
    """The DCAT-AP catalogue of every published year (JSON-LD)."""
    body = json.dumps(dcat.catalogue(list(published_cycles())), ensure_ascii=False, indent=1)
    return _file(body, "application/ld+json")
