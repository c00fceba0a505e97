"""What axe does not see: where the keyboard focus is and whether it can be seen.

A head of directorate tabs into the dark navigation bar (the focus outline must stand out from
the bar by 3:1, WCAG 1.4.11), then submits two different forms with mistakes: each time the
page's title starts with "Σφάλμα:", the error summary at the top has the focus, and its links
take the focus to the fields.
"""

import re

import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from tests.browser.conftest import assert_accessible, html_problems
from tests.factories import DirectorateFactory, GoalCycleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_STYLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  let bar = element;
  while (bar && getComputedStyle(bar).backgroundColor.match(/rgba\\(0, 0, 0, 0\\)|transparent/)) {
    bar = bar.parentElement;
  }
  return {
    inNavbar: !!element.closest(".navbar"),
    text: element.textContent.trim(),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    background: bar ? getComputedStyle(bar).backgroundColor : "rgb(255, 255, 255)",
  };
}"""


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(css_colour: str) -> float:
    """The relative luminance of an `rgb(r, g, b)` or `rgba(...)` colour, as WCAG defines it."""
    inside = css_colour[css_colour.index("(") + 1 : css_colour.index(")")]
    red, green, blue = (float(part) for part in inside.split(",")[:3])
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_error_page(page, expected_fields: set[str], tmp_path) -> None:
    """The page after a failed submission: title, focused summary, links to the fields, valid
    HTML (the every-page walk sees no page in its error state)."""
    expect(page).to_have_title(re.compile(r"^Σφάλμα: "))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    targets = [href.removeprefix("#") for href in summary.locator("a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )]  # fmt: skip
    assert expected_fields <= set(targets), targets
    for target in targets:
        assert page.locator(f"[id='{target}']").count() == 1, target
    # A link takes the keyboard focus to its field.
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == targets[0]
    assert_accessible(page)
    saved = tmp_path / "failed.html"
    saved.write_text(page.content(), encoding="utf-8")
    assert html_problems({str(saved): page.url}) == []


def test_focus_is_visible_on_the_navigation_and_failed_forms_say_so(page, login, tmp_path):
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    head = UserFactory(username="head-prog", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    head.set_password("correct-horse-battery")
    head.save()
    planning.head = head
    planning.save()
    GoalCycleFactory(year=2027, phase="drafting")  # a head may propose goals

    login("head-prog")
    assert_accessible(page)

    # Tab from the top of the page into the menu: every stop on the dark bar shows an outline
    # that stands out from the bar.
    page.keyboard.press("Tab")  # the skip link, on a white box of its own
    stops = []
    for _stop in range(4):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED_STYLE))
    assert all(stop["inNavbar"] for stop in stops), stops
    assert "Στόχοι" in [stop["text"] for stop in stops]
    for stop in stops:
        assert stop["outlineStyle"] != "none" and stop["outlineWidth"] >= 2, stop
        ratio = contrast(stop["outlineColor"], stop["background"])
        assert ratio >= 3, f"{stop['text']}: outline {ratio:.2f}:1 against the bar"

    # A goal proposed without its title, indicator or deadline.
    page.goto("/goals/new/")
    page.get_by_label("Τίτλος").fill("")
    page.get_by_role("button", name="Αποθήκευση").click()
    page.wait_for_load_state()
    check_error_page(page, {"id_title", "id_indicator", "id_deadline"}, tmp_path)

    # The password change, with the wrong current password and a short new one.
    page.goto("/accounts/password_change/")
    page.get_by_label("Παλιό συνθηματικό").fill("not-my-password")
    page.locator("#id_new_password1").fill("short")
    page.get_by_label("Επιβεβαίωση νέου συνθηματικού").fill("short")
    page.get_by_role("main").get_by_role("button", name="Αλλαγή συνθηματικού").click()
    page.wait_for_load_state()
    check_error_page(page, {"id_old_password"}, tmp_path)
