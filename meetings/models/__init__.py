"""The models of the coordination meetings: meetings and what they decide (meetings), the papers
sent before and after them (papers), and the invitees' answers (rsvp)."""

from meetings.models.meetings import (
    DEFAULT_PLACE,
    DEFAULT_TITLE,
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    Minutes,
    new_calendar_token,
)
from meetings.models.papers import MeetingPaper, paper_path
from meetings.models.rsvp import Rsvp

__all__ = [
    "DEFAULT_PLACE",
    "DEFAULT_TITLE",
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "CalendarFeed",
    "Meeting",
    "MeetingPaper",
    "MeetingSeries",
    "Minutes",
    "Rsvp",
    "new_calendar_token",
    "paper_path",
]
