"""The papers of a meeting: the briefing pack before it and the commitments memo after it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directorates.rules import require
from directorates.workdays import LocalHolidays
from meetings import papers
from meetings.models import Meeting, MeetingPaper
from meetings.rules import may_send_papers
from meetings.views.errors import show_errors


def papers_context(request, meeting: Meeting, local: LocalHolidays) -> dict:
    """The meeting page's part on its papers: the kept PDFs, when the next is due, the button."""
    kept = {paper.kind: paper for paper in meeting.papers.all()}
    return {
        "briefing": kept.get(MeetingPaper.Kind.BRIEFING),
        "memo": kept.get(MeetingPaper.Kind.COMMITMENTS),
        "briefing_due_on": papers.briefing_due_on(meeting, local),
        "memo_due_on": papers.memo_due_on(meeting, local),
        "may_send_briefing": may_send_papers(request.user)
        and not papers.refusal(meeting, MeetingPaper.Kind.BRIEFING),
        "may_send_memo": may_send_papers(request.user) and meeting.status == Meeting.Status.HELD,
    }


def _kind(kind: str) -> str:
    if kind not in MeetingPaper.Kind.values:
        raise Http404
    return kind


def paper(request, pk, kind):
    """The PDF as it was sent, to the meeting's invitees (and those who oversee)."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    paper = get_object_or_404(MeetingPaper, meeting=meeting, kind=_kind(kind))
    if not paper.document:
        raise Http404
    return FileResponse(
        paper.document.open("rb"),
        as_attachment=True,
        filename=paper.filename,
        content_type="application/pdf",
    )


@require_POST
def paper_issue(request, pk, kind):
    """Make the paper again from today's data and send it to those concerned."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_send_papers(request.user))
    kind = _kind(kind)
    try:
        papers.issue_paper(meeting=meeting, kind=kind, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        if kind == MeetingPaper.Kind.BRIEFING:
            messages.success(request, _("The briefing pack was made and is being sent."))
        else:
            messages.success(request, _("The commitments memo was made and is being sent."))
    return redirect(meeting)
