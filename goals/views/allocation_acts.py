"""The heads of directorate's allocation acts: the list of a directorate's acts for a cycle, the
act as a document (HTML and PDF), preparing a draft and issuing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.models import Directorate, Municipality
from directorates.roles import unit_head_title
from directorates.rules import require
from goals import reports
from goals.forms.allocation_acts import IssueActForm
from goals.models import AllocationAct, GoalCycle
from goals.pdf import pdf_response
from goals.rules import may_issue_allocation_acts, may_read_department_goals
from goals.services.allocation_acts import (
    adoption_decision,
    content_of,
    delete_draft,
    department_goals,
    in_force,
    issue_act,
    prepare_act,
    readable,
)


def cycle_asked_for(request) -> GoalCycle | None:
    """The cycle asked for (?cycle=), else the latest one whose goals were adopted."""
    if request.GET.get("cycle", "").isdigit():
        return get_object_or_404(GoalCycle, pk=request.GET["cycle"])
    return reports.monitored_cycle()


def _readable_directorate(request, code) -> Directorate:
    directorate = get_object_or_404(Directorate, code=code)
    if not may_read_department_goals(request.user, directorate):
        raise Http404
    return directorate


def allocation_acts(request, code):
    """A directorate's acts for a cycle, latest first, and its head's way to a new one."""
    directorate = _readable_directorate(request, code)
    cycle = cycle_asked_for(request)
    acts = []
    if cycle is not None:
        acts = list(
            AllocationAct.objects.filter(directorate=directorate, cycle=cycle)
            .select_related("issued_by", "replaces", "replaced_by", "cycle", "directorate")
            .order_by("-sequence")
        )
    current = next((act for act in acts if act.is_issued and not _replaced(act)), None)
    ctx = {
        "directorate": directorate,
        "cycle": cycle,
        "acts": acts,
        # The department goals changed since the act in force was issued: a new act is due.
        "changed_since": current is not None
        and content_of(department_goals(directorate, cycle))["departments"]
        != current.content.get("departments"),
        "draft": next((act for act in acts if act.is_draft), None),
        "may_issue": cycle is not None
        and cycle.is_monitored
        and may_issue_allocation_acts(request.user, directorate),
    }
    return render(request, "goals/allocation_acts.html", ctx)


def _replaced(act: AllocationAct) -> bool:
    return getattr(act, "replaced_by", None) is not None


@require_POST
def allocation_act_prepare(request, code):
    directorate = _readable_directorate(request, code)
    require(may_issue_allocation_acts(request.user, directorate))
    # The cycle the list showed, else the latest one whose goals were adopted.
    if request.POST.get("cycle", "").isdigit():
        cycle = get_object_or_404(GoalCycle, pk=request.POST["cycle"])
    else:
        cycle = reports.monitored_cycle()
    if cycle is None:
        raise Http404
    try:
        act = prepare_act(directorate=directorate, cycle=cycle, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse('goals:allocation_acts', args=[code])}?cycle={cycle.pk}")
    return redirect(act)


def _act(request, pk) -> AllocationAct:
    return get_object_or_404(
        AllocationAct.objects.visible_to(request.user).select_related(
            "cycle", "directorate", "directorate__head", "issued_by", "replaces", "replaced_by"
        ),
        pk=pk,
    )


def _act_context(act: AllocationAct) -> dict:
    """The document's parts: the municipality's header, the department goals (as issued, or as
    they are for a draft), the act it replaces and the one that replaced it, and the signature
    by the head's title and gender ("Ο/Η Προϊστάμενος/η Διεύθυνσης")."""
    if act.is_issued:
        content = act.content
        signer = act.issued_by
    else:
        content = content_of(department_goals(act.directorate, act.cycle))
        decision = adoption_decision(act.cycle)
        content["adoption_decision"] = (
            {"reference": decision.reference, "ada": decision.ada} if decision else None
        )
        signer = act.directorate.head
    replaces = act.replaces if act.is_issued else in_force(act.directorate, act.cycle)
    return {
        "act": act,
        "municipality": Municipality.load(),
        "directorate_name": content.get("directorate") or act.directorate.name,
        "adoption_decision": content.get("adoption_decision"),
        "departments": readable(content),
        "replaces": replaces,
        "replaced_by": getattr(act, "replaced_by", None),
        "signature_heading": unit_head_title(act.directorate.kind, signer.gender if signer else ""),
    }


def allocation_act(request, pk):
    act = _act(request, pk)
    form = None
    if act.is_draft and may_issue_allocation_acts(request.user, act.directorate):
        form = IssueActForm(request.POST or None, initial={"version": act.version})
        if request.method == "POST" and form.is_valid():
            try:
                issue_act(
                    act=act,
                    by=request.user,
                    protocol_number=form.cleaned_data["protocol_number"],
                    issued_on=form.cleaned_data["issued_on"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The allocation act is issued."))
                return redirect(act)
    elif request.method == "POST":
        require(False)
    ctx = _act_context(act)
    ctx["form"] = form
    return render(request, "goals/allocation_act.html", ctx)


@require_POST
def allocation_act_delete(request, pk):
    """The head deletes a draft act; back to the directorate's acts."""
    act = _act(request, pk)
    require(may_issue_allocation_acts(request.user, act.directorate))
    try:
        delete_draft(act=act, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(act)
    messages.success(request, _("The draft act was deleted."))
    url = reverse("goals:allocation_acts", args=[act.directorate.code])
    return redirect(f"{url}?cycle={act.cycle_id}")


def allocation_act_pdf(request, pk):
    act = _act(request, pk)
    filename = f"allocation-act-{act.directorate.code}-{act.cycle.year}-{act.sequence}.pdf"
    return pdf_response("goals/allocation_act_pdf.html", _act_context(act), filename=filename)
