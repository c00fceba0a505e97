"""What each person has to do now, at the top of their start page: each task with its deadline
and a link to exactly the things it counts (a list filtered to them, or the thing itself).

Built from what the start page has read already, plus at most one query per kind of task, so
the page's number of queries does not grow with the data.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directorates.models import Municipality
from goals.filters import NOT_ALLOCATED, REPORTED_BEHIND, UPDATE_DUE
from goals.models import Goal, GoalCycle, MayoralDecision, Observation
from goals.rules import (
    may_follow_consultation,
    may_prepare_decisions,
    may_report_progress,
    may_sign_decisions,
)
from goals.services.monitoring import OVERDUE_AFTER_DAYS
from goals.services.rounds import updates_due
from meetings.models import ActionItem


@dataclass
class Task:
    """One thing to do: what, where (a link), by when, and what more the person should know."""

    text: str
    url: str
    deadline: datetime.date | None = None
    deadline_label: str = ""  # "consultation closes", "deadline", …: what the date is
    notes: list[str] = field(default_factory=list)
    late: bool = False  # the deadline has passed
    links: list[tuple[str, str]] = field(default_factory=list)  # each of the things counted


def goal_list_url(cycle: GoalCycle, **filters) -> str:
    """The goal list of a cycle, filtered to exactly what a card or a task counts."""
    query = {"cycle": cycle.pk, **{name: getattr(v, "pk", v) for name, v in filters.items()}}
    return reverse("goals:list") + "?" + urlencode(query)


def _days_left(deadline: datetime.date, today: datetime.date) -> str:
    days = (deadline - today).days
    if days < 0:
        return _("the deadline has passed")
    if days == 0:
        return _("last day today")
    return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}


def consultation_task(user, cycle: GoalCycle | None, today: datetime.date) -> Task | None:
    """A head, while the consultation on the draft goals is open: their observations so far."""
    if not (cycle and may_follow_consultation(user) and user.is_head_of_directorate):
        return None
    if not cycle.is_consultation_open(today):
        return None
    submitted = Observation.objects.filter(
        cycle=cycle, directorate_id__in=user.headship.directorate_ids
    ).count()
    task = Task(
        text=_("Submit your observations on the draft goals of %(year)s") % {"year": cycle.year},
        url=reverse("goals:consultation") + "?" + urlencode({"cycle": cycle.pk}),
        deadline=cycle.consultation_closes_on,
        deadline_label=_("consultation closes"),
    )
    if cycle.consultation_closes_on:
        task.notes.append(_days_left(cycle.consultation_closes_on, today))
    task.notes.append(
        ngettext(
            "%(count)d observation of yours so far",
            "%(count)d observations of yours so far",
            submitted,
        )
        % {"count": submitted}
    )
    return task


def action_items_task(user, today: datetime.date) -> Task | None:
    """A head of directorate: the open action items their directorate owns (all of those the
    list of open action items shows them)."""
    if not user.is_head_of_directorate:
        return None
    open_items = ActionItem.objects.visible_to(user).open()
    figures = open_items.aggregate(
        count=Count("pk"),
        first_due=Min("due_date"),
        late=Count("pk", filter=Q(due_date__lt=today)),
    )
    if not figures["count"]:
        return None
    count = figures["count"]
    task = Task(
        text=ngettext(
            "Complete %(count)d open action item of the meetings",
            "Complete %(count)d open action items of the meetings",
            count,
        )
        % {"count": count},
        url=reverse("meetings:action_items") + "?" + urlencode({"status": ActionItem.Status.OPEN}),
        deadline=figures["first_due"],
        deadline_label=_("first due"),
        late=figures["first_due"] < today,
    )
    if figures["late"]:
        task.notes.append(
            ngettext("%(count)d overdue", "%(count)d overdue", figures["late"])
            % {"count": figures["late"]}
        )
    return task


def directorate_tasks(user, cycle: GoalCycle, goals: list[Goal], since: dict) -> list[Task]:
    """A head of directorate, on the monitored cycle: goals to allocate, updates due.

    `goals` are the directorate's adopted goals as `reports.with_latest` reads them; `since`
    the overdue ones' dates from which they count (`overdue_goals`' `since`)."""
    tasks = []
    if not cycle.is_monitored:
        return tasks
    unallocated = [goal for goal in goals if not goal.is_allocated]
    if unallocated:
        tasks.append(
            Task(
                text=ngettext(
                    "Allocate %(count)d goal to your departments",
                    "Allocate %(count)d goals to your departments",
                    len(unallocated),
                )
                % {"count": len(unallocated)},
                url=goal_list_url(
                    cycle,
                    owner=user.directorate_id,
                    status=Goal.Status.ADOPTED,
                    allocation=NOT_ALLOCATED,
                ),
                deadline=min(goal.deadline for goal in unallocated),
                deadline_label=_("first goal deadline"),
            )
        )
    if since:
        first = min(date for date in since.values() if date is not None)
        tasks.append(
            Task(
                text=ngettext(
                    "Record the progress of %(count)d goal without an update for %(days)d days",
                    "Record the progress of %(count)d goals without an update for %(days)d days",
                    len(since),
                )
                % {"count": len(since), "days": OVERDUE_AFTER_DAYS},
                url=goal_list_url(cycle, owner=user.directorate_id, progress=UPDATE_DUE),
                deadline=first + datetime.timedelta(days=OVERDUE_AFTER_DAYS),
                deadline_label=_("due since"),
                late=True,
            )
        )
    return tasks


def department_tasks(user, cycle: GoalCycle, shares: list, today: datetime.date) -> list[Task]:
    """A head of department or a member of staff: each goal allocated to their department, with
    its share's deadline; a head is asked for an update once 30 days have passed without one."""
    reports = may_report_progress(user)
    # As `overdue_goals` counts: up to the end of the cycle's year.
    late_after = min(today, datetime.date(cycle.year, 12, 31)) - datetime.timedelta(
        days=OVERDUE_AFTER_DAYS
    )
    tasks = []
    for goal, allocation in sorted(shares, key=lambda share: share[1].deadline):
        measured = allocation.latest_measured_on
        due = cycle.is_monitored and (measured is None or measured < late_after)
        if reports:
            text = _("Report the progress of %(code)s, your department's share") % {
                "code": goal.code
            }
            url = reverse("goals:progress", args=[goal.pk])
        else:
            text = _("Your department's goal %(code)s") % {"code": goal.code}
            url = goal.get_absolute_url()
        task = Task(
            text=text,
            url=url,
            deadline=allocation.deadline,
            deadline_label=_("deadline"),
            late=allocation.deadline < today,
        )
        task.notes.append(goal.title)
        if reports and due:
            task.notes.append(
                _("no update since %(date)s") % {"date": _date(measured)}
                if measured
                else _("no update yet")
            )
        tasks.append(task)
    return tasks


def round_tasks(user, today: datetime.date) -> list[Task]:
    """A head, while a monthly reporting round is open: "my updates due", the goals (head of
    directorate) or their department's allocations (head of department) without a value
    measured in the round's month, each linked to where it is recorded."""
    tasks = []
    for owed in updates_due(user):
        round_ = owed["round"]
        if "goals" in owed:
            items = [(goal.code, goal.pk) for goal in owed["goals"]]
            text = ngettext(
                "Record the figure of %(count)d goal for the round %(month)s",
                "Record the figures of %(count)d goals for the round %(month)s",
                len(items),
            )
        else:
            items = [
                (f"{allocation.goal.code} · {allocation.department}", allocation.goal_id)
                for allocation in owed["allocations"]
            ]
            text = ngettext(
                "Record your department's figure of %(count)d goal for the round %(month)s",
                "Record your department's figures of %(count)d goals for the round %(month)s",
                len(items),
            )
        links = [(label, reverse("goals:progress", args=[pk])) for label, pk in items]
        task = Task(
            text=text % {"count": len(items), "month": round_.title},
            url=links[0][1],
            deadline=owed["due_on"],
            deadline_label=_("due by"),
            late=owed["due_on"] < today,
            links=links,
        )
        task.notes.append(_days_left(owed["due_on"], today))
        tasks.append(task)
    return tasks


def _date(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def charge_tasks(user) -> list[Task]:
    """The units a person answers for besides their own: as acting head while the appointment
    is in force, or from the level above while a unit has neither head nor acting head. Read
    from `User.headship`, which the rules have worked out already."""
    tasks = []
    for charge in user.headship.charges:
        unit = charge.unit
        directorate = getattr(unit, "directorate", unit)
        if charge.is_acting:
            task = Task(
                text=_("You act as head of %(unit)s") % {"unit": unit},
                url=directorate.get_absolute_url(),
                deadline=charge.until,
                deadline_label=_("until"),
            )
            task.notes.append(charge.act)
        else:
            task = Task(
                text=_("%(unit)s has no head: its duties fall to you until one is named")
                % {"unit": unit},
                url=directorate.get_absolute_url(),
            )
        tasks.append(task)
    return tasks


def decisions_task(user) -> Task | None:
    """The Mayor and the Deputy Mayors: the draft decisions waiting for a signature."""
    if not may_sign_decisions(user):
        return None
    drafts = list(
        MayoralDecision.objects.visible_to(user)
        .filter(status=MayoralDecision.Status.DRAFT)
        .select_related("cycle")
        .order_by("created_at", "pk")
    )
    if not drafts:
        return None
    task = Task(
        text=ngettext(
            "Sign %(count)d decision waiting for your signature",
            "Sign %(count)d decisions waiting for your signature",
            len(drafts),
        )
        % {"count": len(drafts)},
        url=reverse("goals:decisions") + "?" + urlencode({"status": MayoralDecision.Status.DRAFT}),
        deadline=timezone.localdate(drafts[0].created_at),
        deadline_label=_("waiting since"),
        links=[(draft.subject, draft.get_absolute_url()) for draft in drafts],
    )
    return task


def posting_task(user, today: datetime.date) -> Task | None:
    """The General Secretary: decisions signed but not posted on Diavgeia within the days the
    municipality allows (Django admin → Municipality); they are not in force until posted."""
    if not may_prepare_decisions(user):
        return None
    days = Municipality.load().days_to_post
    late = list(
        MayoralDecision.objects.posting_late(today=today, days=days).order_by("decision_date", "pk")
    )
    if not late:
        return None
    first_due = late[0].posting_due_on(days)
    return Task(
        text=ngettext(
            "Post on Diavgeia %(count)d decision signed more than %(days)d days ago",
            "Post on Diavgeia %(count)d decisions signed more than %(days)d days ago",
            len(late),
        )
        % {"count": len(late), "days": days},
        url=reverse("goals:decisions") + "?" + urlencode({"status": MayoralDecision.Status.SIGNED}),
        deadline=first_due,
        deadline_label=_("deadline"),
        late=True,
        links=[(str(decision), decision.get_absolute_url()) for decision in late],
    )


def behind_url(cycle: GoalCycle, directorate_id: int | None = None) -> str:
    """The goals reported behind: what the start page's count of them counts."""
    filters = {"status": Goal.Status.ADOPTED, "progress": REPORTED_BEHIND}
    if directorate_id:
        filters["owner"] = directorate_id
    return goal_list_url(cycle, **filters)


def overdue_url(cycle: GoalCycle, directorate_id: int | None = None) -> str:
    filters = {"progress": UPDATE_DUE}
    if directorate_id:
        filters["owner"] = directorate_id
    return goal_list_url(cycle, **filters)
