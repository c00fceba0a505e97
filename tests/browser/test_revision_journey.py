"""The General Secretary revises the year's goals by an amendment outside the revision window
(with the override), the Mayor signs it and it is posted on Diavgeia: a goal withdrawn, one
added, one changed (its category, a further indicator's target, and a further indicator added,
after the weights were refused)."""

import datetime

import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import Goal, GoalIndicator, MayoralDecision
from tests.browser.conftest import assert_accessible, html_problems
from tests.factories import (
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    GoalIndicatorFactory,
    UserFactory,
    issued_adoption,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person(username: str, **kwargs):
    user = UserFactory(username=username, **kwargs)
    user.set_password("correct-horse-battery")
    user.save()
    return user


def test_the_secretary_withdraws_adds_and_changes_goals_and_the_mayor_signs_it(
    page, login, tmp_path
):
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού", name_en="Planning")
    cycle = GoalCycleFactory(year=2024, phase="consultation")
    kept = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01", title="Απορρόφηση")
    satisfaction = GoalIndicatorFactory(goal=kept, name="Ικανοποίηση πολιτών", weight=40)
    withdrawn = GoalFactory(cycle=cycle, directorate=planning, code="PROG-02", title="Αρχείο")
    mayor = person("mayor", first_name="Αλέξης", roles=[Role.MAYOR])
    adoption = issued_adoption(cycle=cycle, goals=[kept, withdrawn], mayor=mayor)
    cycle.refresh_from_db()
    cycle.revision_opens_on = datetime.date(2024, 6, 1)
    cycle.revision_closes_on = datetime.date(2024, 6, 30)
    cycle.save()
    added = GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-09",
        title="Κυβερνοασφάλεια",
        status="accepted",
    )
    person("secretary", first_name="Αργυρώ", roles=[Role.GENERAL_SECRETARY])

    login("secretary")
    page.goto(adoption.get_absolute_url())
    page.get_by_role("button", name="Σύνταξη τροποποίησης").click()
    expect(page.get_by_role("status")).to_contain_text("συντάχθηκε")
    assert_accessible(page)
    draft_url = page.url

    # Withdraw PROG-02, giving the reason (refused without one).
    page.get_by_label("Εγκεκριμένος στόχος").select_option(label=str(withdrawn))
    page.get_by_role("button", name="Απόσυρση αυτού του στόχου").click()
    page.get_by_role("button", name="Απόσυρση του στόχου").click()
    expect(
        page.get_by_text("Συμπληρώστε την αιτία της απόσυρσης του στόχου.").first
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Αιτία της απόσυρσης").fill("Καταργήθηκε η υπηρεσία.")
    page.get_by_role("button", name="Απόσυρση του στόχου").click()
    expect(page.get_by_role("status")).to_contain_text("αποσύρει τον στόχο PROG-02")

    # Add PROG-09, written during the year.
    page.get_by_role("link", name="Προσθήκη στόχου που καταχωρίστηκε").click()
    assert_accessible(page)
    page.get_by_label("Στόχος που προστίθεται").select_option(label=str(added))
    page.get_by_label("Αιτία της προσθήκης").fill("Νέα προτεραιότητα.")
    page.get_by_role("button", name="Προσθήκη του στόχου").click()
    expect(page.get_by_role("status")).to_contain_text("προσθέτει τον στόχο PROG-09")

    # Change PROG-01's category.
    page.get_by_label("Εγκεκριμένος στόχος").select_option(label=str(kept))
    page.get_by_role("button", name="Τροποποίηση αυτού του στόχου").click()
    assert_accessible(page)
    page.get_by_label("Κατηγορία").select_option(label="Γνώσεις, δεξιότητες και ικανότητες")
    page.get_by_label("Αιτία της αλλαγής").fill("Πρόκειται για εκπαίδευση.")
    # Its further indicator's target rises, and a second one is added: too heavy at first.
    page.locator('[name="indicators-0-target"]').fill("95")
    page.locator('[name="indicators-1-name"]').fill("Ψηφιακές αιτήσεις")
    page.locator('[name="indicators-1-target_kind"]').select_option("increase")
    page.locator('[name="indicators-1-target"]').fill("500")
    page.locator('[name="indicators-1-weight"]').fill("70")
    page.get_by_role("button", name="Αποθήκευση της αλλαγής").click()
    expect(page.get_by_text("αθροίζουν 100").first).to_be_visible()
    assert_accessible(page)
    refused = tmp_path / "refused.html"
    refused.write_text(page.content(), encoding="utf-8")
    refused_url = page.url
    page.locator('[name="indicators-1-weight"]').fill("20")
    page.get_by_role("button", name="Αποθήκευση της αλλαγής").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(
        page.get_by_text("Προστίθεται ο πρόσθετος δείκτης μέτρησης «Ψηφιακές αιτήσεις»")
    ).to_be_visible()
    assert_accessible(page)
    document = tmp_path / "document.html"
    document.write_text(page.content(), encoding="utf-8")
    assert html_problems({str(refused): refused_url, str(document): page.url}) == []

    # The amendment will be dated in July: outside the window, so the override is recorded.
    page.get_by_role("link", name="Παρέκκλιση από το διάστημα αναθεώρησης").click()
    assert_accessible(page)
    page.get_by_label("Αιτία της παρέκκλισης").fill("Καθυστέρησε η εγκύκλιος.")
    page.get_by_role("button", name="Καταγραφή της παρέκκλισης").click()
    expect(page.get_by_role("status")).to_contain_text("καταγράφηκε")
    expect(page.get_by_role("heading", name="Στόχοι που αποσύρονται")).to_be_visible()
    expect(page.get_by_role("heading", name="Στόχοι που προστίθενται")).to_be_visible()
    expect(page.get_by_role("heading", name="Στόχοι που τροποποιούνται")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    # The Mayor signs it; the General Secretary records its posting on Diavgeia: in force.
    login("mayor")
    page.goto(draft_url)
    page.get_by_role("link", name="Υπογραφή της απόφασης").click()
    page.get_by_label("Αριθμός απόφασης").fill("412")
    page.get_by_label("Αριθμός πρωτοκόλλου").fill("28377")
    page.get_by_label("Ημερομηνία").fill("2024-07-18")
    page.get_by_role("button", name="Καταχώριση υπογραφής").click()
    expect(page.get_by_role("status")).to_contain_text("Η απόφαση υπογράφηκε")
    assert_accessible(page)
    page.context.clear_cookies()

    login("secretary")
    page.goto(draft_url)
    page.get_by_role("link", name="Καταχώριση της ανάρτησης στη Διαύγεια").click()
    page.get_by_label("ΑΔΑ (Διαύγεια)").fill("6ΡΛ4ΩΗΓ-Ξ7Β")
    page.get_by_label("Ημερομηνία ανάρτησης").fill("2024-07-20")
    page.get_by_role("button", name="Καταχώριση ανάρτησης").click()
    expect(page.get_by_role("status")).to_contain_text("αναρτήθηκε στη Διαύγεια")
    assert_accessible(page)

    amendment = MayoralDecision.objects.get(kind="amendment")
    assert amendment.window_override_reason == "Καθυστέρησε η εγκύκλιος."
    assert Goal.objects.get(pk=withdrawn.pk).status == "withdrawn"
    assert Goal.objects.get(pk=added.pk).status == "adopted"
    assert Goal.objects.get(pk=kept.pk).category == "skills"
    indicators = GoalIndicator.objects.filter(goal=kept).order_by("order")
    assert [(i.name, i.target, i.weight) for i in indicators] == [
        (satisfaction.name, 95, 40),
        ("Ψηφιακές αιτήσεις", 500, 20),
    ]

    # The withdrawn goal's page says so.
    page.goto(withdrawn.get_absolute_url())
    expect(page.get_by_role("note")).to_contain_text("Καταργήθηκε η υπηρεσία.")
    assert_accessible(page)
