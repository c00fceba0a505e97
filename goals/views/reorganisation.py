"""The organisation changes: the General Secretary maps the units of a new internal services
organisation (ΟΕΥ) to their successors and applies the map."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.models import OrganisationAct
from directorates.rules import may_apply_act, may_reorganise, require
from goals.forms.reorganisation import SplitForm, UnitMapForm
from goals.services.reorganisation import apply_unit_map, reorganisation_plan, save_unit_map


def organisation_acts(request):
    """The acts of the internal services organisation, each with how far its map has come."""
    require(may_reorganise(request.user))
    acts = (
        OrganisationAct.objects.select_related("applied_by")
        .annotate(
            abolished=Count("abolished_directorates", distinct=True)
            + Count("abolished_departments", distinct=True),
            created=Count("created_directorates", distinct=True)
            + Count("created_departments", distinct=True),
        )
        .order_by("-effective_on", "-pk")
    )
    return render(request, "goals/organisation_acts.html", {"acts": acts})


def organisation_act_map(request, pk):
    """One act's map: the successors of each abolished unit (saved), then the choices for the
    units that split and the button that applies it all."""
    require(may_reorganise(request.user))
    act = get_object_or_404(OrganisationAct.objects.select_related("applied_by"), pk=pk)
    plan = reorganisation_plan(act)
    map_form = UnitMapForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST":
        require(not act.is_applied)
        if map_form.is_valid():
            directorates, departments = map_form.successors()
            try:
                save_unit_map(
                    act=act,
                    by=request.user,
                    directorate_successors=directorates,
                    department_successors=departments,
                )
            except ValidationError as error:
                map_form.add_error(None, error)
            else:
                messages.success(request, _("The map was saved. Check it, then apply it."))
                return redirect("goals:organisation_act", pk=act.pk)
    return _render_map(request, plan, map_form=map_form, split_form=SplitForm(plan=plan))


@require_POST
def organisation_act_apply(request, pk):
    """Apply the saved map, with the choices for the units that split: all of it, or nothing."""
    require(may_reorganise(request.user))
    act = get_object_or_404(OrganisationAct, pk=pk)
    require(may_apply_act(request.user, act))
    plan = reorganisation_plan(act)
    split_form = SplitForm(request.POST, plan=plan)
    if split_form.is_valid():
        try:
            apply_unit_map(act=act, by=request.user, destinations=split_form.destinations())
        except ValidationError as error:
            split_form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The new organisation applies: the open goals, allocations and people moved."),
            )
            return redirect("goals:organisation_act", pk=act.pk)
    return _render_map(request, plan, map_form=UnitMapForm(plan=plan), split_form=split_form)


def _render_map(request, plan, *, map_form: UnitMapForm, split_form: SplitForm):
    act = plan.act
    ctx = {
        "act": act,
        "plan": plan,
        "map_form": map_form,
        "split_form": split_form,
        "split_groups": split_form.grouped_fields(),
        "may_apply": may_apply_act(request.user, act) and plan.is_mapped,
        "takes_effect_later": not act.is_applied and not may_apply_act(request.user, act),
    }
    return render(request, "goals/organisation_act_map.html", ctx)
