"""The heads of directorate's allocation acts: what they contain, prepared as drafts, issued
with a protocol number and a date, frozen once issued, replaced by a later act."""

from datetime import date
from decimal import Decimal
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from directorates.models import Directorate, User
from goals.models import Allocation, AllocationAct, Goal, GoalCycle, MayoralDecision
from goals.rules import may_issue_allocation_acts
from goals.services.concurrency import StaleEdit

# The categories in the order of the law (and of the goals' form).
CATEGORY_ORDER = {value: index for index, value in enumerate(Goal.Category.values)}


def department_goals(directorate: Directorate, cycle: GoalCycle):
    """The department goals of the directorate's departments in the cycle: the allocations of
    its adopted goals (and its part of cross-cutting ones), one query."""
    return (
        Allocation.objects.filter(
            goal__cycle=cycle,
            goal__status=Goal.Status.ADOPTED,
            department__directorate=directorate,
        )
        .select_related("goal", "department")
        .order_by("department__order", "department__name", "goal__code", "pk")
    )


def content_of(allocations) -> dict:
    """The department goals as an act lists them, by department then category, in the form
    kept when it is issued (text, numbers as text, dates as ISO)."""
    departments = []
    for department, rows in groupby(allocations, key=lambda a: a.department):
        rows = sorted(rows, key=lambda a: (CATEGORY_ORDER.get(a.goal.category, 99), a.goal.code))
        categories = []
        for category, goals in groupby(rows, key=lambda a: a.goal.category):
            categories.append({"category": category, "goals": [_row(a) for a in goals]})
        departments.append(
            {"code": department.code, "name": department.name, "categories": categories}
        )
    return {"departments": departments}


def _row(allocation: Allocation) -> dict:
    goal = allocation.goal
    return {
        "goal_code": goal.code,
        "goal_title": goal.title,
        "title": allocation.title,
        "specification": allocation.specification,
        "indicator": allocation.indicator,
        "unit_of_measure": allocation.unit_of_measure,
        "milestone": goal.is_milestone,
        "baseline": _text(allocation.baseline),
        "target": _text(allocation.target),
        "deadline": allocation.deadline.isoformat(),
        "share": _text(allocation.share),
    }


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def readable(content: dict) -> list[dict]:
    """The departments of an act's content with numbers, dates and category names to show."""
    labels = dict(Goal.Category.choices)
    departments = []
    for department in content.get("departments", []):
        categories = [
            {
                "label": labels.get(category["category"], category["category"]),
                "goals": [
                    {
                        **row,
                        "baseline": _number(row["baseline"]),
                        "target": _number(row["target"]),
                        "share": _number(row["share"]),
                        "deadline": date.fromisoformat(row["deadline"]),
                    }
                    for row in category["goals"]
                ],
            }
            for category in department["categories"]
        ]
        departments.append({**department, "categories": categories})
    return departments


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def adoption_decision(cycle: GoalCycle) -> MayoralDecision | None:
    """The decision in force that adopted the cycle's goals, which the act has regard to."""
    return (
        MayoralDecision.objects.filter(
            cycle=cycle,
            kind=MayoralDecision.Kind.ADOPTION,
            status=MayoralDecision.Status.POSTED,
        )
        .order_by("-posted_on", "-pk")
        .first()
    )


def in_force(directorate: Directorate, cycle: GoalCycle) -> AllocationAct | None:
    """The directorate's issued act for the cycle that no later act replaced."""
    return (
        AllocationAct.objects.issued()
        .filter(directorate=directorate, cycle=cycle, replaced_by__isnull=True)
        .first()
    )


def prepare_act(*, directorate: Directorate, cycle: GoalCycle, by: User) -> AllocationAct:
    """The directorate's draft act for the cycle: the one being prepared, or a new one numbered
    after the acts issued before it."""
    if not may_issue_allocation_acts(by, directorate):
        raise ValidationError(_("Only the head of the directorate issues its allocation acts."))
    with transaction.atomic():
        Directorate.objects.select_for_update().filter(pk=directorate.pk).first()
        acts = AllocationAct.objects.filter(directorate=directorate, cycle=cycle)
        draft = acts.filter(status=AllocationAct.Status.DRAFT).first()
        if draft is not None:
            return draft
        if not cycle.is_monitored:
            raise ValidationError(_("Goals are allocated after their adoption, during the year."))
        last = acts.aggregate(last=Max("sequence"))["last"] or 0
        act = AllocationAct(directorate=directorate, cycle=cycle, sequence=last + 1, prepared_by=by)
        act._history_user = by
        act.save()
        return act


def delete_draft(*, act: AllocationAct, by: User) -> None:
    """Delete a draft act prepared by mistake or no longer wanted (its history keeps who
    deleted it). A draft holds nothing of its own: the department goals stay as they are, and a
    new draft takes the same number."""
    with transaction.atomic():
        act = AllocationAct.objects.select_for_update().select_related("directorate").get(pk=act.pk)
        if not may_issue_allocation_acts(by, act.directorate):
            raise ValidationError(_("Only the head of the directorate issues its allocation acts."))
        if not act.is_draft:
            raise ValidationError(_("An issued act is not deleted; a later act replaces it."))
        act._history_user = by
        act.delete()


def issue_act(
    *, act: AllocationAct, by: User, protocol_number: str, issued_on: date, expected_version: int
) -> AllocationAct:
    """Issue a draft act: its protocol number and date, who issued it (as acting head or not),
    and its department goals frozen as they are now. It replaces the directorate's act in force
    for the cycle, if there is one."""
    protocol_number = protocol_number.strip()
    with transaction.atomic():
        act = (
            AllocationAct.objects.select_for_update()
            .select_related("directorate", "cycle")
            .get(pk=act.pk)
        )
        if act.version != expected_version:
            raise StaleEdit()
        if not may_issue_allocation_acts(by, act.directorate):
            raise ValidationError(_("Only the head of the directorate issues its allocation acts."))
        if not act.is_draft:
            raise ValidationError(_("This act is already issued; a change needs a new act."))
        if not protocol_number:
            raise ValidationError(_("Give the act's protocol number."))
        if issued_on > timezone.localdate():
            raise ValidationError(_("An act cannot be dated in the future."))
        if issued_on.year != act.cycle.year:
            raise ValidationError(_("The act is dated within the cycle's year."))
        content = content_of(department_goals(act.directorate, act.cycle))
        if not content["departments"]:
            raise ValidationError(
                _("No goal of the directorate is allocated to a department yet: nothing to issue.")
            )
        replaced = in_force(act.directorate, act.cycle)
        if replaced is not None and issued_on < replaced.issued_on:
            raise ValidationError(
                _("The act replaces one dated %(date)s: it cannot be dated earlier.")
                % {"date": date_format(replaced.issued_on, "DATE_FORMAT")}
            )
        decision = adoption_decision(act.cycle)
        content["directorate"] = act.directorate.name
        content["adoption_decision"] = (
            {"reference": decision.reference, "ada": decision.ada} if decision else None
        )
        act.content = content
        act.status = AllocationAct.Status.ISSUED
        act.protocol_number = protocol_number
        act.issued_on = issued_on
        act.issued_by = by
        act.as_acting_head = by.headship.acting_in(directorate_id=act.directorate_id)
        act.replaces = replaced
        act.version += 1
        act._history_user = by
        try:
            with transaction.atomic():
                act.save()
        except IntegrityError as error:  # two issued at once replacing the same act
            raise StaleEdit() from error
    return act
