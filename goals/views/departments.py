"""A department's page: the unit, its people and its department goals with their achievement."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from directorates.models import Department, User
from goals import reports
from goals.models import Goal
from goals.rules import may_issue_allocation_acts, may_read_department_goals
from goals.views.allocation_acts import cycle_asked_for


def department_detail(request, code):
    """A department with its head and people; to those who read its directorate's department
    goals (oversight, the directorate's people, its head), its goals of the cycle (?cycle=, else
    the latest monitored one) with the achievement of each."""
    department = get_object_or_404(
        Department.objects.filter(Q(is_active=True) | Q(valid_to__isnull=False)).select_related(
            "directorate", "head"
        ),
        code=code,
    )
    user = request.user
    reads_goals = may_read_department_goals(user, department.directorate)
    cycle = cycle_asked_for(request) if reads_goals else None
    shares = []
    if cycle is not None:
        goals = (
            Goal.objects.visible_to(user)
            .filter(cycle=cycle, status=Goal.Status.ADOPTED)
            .order_by("category", "code")
        )
        shares = reports.shares_with_latest(goals, department.pk)
    members = User.objects.filter(department=department, is_active=True).order_by(
        "last_name", "first_name"
    )
    ctx = {
        "department": department,
        "members": members,
        "reads_goals": reads_goals,
        "cycle": cycle,
        "shares": shares,
        "may_allocate": may_issue_allocation_acts(user, department.directorate),
    }
    return render(request, "goals/department_detail.html", ctx)
