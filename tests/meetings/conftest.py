"""Meetings the tests share: one coming up next week and one held two weeks ago.

Both invite the General Secretary, the deputy and the heads of Planning and Finance (heads of
directorates are invited to every meeting); the Mayor only where `mayor_attends` is set.
"""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Meeting, Minutes
from tests.factories import MeetingFactory


@pytest.fixture
def invitees(secretary, deputy, mayor, head_of_planning, head_of_finance):
    return [secretary, deputy, head_of_planning, head_of_finance]


@pytest.fixture
def meeting(invitees):
    return MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=7))


@pytest.fixture
def held_meeting(invitees):
    meeting = MeetingFactory(
        date=timezone.localdate() - datetime.timedelta(days=14), status=Meeting.Status.HELD
    )
    Minutes.objects.create(meeting=meeting)
    return meeting
