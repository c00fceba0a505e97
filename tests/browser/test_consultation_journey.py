import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import Goal, Observation
from tests.browser.conftest import assert_accessible
from tests.factories import DirectorateFactory, GoalCycleFactory, GoalFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person(username: str, **kwargs):
    user = UserFactory(username=username, **kwargs)
    user.set_password("correct-horse-battery")
    user.save()
    return user


def log_out(page):
    page.context.clear_cookies()


def test_head_observes_and_the_secretary_answers_and_applies(page, login):
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού", name_en="Planning")
    cycle = GoalCycleFactory(year=2024, open=True)
    goal = GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-01",
        title="Απορρόφηση χρηματοδοτικών προγραμμάτων",
        target_kind="percentage",
        baseline=45,
        target=70,
        unit_of_measure="%",
    )
    person(
        "head-prog", first_name="Νικόλαος", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE]
    )
    person("secretary", first_name="Αργυρώ", roles=[Role.GENERAL_SECRETARY])

    # The head finds the goal and submits an observation proposing a lower target.
    login("head-prog")
    nav = page.get_by_role("navigation", name="Κύρια πλοήγηση")
    nav.get_by_role("link", name="Στόχοι", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Στόχοι 2024")
    assert_accessible(page)
    page.get_by_label("Αναζήτηση").fill("ΑΠΟΡΡΟΦΗΣΗ")
    page.get_by_role("button", name="Εμφάνιση").click()
    page.get_by_role("link", name="Απορρόφηση χρηματοδοτικών προγραμμάτων").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("PROG-01")
    assert_accessible(page)
    page.get_by_role("link", name="Υποβολή παρατήρησης").click()
    assert_accessible(page)
    page.get_by_label("Παρατήρηση").fill("Η απορρόφηση εξαρτάται από τη Διαχειριστική Αρχή.")
    page.get_by_label("Προτεινόμενη τιμή-στόχος").fill("60")
    page.get_by_role("button", name="Υποβολή").click()
    expect(page.get_by_role("status")).to_contain_text("υποβλήθηκε")
    assert_accessible(page)
    page.get_by_role("navigation", name="Κύρια πλοήγηση").get_by_role(
        "link", name="Διαβούλευση"
    ).click()
    expect(page.get_by_text("Αναμένει απάντηση")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # The General Secretary sees it waiting, accepts it and applies the change.
    login("secretary")
    page.get_by_role("navigation", name="Κύρια πλοήγηση").get_by_role(
        "link", name="Διαβούλευση"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="PROG-01 · Απορρόφηση χρηματοδοτικών προγραμμάτων").click()
    assert_accessible(page)
    page.get_by_label("Έγινε δεκτή", exact=True).check()
    page.get_by_label("Αιτιολόγηση απάντησης").fill("Δεκτό: ο στόχος γίνεται 60%.")
    page.get_by_label("Εφαρμογή της προτεινόμενης αλλαγής στον στόχο τώρα").check()
    page.get_by_role("button", name="Αποθήκευση απάντησης").click()
    expect(page.get_by_role("status")).to_contain_text("αποθηκεύτηκε")
    assert_accessible(page)

    page.get_by_role("link", name="PROG-01 · Απορρόφηση χρηματοδοτικών προγραμμάτων").click()
    expect(page.get_by_role("link", name="παρατήρηση")).to_be_visible()
    assert_accessible(page)
    goal.refresh_from_db()
    assert goal.target == 60
    assert Observation.objects.get().applied

    # The same pages pass in English.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="History of changes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Goals", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Goals 2024")
    assert_accessible(page)
    assert Goal.objects.count() == 1


def test_the_goal_list_fits_a_phone_screen(page, login):
    cycle = GoalCycleFactory(year=2024, open=True)
    GoalFactory.create_batch(3, cycle=cycle)
    person("secretary", roles=[Role.GENERAL_SECRETARY])
    page.set_viewport_size({"width": 375, "height": 740})
    login("secretary")
    for url in ("/goals/", f"/goals/{Goal.objects.first().pk}/", "/consultation/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} scrolls sideways on a phone"
