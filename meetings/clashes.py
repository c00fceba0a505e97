"""Meetings that would take the same room at the same time: a warning, not a refusal (two
meetings may share a large hall on purpose), shown when a series or a meeting is saved."""

from collections.abc import Iterable

from meetings.models import Meeting


def clashes(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Other meetings, not cancelled, in the same place (ignoring case and spaces) whose time
    overlaps one of `meetings`, by date. One query."""
    by_date: dict = {}
    for meeting in meetings:
        if not meeting.is_cancelled:
            by_date.setdefault(meeting.date, []).append(meeting)
    if not by_date:
        return []
    ours = {meeting.pk for group in by_date.values() for meeting in group}
    others = (
        Meeting.objects.filter(date__in=by_date)
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(pk__in=ours)
        .order_by("date", "start_time")
    )
    return [
        other
        for other in others
        if any(
            _same_place(other, meeting)
            and other.starts_at < meeting.ends_at
            and meeting.starts_at < other.ends_at
            for meeting in by_date[other.date]
        )
    ]


def _same_place(one: Meeting, other: Meeting) -> bool:
    return " ".join(one.place.split()).casefold() == " ".join(other.place.split()).casefold()
