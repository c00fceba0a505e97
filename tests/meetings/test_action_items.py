import datetime

from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem
from tests.factories import ActionItemFactory, AgendaItemFactory


def test_secretary_records_an_action_item(client_for, secretary, held_meeting, finance):
    item = AgendaItemFactory(meeting=held_meeting)
    due = held_meeting.date + datetime.timedelta(days=30)
    response = client_for(secretary).post(
        reverse("meetings:action_add", args=[held_meeting.pk]),
        {
            "description": "Αναφορά εκκρεμών ενταλμάτων",
            "directorate": finance.pk,
            "due_date": due.isoformat(),
            "agenda_item": item.pk,
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert (action.directorate, action.due_date, action.agenda_item) == (finance, due, item)
    assert action.status == ActionItem.Status.OPEN


def test_a_due_date_before_the_meeting_is_refused(client_for, secretary, held_meeting, finance):
    response = client_for(secretary).post(
        reverse("meetings:action_add", args=[held_meeting.pk]),
        {
            "description": "Αναφορά",
            "directorate": finance.pk,
            "due_date": (held_meeting.date - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_date"]
    assert not ActionItem.objects.exists()


def test_an_action_item_of_another_meeting_agenda_is_refused(
    client_for, secretary, held_meeting, meeting, finance
):
    response = client_for(secretary).post(
        reverse("meetings:action_add", args=[held_meeting.pk]),
        {
            "description": "Αναφορά",
            "directorate": finance.pk,
            "due_date": meeting.date.isoformat(),
            "agenda_item": AgendaItemFactory(meeting=meeting).pk,
        },
    )
    assert response.status_code == 200
    assert not ActionItem.objects.exists()


def test_open_action_items_appear_on_the_next_meeting_by_themselves(
    client_for, head_of_planning, held_meeting, meeting, finance
):
    still_open = ActionItemFactory(meeting=held_meeting, directorate=finance)
    done_before = ActionItemFactory(
        meeting=held_meeting, status="done", completed_on=held_meeting.date
    )
    response = client_for(head_of_planning).get(meeting.get_absolute_url())
    pending = list(response.context["pending_actions"])
    assert still_open in pending
    assert done_before not in pending


def test_an_action_closed_after_a_meeting_still_shows_on_that_meetings_page(
    client_for, secretary, held_meeting, finance
):
    earlier = ActionItemFactory(
        meeting__date=held_meeting.date - datetime.timedelta(days=14),
        directorate=finance,
        status="done",
        completed_on=timezone.localdate(),
    )
    response = client_for(secretary).get(held_meeting.get_absolute_url())
    assert earlier in list(response.context["pending_actions"])


def test_the_owning_head_marks_an_action_done(client_for, head_of_finance, finance):
    action = ActionItemFactory(directorate=finance)
    response = client_for(head_of_finance).post(reverse("meetings:action_done", args=[action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE
    assert action.completed_by == head_of_finance
    assert action.completed_on == timezone.localdate()
    assert action.history.count() == 2


def test_another_directorates_action_item_is_404(client_for, head_of_planning, finance):
    action = ActionItemFactory(directorate=finance)
    response = client_for(head_of_planning).post(reverse("meetings:action_done", args=[action.pk]))
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionItem.Status.OPEN


def test_the_mayor_reads_but_does_not_close_action_items(client_for, mayor, finance):
    action = ActionItemFactory(directorate=finance)
    assert (
        client_for(mayor).post(reverse("meetings:action_done", args=[action.pk])).status_code == 403
    )
    listed = client_for(mayor).get(reverse("meetings:action_items"))
    assert list(listed.context["page"]) == [action]


def test_heads_list_only_their_directorates_action_items(
    client_for, head_of_finance, finance, planning
):
    own = ActionItemFactory(directorate=finance)
    ActionItemFactory(directorate=planning)
    response = client_for(head_of_finance).get(reverse("meetings:action_items"))
    (listed,) = response.context["page"]
    assert listed == own
    assert listed.can_close


def test_closing_twice_is_refused(client_for, head_of_finance, finance):
    action = ActionItemFactory(
        directorate=finance, status="done", completed_on=timezone.localdate()
    )
    response = client_for(head_of_finance).post(
        reverse("meetings:action_done", args=[action.pk]), follow=True
    )
    assert list(response.context["messages"])


def test_the_meeting_is_linked_only_for_those_who_may_open_it(
    client_for, head_of_department, head_of_planning, planning, django_assert_num_queries
):
    """A head of department reads their directorate's action items but is not invited to the
    meetings: the meeting is named, not linked (the link would be a 404)."""
    action = ActionItemFactory(directorate=planning)
    meeting_url = action.meeting.get_absolute_url()

    page = client_for(head_of_department).get(reverse("meetings:action_items")).content.decode()
    assert action.description in page
    assert meeting_url not in page
    assert client_for(head_of_department).get(meeting_url).status_code == 404

    head = client_for(head_of_planning)
    assert meeting_url in head.get(reverse("meetings:action_items")).content.decode()
    assert head.get(meeting_url).status_code == 200
    # The meetings one may open are read once for the whole page.
    with django_assert_num_queries(count := _queries(head)):
        head.get(reverse("meetings:action_items"))
    ActionItemFactory.create_batch(4, directorate=planning)
    with django_assert_num_queries(count):
        head.get(reverse("meetings:action_items"))


def _queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(reverse("meetings:action_items"))
    return len(context)
