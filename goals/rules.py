"""Who may do what in the goal-setting cycle: each rule named once.

Views refuse with `require(may_…(user, obj))` (`directorates.rules.require`: a 403), templates
receive the same answers as `may_*` flags, and services ask the same rule before they act.
Which goals, observations and decisions a person may see at all is a QuerySet method
(`Goal.objects.visible_to(user)`); another directorate's object is a 404 before a rule is asked.
"""

from django.db.models import Exists, OuterRef, Q

from directorates.models import User
from directorates.roles import Role
from goals.models import (
    FinalValueSubmission,
    Goal,
    GoalBlocker,
    GoalCycle,
    MayoralDecision,
    Observation,
    StaffGoal,
)


# --- Cycles ---------------------------------------------------------------------------------------
def may_manage_cycles(user) -> bool:
    """Create cycles, set their dates and move them through their phases: the coordinators."""
    return user.is_coordinator


def may_manage_rounds(user) -> bool:
    """Open the monthly reporting rounds, follow who has reported and close them: the General
    Secretary (the coordinators)."""
    return user.is_coordinator


def may_publish_cycles(user) -> bool:
    """Publish a cycle's adopted goals on the public pages and as open data, or withdraw them:
    the General Secretary (the coordinators)."""
    return user.is_coordinator


def may_publish_cycle(user, cycle: GoalCycle) -> bool:
    """Once the Mayor's decision adopted its goals, and while it is not published."""
    return may_publish_cycles(user) and cycle.is_adopted and not cycle.is_published


def may_withdraw_cycle(user, cycle: GoalCycle) -> bool:
    return may_publish_cycles(user) and cycle.is_published


# --- Goals ----------------------------------------------------------------------------------------
def may_create_goals(user) -> bool:
    """The coordinators; a head of directorate while a cycle takes proposals."""
    if user.is_coordinator:
        return True
    return (
        user.is_head_of_directorate
        and GoalCycle.objects.filter(phase__in=GoalCycle.PROPOSAL_PHASES).exists()
    )


def may_draft_goals(user) -> bool:
    """The coordinators write goals straight into the draft; a head proposes them instead."""
    return user.is_coordinator


def may_edit_goal(user, goal: Goal) -> bool:
    """As `Goal.objects.editable_by(user)` decides: one source for the list and the page."""
    return Goal.objects.editable_by(user).filter(pk=goal.pk).exists()


def may_follow_goal(user, goal: Goal) -> bool:
    """A goal's allocation and progress: oversight, the people of its directorate, those who
    lead it today (acting, or from above), and a cross-cutting goal's participating
    directorates."""
    if user.sees_everything or user.directorate_id == goal.directorate_id:
        return True
    if goal.directorate_id in user.headship.unit_directorate_ids:
        return True
    return bool(participations(user, goal))


def may_import_goals(user) -> bool:
    """Goals come in from a workbook through the General Secretary."""
    return user.is_coordinator


# --- Observations ---------------------------------------------------------------------------------
def may_observe(user, goal: Goal) -> bool:
    """A head, on a goal that concerns their directorate, while the consultation is open."""
    return goal.is_open_for_observations_by(user)


def may_observe_generally(user) -> bool:
    """A general observation on the directorate's goal set: its head."""
    return user.is_head_of_directorate


def may_answer_observation(user, observation: Observation) -> bool:
    """The General Secretary answers an observation once."""
    return user.is_coordinator and not observation.is_answered


def may_follow_consultation(user) -> bool:
    """The consultation's overview: oversight for every directorate, a head for their own."""
    return user.sees_everything or user.is_head_of_directorate


# --- Decisions ------------------------------------------------------------------------------------
def may_prepare_decisions(user) -> bool:
    """Drafts of adoption and amendment decisions are prepared by the General Secretary."""
    return user.is_coordinator


def may_edit_decision(user, decision: MayoralDecision) -> bool:
    return user.is_coordinator and decision.is_draft


def may_change_amendment(user, decision: MayoralDecision) -> bool:
    """Add, change or withdraw the goals of a draft amendment."""
    return may_edit_decision(user, decision) and decision.is_amendment


def may_override_revision_windows(user) -> bool:
    """Only the General Secretary lets an amendment through outside the revision window."""
    return user.is_coordinator


def may_override_window(user, decision: MayoralDecision) -> bool:
    """On a draft amendment not yet overridden."""
    return (
        may_override_revision_windows(user)
        and decision.is_draft
        and decision.is_amendment
        and not decision.is_window_overridden
    )


def may_amend(user, decision: MayoralDecision) -> bool:
    """A decision in force is amended while its cycle's goals are monitored."""
    return (
        user.is_coordinator
        and decision.is_posted
        and not decision.is_correction
        and decision.cycle.is_monitored
    )


def may_correct(user, decision: MayoralDecision) -> bool:
    """A decision in force is re-issued corrected (ορθή επανάληψη) by the General Secretary."""
    return user.is_coordinator and decision.is_posted and not decision.is_correction


def signs_decisions(user) -> bool:
    """Who signs a decision: the Mayor, or a Deputy Mayor by order of the Mayor."""
    return user.has_role(Role.MAYOR, Role.DEPUTY_MAYOR)


def may_sign_decisions(user) -> bool:
    """The Mayor or a Deputy Mayor signs; an administrator may record it on their behalf."""
    return signs_decisions(user) or user.is_administrator


def may_sign_decision(user, decision: MayoralDecision) -> bool:
    return decision.is_draft and may_sign_decisions(user)


def may_post_decisions(user) -> bool:
    """The posting on Diavgeia (and its ΑΔΑ) is recorded by the General Secretary or the Mayor."""
    return user.is_coordinator or user.is_mayor


def may_post_decision(user, decision: MayoralDecision) -> bool:
    return decision.is_signed and may_post_decisions(user)


def may_attach_scans(user) -> bool:
    """The signed scans of decisions: the General Secretary or the Mayor."""
    return user.is_coordinator or user.is_mayor


def may_attach_scan(user, decision: MayoralDecision) -> bool:
    return not decision.is_draft and may_attach_scans(user)


# --- Monitoring -----------------------------------------------------------------------------------
def leads_goal(user, goal: Goal) -> bool:
    """The head of the goal's directorate (its acting head in force, or the level above while
    it has neither): allocates it and reports on the whole goal."""
    return user.leads_directorate(goal.directorate_id)


def participations(user, goal: Goal) -> list[int]:
    """The directorates of this person (their own, or those they lead) that take part in a
    cross-cutting goal; no query when the goal's participants are prefetched."""
    mine = {user.directorate_id, *user.headship.unit_directorate_ids} - {None}
    if not mine:
        return []
    if "participating_directorates" in getattr(goal, "_prefetched_objects_cache", {}):
        return [d.pk for d in goal.participating_directorates.all() if d.pk in mine]
    return list(goal.participating_directorates.filter(pk__in=mine).values_list("pk", flat=True))


def allocating_directorates(user, goal: Goal) -> list[int]:
    """The directorates whose departments this person allocates a goal to: the goal's own
    directorate for its head, and each participating directorate for its head."""
    if not user.is_head_of_directorate:
        return []
    led = [goal.directorate_id] if leads_goal(user, goal) else []
    return led + [pk for pk in participations(user, goal) if user.leads_directorate(pk)]


def may_allocate(user, goal: Goal) -> bool:
    """A goal is allocated to departments by the head of its directorate; a cross-cutting goal
    also by the heads of its participating directorates, each to their own departments."""
    return bool(allocating_directorates(user, goal))


def may_allocate_in(user, cycle: GoalCycle | None) -> bool:
    """Whether the allocation overview offers a head to allocate: while the cycle is monitored."""
    return user.is_head_of_directorate and cycle is not None and cycle.is_monitored


def may_read_department_goals(user, directorate) -> bool:
    """A directorate's department goals and allocation acts: oversight, the directorate's people
    (its departments' heads and staff) and whoever leads it today; to others they do not exist."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.sees_everything:
        return True
    return directorate.pk in {user.directorate_id, *user.headship.unit_directorate_ids}


def may_read_directorate_report(user, directorate) -> bool:
    """A directorate's progress report: oversight, the directorate's own people and whoever
    leads it today; to others it does not exist."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.sees_everything:
        return True
    return directorate.pk in {user.directorate_id, *user.headship.directorates}


def may_issue_allocation_acts(user, directorate) -> bool:
    """Only the directorate's head today (also acting, or from above) prepares and issues its
    allocation acts."""
    return user.is_authenticated and user.leads_directorate(directorate.pk)


def may_report_on_whole_goal(user, goal: Goal) -> bool:
    """The head of the directorate measures the whole goal, once adopted and while monitored."""
    return leads_goal(user, goal) and goal.status == Goal.Status.ADOPTED and goal.cycle.is_monitored


def may_report_progress(user) -> bool:
    """Progress is reported by the heads: of a directorate, or of a department on its share."""
    return user.is_head_of_directorate or user.is_head_of_department


def may_see_allocations(user) -> bool:
    """The allocation overview: oversight, and the people of a directorate for their own."""
    return user.sees_everything or bool(user.directorate_id)


def may_follow_municipality(user) -> bool:
    """The progress of every directorate, on the start page: those who oversee."""
    return user.sees_everything


def may_follow_evaluation(user) -> bool:
    """The year-end evaluation page: those who oversee."""
    return user.sees_everything


def may_evaluate_goals(user) -> bool:
    """Final values are recorded by the General Secretary."""
    return user.is_coordinator


def may_evaluate(user, goal: Goal) -> bool:
    """While the goal's cycle is evaluated."""
    return may_evaluate_goals(user) and goal.cycle.phase == GoalCycle.Phase.EVALUATION


# --- Final values submitted by the heads -------------------------------------------------------
def may_submit_final_values(user) -> bool:
    """The list of final values to submit: the heads of directorates, for their own goals."""
    return user.is_head_of_directorate


def may_submit_final_value(user, goal: Goal) -> bool:
    """The head of the goal's directorate, on an adopted goal while its cycle is evaluated."""
    return (
        leads_goal(user, goal)
        and goal.status == Goal.Status.ADOPTED
        and goal.cycle.phase == GoalCycle.Phase.EVALUATION
    )


def may_edit_final_value(user, goal: Goal, submission: FinalValueSubmission | None) -> bool:
    """Saved and changed until submitted; again once returned; never once confirmed."""
    return may_submit_final_value(user, goal) and (submission is None or submission.is_editable)


def may_follow_final_values(user) -> bool:
    """The queue of submitted final values: those who oversee read it."""
    return user.sees_everything


def may_review_final_values(user) -> bool:
    """Submitted final values are confirmed or returned by the General Secretary."""
    return may_evaluate_goals(user)


def may_review_final_value(user, submission: FinalValueSubmission) -> bool:
    """A submitted value, while the goal's cycle is evaluated."""
    return (
        may_review_final_values(user)
        and submission.state == FinalValueSubmission.State.SUBMITTED
        and submission.goal.cycle.phase == GoalCycle.Phase.EVALUATION
    )


def may_see_evidence(user, goal: Goal) -> bool:
    """The evidence of a goal's final value: whoever follows the goal (its directorate's people
    and the oversight)."""
    return may_follow_goal(user, goal)


# --- Risks and blockers ---------------------------------------------------------------------------
def may_raise_blocker(user, goal: Goal) -> bool:
    """The head of the goal's directorate (or the General Secretary), on an adopted goal while
    it is monitored."""
    return (
        (leads_goal(user, goal) or user.is_coordinator)
        and goal.status == Goal.Status.ADOPTED
        and goal.cycle.is_monitored
    )


def may_handle_blockers(user, goal: Goal) -> bool:
    """Resolve or escalate a goal's risks and blockers: its directorate's head, the General
    Secretary."""
    return leads_goal(user, goal) or user.is_coordinator


def may_handle_blocker(user, blocker: GoalBlocker) -> bool:
    return may_handle_blockers(user, blocker.goal) and blocker.is_unresolved


# --- Each employee's goals ------------------------------------------------------------------------
# An employee's goals are set once the year's goals are adopted, and changed while they are
# monitored; the mid-year review is made while they are monitored, the year-end value while the
# cycle is evaluated.
STAFF_GOAL_PHASES = (GoalCycle.Phase.ADOPTED, *GoalCycle.MONITORED_PHASES)


def _holds(role: str) -> Exists:
    return Exists(User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=role))


def staff_evaluated_by(user):
    """The people whose goals this person sets and evaluates today (their evaluator): the staff
    of the departments they lead; for the directorates they lead, the people directly under the
    directorate (in no department) and the heads of its departments. Never themselves."""
    led = user.headship
    if not (led.departments or led.directorates):
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .exclude(pk=user.pk)
        .alias(heads_department=_holds(Role.HEAD_OF_DEPARTMENT))
        .alias(heads_directorate=_holds(Role.HEAD_OF_DIRECTORATE))
        .filter(
            Q(department_id__in=led.department_ids, heads_department=False)
            | Q(
                directorate_id__in=led.directorate_ids,
                department__isnull=True,
                heads_directorate=False,
            )
            | Q(department__directorate_id__in=led.directorate_ids, heads_department=True)
        )
    )


def staff_followed_by(user, cycle: GoalCycle):
    """The people whose goals of the cycle this person reads on the staff page: those they
    evaluate and, for a head of directorate, the staff of its departments too (the head above);
    for the General Secretary and administrators, everyone with goals in the cycle."""
    people = User.objects.filter(is_active=True).exclude(pk=user.pk)
    if user.is_coordinator:
        return people.filter(
            Exists(StaffGoal.objects.filter(employee_id=OuterRef("pk"), cycle=cycle))
        )
    led = user.headship
    if not (led.departments or led.directorates):
        return User.objects.none()
    return people.filter(
        Q(pk__in=staff_evaluated_by(user).values("pk"))
        | Q(department__directorate_id__in=led.directorate_ids)
    )


def may_follow_staff(user, person) -> bool:
    """Read a person's goals: the person, their evaluators (their head and the head above), the
    General Secretary and administrators; the same as `StaffGoal.objects.visible_to`. No query
    when the person's department is selected."""
    if person.pk == user.pk or user.is_coordinator:
        return True
    led = user.headship
    directorate_above = person.department.directorate_id if person.department_id else None
    return (
        person.department_id in led.departments
        or person.directorate_id in led.directorates
        or directorate_above in led.directorates
    )


def may_follow_staff_goals(user) -> bool:
    """The staff page: those who lead a unit today, the General Secretary, administrators."""
    led = user.headship
    return user.is_coordinator or bool(led.departments or led.directorates)


def evaluates(user, person) -> bool:
    """Whether this person is the other's evaluator today (`staff_evaluated_by`)."""
    return staff_evaluated_by(user).filter(pk=person.pk).exists()


def _evaluator(user, person, evaluator: bool | None) -> bool:
    """`evaluates`, unless the page already asked it (one query for all its rows)."""
    return evaluates(user, person) if evaluator is None else evaluator


def may_set_staff_goals(user, person, cycle: GoalCycle, *, evaluator: bool | None = None) -> bool:
    """Set and change a person's goals: their evaluator, once the year's goals are adopted and
    while they are monitored."""
    return cycle.phase in STAFF_GOAL_PHASES and _evaluator(user, person, evaluator)


def may_review_midyear(user, staff_goal: StaffGoal, *, evaluator: bool | None = None) -> bool:
    """The mid-year review: the evaluator, while the goals are monitored."""
    return staff_goal.cycle.is_monitored and _evaluator(user, staff_goal.employee, evaluator)


def may_record_year_end(user, staff_goal: StaffGoal, *, evaluator: bool | None = None) -> bool:
    """The year-end value and comment: the evaluator, while the cycle is evaluated."""
    return staff_goal.cycle.phase == GoalCycle.Phase.EVALUATION and _evaluator(
        user, staff_goal.employee, evaluator
    )


def may_acknowledge(user, staff_goal: StaffGoal) -> bool:
    """The employee acknowledges their own goal, as set (again after each change)."""
    return staff_goal.employee_id == user.pk and not staff_goal.is_acknowledged


# --- Evaluation statements and the national platform's sheet ---------------------------------
def may_use_national_sheet(user) -> bool:
    """The national platform's sheet of the people one evaluates: the heads of units (their
    staff and the heads of their departments) and the coordinators (the heads of directorates)."""
    return user.is_coordinator or bool(user.headship.directorates or user.headship.departments)


# --- The SMART check of draft goals -------------------------------------------------------------
def may_see_smart_warnings_at_all(user) -> bool:
    """The SMART warnings of draft goals: the oversight (the General Secretary, the Mayor and
    Deputy Mayors, who sign the decision), and the heads of directorates for their own."""
    return user.sees_everything or user.is_head_of_directorate


def may_see_smart_warnings(user, goal: Goal) -> bool:
    """The oversight reads every goal's warnings; a head those of the goals of the
    directorates they lead today, not another directorate's."""
    return user.sees_everything or leads_goal(user, goal)
