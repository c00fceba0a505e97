"""A head submits a goal's final value with a PDF in evidence; the General Secretary returns it
with a reason; the head corrects it and submits it again; the General Secretary confirms it and
the goal's achievement counts it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import FinalValueSubmission, GoalEvaluation
from tests.browser.conftest import assert_accessible
from tests.browser.test_meeting_papers_journey import person
from tests.factories import DirectorateFactory, GoalCycleFactory, GoalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_final_value_is_returned_corrected_and_confirmed(page, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person("secretary", roles=[Role.GENERAL_SECRETARY])
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    head = person("head-prog", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    planning.head = head
    planning.save()
    cycle = GoalCycleFactory(year=2024, phase="evaluation")
    goal = GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-04",
        status="adopted",
        baseline=100,
        target=150,
    )

    # The head submits 140 with the certificate in evidence.
    login("head-prog")
    page.get_by_role("link", name="Τελικές τιμές").click()
    assert_accessible(page)
    page.get_by_role("link", name="Υποβολή PROG-04").click()
    page.get_by_label("Τελική τιμή").fill("140")
    page.get_by_label("Αιτιολόγηση").fill("Από το μητρώο αιτήσεων. Έλειψε προσωπικό.")
    page.get_by_label("Τεκμήρια", exact=True).set_input_files(
        {"name": "vevaiosi.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert_accessible(page)
    page.get_by_role("button", name="Υποβολή για επιβεβαίωση").click()
    expect(page.get_by_text("Η τελική τιμή του PROG-04 υποβλήθηκε")).to_be_visible()
    assert FinalValueSubmission.objects.get().state == "submitted"
    assert not GoalEvaluation.objects.exists()

    # The General Secretary returns it, saying why.
    page.context.clear_cookies()
    login("secretary")
    page.get_by_role("link", name="Τελικές τιμές").click()
    assert_accessible(page)
    page.get_by_role("link", name="PROG-04").click()
    expect(page.get_by_role("link", name="vevaiosi.pdf")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Αιτία επιστροφής").fill("Η βεβαίωση γράφει 160 αιτήσεις.")
    page.get_by_role("button", name="Επιστροφή στον/στην Προϊστάμενο/η").click()
    expect(page.get_by_text("Η τελική τιμή του PROG-04 επιστράφηκε")).to_be_visible()

    # The head reads the reason, corrects the value and submits it again.
    page.context.clear_cookies()
    login("head-prog")
    page.get_by_role("link", name="Τελικές τιμές").click()
    expect(page.get_by_text("Η βεβαίωση γράφει 160 αιτήσεις.")).to_be_visible()
    page.get_by_role("link", name="Υποβολή PROG-04").click()
    expect(page.get_by_role("status")).to_contain_text("Η βεβαίωση γράφει 160 αιτήσεις.")
    assert_accessible(page)
    page.get_by_label("Τελική τιμή").fill("160")
    page.get_by_label("Αιτιολόγηση").fill("Από το μητρώο αιτήσεων, όπως η βεβαίωση.")
    page.get_by_role("button", name="Υποβολή για επιβεβαίωση").click()
    expect(page.get_by_text("Η τελική τιμή του PROG-04 υποβλήθηκε")).to_be_visible()

    # The General Secretary confirms it: the goal reaches 120%.
    page.context.clear_cookies()
    login("secretary")
    page.get_by_role("link", name="Τελικές τιμές").click()
    page.get_by_role("link", name="PROG-04").click()
    page.get_by_role("button", name="Επιβεβαίωση της τιμής").click()
    expect(page.get_by_text("Η τελική τιμή του PROG-04 επιβεβαιώθηκε")).to_be_visible()
    assert_accessible(page)
    goal.refresh_from_db()
    assert goal.current_achievement == Decimal(120)
    assert GoalEvaluation.objects.get().source == GoalEvaluation.Source.CONFIRMED
    page.get_by_role("link", name="Αξιολόγηση 2024").click()
    expect(page.get_by_role("row", name="PROG-04")).to_contain_text("120")
    assert_accessible(page)
