"""Mayoral decisions: drafts, amendments' goal changes, signing, posting on Diavgeia, corrected
re-issues, documents and the signed scan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from directorates.models import Municipality
from directorates.roles import Role
from directorates.rules import require
from goals.forms.decisions import (
    AmendmentChoiceForm,
    DecisionDraftForm,
    GoalChangeForm,
    PostDecisionForm,
    ScanForm,
    SignDecisionForm,
    version_indicator_formset,
    version_indicator_initial,
)
from goals.indicators import attach_indicators
from goals.models import (
    Goal,
    GoalCycle,
    GoalVersion,
    MayoralDecision,
)
from goals.pdf import pdf_response
from goals.rules import (
    may_amend,
    may_attach_scan,
    may_change_amendment,
    may_correct,
    may_edit_decision,
    may_override_window,
    may_post_decision,
    may_post_decisions,
    may_prepare_decisions,
    may_see_smart_warnings_at_all,
    may_sign_decision,
    may_sign_decisions,
)
from goals.services.decisions import (
    attach_decision_scan,
    current_mayor,
    goals_adopted_by,
    mayor_signing,
    post_decision,
    prepare_correction,
    prepare_decision,
    propose_goal_change,
    save_decision_draft,
    sign_decision,
    withdraw_goal_change,
)
from goals.services.versions import attach_version_extras, indicator_changes, rows_of
from goals.smart import cycle_warnings


def _decision_rows(decision: MayoralDecision) -> list[dict]:
    """The goals in an adoption's table, grouped by directorate then category, each goal with
    its further indicators.

    A draft adoption shows the goals it would adopt, as they stand; a signed one, the versions it
    froze. A corrected re-issue shows the goals of the decision it corrects.
    """
    decision = decision.corrected_or_self
    if decision.is_draft:
        goals = goals_adopted_by(decision).select_related("directorate")
        entries = [{"goal": goal, "values": goal} for goal in goals]
        # The further indicators of the goals (the goal's own fields are its first indicator).
        attach_indicators(goals)
    else:
        versions = list(decision.goal_versions.select_related("goal__directorate", "directorate"))
        entries = [{"goal": version.goal, "values": version} for version in versions]
        # The further indicators as the decision froze them.
        attach_version_extras(versions)
    return _grouped(entries)


# The order in which an amendment's document lists its goals.
AMENDMENT_SECTIONS = [
    (GoalVersion.Change.ADDED, gettext_lazy("Goals added")),
    (GoalVersion.Change.WITHDRAWN, gettext_lazy("Goals withdrawn")),
    (GoalVersion.Change.CHANGED, gettext_lazy("Goals changed")),
]


def _amendment_sections(decision: MayoralDecision) -> list[dict]:
    """An amendment's goals: added, withdrawn and changed, each part grouped by directorate then
    category; a changed goal with the differences from the version in force before it.

    A draft shows an added goal as it stands (it may still be edited); an issued amendment,
    the values it adopted.
    """
    related = ("directorate", "programme_action")
    participants = "participating_directorates"
    versions = list(
        decision.goal_versions.select_related(*related, *(f"goal__{name}" for name in related))
        .prefetch_related(participants, f"goal__{participants}")
        .order_by("goal__code")
    )
    attach_indicators([version.goal for version in versions])
    attach_version_extras(versions)
    goal_ids = [v.goal_id for v in versions if v.change == GoalVersion.Change.CHANGED]
    earlier = (
        GoalVersion.objects.filter(
            goal_id__in=goal_ids, decision__status=MayoralDecision.Status.POSTED
        )
        .exclude(decision=decision)
        .select_related(*related)
        .prefetch_related(participants)
    )
    if decision.posted_at:
        earlier = earlier.filter(decision__posted_at__lt=decision.posted_at)
    in_force = {}
    for version in earlier.order_by("decision__posted_at", "pk"):
        in_force[version.goal_id] = version
    attach_version_extras(in_force.values())
    entries = {change: [] for change, _label in AMENDMENT_SECTIONS}
    for version in versions:
        entry = {"goal": version.goal, "values": version, "version": version}
        if version.change == GoalVersion.Change.CHANGED:
            before = in_force.get(version.goal_id, version.goal)
            entry["changes"] = version.differences_from(before)
            entry["indicator_changes"] = indicator_changes(
                rows_of(before.indicator_list), rows_of(version.indicator_list)
            )
        elif version.change == GoalVersion.Change.ADDED and decision.is_draft:
            entry["values"] = version.goal
        entries.setdefault(version.change, []).append(entry)
    return [
        {"change": change, "heading": label, "groups": _grouped(entries[change])}
        for change, label in AMENDMENT_SECTIONS
        if entries[change]
    ]


def _grouped(entries: list[dict]) -> list[dict]:
    """Entries grouped by the directorate then the category their values give the goal."""
    categories = list(Goal.Category.values)
    entries.sort(
        key=lambda e: (
            e["values"].directorate.order,
            categories.index(e["values"].category),
            e["goal"].code,
        )
    )
    groups = []
    for entry in entries:
        values = entry["values"]
        if not groups or groups[-1]["directorate"] != values.directorate:
            groups.append({"directorate": values.directorate, "categories": []})
        categories = groups[-1]["categories"]
        if not categories or categories[-1]["category"] != values.category:
            categories.append(
                {
                    "category": values.category,
                    "label": values.get_category_display(),
                    "entries": [],
                }
            )
        categories[-1]["entries"].append(entry)
    return groups


# The signature block's and the heading's titles, by role and gender ("Η ΑΝΤΙΔΗΜΑΡΧΟΣ").
_SIGNATURES = {
    (Role.MAYOR, "female"): pgettext_lazy("female", "The Mayor"),
    (Role.MAYOR, "male"): pgettext_lazy("male", "The Mayor"),
    (Role.DEPUTY_MAYOR, "female"): pgettext_lazy("female", "The Deputy Mayor"),
    (Role.DEPUTY_MAYOR, "male"): pgettext_lazy("male", "The Deputy Mayor"),
}
_MAYOR_OF = {
    "female": pgettext_lazy("female", "The Mayor of %(place)s"),
    "male": pgettext_lazy("male", "The Mayor of %(place)s"),
}


def _decision_context(decision: MayoralDecision) -> dict:
    """The document's parts: the municipality's header (data, from Django admin), the Mayor's
    heading, and the signature block by the signer's role and gender ("Ο/Η ΔΗΜΑΡΧΟΣ", or "Με
    εντολή Δημάρχου / Ο/Η ΑΝΤΙΔΗΜΑΡΧΟΣ"), and the corrected re-issues that replaced its wording."""
    municipality = Municipality.load()
    signer = mayor_signing(decision)
    if decision.by_order_of_the_mayor:
        mayor = current_mayor()
        signature = _SIGNATURES[(Role.DEPUTY_MAYOR, _gender(signer))]
    else:
        mayor = signer
        signature = _SIGNATURES[(Role.MAYOR, _gender(signer))]
    heading = _MAYOR_OF[_gender(mayor)] % {"place": municipality.display_mayor_of}
    source = decision.corrected_or_self
    return {
        "decision": decision,
        "source": source,
        "groups": [] if source.is_amendment else _decision_rows(decision),
        "sections": _amendment_sections(source) if source.is_amendment else [],
        "municipality": municipality,
        "mayor_heading": heading,
        "signature_heading": signature,
        "corrected_by": list(decision.corrections.posted().order_by("posted_at", "pk")),
    }


def _gender(person) -> str:
    """The message context of a title: "female", or "male" (also for an unknown person)."""
    return "female" if person and person.gender == "female" else "male"


def decision_list(request):
    """Every decision the person may see; signed ones not posted in time are flagged."""
    decisions = (
        MayoralDecision.objects.visible_to(request.user)
        .select_related("cycle", "amends", "corrects")
        .with_posting_late(today=timezone.localdate(), days=Municipality.load().days_to_post)
        .order_by("-cycle__year", "kind", "-decision_date", "-pk")
    )
    # ?status=draft: the drafts alone (those waiting for a signature); ?status=signed: those
    # waiting to be posted on Diavgeia.
    status = request.GET.get("status", "")
    if status in MayoralDecision.Status.values:
        decisions = decisions.filter(status=status)
    cycles_to_adopt = []
    if may_prepare_decisions(request.user):
        cycles_to_adopt = GoalCycle.objects.filter(
            phase__in=[GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION]
        ).exclude(decisions__kind=MayoralDecision.Kind.ADOPTION)
    ctx = {
        "decisions": decisions,
        "cycles_to_adopt": cycles_to_adopt,
        "status_shown": MayoralDecision.Status(status).label
        if status in MayoralDecision.Status.values
        else "",
    }
    return render(request, "goals/decision_list.html", ctx)


@require_POST
def decision_create(request):
    require(may_prepare_decisions(request.user))
    cycle_pk, amends_pk = request.POST.get("cycle", ""), request.POST.get("amends", "")
    if not cycle_pk.isdigit() or not (amends_pk.isdigit() or amends_pk == ""):
        raise Http404
    cycle = get_object_or_404(GoalCycle, pk=cycle_pk)
    amends = None
    if amends_pk:
        amends = get_object_or_404(MayoralDecision.objects.posted(), pk=amends_pk)
    try:
        decision = prepare_decision(cycle=cycle, amends=amends, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:decisions")
    messages.success(request, _("Draft decision prepared: check its wording."))
    return redirect(decision)


def decision_detail(request, pk):
    decision = get_object_or_404(
        MayoralDecision.objects.visible_to(request.user).select_related(
            "cycle", "signatory", "recorded_by", "posted_by", "prepared_by", "amends", "corrects"
        ),
        pk=pk,
    )
    ctx = _decision_context(decision)
    days = ctx["municipality"].days_to_post
    ctx.update(
        {
            "may_edit": may_edit_decision(request.user, decision),
            "may_sign": may_sign_decision(request.user, decision),
            "may_post": may_post_decision(request.user, decision),
            "may_attach": may_attach_scan(request.user, decision),
            "may_amend": may_amend(request.user, decision),
            "may_override_window": may_override_window(request.user, decision),
            "may_correct": may_correct(request.user, decision),
            "posting_due_on": decision.posting_due_on(days) if decision.is_signed else None,
            "posting_late": decision.is_signed
            and decision.posting_due_on(days) < timezone.localdate(),
            "choice_form": AmendmentChoiceForm(decision=decision)
            if decision.is_amendment and decision.is_draft
            else None,
            "scan_form": ScanForm(),
            "smart_rows": _unresolved_smart_warnings(request.user, decision),
        }
    )
    return render(request, "goals/decision_detail.html", ctx)


def _unresolved_smart_warnings(user, decision: MayoralDecision) -> list[tuple] | None:
    """A draft's goals that the SMART check warns about, each with its warnings, for the page
    only (never the document signed and posted); None where the section is not shown.

    An adoption's goals are those it would adopt; an amendment's, the goals it adds (a change
    to an adopted goal is written in the amendment, not on a draft goal)."""
    if not decision.is_draft or not may_see_smart_warnings_at_all(user):
        return None
    if decision.is_amendment:
        in_decision = decision.goal_versions.filter(change=GoalVersion.Change.ADDED)
        goal_ids = set(in_decision.values_list("goal_id", flat=True))
    else:
        goal_ids = set(goals_adopted_by(decision).values_list("pk", flat=True))
    check = cycle_warnings(decision.cycle)
    warnings = check.seen_by(user)
    return [(check.goals[pk], found) for pk, found in warnings.items() if pk in goal_ids]


def decision_pdf(request, pk):
    decision = get_object_or_404(
        MayoralDecision.objects.visible_to(request.user).select_related(
            "cycle", "amends", "corrects", "signatory"
        ),
        pk=pk,
    )
    filename = f"decision-{decision.cycle.year}-{decision.number or decision.pk}.pdf"
    return pdf_response("goals/decision_pdf.html", _decision_context(decision), filename=filename)


def decision_update(request, pk):
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    require(may_edit_decision(request.user, decision))
    form = DecisionDraftForm(
        request.POST or None, instance=decision, initial={"version": decision.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_decision_draft(
                decision=form.instance,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft decision saved."))
            return redirect(decision)
    return render(request, "goals/decision_form.html", {"form": form, "decision": decision})


def decision_sign(request, pk):
    """The Mayor, or a Deputy Mayor by order of the Mayor, records the signed decision; an
    administrator may record it on their behalf."""
    decision = get_object_or_404(
        MayoralDecision.objects.visible_to(request.user).select_related("cycle"), pk=pk
    )
    require(may_sign_decisions(request.user))
    if not decision.is_draft:
        messages.info(request, _("This decision has already been signed."))
        return redirect(decision)
    form = SignDecisionForm(
        request.POST or None,
        decision=decision,
        user=request.user,
        initial={"version": decision.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sign_decision(
                decision=decision,
                by=request.user,
                signatory=data["signatory"],
                number=data["number"],
                protocol_number=data["protocol_number"],
                decision_date=data["decision_date"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The decision is signed. Post it on Diavgeia and record its ΑΔΑ.")
            )
            return redirect(decision)
    ctx = {"form": form, "decision": decision, "on_behalf": request.user.is_administrator}
    return render(request, "goals/decision_sign.html", ctx)


def decision_post(request, pk):
    """Record the posting on Diavgeia, with the ΑΔΑ it gave: the decision is in force."""
    decision = get_object_or_404(
        MayoralDecision.objects.visible_to(request.user).select_related("cycle"), pk=pk
    )
    require(may_post_decisions(request.user))
    if not decision.is_signed:
        if decision.is_draft:
            messages.error(request, _("A decision is posted on Diavgeia after it is signed."))
        else:
            messages.info(request, _("This decision is already posted on Diavgeia."))
        return redirect(decision)
    form = PostDecisionForm(
        request.POST or None,
        decision=decision,
        initial={"version": decision.version, "posted_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post_decision(
                decision=decision,
                by=request.user,
                ada=data["ada"],
                posted_on=data["posted_on"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is posted on Diavgeia and in force."))
            return redirect(decision)
    return render(request, "goals/decision_post.html", {"form": form, "decision": decision})


@require_POST
def decision_correct(request, pk):
    """The General Secretary starts a corrected re-issue (ορθή επανάληψη) of a decision."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    require(may_correct(request.user, decision))
    try:
        correction = prepare_correction(decision=decision, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(decision)
    messages.success(request, _("Corrected re-issue prepared: correct its wording."))
    return redirect(correction)


def decision_scan(request, pk):
    """GET: the signed scan, to logged-in readers only; POST: attach it (GS or Mayor)."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        require(may_attach_scan(request.user, decision))
        form = ScanForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attach_decision_scan(
                    decision=decision, by=request.user, upload=form.cleaned_data["scan"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The signed decision is attached."))
        else:
            messages.error(request, _("Choose the PDF of the signed decision."))
        return redirect(decision)
    if not decision.scan:
        raise Http404
    return FileResponse(
        decision.scan.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"decision-{decision.number or decision.pk}-signed.pdf",
    )


def amendment_goal(request, pk, goal_pk):
    """The new values a draft amendment gives to one goal."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    require(may_change_amendment(request.user, decision))
    goal = get_object_or_404(
        decision.cycle.goals.filter(status=Goal.Status.ADOPTED).select_related("cycle"),
        pk=goal_pk,
    )
    version = GoalVersion.objects.filter(decision=decision, goal=goal).first()
    if version is None:
        version = GoalVersion.snapshot(goal=goal, decision=decision)
        initial = {"participating_directorates": list(goal.participating_directorates.all())}
        indicators = goal.extra_indicators.order_by("order", "pk")
    else:
        initial = {}
        indicators = version.indicators.order_by("order", "pk")
    form = GoalChangeForm(request.POST or None, instance=version, initial=initial)
    # A form sent without the further indicators (by a script) leaves them as they are.
    sent = request.method == "POST" and "indicators-TOTAL_FORMS" in request.POST
    formset = version_indicator_formset()(
        request.POST if sent else None,
        goal=goal,
        initial=version_indicator_initial(indicators),
        prefix="indicators",
    )
    if request.method == "POST" and form.is_valid() and (not sent or formset.is_valid()):
        values = {f: form.cleaned_data[f] for f in GoalVersion.FROZEN_FIELDS}
        try:
            propose_goal_change(
                decision=decision,
                goal=goal,
                by=request.user,
                values=values,
                reason=form.cleaned_data["reason"],
                participants=form.cleaned_data["participating_directorates"],
                indicators=formset.rows() if sent else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The change to %(code)s is in the amendment.") % {"code": goal.code}
            )
            return redirect(decision)
    ctx = {"form": form, "indicators": formset, "decision": decision, "goal": goal}
    return render(request, "goals/amendment_goal_form.html", ctx)


@require_POST
def amendment_goal_remove(request, pk, goal_pk):
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    require(may_prepare_decisions(request.user))
    goal = get_object_or_404(Goal, pk=goal_pk, cycle_id=decision.cycle_id)
    try:
        withdraw_goal_change(decision=decision, goal=goal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(code)s is no longer in the amendment.") % {"code": goal.code}
        )
    return redirect(decision)


def amendment_goal_choose(request, pk):
    """The GS picks a goal to add to a draft amendment."""
    decision = get_object_or_404(MayoralDecision.objects.visible_to(request.user), pk=pk)
    require(may_change_amendment(request.user, decision))
    form = AmendmentChoiceForm(request.GET or None, decision=decision)
    if form.is_valid():
        step = "amendment_goal_withdraw" if "withdraw" in request.GET else "amendment_goal"
        return redirect(f"goals:{step}", pk=decision.pk, goal_pk=form.cleaned_data["goal"].pk)
    messages.error(request, _("Choose a goal to change or withdraw."))
    return redirect(decision)
