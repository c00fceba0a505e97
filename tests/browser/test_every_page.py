"""Every HTML page, in Greek and English, on a desktop and a phone: axe-core and the Nu checker.

The pages come from the URL configuration (`project_url_names()`): each is either visited, with
the person who may see it and its arguments taken from the demo municipality (`seed_demo`), or
skipped in `SKIPPED` with the reason (not HTML, or POST only). A new URL fails this test until it
is declared in one or the other. All problems are collected and reported once, at the end.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError

from directorates.demo import DEMO_TOTP_KEY, current_demo_code
from directorates.models import Directorate, OrganisationAct
from goals.demo import years
from goals.models import (
    AllocationAct,
    FinalValueSubmission,
    Goal,
    GoalCycle,
    MayoralDecision,
    Observation,
    ReportingRound,
    StaffGoal,
)
from goals.services.cycles import open_evaluation
from goals.services.decisions import prepare_decision
from meetings.models import AgendaItem, Meeting, MeetingSeries
from stoxothesia.demo import DEMO_PASSWORD
from tests.browser.conftest import AXE_TAGS, html_problems
from tests.factories import GoalCycleFactory, GoalFactory, StaffGoalFactory
from tests.security.test_permissions import project_url_names

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

User = get_user_model()
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# As `assert_accessible`, but only the violations are computed (much faster on large pages).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
LANGUAGES = ["el", "en"]
SIZES = {"desktop": (1280, 900), "phone": (375, 740)}

# Not HTML pages, or not pages at all (POST-only buttons answer GET with 405): why each is skipped.
SKIPPED = {
    "healthz": "plain-text health check for the load balancer",
    "logout": "POST only",
    "set_language": "POST only",
    "goals:answer": "POST only (the answer form is on the observation's page)",
    "goals:cycle_advance": "POST only",
    "goals:cycle_open_evaluation": "POST only",
    "goals:cycle_close": "POST only",
    "goals:decision_pdf": "PDF",
    "goals:decision_create": "POST only (the button on the decisions' list)",
    "goals:decision_scan": "GET sends the signed scan (PDF); its upload form is on the decision",
    "goals:decision_correct": "POST only (the button on a decision in force)",
    "goals:amendment_goal_remove": "POST only",
    "goals:amendment_choose": "no page: the decision's goal picker redirects to amendment_goal",
    "goals:import_confirm": "POST only (the upload's preview is the answer to the POST of import)",
    "goals:progress_import_confirm": "POST only (the preview answers the POST of progress_import)",
    "goals:report_pdf": "PDF",
    "goals:allocation_act_pdf": "PDF",
    "goals:allocation_act_prepare": "POST only (the button on the directorate's acts)",
    "goals:allocation_act_delete": "POST only (the button on the draft act's page)",
    "goals:export_xlsx": "spreadsheet",
    "goals:export_csv": "CSV",
    "goals:import_template": "spreadsheet",
    "goals:report_xlsx": "spreadsheet",
    "goals:programme_xlsx": "spreadsheet",
    "goals:programme_csv": "spreadsheet",
    "goals:progress_workbook": "spreadsheet",
    "meetings:ics": "iCalendar file",
    "meetings:agenda_suggest": "POST only",
    "meetings:agenda_publish": "POST only",
    "meetings:agenda_move": "POST only",
    "meetings:agenda_decide": "POST only",
    "meetings:agenda_accept": "POST only",
    "meetings:paper": "PDF",
    "meetings:paper_issue": "POST only",
    "goals:blocker_step": "POST only (its buttons are on the goal's page)",
    "meetings:minutes_step": "POST only",
    "meetings:minutes_pdf": "PDF",
    "meetings:action_done": "POST only",
    "meetings:calendar_reset": "POST only",
    "meetings:feed": "iCalendar feed",
    "goals:evidence": "GET sends a file of evidence (PDF, picture, office document)",
    "goals:evidence_remove": "POST only (its buttons are on the final value's page)",
    "goals:organisation_act_apply": "POST only (the button on the act's map)",
    "goals:cycle_publish": "POST only (the button on the cycles' list)",
    "goals:cycle_withdraw": "POST only (the button on the cycles' list)",
    "goals:staff_goal_acknowledge": "POST only (the button on the employee's goals)",
    "goals:round_close": "POST only (the button on the round's tracker)",
    "portal:goals_csv": "CSV",
    "portal:values_csv": "CSV",
    "portal:cycle_json": "JSON",
    "portal:catalogue": "JSON-LD",
    "api:api-root": "the API's root: no page",
    "api:openapi-json": "JSON (OpenAPI schema)",
    "api:list_cycles": "JSON API",
    "api:get_cycle": "JSON API",
    "api:get_goal": "JSON API",
    "api:post_progress": "JSON API, POST only",
    "goals:statement_directorate_pdf": "PDF",
    "goals:statement_directorate_xlsx": "spreadsheet",
    "goals:statement_department_pdf": "PDF",
    "goals:statement_department_xlsx": "spreadsheet",
    "goals:statement_person_pdf": "PDF",
    "goals:statement_person_xlsx": "spreadsheet",
    "goals:national_xlsx": "spreadsheet",
    "goals:national_csv": "CSV",
    "goals:national_import_confirm": "POST only (the preview answers the POST of national_import)",
}


# The innermost elements that stick out to the right of the window, to say what to fix.
WIDEST = """width => Array.from(document.querySelectorAll("body *"))
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 3)
    .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className.split(" ").join(".") : ""))
    .join(", ")"""


def none() -> dict:
    return {}


def goal() -> dict:
    return {"pk": Goal.objects.filter(status=Goal.Status.ADOPTED).order_by("pk").first().pk}


def open_for_observations() -> dict:
    head = User.objects.get(username="head-dioi")
    return {"pk": Goal.objects.open_for_observations_by(head).order_by("pk").first().pk}


def editable_goal() -> dict:
    secretary = User.objects.get(username="secretary")
    return {"pk": Goal.objects.editable_by(secretary).order_by("pk").first().pk}


def goal_in_evaluation() -> dict:
    goals = Goal.objects.filter(status=Goal.Status.ADOPTED, cycle__phase=GoalCycle.Phase.EVALUATION)
    return {"pk": goals.order_by("pk").first().pk}


def complete_the_demo() -> None:
    """What the demo leaves out: a draft amendment, a year being evaluated (the monitored one),
    and someone who chose a second factor without needing one (the Deputy Mayor, with the demo's
    app)."""
    TOTPDevice.objects.create(
        user=User.objects.get(username="deputy"), key=DEMO_TOTP_KEY, confirmed=True
    )
    secretary = User.objects.get(username="secretary")
    cycle = GoalCycle.objects.get(year=years.monitored_year())
    adoption = cycle.decisions.get(kind=MayoralDecision.Kind.ADOPTION)
    prepare_decision(cycle=cycle, amends=adoption, by=secretary)
    open_evaluation(cycle=cycle, by=secretary)


def head_of_goal_in_evaluation() -> str:
    return Goal.objects.get(**goal_in_evaluation()).directorate.head.username


def head_of_goal() -> str:
    g = Goal.objects.filter(status=Goal.Status.ADOPTED).order_by("pk").first()
    return g.directorate.head.username


def a_head() -> str:
    return Directorate.objects.exclude(head=None).order_by("order").first().head.username


def cycle() -> dict:
    return {"pk": GoalCycle.objects.order_by("-year").first().pk}


def decision(**filters) -> Callable[[], dict]:
    return lambda: {"pk": MayoralDecision.objects.filter(**filters).order_by("pk").first().pk}


def amendment() -> dict:
    d = MayoralDecision.objects.filter(status=MayoralDecision.Status.DRAFT).first()
    g = d.cycle.goals.filter(status=Goal.Status.ADOPTED).order_by("pk").first()
    return {"pk": d.pk, "goal_pk": g.pk}


def monitored_goal() -> dict:
    """A goal one may raise a blocker on: adopted, in a monitored cycle. The demo's monitored
    year is being evaluated here, so an earlier year is monitored instead (the current
    cycle stays the demo's)."""
    cycle = GoalCycleFactory(year=2022, phase=GoalCycle.Phase.MONITORING)
    planning = Directorate.objects.get(code="PROG")
    return {"pk": GoalFactory(cycle=cycle, directorate=planning, status="adopted").pk}


def staff_member() -> User:
    return User.objects.get(username="staff")


def staff_page() -> dict:
    """The demo employee's goals of the year being evaluated (the demo's monitored year)."""
    return {
        "cycle_pk": GoalCycle.objects.get(year=years.monitored_year()).pk,
        "person_pk": staff_member().pk,
    }


def staff_goal_in_evaluation() -> dict:
    goal = StaffGoal.objects.filter(employee=staff_member(), cycle__year=years.monitored_year())
    return {"pk": goal.order_by("pk").first().pk}


def staff_goal_monitored() -> dict:
    """An employee's goal one may still change: in a monitored cycle (an earlier year, as for
    `monitored_goal`), serving a goal of the employee's directorate."""
    employee = staff_member()
    existing = StaffGoal.objects.filter(employee=employee, cycle__year=2022).first()
    if existing is None:
        cycle = GoalCycleFactory(year=2022, phase=GoalCycle.Phase.MONITORING)
        goal = GoalFactory(cycle=cycle, directorate=employee.directorate, status="adopted")
        existing = StaffGoalFactory(
            allocation=None, goal=goal, employee=employee, set_by=employee.department.head
        )
    return {"pk": existing.pk}


def staff_in_monitoring() -> dict:
    staff_goal = StaffGoal.objects.get(**staff_goal_monitored())
    return {"cycle_pk": staff_goal.cycle_id, "person_pk": staff_goal.employee_id}


def public_goal() -> dict:
    """A goal of the demo's published, monitored year measured by its departments."""
    year = years.monitored_year()
    goal = (
        Goal.objects.filter(
            cycle__year=year, status=Goal.Status.ADOPTED, progress_updates__isnull=False
        )
        .order_by("pk")
        .first()
    )
    return {"year": year, "code": goal.code}


def department_with_goals() -> dict:
    act = AllocationAct.objects.order_by("pk").first()
    return {"code": act.content["departments"][0]["code"]}


def next_meeting() -> Meeting:
    return Meeting.objects.upcoming().order_by("date").first()


def first(model, **filters) -> Callable[[], dict]:
    return lambda: {"pk": model.objects.filter(**filters).order_by("pk").first().pk}


@dataclass
class Visit:
    """Who sees the page (a username, "anonymous", or "pending": password given, not the code)."""

    user: str | Callable[[], str] = "secretary"
    kwargs: Callable[[], dict] = none


# Every HTML page: who sees it and with what arguments (from the demo data).
PAGES: dict[str, Visit] = {
    "home": Visit(),
    "login": Visit("anonymous"),
    "password_change": Visit(),
    "password_change_done": Visit(),
    "password_reset": Visit("anonymous"),
    "password_reset_done": Visit("anonymous"),
    "password_reset_confirm": Visit("anonymous", lambda: {"uidb64": "MQ", "token": "x-y"}),
    "password_reset_complete": Visit("anonymous"),
    "two_factor_verify": Visit("pending"),
    "two_factor_setup": Visit("staff"),
    "two_factor_recovery_codes": Visit(),
    "two_factor_disable": Visit("deputy"),
    "directorates:list": Visit(),
    "directorates:detail": Visit(kwargs=lambda: {"code": Directorate.objects.first().code}),
    "directorates:profile": Visit(),
    "goals:list": Visit(),
    "goals:create": Visit(),
    "goals:detail": Visit(kwargs=goal),
    "goals:update": Visit(kwargs=editable_goal),
    "goals:observe": Visit("head-dioi", open_for_observations),
    "goals:consultation": Visit(),
    "goals:observe_general": Visit(a_head),
    "goals:observation": Visit(kwargs=first(Observation)),
    "goals:organisation_acts": Visit(),
    # The demo's 2024 ΟΕΥ, its map applied (the map's forms: the browser journey of the map).
    "goals:organisation_act": Visit(kwargs=first(OrganisationAct)),
    "goals:cycles": Visit(),
    "goals:cycle_create": Visit(),
    "goals:cycle_update": Visit(kwargs=cycle),
    "goals:rounds": Visit(),
    "goals:round_create": Visit(),
    "goals:round": Visit(kwargs=lambda: {"pk": ReportingRound.objects.order_by("-period")[0].pk}),
    "goals:decisions": Visit(),
    "goals:decision_detail": Visit(kwargs=decision()),
    "goals:decision_update": Visit(kwargs=decision(status=MayoralDecision.Status.DRAFT)),
    "goals:decision_sign": Visit("mayor", decision(status=MayoralDecision.Status.DRAFT)),
    "goals:decision_post": Visit(kwargs=decision(status=MayoralDecision.Status.SIGNED)),
    "goals:amendment_goal": Visit(kwargs=amendment),
    "goals:amendment_goal_add": Visit(kwargs=decision(status=MayoralDecision.Status.DRAFT)),
    "goals:amendment_goal_withdraw": Visit(kwargs=amendment),
    "goals:decision_window_override": Visit(kwargs=decision(status=MayoralDecision.Status.DRAFT)),
    "goals:allocations": Visit(),
    "goals:allocate": Visit(head_of_goal, goal),
    "goals:progress": Visit(head_of_goal, goal),
    # The demo's allocation acts (Digital Governance, Finance) and a department they list.
    "goals:allocation_acts": Visit(kwargs=lambda: {"code": "PSIF"}),
    "goals:allocation_act": Visit(kwargs=first(AllocationAct)),
    "goals:department": Visit(kwargs=department_with_goals),
    "goals:blocker_add": Visit("head-prog", monitored_goal),
    "goals:evaluate": Visit(kwargs=goal_in_evaluation),
    "goals:evaluation": Visit(kwargs=cycle),
    "goals:final_values": Visit(head_of_goal_in_evaluation),
    "goals:final_value": Visit(head_of_goal_in_evaluation, goal_in_evaluation),
    "goals:final_value_queue": Visit(),
    "goals:statements": Visit(),
    "goals:national_import": Visit(),
    # A value of a closed year, submitted by its head, returned once, corrected and confirmed.
    "goals:final_value_review": Visit(kwargs=first(FinalValueSubmission)),
    "goals:report": Visit(kwargs=lambda: {"code": Directorate.objects.first().code}),
    "goals:staff_goals": Visit("head-psif-efa"),
    "goals:my_goals": Visit("staff"),
    "goals:staff_person": Visit("head-psif-efa", staff_page),
    "goals:staff_goal_create": Visit("head-psif-efa", staff_in_monitoring),
    "goals:staff_goal": Visit("staff", staff_goal_in_evaluation),
    "goals:staff_goal_update": Visit("head-psif-efa", staff_goal_monitored),
    "goals:staff_goal_delete": Visit("head-psif-efa", staff_goal_monitored),
    "goals:staff_goal_midyear": Visit("head-psif-efa", staff_goal_monitored),
    "goals:staff_goal_year_end": Visit("head-psif-efa", staff_goal_in_evaluation),
    "goals:programme": Visit("staff"),
    "goals:import": Visit(),
    "goals:progress_import": Visit(head_of_goal),
    "meetings:list": Visit(),
    "meetings:series_create": Visit(),
    "meetings:series_detail": Visit(kwargs=first(MeetingSeries)),
    "meetings:series_update": Visit(kwargs=first(MeetingSeries)),
    # The next meeting: its answers, pack and proposals waiting (the demo's).
    "meetings:detail": Visit(kwargs=lambda: {"pk": next_meeting().pk}),
    "meetings:rsvp": Visit("head-prog", lambda: {"pk": next_meeting().pk}),
    "meetings:update": Visit(kwargs=first(Meeting)),
    "meetings:cancel": Visit(kwargs=first(Meeting)),
    "meetings:agenda_add": Visit(kwargs=first(Meeting)),
    "meetings:agenda_edit": Visit(kwargs=first(AgendaItem)),
    "meetings:attendance": Visit(kwargs=first(Meeting, status=Meeting.Status.HELD)),
    "meetings:attendance_sheet": Visit(kwargs=first(Meeting, status=Meeting.Status.HELD)),
    "meetings:attendance_report": Visit(
        "mayor",
        lambda: {"year": Meeting.objects.filter(status=Meeting.Status.HELD).first().date.year},
    ),
    "meetings:minutes": Visit(kwargs=first(Meeting, status=Meeting.Status.HELD)),
    "meetings:action_add": Visit(kwargs=first(Meeting, status=Meeting.Status.HELD)),
    "meetings:action_items": Visit(),
    "meetings:calendar": Visit(),
    # The public pages, as a visitor who is not logged in sees them.
    "portal:index": Visit("anonymous"),
    "portal:cycle": Visit("anonymous", lambda: {"year": 2024}),
    "portal:goal": Visit("anonymous", public_goal),
    "portal:open_data": Visit("anonymous"),
    "portal:fields": Visit("anonymous"),
    "portal:accessibility": Visit("anonymous"),
}


def test_every_url_is_visited_or_skipped():
    names = project_url_names()
    missing = sorted(names - PAGES.keys() - SKIPPED.keys())
    stale = sorted((PAGES.keys() | SKIPPED.keys()) - names)
    assert not missing, (
        f"New URLs {missing}: declare in {__file__} who sees each page and its arguments "
        f'(PAGES, e.g. "{missing[0] if missing else ""}": Visit("secretary", kwargs=...)), '
        "or why it is no HTML page (SKIPPED)."
    )
    assert not stale, f"PAGES or SKIPPED name URLs that no longer exist: {stale}"
    assert not PAGES.keys() & SKIPPED.keys()


def log_in(browser, base_url: str, username: str, second_factor: bool = True) -> dict:
    """A real login through the forms; returns the session's storage state."""
    context = browser.new_context(base_url=base_url, locale="el-GR")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Όνομα χρήστη ή e-mail").fill(username)
    page.get_by_label("Συνθηματικό").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Σύνδεση").click()
    page.wait_for_load_state()
    if second_factor and reverse("two_factor_verify") in page.url:
        page.get_by_label("Κωδικός").fill(current_demo_code())
        page.get_by_role("button", name="Επιβεβαίωση").click()
        page.wait_for_load_state()
    state = context.storage_state()
    context.close()
    return state


def test_every_page_is_accessible_and_valid(browser, live_server, tmp_path):
    call_command("seed_demo", force=True, verbosity=0)
    complete_the_demo()

    urls = {}  # url name -> (user, path)
    for name, visit in PAGES.items():
        user = visit.user() if callable(visit.user) else visit.user
        urls[name] = (user, reverse(name, kwargs=visit.kwargs()))
    states = {}
    for user in sorted({user for user, _ in urls.values()}):
        if user == "anonymous":
            states[user] = None
        elif user == "pending":
            states[user] = log_in(browser, live_server.url, "mayor", second_factor=False)
        else:
            states[user] = log_in(browser, live_server.url, user)

    problems: list[str] = []
    html_files: dict[str, str] = {}  # file -> "name [lang]"
    for language in LANGUAGES:
        for size, (width, height) in SIZES.items():
            for user, state in states.items():
                context = browser.new_context(
                    base_url=live_server.url,
                    viewport={"width": width, "height": height},
                    storage_state=state,
                )
                context.add_cookies(
                    [
                        {
                            "name": settings.LANGUAGE_COOKIE_NAME,
                            "value": language,
                            "url": live_server.url,
                        }
                    ]
                )
                context.add_init_script(path=AXE_JS)
                page = context.new_page()
                page.set_default_timeout(10_000)
                for name, (page_user, path) in urls.items():
                    if page_user != user:
                        continue
                    where = f"{name} ({path}) [{language}, {size}, {user}]"
                    try:
                        response = page.goto(path)
                    except PlaywrightError as error:
                        problems.append(f"{where}: {error.message.splitlines()[0]}")
                        continue
                    if (
                        response is None
                        or response.status != 200
                        or page.url.split("?")[0] != (live_server.url + path)
                    ):
                        status = response.status if response else None
                        problems.append(f"{where}: got {status} at {page.url}, not the page")
                        continue
                    results = page.evaluate("o => axe.run(document, o)", AXE_OPTIONS)
                    for v in results["violations"]:
                        targets = "; ".join(str(n["target"][0]) for n in v["nodes"][:5])
                        problems.append(f"{where}: axe {v['id']} ({v['impact']}): {targets}")
                    if size == "phone":
                        scroll = page.evaluate("document.documentElement.scrollWidth")
                        if scroll > width + 1:
                            wide = page.evaluate(WIDEST, width)
                            problems.append(f"{where}: scrolls sideways ({scroll}px): {wide}")
                    else:
                        file = tmp_path / f"{name.replace(':', '-')}.{language}.html"
                        file.write_text(page.content(), encoding="utf-8")
                        html_files[str(file)] = f"{name} ({path}) [{language}]"
                context.close()

    problems += html_problems(html_files)

    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
