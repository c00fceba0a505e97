"""Links from a unit's page in the organisation chart to its goals and their documents, each
shown only to those who may open it (the rules of the pages linked)."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from goals.rules import may_read_department_goals, may_read_directorate_report

register = template.Library()


@register.inclusion_tag("goals/_unit_links.html", takes_context=True)
def unit_goal_links(context, directorate):
    """The unit's goals (while it is active: the goal list offers active units), its progress
    report and its acts of specification and allocation."""
    user = context["request"].user
    links = []
    if directorate.is_active and directorate.is_in_force(timezone.localdate()):
        query = urlencode({"directorate": directorate.pk})
        links.append((_("Goals of this unit"), f"{reverse('goals:list')}?{query}"))
    if may_read_directorate_report(user, directorate):
        links.append((_("Progress report"), reverse("goals:report", args=[directorate.code])))
    if may_read_department_goals(user, directorate):
        url = reverse("goals:allocation_acts", args=[directorate.code])
        links.append((_("Allocation acts"), url))
    return {"links": links, "directorate": directorate}
