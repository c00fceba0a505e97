"""At year end the heads submit their goals' final values with evidence; the General Secretary
confirms or returns each; only a confirmed value (or one the GS enters) counts."""

import contextlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from goals.models import FinalValueEvidence, FinalValueSubmission, Goal, GoalEvaluation
from goals.services.cycles import open_evaluation
from goals.services.monitoring import evaluate_goal
from goals.services.yearend import (
    confirm_final_value,
    final_value_stamp,
    remove_evidence,
    return_final_value,
    save_final_value,
)
from goals.uploads import MAX_UPLOAD_BYTES
from tests.factories import GoalFactory, ProgressUpdateFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="evidence.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office(name: str, parts: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return SimpleUploadedFile(name, buffer.getvalue())


@contextlib.contextmanager
def refused(message: str):
    """A service's refusal, matched in English (a page visited before left Greek active)."""
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        yield


@pytest.fixture
def evaluating(adopted, secretary):
    open_evaluation(cycle=adopted.cycle, by=secretary)
    for item in (adopted.cycle, adopted.goal, adopted.other_goal, adopted.finance_goal):
        item.refresh_from_db()
    return adopted


def submit(goal, head, *, value="160", explanation="Μετρήθηκε από το μητρώο.", files=None, **kw):
    submission = FinalValueSubmission.objects.filter(goal=goal).first()
    return save_final_value(
        goal=goal,
        by=head,
        final_value=Decimal(value),
        explanation=explanation,
        files=[pdf()] if files is None else files,
        expected_stamp=kw.pop("stamp", final_value_stamp(submission)),
        submit=kw.pop("submit", True),
    )


def post_final_value(client, goal, *, submit="1", stamp="", files=None, **data):
    payload = {
        "final_value": "160",
        "explanation": "Από το μητρώο αιτήσεων.",
        "stamp": stamp,
        "submit": submit,
        **data,
    }
    if files is not None:
        payload["evidence"] = files
    return client.post(reverse("goals:final_value", args=[goal.pk]), payload)


# --- The head submits -----------------------------------------------------------------------------
def test_head_sees_the_goals_whose_final_values_to_submit(client_for, head_of_planning, evaluating):
    response = client_for(head_of_planning).get(reverse("goals:final_values"))
    assert response.status_code == 200
    codes = [goal.code for goal in response.context["goals"]]
    assert codes == ["PROG-01", "PROG-02"]  # not Finance's goal
    assert response.context["waiting"] == 2


def test_head_saves_a_draft_then_submits_it_with_a_pdf(
    client_for, head_of_planning, secretary, evaluating, django_capture_on_commit_callbacks
):
    client = client_for(head_of_planning)
    response = post_final_value(client, evaluating.goal, submit="0")
    assert response.status_code == 302
    submission = FinalValueSubmission.objects.get()
    assert submission.state == "draft"
    assert submission.final_value == Decimal(160)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_final_value(
            client,
            evaluating.goal,
            final_value="158",
            stamp=final_value_stamp(submission),
            files=[pdf()],
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert submission.final_value == Decimal(158)
    assert submission.submitted_by == head_of_planning
    evidence = submission.evidence.get()
    assert evidence.name == "evidence.pdf" and evidence.kind == "pdf"
    assert evidence.file.name.startswith("evidence/") and "evidence.pdf" not in evidence.file.name
    assert [m.to for m in mail.outbox] == [[secretary.email]]


def test_a_submitted_value_does_not_count_until_confirmed(head_of_planning, evaluating):
    ProgressUpdateFactory(goal=evaluating.goal, value=125)  # half way: 50%
    submit(evaluating.goal, head_of_planning, value="160")
    evaluating.goal.refresh_from_db()
    assert evaluating.goal.current_achievement == Decimal(50)
    assert not GoalEvaluation.objects.exists()


def test_submitting_needs_evidence(head_of_planning, evaluating):
    with refused("at least one file"):
        submit(evaluating.goal, head_of_planning, files=[])
    assert not FinalValueSubmission.objects.exists()


def test_submitting_needs_an_explanation(client_for, head_of_planning, evaluating):
    response = post_final_value(
        client_for(head_of_planning), evaluating.goal, explanation="  ", files=[pdf()]
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not FinalValueSubmission.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"),
        SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("broken.docx", b"PK\x03\x04 not really a zip"),
        SimpleUploadedFile("empty.png", b""),
    ],
    ids=["exe-named-pdf", "html", "broken-zip", "empty"],
)
def test_files_that_are_not_documents_are_refused_with_a_message(
    client_for, head_of_planning, evaluating, upload
):
    response = post_final_value(client_for(head_of_planning), evaluating.goal, files=[upload])
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert upload.name in str(form.errors) or not upload.size  # an empty file: Django's message
    assert not FinalValueEvidence.objects.exists()
    assert not FinalValueSubmission.objects.exists()


def test_a_file_over_10_mb_is_refused(head_of_planning, evaluating):
    big = pdf(content=PDF + b"0" * MAX_UPLOAD_BYTES)
    with refused("10 MB"):
        submit(evaluating.goal, head_of_planning, files=[big])


def test_pictures_and_office_documents_are_accepted(head_of_planning, evaluating):
    files = [
        SimpleUploadedFile("photo.png", PNG),
        SimpleUploadedFile("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        office("report.docx", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
        office("sheet.xlsx", {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}),
        office("notes.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"}),
    ]
    submission = submit(evaluating.goal, head_of_planning, files=files)
    assert sorted(submission.evidence.values_list("kind", flat=True)) == [
        "docx",
        "jpg",
        "odt",
        "png",
        "xlsx",
    ]


def test_a_submitted_value_can_no_longer_be_changed_by_the_head(
    client_for, head_of_planning, evaluating
):
    submission = submit(evaluating.goal, head_of_planning)
    response = client_for(head_of_planning).get(
        reverse("goals:final_value", args=[evaluating.goal.pk])
    )
    assert response.context["form"] is None
    with refused("General Secretary"):
        submit(evaluating.goal, head_of_planning, value="170")
    response = post_final_value(
        client_for(head_of_planning), evaluating.goal, stamp=final_value_stamp(submission)
    )
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.final_value == Decimal(160)


def test_head_removes_evidence_from_a_draft(
    client_for, head_of_planning, evaluating, django_capture_on_commit_callbacks
):
    submission = submit(evaluating.goal, head_of_planning, submit=False)
    evidence = submission.evidence.get()
    stored = evidence.file.name
    storage = evidence.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(head_of_planning).post(
            reverse("goals:evidence_remove", args=[evidence.pk]),
            {"stamp": final_value_stamp(submission)},
        )
    assert response.status_code == 302
    assert not FinalValueEvidence.objects.exists()
    assert not storage.exists(stored)


def test_evidence_of_a_submitted_value_is_not_removed(client_for, head_of_planning, evaluating):
    submission = submit(evaluating.goal, head_of_planning)
    evidence = submission.evidence.get()
    url = reverse("goals:evidence_remove", args=[evidence.pk])
    response = client_for(head_of_planning).post(url, {"stamp": final_value_stamp(submission)})
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        remove_evidence(
            evidence=evidence, by=head_of_planning, expected_stamp=final_value_stamp(submission)
        )
    assert FinalValueEvidence.objects.exists()


# --- Who may submit -------------------------------------------------------------------------------
def test_another_directorates_head_may_not_submit(client_for, head_of_finance, evaluating):
    response = post_final_value(client_for(head_of_finance), evaluating.goal, files=[pdf()])
    assert response.status_code == 403
    with refused("Only the head"):
        submit(evaluating.goal, head_of_finance)
    assert not FinalValueSubmission.objects.exists()


@pytest.mark.parametrize("person", ["secretary", "mayor", "staff", "head_of_department"])
def test_nobody_but_the_head_submits(request, client_for, head_of_planning, evaluating, person):
    user = request.getfixturevalue(person)
    response = post_final_value(client_for(user), evaluating.goal, files=[pdf()])
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        submit(evaluating.goal, user)
    assert not FinalValueSubmission.objects.exists()


def test_final_values_are_submitted_only_while_the_cycle_is_evaluated(
    client_for, head_of_planning, adopted
):
    assert adopted.cycle.phase == "allocation"
    response = post_final_value(client_for(head_of_planning), adopted.goal, files=[pdf()])
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        submit(adopted.goal, head_of_planning)


def test_the_list_is_for_heads_of_directorates(
    client_for, staff, secretary, head_of_planning, head_of_finance, evaluating
):
    assert client_for(staff).get(reverse("goals:final_values")).status_code == 403
    assert client_for(secretary).get(reverse("goals:final_values")).status_code == 403


# --- The General Secretary reviews ----------------------------------------------------------------
def review(client, submission, **data):
    payload = {"stamp": final_value_stamp(submission), **data}
    return client.post(reverse("goals:final_value_review", args=[submission.pk]), payload)


def test_secretary_confirms_and_the_value_counts(
    client_for, head_of_planning, secretary, evaluating, django_capture_on_commit_callbacks
):
    ProgressUpdateFactory(goal=evaluating.goal, value=125)
    submission = submit(evaluating.goal, head_of_planning, value="160")
    with django_capture_on_commit_callbacks(execute=True):
        response = review(client_for(secretary), submission, action="confirm")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "confirmed"
    assert submission.reviewed_by == secretary
    evaluation = GoalEvaluation.objects.get()
    assert evaluation.final_value == Decimal(160)
    assert evaluation.source == GoalEvaluation.Source.CONFIRMED
    assert evaluation.evaluated_by == secretary
    assert evaluation.justification == "Μετρήθηκε από το μητρώο."
    evaluating.goal.refresh_from_db()
    assert evaluating.goal.current_achievement == Decimal(120)
    assert [m.to for m in mail.outbox] == [[head_of_planning.email]]


def test_secretary_returns_with_a_reason_and_the_head_resubmits(
    client_for, head_of_planning, secretary, evaluating, django_capture_on_commit_callbacks
):
    submission = submit(evaluating.goal, head_of_planning, value="160")
    client = client_for(secretary)
    response = review(client, submission, action="return", reason="  ")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    submission.refresh_from_db()
    assert submission.state == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        response = review(client, submission, action="return", reason="Λείπει η βεβαίωση.")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "returned"
    assert submission.return_reason == "Λείπει η βεβαίωση."
    assert "Λείπει η βεβαίωση." in mail.outbox[0].body
    page = client_for(head_of_planning).get(reverse("goals:final_values"))
    assert "Λείπει η βεβαίωση." in page.content.decode()

    submission = submit(evaluating.goal, head_of_planning, value="155", files=[pdf("new.pdf")])
    assert submission.state == "submitted"
    assert submission.evidence.count() == 2
    review(client, submission, action="confirm")
    assert GoalEvaluation.objects.get().final_value == Decimal(155)
    states = list(
        submission.history.order_by("history_date", "history_id").values_list("state", flat=True)
    )
    assert states == ["submitted", "returned", "submitted", "confirmed"]


def test_returning_needs_a_reason_in_the_service(head_of_planning, secretary, evaluating):
    submission = submit(evaluating.goal, head_of_planning)
    with refused("why"):
        return_final_value(
            submission=submission,
            by=secretary,
            reason="",
            expected_stamp=final_value_stamp(submission),
        )


def test_a_value_changed_after_the_secretary_opened_it_is_not_confirmed(
    client_for, head_of_planning, secretary, evaluating
):
    submission = submit(evaluating.goal, head_of_planning, value="160")
    opened = final_value_stamp(submission)  # the GS opens the page here
    return_final_value(
        submission=submission, by=secretary, reason="Διόρθωση.", expected_stamp=opened
    )
    submit(evaluating.goal, head_of_planning, value="140", explanation="Διορθώθηκε.")
    response = client_for(secretary).post(
        reverse("goals:final_value_review", args=[submission.pk]),
        {"stamp": opened, "action": "confirm"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not GoalEvaluation.objects.exists()
    submission.refresh_from_db()
    assert submission.state == "submitted"


def test_a_stale_head_page_does_not_overwrite(head_of_planning, evaluating):
    first = submit(evaluating.goal, head_of_planning, submit=False)
    with refused("Someone else saved"):
        submit(evaluating.goal, head_of_planning, value="1", stamp="", submit=False)
    first.refresh_from_db()
    assert first.final_value == Decimal(160)


@pytest.mark.parametrize("person", ["mayor", "deputy", "head_of_planning"])
def test_only_the_secretary_confirms_or_returns(
    request, client_for, head_of_planning, evaluating, person
):
    submission = submit(evaluating.goal, head_of_planning)
    user = request.getfixturevalue(person)
    response = review(client_for(user), submission, action="confirm")
    assert response.status_code == 403
    with refused("Only the General Secretary"):
        confirm_final_value(
            submission=submission, by=user, expected_stamp=final_value_stamp(submission)
        )
    assert not GoalEvaluation.objects.exists()


def test_a_draft_is_not_confirmed(client_for, head_of_planning, secretary, evaluating):
    submission = submit(evaluating.goal, head_of_planning, submit=False)
    # A head's draft is not in the queue, nor its page.
    assert review(client_for(secretary), submission, action="confirm").status_code == 404
    with refused("Only a submitted"):
        confirm_final_value(
            submission=submission, by=secretary, expected_stamp=final_value_stamp(submission)
        )


def test_another_directorates_head_does_not_see_the_submission(
    client_for, head_of_planning, head_of_finance, evaluating
):
    submission = submit(evaluating.goal, head_of_planning)
    url = reverse("goals:final_value_review", args=[submission.pk])
    assert client_for(head_of_finance).get(url).status_code == 404
    assert client_for(head_of_planning).get(url).status_code == 403


def test_the_secretary_may_still_enter_a_value_directly(
    client_for, head_of_planning, secretary, evaluating
):
    submit(evaluating.goal, head_of_planning, value="160")
    evaluate_goal(
        goal=evaluating.goal,
        by=secretary,
        final_value=Decimal(150),
        justification="",
        expected_stamp="",
    )
    evaluation = GoalEvaluation.objects.get()
    assert evaluation.source == GoalEvaluation.Source.DIRECT
    page = client_for(secretary).get(reverse("goals:evaluation", args=[evaluating.cycle.pk]))
    with translation.override("el"):
        label = str(GoalEvaluation.Source.DIRECT.label)
    assert label in page.content.decode()


# --- The queue ------------------------------------------------------------------------------------
def test_queue_filters_by_directorate_and_state(
    client_for, head_of_planning, head_of_finance, secretary, evaluating
):
    mine = submit(evaluating.goal, head_of_planning)
    submit(evaluating.other_goal, head_of_planning, value="60", submit=False)
    submit(evaluating.finance_goal, head_of_finance)
    client = client_for(secretary)
    url = reverse("goals:final_value_queue")
    response = client.get(url)
    assert response.context["waiting"] == 2
    assert len(response.context["submissions"]) == 2  # the draft is the head's own still
    response = client.get(
        url, {"directorate": evaluating.goal.directorate_id, "state": "submitted"}
    )
    assert [s.pk for s in response.context["submissions"]] == [mine.pk]


def test_queue_is_for_the_oversight(client_for, head_of_planning, staff, mayor):
    assert client_for(head_of_planning).get(reverse("goals:final_value_queue")).status_code == 403
    assert client_for(staff).get(reverse("goals:final_value_queue")).status_code == 403
    assert client_for(mayor).get(reverse("goals:final_value_queue")).status_code == 200


# --- Evidence downloads ---------------------------------------------------------------------------
def test_evidence_is_served_to_those_who_follow_the_goal(
    client_for, head_of_planning, secretary, staff, evaluating
):
    submission = submit(evaluating.goal, head_of_planning)
    evidence = submission.evidence.get()
    url = reverse("goals:evidence", args=[evidence.pk])
    for user in (head_of_planning, secretary, staff):  # staff of Planning follow its goals
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF


def test_evidence_is_hidden_from_other_directorates_and_visitors(
    client, client_for, head_of_planning, head_of_finance, evaluating
):
    submission = submit(evaluating.goal, head_of_planning)
    evidence = submission.evidence.get()
    url = reverse("goals:evidence", args=[evidence.pk])
    assert client_for(head_of_finance).get(url).status_code == 404
    assert client.get(url).status_code == 302  # to the login page
    assert not evidence.file.url.startswith("/evidence/")  # no public address serves it


# --- Pages stay cheap -----------------------------------------------------------------------------
def _more_goals(evaluating, head, count=6):
    for index in range(count):
        goal = GoalFactory(
            cycle=evaluating.cycle,
            directorate=evaluating.goal.directorate,
            code=f"PROG-X{index}",
            status=Goal.Status.ADOPTED,
        )
        submit(goal, head, files=[pdf(), pdf("b.pdf")], submit=index % 2 == 0)


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("head_of_planning", "goals:final_values"),
        ("secretary", "goals:final_value_queue"),
        ("secretary", "goals:evaluation"),
    ],
)
def test_year_end_pages_run_a_fixed_number_of_queries(
    request, client_for, head_of_planning, evaluating, django_assert_num_queries, who, url_name
):
    client = client_for(request.getfixturevalue(who))
    url = reverse(url_name, args=[evaluating.cycle.pk] if url_name == "goals:evaluation" else [])
    submit(evaluating.goal, head_of_planning)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more_goals(evaluating, head_of_planning)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_review_and_head_pages_run_a_fixed_number_of_queries(
    client_for, head_of_planning, secretary, evaluating, django_assert_num_queries
):
    submission = submit(evaluating.goal, head_of_planning, submit=False)
    pages = [
        (client_for(secretary), reverse("goals:final_value_review", args=[submission.pk])),
        (client_for(head_of_planning), reverse("goals:final_value", args=[evaluating.goal.pk])),
    ]
    counts = []
    for client, url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    for index in range(4):
        submission = submit(
            evaluating.goal, head_of_planning, files=[pdf(f"{index}.pdf")], submit=False
        )
    for (client, url), count in zip(pages, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)


def test_the_cycle_is_not_closed_while_a_submitted_value_awaits_review(
    head_of_planning, secretary, evaluating
):
    from goals.services.cycles import close_cycle

    submission = submit(evaluating.goal, head_of_planning)
    for goal in (evaluating.goal, evaluating.other_goal, evaluating.finance_goal):
        evaluate_goal(
            goal=goal,
            by=secretary,
            final_value=Decimal(200),
            justification="Από το μητρώο.",
            expected_stamp="",
        )
    with refused("awaits confirmation"):
        close_cycle(cycle=evaluating.cycle, by=secretary)
    confirm_final_value(
        submission=submission, by=secretary, expected_stamp=final_value_stamp(submission)
    )
    assert close_cycle(cycle=evaluating.cycle, by=secretary).phase == "closed"
