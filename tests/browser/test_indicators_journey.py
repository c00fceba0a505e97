"""The General Secretary gives a goal a further indicator on its form; its page lists both
indicators, on a desktop and on a phone; a head records progress with a value for each."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import GoalIndicator, ProgressUpdate
from tests.browser.conftest import assert_accessible
from tests.browser.test_meeting_papers_journey import person
from tests.factories import (
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    GoalIndicatorFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_goal_gets_a_further_indicator_and_progress_values_for_both(page, login):
    person("secretary", roles=[Role.GENERAL_SECRETARY])
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    head = person("head-prog", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    planning.head = head
    planning.save()
    drafted = GoalFactory(
        cycle=GoalCycleFactory(year=2027, open=True), directorate=planning, code="PROG-07"
    )
    monitored = GoalFactory(
        cycle=GoalCycleFactory(year=2026, phase="monitoring"),
        directorate=planning,
        code="PROG-01",
        status="adopted",
        indicator="Αιτήσεις που διεκπεραιώθηκαν",
    )
    further = GoalIndicatorFactory(goal=monitored, name="Ικανοποίηση πολιτών", weight=40)

    login("secretary")
    page.goto(f"/goals/{drafted.pk}/edit/")
    row = page.locator("fieldset.indicator-row").first
    expect(row.locator("legend")).to_have_text("Δείκτης μέτρησης 2")
    row.get_by_label("Δείκτης μέτρησης").fill("Ψηφιακές αιτήσεις")
    row.get_by_label("Μονάδα μέτρησης").fill("αιτήσεις")
    row.locator("select").first.select_option("increase")
    row.get_by_label("Τιμή βάσης").fill("0")
    row.get_by_label("Τιμή-στόχος").fill("200")
    row.get_by_label("Βαρύτητα").fill("100")
    assert_accessible(page)
    page.get_by_role("button", name="Αποθήκευση", exact=True).click()
    expect(page.locator("fieldset.indicator-row").first).to_contain_text("από 1 έως 99")
    assert_accessible(page)
    page.locator("fieldset.indicator-row").first.get_by_label("Βαρύτητα").fill("30")
    page.get_by_role("button", name="Αποθήκευση", exact=True).click()
    table = page.locator("section[aria-labelledby='indicators-heading']")
    expect(table).to_contain_text("Ψηφιακές αιτήσεις")
    expect(table).to_contain_text("70")  # the first indicator weighs the rest of 100
    assert GoalIndicator.objects.get(goal=drafted).weight == 30
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    assert_accessible(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login("head-prog")
    page.goto(f"/goals/{monitored.pk}/progress/")
    form = page.locator("form.progress-form")
    form.get_by_label("Αιτήσεις που διεκπεραιώθηκαν").fill("125")
    form.get_by_label("Ικανοποίηση πολιτών").fill("70")
    form.locator("[name='status']").select_option("on_track")
    assert_accessible(page)
    form.get_by_role("button", name="Καταχώριση").click()
    expect(page.locator("section[aria-labelledby='updates-heading']")).to_contain_text(
        "Ικανοποίηση πολιτών"
    )
    update = ProgressUpdate.objects.get(goal=monitored)
    assert update.indicator_values.get(indicator=further).value == Decimal(70)
    assert_accessible(page)
