import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import Allocation, AllocationAct, Goal, MayoralDecision
from tests.browser.conftest import assert_accessible, html_problems
from tests.factories import (
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person(username: str, **kwargs):
    user = UserFactory(username=username, **kwargs)
    user.set_password("correct-horse-battery")
    user.save()
    return user


def fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_mayor_signs_the_decision_it_is_posted_and_a_head_allocates_a_goal(
    page, login, tmp_path
):
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού", name_en="Planning")
    DepartmentFactory(directorate=planning, code="PROG-ORG", name="Τμήμα Οργάνωσης", order=1)
    DepartmentFactory(directorate=planning, code="PROG-EUR", name="Τμήμα Ευρωπαϊκών", order=2)
    cycle = GoalCycleFactory(year=2024, phase="consultation")
    goal = GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-01",
        title="Απορρόφηση χρηματοδοτικών προγραμμάτων",
        target_kind="percentage",
        baseline=45,
        target=70,
    )
    person("secretary", first_name="Αργυρώ", roles=[Role.GENERAL_SECRETARY])
    mayor = person("mayor", first_name="Αλέξης", roles=[Role.MAYOR])
    head = person("head-prog", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    planning.head = head
    planning.save()
    nav = page.get_by_role("navigation", name="Κύρια πλοήγηση")

    # The General Secretary prepares the draft from the cycle's goals.
    login("secretary")
    nav.get_by_role("link", name="Αποφάσεις").click()
    assert_accessible(page)
    page.get_by_role("button", name="Σύνταξη της απόφασης έγκρισης των στόχων του 2024").click()
    expect(page.get_by_role("status")).to_contain_text("συντάχθηκε")
    goal_link = page.get_by_role("link", name="PROG-01 · Απορρόφηση χρηματοδοτικών προγραμμάτων")
    expect(goal_link).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    # The Mayor signs it: its number, protocol number and date; no ΑΔΑ yet, nothing in force.
    login("mayor")
    nav.get_by_role("link", name="Αποφάσεις").click()
    page.get_by_role("link", name="σχέδιο").click()
    page.get_by_role("link", name="Υπογραφή της απόφασης").click()
    assert_accessible(page)
    expect(page.get_by_label("Υπογράφει")).to_have_value(str(mayor.pk))
    page.get_by_label("Αριθμός απόφασης").fill("118")
    page.get_by_label("Αριθμός πρωτοκόλλου").fill("6.842")
    page.get_by_label("Ημερομηνία").fill("2024-02-27")
    page.get_by_role("button", name="Καταχώριση υπογραφής").click()
    expect(page.get_by_role("status")).to_contain_text("Η απόφαση υπογράφηκε")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Απόφαση 118/2024")
    expect(page.locator(".decision-document")).not_to_contain_text("ΑΔΑ")
    assert_accessible(page)
    goal.refresh_from_db()
    assert goal.status != Goal.Status.ADOPTED
    page.context.clear_cookies()

    # The General Secretary's office posts it on Diavgeia and records the ΑΔΑ: it is in force.
    login("secretary")
    nav.get_by_role("link", name="Αποφάσεις").click()
    assert_accessible(page)
    page.get_by_role("link", name="118").click()
    page.get_by_role("link", name="Καταχώριση της ανάρτησης στη Διαύγεια").click()
    assert_accessible(page)
    page.get_by_label("ΑΔΑ (Διαύγεια)").fill("ψ4κσωηγ-3ξλ")
    page.get_by_label("Ημερομηνία ανάρτησης").fill("2024-02-28")
    page.get_by_role("button", name="Καταχώριση ανάρτησης").click()
    expect(page.get_by_role("status")).to_contain_text("αναρτήθηκε στη Διαύγεια")
    expect(page.locator(".decision-document")).to_contain_text("Ψ4ΚΣΩΗΓ-3ΞΛ")
    assert_accessible(page)
    fits_a_phone(page)
    decision = MayoralDecision.objects.get()
    assert decision.ada == "Ψ4ΚΣΩΗΓ-3ΞΛ"
    assert decision.status == MayoralDecision.Status.POSTED
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ADOPTED
    page.goto("/")
    assert_accessible(page)
    page.context.clear_cookies()

    # The head sees what to do next and allocates the goal to two departments.
    login("head-prog")
    expect(page.get_by_role("heading", name="Τι έχετε να κάνετε")).to_be_visible()
    assert_accessible(page)
    nav.get_by_role("link", name="Επιμερισμός").click()
    assert_accessible(page)
    page.get_by_role("link", name="Επιμερισμός PROG-01").click()
    assert_accessible(page)
    page.locator('[name="form-0-department"]').select_option(label="Τμήμα Οργάνωσης")
    # Each department goal starts from the goal's title and indicator; the head words it.
    expect(page.locator('[name="form-0-title"]')).to_have_value(
        "Απορρόφηση χρηματοδοτικών προγραμμάτων"
    )
    page.locator('[name="form-0-title"]').fill("Ωρίμανση προτάσεων για χρηματοδότηση")
    page.locator('[name="form-0-target"]').fill("75")
    page.locator('[name="form-0-deadline"]').fill("2024-12-31")
    page.locator('[name="form-0-share"]').fill("70")
    page.locator('[name="form-1-department"]').select_option(label="Τμήμα Ευρωπαϊκών")
    page.locator('[name="form-1-target"]').fill("60")
    page.locator('[name="form-1-deadline"]').fill("2024-12-31")
    page.locator('[name="form-1-share"]').fill("20")
    page.get_by_role("button", name="Αποθήκευση του επιμερισμού").click()
    expect(page.get_by_role("alert")).to_contain_text("πρέπει να αθροίζουν 100%")
    assert not Allocation.objects.exists()
    page.locator('[name="form-1-share"]').fill("30")
    page.get_by_role("button", name="Αποθήκευση του επιμερισμού").click()
    expect(page.get_by_role("status")).to_contain_text("αποθηκεύτηκε")
    assert_accessible(page)
    fits_a_phone(page)
    assert sorted(Allocation.objects.values_list("share", flat=True)) == [30, 70]
    assert Allocation.objects.get(share=70).title == "Ωρίμανση προτάσεων για χρηματοδότηση"

    # The head issues the allocation act: a draft with no protocol number, then issued.
    page.get_by_role(
        "link", name="Πράξεις εξειδίκευσης και επιμερισμού · Διεύθυνση Προγραμματισμού"
    ).click()
    assert_accessible(page)
    page.get_by_role("button", name="Σύνταξη της πράξης εξειδίκευσης και επιμερισμού").click()
    document = page.locator(".allocation-act-document")
    expect(document).to_contain_text("ΣΧΕΔΙΟ")
    expect(document).to_contain_text("Ωρίμανση προτάσεων για χρηματοδότηση")
    assert_accessible(page)
    page.get_by_label("Αριθμός πρωτοκόλλου").fill("7.015")
    page.get_by_label("Ημερομηνία").fill("2024-03-05")
    page.get_by_role("button", name="Έκδοση της πράξης").click()
    expect(page.get_by_role("status")).to_contain_text("εκδόθηκε")
    expect(document).to_contain_text("7015")
    expect(document).to_contain_text("5 Μαρτίου 2024")
    expect(document).not_to_contain_text("ΣΧΕΔΙΟ")
    assert_accessible(page)
    fits_a_phone(page)
    saved = tmp_path / "act.html"
    saved.write_text(page.content(), encoding="utf-8")
    assert html_problems({str(saved): page.url}) == []
    assert AllocationAct.objects.get().protocol_number == "7015"

    # The department's page lists its department goal.
    page.goto("/organisation/departments/PROG-ORG/")
    expect(page.get_by_role("heading", name="Στόχοι Τμημάτων")).to_be_visible()
    expect(page.get_by_text("Ωρίμανση προτάσεων για χρηματοδότηση")).to_be_visible()
    assert_accessible(page)
    fits_a_phone(page)
