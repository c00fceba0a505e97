"""Answers to a meeting's invitation: one click from the meeting's page (or the e-mail's link),
a deputy named by a head, apologies carried into attendance, and the expected attendance the
General Secretary reads. Nobody answers for someone else."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting, Rsvp
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


def answer(client, meeting, **data):
    return client.post(reverse("meetings:rsvp", args=[meeting.pk]), data, follow=True)


def test_a_head_answers_in_one_click_from_the_meeting_page(client_for, head_of_finance, meeting):
    client = client_for(head_of_finance)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="answer" value="attend"' in page

    response = answer(client, meeting, answer="attend")

    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "Η απάντησή σας καταχωρίστηκε." in response.content.decode()
    rsvp = Rsvp.objects.get()
    assert (rsvp.person, rsvp.answer) == (head_of_finance, "attend")
    assert rsvp.history.count() == 1


def test_a_new_answer_replaces_the_old_one(client_for, head_of_finance, meeting):
    client = client_for(head_of_finance)
    answer(client, meeting, answer="attend")
    answer(client, meeting, answer="decline")
    assert list(Rsvp.objects.values_list("answer", flat=True)) == ["decline"]


def test_an_answer_forged_for_another_person_is_recorded_as_ones_own(
    client_for, head_of_finance, head_of_planning, meeting
):
    answer(client_for(head_of_finance), meeting, answer="decline", person=head_of_planning.pk)
    assert not Rsvp.objects.filter(person=head_of_planning).exists()
    assert Rsvp.objects.get().person == head_of_finance


def test_a_deputy_from_another_directorate_is_refused(
    client_for, head_of_planning, head_of_finance, meeting
):
    outsider = UserFactory(directorate=head_of_finance.directorate)
    response = answer(client_for(head_of_planning), meeting, answer="deputy", deputy=outsider.pk)
    assert response.status_code == 200
    assert "Επιλέξτε μια έγκυρη επιλογή" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_sending_a_deputy_needs_one_named(client_for, head_of_planning, meeting):
    response = answer(client_for(head_of_planning), meeting, answer="deputy")
    assert "Επιλέξτε ποιος θα παραστεί στη θέση σας." in response.content.decode()
    assert not Rsvp.objects.exists()


def test_only_a_head_sends_a_deputy(client_for, secretary, staff, meeting):
    response = answer(client_for(secretary), meeting, answer="deputy", deputy=staff.pk)
    assert "Μόνο προϊστάμενος Διεύθυνσης ορίζει αναπληρωτή." in response.content.decode()
    assert not Rsvp.objects.exists()


def test_a_deputy_is_invited_and_the_head_is_expected_excused(
    client_for,
    secretary,
    head_of_planning,
    head_of_department,
    meeting,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        answer(client_for(head_of_planning), meeting, answer="deputy", deputy=head_of_department.pk)

    assert head_of_department in meeting.invitees()
    assert list(Meeting.objects.visible_to(head_of_department)) == [meeting]
    assert [m.to for m in mail.outbox] == [[head_of_department.email]]
    # The deputy does not answer in turn.
    response = client_for(head_of_department).post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"answer": "attend"}
    )
    assert response.status_code == 403

    meeting.date = timezone.localdate()
    meeting.save()
    form = client_for(secretary).get(reverse("meetings:attendance", args=[meeting.pk]))
    initial = {person.pk: status for person, status in _initial(form.context["form"])}
    assert initial[head_of_planning.pk] == Attendance.Status.EXCUSED
    assert initial[head_of_department.pk] == Attendance.Status.PRESENT


def _initial(form):
    return [(person, form.fields[name].initial) for name, person in form.people.items()]


def test_naming_another_deputy_uninvites_the_first(
    client_for,
    head_of_planning,
    head_of_department,
    staff,
    meeting,
    django_capture_on_commit_callbacks,
):
    client = client_for(head_of_planning)
    answer(client, meeting, answer="deputy", deputy=head_of_department.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, meeting, answer="deputy", deputy=staff.pk)

    assert head_of_department not in meeting.invitees()
    assert staff in meeting.invitees()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head_of_department.email, staff.email])
    uninvited = next(m for m in mail.outbox if m.to == [head_of_department.email])
    assert uninvited.attachments[0].get_filename() == "cancel.ics"


def test_apologies_reach_the_attendance_form_and_sheet(
    client_for, secretary, head_of_finance, held_meeting
):
    Rsvp.objects.create(meeting=held_meeting, person=head_of_finance, answer="decline")
    client = client_for(secretary)
    form = client.get(reverse("meetings:attendance", args=[held_meeting.pk])).context["form"]
    assert dict((p.pk, s) for p, s in _initial(form))[head_of_finance.pk] == "excused"
    sheet = client.get(reverse("meetings:attendance_sheet", args=[held_meeting.pk]))
    assert "Απολογήθηκε" in sheet.content.decode()


def test_the_general_secretary_sees_the_expected_attendance(
    client_for, secretary, deputy, head_of_planning, head_of_finance, head_of_department, meeting
):
    Rsvp.objects.create(meeting=meeting, person=head_of_finance, answer="decline")
    Rsvp.objects.create(
        meeting=meeting, person=head_of_planning, answer="deputy", deputy=head_of_department
    )
    Rsvp.objects.create(meeting=meeting, person=deputy, answer="attend")

    response = client_for(secretary).get(meeting.get_absolute_url())

    assert response.context["expected"] == {"attend": 1, "deputy": 1, "decline": 1, "none": 1}
    page = response.content.decode()
    for line in ["Θα παραστούν: 1", "Με αναπληρωτή: 1", "Δεν μπορούν να παραστούν: 1"]:
        assert line in page
    assert "Δεν απάντησαν: 1" in page
    assert f"Θα παραστεί αναπληρωτής/τρια: {head_of_department}" in page


def test_heads_do_not_see_the_others_answers(
    client_for, head_of_finance, head_of_planning, meeting
):
    Rsvp.objects.create(meeting=meeting, person=head_of_planning, answer="decline")
    response = client_for(head_of_finance).get(meeting.get_absolute_url())
    assert "Αναμενόμενη συμμετοχή" not in response.content.decode()
    assert "rsvp-decline" not in response.content.decode()


def test_no_answer_once_the_meeting_has_passed(client_for, head_of_finance, held_meeting):
    response = answer(client_for(head_of_finance), held_meeting, answer="attend")
    assert response.status_code == 403
    scheduled_past = MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=1))
    response = answer(client_for(head_of_finance), scheduled_past, answer="attend")
    assert response.status_code == 403
    assert not Rsvp.objects.exists()


def test_people_not_invited_cannot_answer(client_for, staff, meeting):
    assert answer(client_for(staff), meeting, answer="attend").status_code == 404


def test_the_invitation_carries_the_answer_links(client_for, secretary, meeting, invitees):
    from meetings.tasks import send_invitations

    send_invitations.call(meeting_id=meeting.pk)
    body = mail.outbox[0].body
    url = reverse("meetings:rsvp", args=[meeting.pk])
    for choice in ("attend", "decline", "deputy"):
        assert f"{url}?answer={choice}" in body


def test_the_e_mail_link_opens_the_answer_chosen_to_confirm(client_for, head_of_planning, meeting):
    response = client_for(head_of_planning).get(
        reverse("meetings:rsvp", args=[meeting.pk]) + "?answer=decline"
    )
    assert response.status_code == 200
    assert response.context["form"]["answer"].value() == "decline"
