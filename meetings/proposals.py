"""Proposed agenda items accepted at once: all of them, or those of one source.

A proposal comes from one of the sources of the suggested agenda (new observations on a goal,
a goal behind schedule or without a recent update, an open action item: `AgendaItem.source`),
or from a head who proposed it. The General Secretary can accept every proposal waiting, or
one source's.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from directorates.models import User
from meetings.models import AgendaItem, Meeting, Minutes

HEADS = "heads"


def proposal_source(item: AgendaItem) -> str:
    """The suggestion's source, or HEADS for an item a head proposed."""
    return item.source or HEADS


def sources_of(proposals: list[AgendaItem]) -> list[tuple[str, str, int]]:
    """(source, label, how many) for each source with proposals waiting, in a fixed order."""
    counts = Counter(proposal_source(item) for item in proposals)
    labels = [*AgendaItem.Source.choices, (HEADS, _("proposals of the heads"))]
    return [(key, label, counts[key]) for key, label in labels if counts[key]]


@transaction.atomic
def accept_proposals(*, meeting: Meeting, by: User, source: str | None = None) -> int:
    """Put every proposal waiting (or those of one source) on the agenda, in their order."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes and not minutes.is_editable:
        raise ValidationError(
            _("The minutes of this meeting are approved: it can no longer change.")
        )
    if source is not None and source not in {*AgendaItem.Source.values, HEADS}:
        raise ValidationError(_("Choose one of the sources of the proposals."))
    proposals = [
        item
        for item in meeting.agenda_items.proposed().select_for_update()
        if source is None or proposal_source(item) == source
    ]
    order = meeting.agenda_items.on_agenda().aggregate(top=Max("order"))["top"] or 0
    for item in proposals:
        order += 1
        item.status = AgendaItem.Status.ACCEPTED
        item.order = order
        item.save(update_fields=["status", "order"])
    return len(proposals)
