"""The permission matrix: every URL pattern × every person × GET and POST (pretix style).

Each URL name of the project has one declaration in `DECLARED` below: what each person gets.
A new URL without a declaration fails `test_every_url_is_declared`, naming what to add. For a
URL with an object in it, the object is built in the insider's directorate (Planning) and the
outsider (`head_of_finance`) must get 404 unless the declaration says otherwise.

Outcomes: a status code, or `Redirect(prefix)` for a 302 whose target starts with the prefix.
The people's clients come from `client_for`: sessions as after a real login (with the second
factor for the roles that require it).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from directorates.models import Department
from directorates.roles import Role
from goals.models import (
    AllocationAct,
    FinalValueEvidence,
    FinalValueSubmission,
    Goal,
    GoalBlocker,
    GoalCycle,
    MayoralDecision,
)
from goals.services.cycles import open_evaluation
from meetings.models import CalendarFeed, MeetingPaper, MeetingSeries, Minutes
from tests.factories import (
    ActionItemFactory,
    ActionProgrammeFactory,
    AgendaItemFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    MayoralDecisionFactory,
    MeetingFactory,
    ObservationFactory,
    OrganisationActFactory,
    ReportingRoundFactory,
    UserFactory,
    issued_adoption,
    signed_decision,
)

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "staff",
    "head_of_planning",
    "head_of_finance",
    "head_of_department",
    "deputy",
    "mayor",
    "secretary",
    "admin_user",
    "acting_head",  # stands in for the head of Planning: gets what that head gets
    "participating_head",  # heads Digital, which takes part in Planning's adopted goal
]
# The roles whose sessions have passed the second factor (it is required of them).
VERIFIED = ("mayor", "secretary", "admin_user")


@dataclass(frozen=True)
class Redirect:
    to: str


LOGIN = Redirect("/accounts/login/")
HOME = Redirect("/")
SETUP = Redirect("/accounts/two-factor/setup/")

Outcome = int | Redirect


@dataclass
class Expect:
    """What logged-in people get (`get`, `post`), with exceptions per person.

    `anonymous`: (GET, POST) for a visitor who is not logged in; `people`: {person: (GET, POST)};
    `kwargs`: builds the URL's arguments from the insider's directorate (Planning);
    `outsider`: (GET, POST) for head_of_finance on that object, 404 unless said otherwise.
    """

    get: Outcome
    post: Outcome
    anonymous: tuple[Outcome, Outcome] = (LOGIN, LOGIN)
    people: dict[str, tuple[Outcome, Outcome]] = field(default_factory=dict)
    kwargs: Callable | None = None
    outsider: tuple[Outcome, Outcome] = (404, 404)
    participant: tuple[Outcome, Outcome] | None = None

    def expected(self, person: str) -> tuple[Outcome, Outcome]:
        if person == "acting_head":
            return self.expected("head_of_planning")
        if person == "participating_head":
            # Another directorate's head, unless the declaration says what a participant gets.
            return self.participant or self.expected("head_of_finance")
        if person == "anonymous":
            return self.anonymous
        if person in self.people:
            return self.people[person]
        if person == "head_of_finance" and self.kwargs is not None:
            return self.outsider
        return (self.get, self.post)


def only(people: tuple[str, ...], get: Outcome, post: Outcome) -> dict:
    """The exceptions of a declaration: these people get (get, post)."""
    return dict.fromkeys(people, (get, post))


COORDINATORS = ("secretary", "admin_user")
HEADS = ("head_of_planning", "head_of_finance")
OVERSIGHT = ("deputy", "mayor", "secretary", "admin_user")
NOT_INVITED = ("staff", "head_of_department")
# The Mayor or a Deputy Mayor signs decisions; an admin records a signature for them.
SIGNERS = ("deputy", "mayor", "admin_user")
POSTERS = (*COORDINATORS, "mayor")  # record the posting on Diavgeia, with its ΑΔΑ
REPORTERS = (*HEADS, "head_of_department")  # report progress on their own goals


# Objects for the URLs that name one: built in the insider's directorate (Planning), in a cycle
# open for consultation.
def open_cycle(planning) -> dict:
    return {"pk": GoalCycleFactory(open=True).pk}


ROUND = 4641


def reporting_round(planning) -> dict:
    """A monthly reporting round, open, of a monitored cycle (rounds are the municipality's, not
    a directorate's)."""
    return {"pk": ReportingRoundFactory(pk=ROUND).pk}


def organisation_act(planning) -> dict:
    """An ΟΕΥ in force that abolishes a department of Planning, not mapped yet (an empty POST
    leaves the map incomplete: the page again, with its errors)."""
    act = OrganisationActFactory()
    DepartmentFactory(directorate=planning, abolished_by_act=act)
    return {"pk": act.pk}


def goal_in(planning) -> dict:
    return {"pk": GoalFactory(directorate=planning, cycle=GoalCycleFactory(open=True)).pk}


def observation_in(planning) -> dict:
    goal = GoalFactory(directorate=planning, cycle=GoalCycleFactory(open=True))
    return {"pk": ObservationFactory(goal=goal).pk}


def action_programme(planning) -> dict:
    """A year's action programme: the downloads need one (the year is a query parameter)."""
    ActionProgrammeFactory(year=timezone.localdate().year)
    return {}


# Meetings are not objects of a directorate: every head of directorate is invited, so the
# outsider reads them too; people not invited (staff, heads of departments) get 404. Fixed
# primary keys let the declarations name the pages a POST redirects to.
MEETING, HELD = 4001, 4002


def upcoming_meeting(planning) -> dict:
    return {"pk": MeetingFactory(pk=MEETING).pk}


def held_meeting(planning) -> dict:
    meeting = MeetingFactory(
        pk=HELD, date=datetime.date.today() - datetime.timedelta(days=14), status="held"
    )
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.CIRCULATED)
    return {"pk": meeting.pk}


def briefed_meeting(planning) -> dict:
    """The coming meeting with its briefing pack kept."""
    meeting = MeetingFactory(pk=MEETING)
    MeetingPaper.objects.create(
        meeting=meeting,
        kind="briefing",
        document=ContentFile(b"%PDF-1.7", name="pack.pdf"),
        generated_at=timezone.now(),
    )
    return {"pk": meeting.pk, "kind": "briefing"}


def proposed_item(planning) -> dict:
    meeting = MeetingFactory(pk=MEETING)
    return {"pk": AgendaItemFactory(meeting=meeting, status="proposed").pk}


def series(planning) -> dict:
    first = datetime.date.today() + datetime.timedelta(days=7)
    return {
        "pk": MeetingSeries.objects.create(first_date=first, count=2, created_by=UserFactory()).pk
    }


def action_in(planning) -> dict:
    return {"pk": ActionItemFactory(directorate=planning).pk}


def calendar_feed(planning) -> dict:
    return {"token": CalendarFeed.objects.create(user=UserFactory(directorate=planning)).token}


# The Mayor's decisions and what follows them. The cycles are of other years than the
# world's (2024): 2023, adopted and in allocation; 2022, adopted and in evaluation. Fixed primary
# keys again name the pages a POST redirects to.
ISSUED, DRAFT = 4601, 4602
MONITORED, EVALUATED = 4611, 4612


def adopted_in(planning, *, year: int = 2023, cycle_pk: int = MONITORED) -> MayoralDecision:
    """A goal of Planning adopted by the Mayor's decision (signed and posted through the
    services)."""
    cycle = GoalCycleFactory(pk=cycle_pk, year=year)
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01")
    digital = DirectorateFactory(code="PSIF")  # headed by `participating_head` when present
    if digital.head_id is None:
        digital.head = UserFactory(username="head-psif-named", directorate=digital)
        digital.save()
    goal.participating_directorates.add(digital)
    mayor = UserFactory(username="mayor", roles=[Role.MAYOR])
    return issued_adoption(cycle=cycle, goals=[goal], mayor=mayor, pk=ISSUED)


def issued_decision(planning) -> dict:
    return {"pk": adopted_in(planning).pk}


def signed_correction(planning) -> dict:
    """A corrected re-issue of the decision in force, signed and not yet posted: read by all."""
    issued = adopted_in(planning)
    correction = MayoralDecisionFactory(
        cycle=issued.cycle, kind="correction", corrects=issued, correction_note="Το θέμα."
    )
    return {"pk": signed_decision(correction, mayor=issued.signatory, number="13").pk}


def correction_under_way(planning) -> dict:
    """The decision in force, with a draft corrected re-issue of it."""
    issued = adopted_in(planning)
    MayoralDecisionFactory(cycle=issued.cycle, kind="correction", corrects=issued)
    return {"pk": issued.pk}


def draft_amendment(planning) -> dict:
    """A draft amending the issued adoption: drafts are read by the oversight only."""
    issued = adopted_in(planning)
    draft = MayoralDecisionFactory(pk=DRAFT, cycle=issued.cycle, kind="amendment", amends=issued)
    return {"pk": draft.pk}


def amended_goal(planning) -> dict:
    """The draft amendment and the adopted goal of Planning it may change."""
    return {**draft_amendment(planning), "goal_pk": Goal.objects.get(cycle_id=MONITORED).pk}


def adopted_goal(planning) -> dict:
    return {"pk": adopted_in(planning).cycle.goals.get().pk}


BLOCKED_GOAL = 4621


def blocker_on_goal(planning) -> dict:
    cycle = adopted_in(planning).cycle
    goal = GoalFactory(
        pk=BLOCKED_GOAL, cycle=cycle, directorate=planning, code="PROG-09", status="adopted"
    )
    blocker = GoalBlocker.objects.create(
        goal=goal,
        description="Έλλειψη προσωπικού",
        impact="Καθυστέρηση",
        since=datetime.date(2023, 5, 1),
        raised_by=UserFactory(directorate=planning),
    )
    return {"pk": blocker.pk, "step": "escalate"}


def monitored_cycle(planning) -> dict:
    adopted_in(planning)
    return {"pk": MONITORED}


def evaluated_cycle(planning) -> dict:
    decision = adopted_in(planning, year=2022, cycle_pk=EVALUATED)
    secretary = UserFactory(username="secretary", roles=[Role.GENERAL_SECRETARY])
    open_evaluation(cycle=decision.cycle, by=secretary)
    return {"pk": EVALUATED}


def evaluated_goal(planning) -> dict:
    evaluated_cycle(planning)
    return {"pk": Goal.objects.get(cycle_id=EVALUATED).pk}


FINAL_GOAL = 4631


def final_value_of(planning, state: str) -> FinalValueSubmission:
    """A goal of Planning in the cycle being evaluated, with its head's final value in `state`
    and one file of evidence."""
    evaluated_cycle(planning)
    goal = GoalFactory(
        pk=FINAL_GOAL, cycle_id=EVALUATED, directorate=planning, code="PROG-08", status="adopted"
    )
    submission = FinalValueSubmission.objects.create(
        goal=goal,
        final_value=1,
        explanation="Από το μητρώο.",
        state=state,
        prepared_by=UserFactory(directorate=planning),
    )
    FinalValueEvidence.objects.create(
        submission=submission,
        file=ContentFile(b"%PDF-1.7", name="evidence.pdf"),
        name="evidence.pdf",
        kind="pdf",
        size=8,
        uploaded_by=submission.prepared_by,
    )
    return submission


def submitted_final_value(planning) -> dict:
    return {"pk": final_value_of(planning, "submitted").pk}


def submitted_evidence(planning) -> dict:
    return {"pk": final_value_of(planning, "submitted").evidence.get().pk}


def draft_evidence(planning) -> dict:
    return {"pk": final_value_of(planning, "draft").evidence.get().pk}


def planning_report(planning) -> dict:
    """The report of Planning's goals in the cycle in allocation."""
    adopted_in(planning)
    return {"code": planning.code}


ALLOCATION_ACT = 4641


def planning_allocation_act(planning) -> dict:
    """A draft allocation act of Planning in the cycle in allocation (an empty POST by its head
    shows the issuing form again, with its errors)."""
    cycle = adopted_in(planning).cycle
    act = AllocationAct.objects.create(
        pk=ALLOCATION_ACT, cycle=cycle, directorate=planning, sequence=1, prepared_by=UserFactory()
    )
    return {"pk": act.pk}


def planning_acts(planning) -> dict:
    """Planning's list of acts with its draft act: preparing one opens that draft."""
    planning_allocation_act(planning)
    return {"code": planning.code}


def planning_department_page(planning) -> dict:
    return {"code": DepartmentFactory(directorate=planning, code="PROG-PAGE").code}


def in_monitoring(planning) -> dict:
    """No object in the URL: a cycle whose progress is reported, for the page to be about."""
    adopted_in(planning)
    return {}


def published_year(planning) -> dict:
    """The adopted 2023 cycle of Planning, published by the General Secretary."""
    from goals.services.cycles import publish_cycle

    cycle = adopted_in(planning).cycle
    publish_cycle(cycle=cycle, by=UserFactory(roles=[Role.GENERAL_SECRETARY]))
    return {"year": cycle.year}


def published_goal(planning) -> dict:
    return {**published_year(planning), "code": "PROG-01"}


def planning_department_code(planning) -> dict:
    """Planning's department (the one `head_of_department` and `staff` work in), in a year
    whose goals are followed."""
    adopted_in(planning)
    department, _created = Department.objects.get_or_create(
        code="PROG-ORG", defaults={"directorate": planning, "name": "Τμήμα Οργάνωσης"}
    )
    return {"code": department.code}


def planning_employee(planning) -> dict:
    """An employee of Planning's department, other than the matrix's `staff`."""
    kwargs = planning_department_code(planning)
    department = Department.objects.get(code=kwargs["code"])
    employee = UserFactory(
        username="evaluated-employee", directorate=planning, department=department
    )
    return {"pk": employee.pk}


def public(kwargs: Callable | None = None, post: Outcome = 405) -> Expect:
    """A public page or file: the same for everyone, logged in or not (GET only)."""
    return Expect(200, post, anonymous=(200, post), kwargs=kwargs, outsider=(200, post))


def by_token(get: Outcome, post: Outcome, kwargs: Callable | None = None) -> Expect:
    """The API: a token is the only key; a session, however privileged, gets 401."""
    return Expect(get, post, anonymous=(get, post), kwargs=kwargs, outsider=(get, post))


def read_by_invitees(kwargs: Callable) -> Expect:
    """A meeting page: read by whoever sees the meeting; 404 for those not invited."""
    return Expect(200, 200, people=only(NOT_INVITED, 404, 404), kwargs=kwargs, outsider=(200, 200))


def run_by_coordinators(kwargs: Callable) -> Expect:
    """A form of the General Secretary's on a meeting: 403 for those who only read it."""
    return Expect(
        403,
        403,
        people=only(COORDINATORS, 200, 200) | only(NOT_INVITED, 404, 404),
        kwargs=kwargs,
        outsider=(403, 403),
    )


def posted_by_coordinators(kwargs: Callable, back_to: str) -> Expect:
    """A button of the General Secretary's (POST only), which leads back to `back_to`."""
    return Expect(
        405,
        403,
        people=only(COORDINATORS, 405, Redirect(back_to)) | only(NOT_INVITED, 405, 404),
        kwargs=kwargs,
        outsider=(405, 403),
    )


def moves_the_cycle(kwargs: Callable, back_to: str) -> Expect:
    """A button of the General Secretary's on a cycle (POST only). Cycles belong to the whole
    municipality: no outsider. A move the cycle refuses still leads back, with a message."""
    return Expect(
        405,
        403,
        people=only(COORDINATORS, 405, Redirect(back_to)),
        kwargs=kwargs,
        outsider=(405, 403),
    )


def prepared_by_coordinators(
    coordinators: tuple[Outcome, Outcome], kwargs: Callable = draft_amendment, post_only=False
) -> Expect:
    """A step of the General Secretary's on a draft decision, where the coordinators get
    `coordinators`. A draft is hidden from all but the oversight (404, the outsider too); the
    Mayor and the deputies read it but do not prepare it (403)."""
    get = 405 if post_only else None
    return Expect(
        get or 404,
        404,
        people=only(OVERSIGHT, get or 403, 403) | dict.fromkeys(COORDINATORS, coordinators),
        kwargs=kwargs,
        outsider=(get or 404, 404),
    )


# Each employee's goals: the `staff` member of Planning's department, with a goal serving the
# department's share of Planning's adopted goal. Personal data: read by the person, their
# evaluator (the head of department), the head above (Planning's head), the coordinators; the
# Mayor, the deputies and any other head get 404.
STAFF_GOAL = 5731


def staff_goal_in(planning, cycle_pk: int = MONITORED):
    from goals.models import Allocation
    from tests.factories import StaffGoalFactory

    department = Department.objects.filter(code="PROG-ORG").first() or DepartmentFactory(
        directorate=planning, code="PROG-ORG", name="Τμήμα Οργάνωσης"
    )
    employee = UserFactory(
        username="staff", directorate=planning, department=department, roles=[Role.STAFF]
    )
    # The department has its head (the evaluator): else its duties fall to Planning's head.
    UserFactory(
        username="head-prog-org",
        directorate=planning,
        department=department,
        roles=[Role.HEAD_OF_DEPARTMENT],
    )
    goal = Goal.objects.get(cycle_id=cycle_pk, code="PROG-01")
    allocation = Allocation.objects.create(
        goal=goal,
        department=department,
        target=150,
        deadline=goal.deadline,
        share=100,
        allocated_by=UserFactory(directorate=planning),
    )
    return StaffGoalFactory(
        pk=STAFF_GOAL, allocation=allocation, employee=employee, set_by=allocation.allocated_by
    )


def monitored_staff_goal(planning) -> dict:
    adopted_in(planning)
    return {"pk": staff_goal_in(planning).pk}


def evaluated_staff_goal(planning) -> dict:
    evaluated_cycle(planning)
    return {"pk": staff_goal_in(planning, EVALUATED).pk}


def staff_person_page(planning) -> dict:
    adopted_in(planning)
    staff_goal = staff_goal_in(planning)
    return {"cycle_pk": staff_goal.cycle_id, "person_pk": staff_goal.employee_id}


NOT_FOLLOWING = ("deputy", "mayor")  # they read every goal, but not the staff's


def set_by_the_evaluator(kwargs: Callable) -> Expect:
    """A form of the evaluator's (the head of department) on the staff member's goal: those who
    only read the goal get 403, the others 404 (an empty POST shows the form again)."""
    return Expect(
        403,
        403,
        people=only(("head_of_department",), 200, 200) | only(NOT_FOLLOWING, 404, 404),
        kwargs=kwargs,
    )


# Namespaces and names not in the matrix, and why.
SKIPPED_NAMESPACES = {
    "admin": "Django admin: its own permission checks, behind the second factor "
    "(tests/directorates/test_two_factor.py, tests/directorates/test_admin.py)",
}

# One line per URL name. Keep them in the order of the URL configuration.
DECLARED: dict[str, Expect] = {
    "home": Expect(200, 200),
    "healthz": Expect(200, 200, anonymous=(200, 200)),
    "login": Expect(HOME, HOME, anonymous=(200, 200)),
    "logout": Expect(405, LOGIN, anonymous=(LOGIN, LOGIN)),
    "password_change": Expect(200, 200),
    "password_change_done": Expect(200, 405),
    "password_reset": Expect(200, 200, anonymous=(200, 200)),
    "password_reset_done": Expect(200, 405, anonymous=(200, 405)),
    "password_reset_confirm": Expect(
        200,
        200,
        anonymous=(200, 200),
        kwargs=lambda planning: {"uidb64": "MQ", "token": "x-y"},
        outsider=(200, 200),  # not an object of a directorate: a bad link shows a message
    ),
    "password_reset_complete": Expect(200, 405, anonymous=(200, 405)),
    "two_factor_verify": Expect(HOME, HOME),
    "two_factor_setup": Expect(200, 200),
    # A POST without the password and a code is refused on the page itself (200).
    "two_factor_recovery_codes": Expect(SETUP, SETUP, people=only(VERIFIED, 200, 200)),
    "two_factor_disable": Expect(403, 403),
    "set_language": Expect(405, HOME, anonymous=(405, HOME)),
    "directorates:list": Expect(200, 200),
    "directorates:detail": Expect(
        200,
        200,
        kwargs=lambda planning: {"code": planning.code},
        outsider=(200, 200),  # the organisation chart is open to every member of staff
    ),
    "directorates:profile": Expect(200, 200),
    # Goals are read by everyone in the municipality: another directorate's goal is readable
    # (200), and what the role may not do with it is a 403, not a 404.
    "goals:list": Expect(200, 200),
    "goals:create": Expect(403, 403, people=only((*COORDINATORS, *HEADS), 200, 200)),
    "goals:detail": Expect(200, 200, kwargs=goal_in, outsider=(200, 200)),
    "goals:update": Expect(
        403, 403, people=only(COORDINATORS, 200, 200), kwargs=goal_in, outsider=(403, 403)
    ),
    "goals:observe": Expect(
        403, 403, people=only(("head_of_planning",), 200, 200), kwargs=goal_in, outsider=(403, 403)
    ),
    "goals:consultation": Expect(200, 200, people=only(("staff", "head_of_department"), 403, 403)),
    "goals:observe_general": Expect(403, 403, people=only(HEADS, 200, 200)),
    "goals:observation": Expect(200, 200, kwargs=observation_in),
    "goals:answer": Expect(
        405, 403, people=only(COORDINATORS, 405, 400), kwargs=observation_in, outsider=(405, 404)
    ),
    # The organisation changes (ΟΕΥ): the General Secretary's, of the whole municipality.
    "goals:organisation_acts": Expect(403, 403, people=only(COORDINATORS, 200, 200)),
    "goals:organisation_act": Expect(
        403,
        403,
        people=only(COORDINATORS, 200, 200),
        kwargs=organisation_act,
        outsider=(403, 403),
    ),
    "goals:organisation_act_apply": Expect(
        405,
        403,
        people=only(COORDINATORS, 405, 200),
        kwargs=organisation_act,
        outsider=(405, 403),
    ),
    "goals:cycles": Expect(200, 200),
    "goals:cycle_create": Expect(403, 403, people=only(COORDINATORS, 200, 200)),
    # Cycles belong to the whole municipality, not to a directorate: no outsider.
    "goals:cycle_update": Expect(
        403, 403, people=only(COORDINATORS, 200, 200), kwargs=open_cycle, outsider=(403, 403)
    ),
    "goals:cycle_advance": moves_the_cycle(open_cycle, "/cycles/"),
    # Monthly reporting rounds: the General Secretary's pages, refused to everyone else.
    "goals:rounds": Expect(403, 403, people=only(COORDINATORS, 200, 200)),
    "goals:round_create": Expect(403, 403, people=only(COORDINATORS, 200, 200)),
    "goals:round": Expect(
        403, 403, people=only(COORDINATORS, 200, 200), kwargs=reporting_round, outsider=(403, 403)
    ),
    "goals:round_close": Expect(
        405,
        403,
        people=only(COORDINATORS, 405, Redirect(f"/rounds/{ROUND}/")),
        kwargs=reporting_round,
        outsider=(405, 403),
    ),
    # Publishing and withdrawing: the General Secretary, on an adopted (resp. published) cycle;
    # the buttons are refused to everyone else.
    "goals:cycle_publish": moves_the_cycle(monitored_cycle, "/cycles/"),
    "goals:cycle_withdraw": Expect(
        405,
        403,
        people=only(COORDINATORS, 405, Redirect("/cycles/")),
        kwargs=lambda planning: {
            "pk": GoalCycle.objects.get(year=published_year(planning)["year"]).pk
        },
        outsider=(405, 403),
    ),
    # Mayoral decisions: signed ones are read by everyone, drafts by the oversight only. The GS
    # (or an admin) prepares them; the Mayor or a Deputy Mayor signs them, an admin on their
    # behalf; the GS or the Mayor records their posting on Diavgeia.
    "goals:decisions": Expect(200, 200),
    # A button naming the cycle (and the decision amended): without a cycle, 404.
    "goals:decision_create": Expect(405, 403, people=only(COORDINATORS, 405, 404)),
    # On a draft; a signed decision is read by all (tests/goals/test_decision_permissions.py).
    "goals:decision_detail": Expect(
        404, 404, people=only(OVERSIGHT, 200, 200), kwargs=draft_amendment
    ),
    # The decision in force, as published: everyone reads it.
    "goals:decision_pdf": Expect(200, 200, kwargs=issued_decision, outsider=(200, 200)),
    "goals:decision_update": prepared_by_coordinators((200, 200)),  # POST: the form again
    # The General Secretary prepares the draft but does not sign it (403); the Mayor, a Deputy
    # Mayor (or an admin on their behalf) gets the form, and posted empty, the form again.
    "goals:decision_sign": Expect(
        404, 404, people=only(OVERSIGHT, 403, 403) | only(SIGNERS, 200, 200), kwargs=draft_amendment
    ),
    # A signed decision is read by all; its posting is recorded by the GS or the Mayor (posted
    # empty: the form again).
    "goals:decision_post": Expect(
        403,
        403,
        people=only(POSTERS, 200, 200),
        kwargs=signed_correction,
        outsider=(403, 403),
    ),
    # A button: the GS starts a corrected re-issue of a decision in force. Here one is under
    # way already (its new page's number is not known in advance): back to the decision.
    "goals:decision_correct": Expect(
        405,
        403,
        people=only(COORDINATORS, 405, Redirect(f"/decisions/{ISSUED}/")),
        kwargs=correction_under_way,
        outsider=(405, 403),
    ),
    # No scan attached yet: a 404 for every reader. The GS or the Mayor attaches one: posted
    # without a file, back to the decision with a message; anyone else, 403.
    "goals:decision_scan": Expect(
        404,
        403,
        people=only((*COORDINATORS, "mayor"), 404, Redirect(f"/decisions/{ISSUED}/")),
        kwargs=issued_decision,
        outsider=(404, 403),
    ),
    # The goal is chosen by ?goal=: without one, back to the draft with a message.
    "goals:amendment_choose": prepared_by_coordinators(
        (Redirect(f"/decisions/{DRAFT}/"), Redirect(f"/decisions/{DRAFT}/"))
    ),
    # Adding a goal written during the year: posted empty, the form again.
    "goals:amendment_goal_add": prepared_by_coordinators((200, 200)),
    # Withdrawing an adopted goal: posted without a reason, the form again.
    "goals:amendment_goal_withdraw": prepared_by_coordinators((200, 200), amended_goal),
    # Only the General Secretary overrides the revision window: posted empty, the form again.
    "goals:decision_window_override": prepared_by_coordinators((200, 200)),
    "goals:amendment_goal": prepared_by_coordinators((200, 200), amended_goal),
    "goals:amendment_goal_remove": prepared_by_coordinators(
        (405, Redirect(f"/decisions/{DRAFT}/")), amended_goal, post_only=True
    ),
    # Allocation, progress, evaluation: a goal adopted by decision. Everyone with a directorate
    # sees the allocation overview of their own directorate; the oversight, all of them.
    "goals:allocations": Expect(200, 200),
    # Only the goal's own head allocates it; the others of Planning and the oversight read the
    # goal but get 403 here; another directorate's head, 404.
    "goals:allocate": Expect(
        403,
        403,
        people=only(("head_of_planning",), 200, 200),
        kwargs=adopted_goal,
        participant=(200, 200),  # to Digital's own departments
    ),
    # Read by Planning and the oversight; recorded only by who reports on the goal: its head
    # (POST: the form again), or a head of department it is allocated to (here it is not: 403).
    "goals:progress": Expect(
        200,
        403,
        people=only(("head_of_planning",), 200, 200),
        kwargs=adopted_goal,
        participant=(200, 403),  # reads it; reports through Digital's allocations (none here)
    ),
    # Goals are read by everyone: another directorate's head gets 403, not 404.
    "goals:evaluate": Expect(
        403, 403, people=only(COORDINATORS, 200, 200), kwargs=evaluated_goal, outsider=(403, 403)
    ),
    "goals:evaluation": Expect(
        403, 403, people=only(OVERSIGHT, 200, 200), kwargs=evaluated_cycle, outsider=(403, 403)
    ),
    "goals:cycle_open_evaluation": moves_the_cycle(
        monitored_cycle, f"/cycles/{MONITORED}/evaluation/"
    ),
    # Refused here (a goal has no final value yet): back to the evaluation, with a message.
    "goals:cycle_close": moves_the_cycle(evaluated_cycle, f"/cycles/{EVALUATED}/evaluation/"),
    # Final values from the heads: each head lists and submits their own directorate's (an
    # empty POST shows the form again); the goal is read by everyone, so another directorate's
    # head gets 403, not 404.
    "goals:final_values": Expect(403, 403, people=only(HEADS, 200, 200)),
    "goals:final_value": Expect(
        403,
        403,
        people=only(("head_of_planning",), 200, 200),
        kwargs=evaluated_goal,
        outsider=(403, 403),
    ),
    # The queue and a submitted value are read by the oversight; only the coordinators confirm
    # or return (an empty POST shows the page again). Planning's own people see the submission
    # but not this page (403); another directorate's head, 404.
    "goals:final_value_queue": Expect(403, 403, people=only(OVERSIGHT, 200, 200)),
    "goals:final_value_review": Expect(
        403,
        403,
        people=only(OVERSIGHT, 200, 403) | only(COORDINATORS, 200, 200),
        kwargs=submitted_final_value,
    ),
    # Each employee's goals (personal: see staff_goal_in).
    "goals:staff_goals": Expect(200, 405, people=only(("staff", *NOT_FOLLOWING), 403, 405)),
    "goals:my_goals": Expect(200, 405),
    "goals:staff_person": Expect(
        200,
        405,
        people=only(NOT_FOLLOWING, 404, 405) | only(("staff",), Redirect("/my-goals/"), 405),
        kwargs=staff_person_page,
        outsider=(404, 405),
    ),
    "goals:staff_goal_create": set_by_the_evaluator(staff_person_page),
    "goals:staff_goal": Expect(
        200,
        405,
        people=only(NOT_FOLLOWING, 404, 405),
        kwargs=monitored_staff_goal,
        outsider=(404, 405),
    ),
    "goals:staff_goal_update": set_by_the_evaluator(monitored_staff_goal),
    # Deleting: confirmed on its page, by the evaluator only (a POST without the version seen:
    # refused, back to the goal's page with the message).
    "goals:staff_goal_delete": Expect(
        403,
        403,
        people=only(NOT_FOLLOWING, 404, 404)
        | only(("head_of_department",), 200, Redirect(f"/staff-goals/goal/{STAFF_GOAL}/")),
        kwargs=monitored_staff_goal,
    ),
    "goals:staff_goal_midyear": set_by_the_evaluator(monitored_staff_goal),
    "goals:staff_goal_year_end": set_by_the_evaluator(evaluated_staff_goal),
    "goals:staff_goal_acknowledge": Expect(
        405,
        403,
        people=only(NOT_FOLLOWING, 405, 404) | only(("staff",), 405, Redirect("/my-goals/")),
        kwargs=monitored_staff_goal,
        outsider=(405, 404),
    ),
    # Evidence: downloaded by whoever follows the goal (Planning's people and the oversight),
    # never by another directorate; removed by the goal's head from an unsubmitted value (here
    # without the page's stamp: back to the value, with a message).
    "goals:evidence": Expect(200, 405, kwargs=submitted_evidence, outsider=(404, 405)),
    "goals:evidence_remove": Expect(
        405,
        403,
        people=only(("head_of_planning",), 405, Redirect(f"/goals/{FINAL_GOAL}/final-value/")),
        kwargs=draft_evidence,
        outsider=(405, 404),
    ),
    # A directorate's report: its own people and the oversight; another directorate's head, 404.
    "goals:report": Expect(200, 200, kwargs=planning_report),
    # A department's page is part of the organisation chart, open to all; its department goals
    # show to those who read them (tests/goals/test_department_goals.py).
    "goals:department": Expect(200, 200, kwargs=planning_department_page, outsider=(200, 200)),
    # Allocation acts: read by the directorate's people (its departments' heads and staff) and
    # the oversight; prepared and issued only by its head (acting head too): an empty POST
    # shows the issuing form again. Another directorate's head, 404.
    "goals:allocation_acts": Expect(200, 200, kwargs=planning_report),
    "goals:allocation_act_prepare": Expect(
        405,
        403,
        people=only(("head_of_planning",), 405, Redirect(f"/allocation-acts/{ALLOCATION_ACT}/")),
        kwargs=planning_acts,
        outsider=(405, 404),
    ),
    "goals:allocation_act": Expect(
        200,
        403,
        people=only(("head_of_planning",), 200, 200),
        kwargs=planning_allocation_act,
    ),
    "goals:allocation_act_pdf": Expect(200, 200, kwargs=planning_allocation_act),
    # Deleting the draft: by POST, only its head (back to the directorate's acts).
    "goals:allocation_act_delete": Expect(
        405,
        403,
        people=only(("head_of_planning",), 405, Redirect("/allocation-acts/of/PROG/")),
        kwargs=planning_allocation_act,
        outsider=(405, 404),
    ),
    "goals:report_pdf": Expect(200, 200, kwargs=planning_report),
    # Spreadsheets: the goal list as everyone reads it; imports by the coordinators.
    "goals:export_xlsx": Expect(200, 200),
    "goals:export_csv": Expect(200, 200),
    "goals:import": Expect(403, 403, people=only(COORDINATORS, 200, 200)),  # POST: the form
    "goals:import_template": Expect(403, 403, people=only(COORDINATORS, 200, 200)),
    # Without the preview's token: back to the upload, with a message.
    "goals:import_confirm": Expect(
        405, 403, people=only(COORDINATORS, 405, Redirect("/goals/import/"))
    ),
    "goals:report_xlsx": Expect(200, 200, kwargs=planning_report),
    # The year's goals rolled up along the Operational Plan: everyone signed in reads it (as
    # they read every goal); the downloads of a year with an action programme likewise.
    "goals:programme": Expect(200, 200),
    "goals:programme_xlsx": Expect(200, 200, kwargs=action_programme, outsider=(200, 200)),
    "goals:programme_csv": Expect(200, 200, kwargs=action_programme, outsider=(200, 200)),
    # Progress by spreadsheet: the heads who report it, each on their own goals (so the head
    # of Finance gets his directorate's workbook, not a 404).
    "goals:progress_workbook": Expect(
        403, 403, people=only(REPORTERS, 200, 200), kwargs=in_monitoring
    ),
    "goals:progress_import": Expect(403, 403, people=only(REPORTERS, 200, 200)),
    "goals:progress_import_confirm": Expect(
        405, 403, people=only(REPORTERS, 405, Redirect("/progress/import/"))
    ),
    # Risks and blockers on a goal: raised and handled by the head of its directorate and the
    # coordinators; others read the goal but may not (a 403, the goal being public inside).
    "goals:blocker_add": Expect(
        403,
        403,
        people=only((*COORDINATORS, "head_of_planning"), 200, 200),
        kwargs=adopted_goal,
        outsider=(403, 403),
    ),
    "goals:blocker_step": Expect(
        405,
        403,
        people=only(
            (*COORDINATORS, "head_of_planning"), 405, Redirect(f"/goals/{BLOCKED_GOAL}/#blockers")
        ),
        kwargs=blocker_on_goal,
        outsider=(405, 403),
    ),
    # Evaluation statements: everyone lists their own; a unit's is read by its head, the head
    # above and the oversight, a person's by the person, their evaluators and the coordinators
    # (not the Mayor or the deputies); anyone else gets 404.
    "goals:statements": Expect(200, 200),
    **dict.fromkeys(
        ["goals:statement_directorate_pdf", "goals:statement_directorate_xlsx"],
        Expect(
            404,
            404,
            people=only(("head_of_planning", *OVERSIGHT), 200, 200),
            kwargs=planning_report,
        ),
    ),
    **dict.fromkeys(
        ["goals:statement_department_pdf", "goals:statement_department_xlsx"],
        Expect(
            404,
            404,
            people=only(("head_of_planning", "head_of_department", *OVERSIGHT), 200, 200),
            kwargs=planning_department_code,
        ),
    ),
    **dict.fromkeys(
        ["goals:statement_person_pdf", "goals:statement_person_xlsx"],
        Expect(
            404,
            404,
            people=only(("head_of_planning", "head_of_department", *COORDINATORS), 200, 200),
            kwargs=planning_employee,
        ),
    ),
    # The national platform's sheet: the evaluators (heads of units, the coordinators), each
    # with the people they evaluate.
    **dict.fromkeys(
        ["goals:national_xlsx", "goals:national_csv", "goals:national_import"],
        Expect(
            403,
            403,
            people=only((*HEADS, "head_of_department", *COORDINATORS), 200, 200),
            kwargs=in_monitoring,
            outsider=(200, 200),
        ),
    ),
    "goals:national_import_confirm": Expect(
        405,
        403,
        people=only(
            (*HEADS, "head_of_department", *COORDINATORS),
            405,
            Redirect("/statements/national/import/"),
        ),
    ),
    # Coordination meetings.
    "meetings:list": Expect(200, 200),
    "meetings:series_create": Expect(403, 403, people=only(COORDINATORS, 200, 200)),
    "meetings:series_detail": Expect(
        403, 403, people=only(COORDINATORS, 200, 200), kwargs=series, outsider=(403, 403)
    ),
    "meetings:series_update": Expect(
        403, 403, people=only(COORDINATORS, 200, 200), kwargs=series, outsider=(403, 403)
    ),
    "meetings:detail": read_by_invitees(upcoming_meeting),
    "meetings:update": run_by_coordinators(upcoming_meeting),
    "meetings:cancel": run_by_coordinators(upcoming_meeting),
    "meetings:ics": read_by_invitees(upcoming_meeting),
    # Each invitee answers for themselves (the empty POST shows the form again); those who see
    # every meeting without being invited may not answer.
    "meetings:rsvp": Expect(
        200,
        200,
        people=only(NOT_INVITED, 404, 404) | only(("mayor", "admin_user"), 403, 403),
        kwargs=upcoming_meeting,
        outsider=(200, 200),
    ),
    "meetings:paper": read_by_invitees(briefed_meeting),
    "meetings:paper_issue": posted_by_coordinators(
        lambda planning: {**upcoming_meeting(planning), "kind": "briefing"},
        f"/meetings/{MEETING}/",
    ),
    "meetings:agenda_add": Expect(
        403,
        403,
        people=only((*COORDINATORS, *HEADS), 200, 200) | only(NOT_INVITED, 404, 404),
        kwargs=upcoming_meeting,
        outsider=(200, 200),
    ),
    "meetings:agenda_suggest": posted_by_coordinators(upcoming_meeting, f"/meetings/{MEETING}/"),
    "meetings:agenda_publish": posted_by_coordinators(upcoming_meeting, f"/meetings/{MEETING}/"),
    "meetings:agenda_accept": posted_by_coordinators(upcoming_meeting, f"/meetings/{MEETING}/"),
    "meetings:agenda_edit": run_by_coordinators(proposed_item),
    "meetings:agenda_move": posted_by_coordinators(proposed_item, f"/meetings/{MEETING}/"),
    "meetings:agenda_decide": posted_by_coordinators(proposed_item, f"/meetings/{MEETING}/"),
    "meetings:attendance": run_by_coordinators(held_meeting),
    "meetings:attendance_sheet": read_by_invitees(held_meeting),
    "meetings:attendance_report": Expect(
        403,
        403,
        people=only((*OVERSIGHT, *HEADS), 200, 200),
        kwargs=lambda planning: {"year": datetime.date.today().year},
        outsider=(403, 403),
    ),
    "meetings:minutes": Expect(
        200,
        403,
        people=only(COORDINATORS, 200, 200) | only(NOT_INVITED, 404, 404),
        kwargs=held_meeting,
        outsider=(200, 403),
    ),
    "meetings:minutes_step": posted_by_coordinators(
        lambda planning: {**held_meeting(planning), "step": "approve"},
        f"/meetings/{HELD}/minutes/",
    ),
    "meetings:minutes_pdf": read_by_invitees(held_meeting),
    "meetings:action_add": run_by_coordinators(held_meeting),
    "meetings:action_items": Expect(200, 200),
    # The owning directorate's head (and the coordinators) close an action item; its other
    # members and the oversight read it; another directorate's head gets 404.
    "meetings:action_done": Expect(
        405,
        403,
        people=only((*COORDINATORS, "head_of_planning"), 405, Redirect("/meetings/actions/")),
        kwargs=action_in,
        outsider=(405, 404),
    ),
    "meetings:calendar": Expect(200, 200),
    "meetings:calendar_reset": Expect(405, Redirect("/meetings/calendar/")),
    # The public pages and open data of published cycles: anyone, logged in or not.
    "portal:index": public(),
    "portal:cycle": public(published_year),
    "portal:goal": public(published_goal),
    "portal:open_data": public(),
    "portal:fields": public(),
    "portal:catalogue": public(),
    "portal:goals_csv": public(published_year),
    "portal:values_csv": public(published_year),
    "portal:cycle_json": public(published_year),
    "portal:accessibility": public(),
    # The API answers tokens only (tests/portal/test_api.py): without one, 401; its schema is
    # public; its root is no page.
    "api:api-root": by_token(404, 404),
    "api:openapi-json": by_token(200, 200),
    "api:list_cycles": by_token(401, 405),
    "api:get_cycle": by_token(401, 405, published_year),
    "api:get_goal": by_token(401, 405, published_goal),
    "api:post_progress": by_token(405, 401, published_goal),
    # Calendar programs do not log in: the secret token is the key.
    "meetings:feed": Expect(
        200, 200, anonymous=(200, 200), kwargs=calendar_feed, outsider=(200, 200)
    ),
}


def project_url_names() -> set[str]:
    """Every named URL pattern of the project, as `namespace:name`, less the skipped ones."""

    def walk(patterns, prefix: str) -> set[str]:
        names = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                names |= walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                names.add(prefix + pattern.name)
        return names

    return walk(get_resolver().url_patterns, "")


def test_every_url_is_declared():
    missing = sorted(project_url_names() - DECLARED.keys())
    stale = sorted(DECLARED.keys() - project_url_names())

    assert not missing, (
        f"Declare the expected outcomes of {missing} in DECLARED in {__file__}, e.g. "
        f'"{missing[0]}": Expect(200, 405),'
    )
    assert not stale, f"DECLARED names URLs that no longer exist: {stale}"


def outcome_of(response) -> Outcome:
    if response.status_code == 302:
        return Redirect(response.url)
    return response.status_code


def matches(actual: Outcome, expected: Outcome) -> bool:
    if isinstance(expected, Redirect):
        return isinstance(actual, Redirect) and actual.to.split("?")[0] == expected.to
    return actual == expected


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("url_name", sorted(DECLARED))
def test_permission_matrix(request, client_for, url_name, person, planning):
    GoalCycleFactory(open=True)  # the world of the matrix: a cycle open for consultation
    # Planning has a head (away when an acting head stands in): a headless directorate's duties
    # would fall to the General Secretary.
    planning.head = UserFactory(username="head-prog-named", directorate=planning)
    planning.save()
    fixture = {"acting_head": "acting_head_of_planning", "participating_head": "head_of_digital"}
    person_fixture = fixture.get(person, person)
    user = None if person == "anonymous" else request.getfixturevalue(person_fixture)
    declaration = DECLARED[url_name]
    kwargs = declaration.kwargs(planning) if declaration.kwargs else {}
    url = reverse(url_name, kwargs=kwargs)
    expected = declaration.expected(person)

    # A fresh client for each method: a POST must not ride on what the GET did to the session.
    actual = (outcome_of(client_for(user).get(url)), outcome_of(client_for(user).post(url)))

    assert all(map(matches, actual, expected)), (
        f"{person} on {url_name} ({url}): got GET {actual[0]}, POST {actual[1]}; "
        f"declared GET {expected[0]}, POST {expected[1]}"
    )
