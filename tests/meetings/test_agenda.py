import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import AgendaItem, Minutes
from tests.factories import ActionItemFactory, AgendaItemFactory


def item_data(**overrides):
    return {"title": "Ανακύκλωση", "description": "", "duration": "15", **overrides}


def test_secretary_adds_an_item_to_the_agenda(client_for, secretary, meeting, planning):
    response = client_for(secretary).post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        item_data(directorates=[planning.pk], presenter=secretary.pk),
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get()
    assert item.status == AgendaItem.Status.ACCEPTED
    assert list(item.directorates.all()) == [planning]
    assert item.order == 1


def test_a_head_proposes_and_the_secretary_accepts(client_for, secretary, head_of_finance, meeting):
    client_for(head_of_finance).post(
        reverse("meetings:agenda_add", args=[meeting.pk]), item_data(title="Πληρωμές")
    )
    item = meeting.agenda_items.get()
    assert item.status == AgendaItem.Status.PROPOSED
    assert item.proposed_by == head_of_finance
    page = client_for(head_of_finance).get(meeting.get_absolute_url())
    assert page.context["proposals"] == [item]
    assert page.context["agenda"] == []

    response = client_for(secretary).post(
        reverse("meetings:agenda_decide", args=[item.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ACCEPTED


def test_the_secretary_declines_a_proposal(client_for, secretary, meeting):
    item = AgendaItemFactory(meeting=meeting, status=AgendaItem.Status.PROPOSED)
    client_for(secretary).post(
        reverse("meetings:agenda_decide", args=[item.pk]), {"decision": "decline"}
    )
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DECLINED
    again = client_for(secretary).post(
        reverse("meetings:agenda_decide", args=[item.pk]), {"decision": "accept"}, follow=True
    )
    assert list(again.context["messages"])
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DECLINED


def test_a_head_cannot_accept_a_proposal(client_for, head_of_planning, meeting):
    item = AgendaItemFactory(meeting=meeting, status=AgendaItem.Status.PROPOSED)
    response = client_for(head_of_planning).post(
        reverse("meetings:agenda_decide", args=[item.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PROPOSED


def test_secretary_reorders_the_agenda_without_a_page_reload(client_for, secretary, meeting):
    # Ids above 999 must not get a thousands separator (Greek: "1.003") in the HTML.
    first, second, third = (
        AgendaItemFactory(pk=1000 + n, meeting=meeting, order=n) for n in (1, 2, 3)
    )
    response = client_for(secretary).post(
        reverse("meetings:agenda_move", args=[third.pk]),
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="agenda"')
    assert "<html" not in html
    assert html.index(third.title) < html.index(second.title)
    # The keyboard stays on the moved item's button.
    assert re.search(rf'id="move-up-{third.pk}"[^>]*autofocus', html)
    assert list(meeting.agenda_items.values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]


def test_moving_without_htmx_redirects_back(client_for, secretary, meeting):
    first, second = (AgendaItemFactory(meeting=meeting, order=n) for n in (1, 2))
    response = client_for(secretary).post(
        reverse("meetings:agenda_move", args=[first.pk]), {"direction": "down"}
    )
    assert response.status_code == 302
    assert list(meeting.agenda_items.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_secretary_edits_an_item(client_for, secretary, meeting):
    item = AgendaItemFactory(meeting=meeting)
    response = client_for(secretary).post(
        reverse("meetings:agenda_edit", args=[item.pk]), item_data(title="Νέος τίτλος")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Νέος τίτλος"


def test_an_impossible_duration_is_refused(client_for, secretary, meeting):
    response = client_for(secretary).post(
        reverse("meetings:agenda_add", args=[meeting.pk]), item_data(duration="0")
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not meeting.agenda_items.exists()


def test_suggest_agenda_proposes_the_open_action_items_once(
    client_for, secretary, meeting, held_meeting, finance, head_of_finance
):
    open_action = ActionItemFactory(meeting=held_meeting, directorate=finance)
    ActionItemFactory(meeting=held_meeting, status="done", completed_on=held_meeting.date)
    secretary.language = "en"
    secretary.save()
    url = reverse("meetings:agenda_suggest", args=[meeting.pk])
    client_for(secretary).post(url)
    client_for(secretary).post(url)
    suggestion = meeting.agenda_items.get()
    # Stored in the municipality's language, whatever the secretary reads the pages in.
    assert suggestion.title == f"Παρακολούθηση: {open_action.description}"
    assert suggestion.action_item == open_action
    assert suggestion.status == AgendaItem.Status.PROPOSED
    assert suggestion.presenter == head_of_finance


def test_publishing_the_agenda_notifies_the_invitees(
    client_for, secretary, meeting, invitees, django_capture_on_commit_callbacks
):
    AgendaItemFactory(meeting=meeting, title="Ψηφιακές υπηρεσίες")
    AgendaItemFactory(meeting=meeting, title="Απορριφθέν", status=AgendaItem.Status.DECLINED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("meetings:agenda_publish", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in invitees)
    assert "Ψηφιακές υπηρεσίες" in mail.outbox[0].body
    assert "Απορριφθέν" not in mail.outbox[0].body


def test_an_empty_agenda_is_not_published(client_for, secretary, meeting):
    response = client_for(secretary).post(
        reverse("meetings:agenda_publish", args=[meeting.pk]), follow=True
    )
    assert list(response.context["messages"])
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    assert not mail.outbox


def test_the_agenda_of_locked_minutes_cannot_change(secretary, held_meeting):
    item = AgendaItemFactory(meeting=held_meeting)
    Minutes.objects.filter(meeting=held_meeting).update(
        status=Minutes.Status.LOCKED, approved_at_meeting=held_meeting
    )
    with pytest.raises(ValidationError):
        services.move_agenda_item(item=item, by=secretary, up=True)
    with pytest.raises(ValidationError):
        services.suggest_agenda(meeting=held_meeting, by=secretary)
    with pytest.raises(ValidationError):
        services.add_agenda_item(meeting=held_meeting, by=secretary, item=AgendaItem(title="x"))
    assert held_meeting.agenda_items.count() == 1


def test_secretary_accepts_every_proposal_at_once(client_for, secretary, meeting, head_of_planning):
    for source in ("observations", "goals", "actions"):
        AgendaItemFactory(meeting=meeting, status="proposed", source=source)
    AgendaItemFactory(meeting=meeting, status="proposed", proposed_by=head_of_planning)
    AgendaItemFactory(meeting=meeting, title="Ήδη εγγεγραμμένο", order=7)

    response = client_for(secretary).post(
        reverse("meetings:agenda_accept", args=[meeting.pk]), follow=True
    )

    assert "4 προτάσεις εγγράφηκαν στην ημερήσια διάταξη." in response.content.decode()
    assert not meeting.agenda_items.proposed().exists()
    assert list(meeting.agenda_items.on_agenda().values_list("order", flat=True)) == [
        7,
        8,
        9,
        10,
        11,
    ]


def test_secretary_accepts_the_proposals_of_one_source(client_for, secretary, meeting):
    AgendaItemFactory(meeting=meeting, status="proposed", source="actions", title="Εκκρεμότητα")
    AgendaItemFactory(meeting=meeting, status="proposed", source="goals", title="Στόχος")
    client = client_for(secretary)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="source" value="actions"' in page

    client.post(reverse("meetings:agenda_accept", args=[meeting.pk]), {"source": "actions"})

    assert list(meeting.agenda_items.on_agenda().values_list("title", flat=True)) == ["Εκκρεμότητα"]
    assert list(meeting.agenda_items.proposed().values_list("title", flat=True)) == ["Στόχος"]


def test_an_unknown_source_is_refused_with_a_message(client_for, secretary, meeting):
    AgendaItemFactory(meeting=meeting, status="proposed", source="goals")
    response = client_for(secretary).post(
        reverse("meetings:agenda_accept", args=[meeting.pk]), {"source": "rumours"}, follow=True
    )
    assert "Επιλέξτε μία από τις πηγές των προτάσεων." in response.content.decode()
    assert meeting.agenda_items.proposed().count() == 1


def test_suggestions_record_their_source(client_for, secretary, meeting, held_meeting):
    ActionItemFactory(meeting=held_meeting)
    client_for(secretary).post(reverse("meetings:agenda_suggest", args=[meeting.pk]))
    assert list(meeting.agenda_items.proposed().values_list("source", flat=True)) == ["actions"]


def test_open_blockers_are_a_source_of_the_suggested_agenda(
    client_for, secretary, meeting, head_of_planning
):
    from goals.models import GoalBlocker
    from tests.factories import GoalFactory

    goal = GoalFactory(directorate=head_of_planning.directorate, code="PROG-03")
    GoalBlocker.objects.create(
        goal=goal,
        description="Δεν έχει υπογραφεί η σύμβαση",
        impact="Καθυστέρηση",
        since=datetime.date(2024, 5, 2),
        raised_by=head_of_planning,
    )
    client = client_for(secretary)
    url = reverse("meetings:agenda_suggest", args=[meeting.pk])
    client.post(url)
    client.post(url)  # suggesting again does not repeat it

    (item,) = meeting.agenda_items.proposed().filter(source="blockers")
    assert item.title == "Εμπόδιο στον στόχο PROG-03: Δεν έχει υπογραφεί η σύμβαση"
    assert list(item.goals.all()) == [goal]
    assert item.presenter == head_of_planning
