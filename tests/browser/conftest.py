"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Each page visited can be checked with axe-core (`assert_accessible(page)`): WCAG 2.1 AA,
no violations allowed.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError

from tests.factories import totp_code

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What Chromium says when the document axe runs in is replaced by the next page.
NAVIGATED = re.compile(r"Execution context was destroyed|reading 'documentElement'|navigat")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/test, which installs it.")
    # Playwright's sync API runs an event loop; Django refuses ORM calls from async contexts.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="el-GR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in_with_password(page, username: str, password: str = "correct-horse-battery") -> None:
    """The first step of logging in only: the password form."""
    page.goto("/accounts/login/")
    page.get_by_label("Όνομα χρήστη ή e-mail").fill(username)
    page.get_by_label("Συνθηματικό").fill(password)
    page.get_by_role("button", name="Σύνδεση").click()


@pytest.fixture
def login(page):
    """Log in through the real forms: `login("secretary")`.

    A person with an authenticator app (`totp_device_for(user)`) is then asked for a code: the
    helper types the current one, as the person would read it from their phone. A person whose
    role requires two-factor authentication and who has no app yet is taken through the set-up
    (the code typed as the app would show it, the recovery codes page passed).
    """

    def do_login(username: str, password: str = "correct-horse-battery") -> None:
        log_in_with_password(page, username, password)
        page.wait_for_load_state()
        path = urlsplit(page.url).path
        if path.startswith(reverse("two_factor_setup")):
            device = TOTPDevice.objects.get(user__username=username, confirmed=False)
            page.get_by_label("Κωδικός").fill(totp_code(device))
            page.get_by_role("button", name="Ενεργοποίηση").click()
            page.get_by_role("link", name="Συνέχεια").click()
        elif path.startswith(reverse("two_factor_verify")):
            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            page.get_by_label("Κωδικός").fill(totp_code(device))
            page.get_by_role("button", name="Επιβεβαίωση").click()
        page.wait_for_load_state()

    return do_login


def assert_accessible(page) -> None:
    """Run axe-core on the page once it has loaded; fail with the rules and elements that break.

    A click on a link returns before the next page has arrived: axe run at that moment finds no
    document. The check waits for the page to load and, if a navigation still replaces the
    document under it, runs again on the page that arrived."""
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            break
        except PlaywrightError as error:
            if attempt == 2 or not NAVIGATED.search(str(error)):
                raise
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"Accessibility violations on {page.url}:\n{report}"


def html_problems(files: dict[str, str]) -> list[str]:
    """The Nu Html Checker's errors in the saved pages, `files` naming each path for the report."""
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `npm ci --no-audit --no-fund` (scripts/bootstrap.sh).")
    if not shutil.which("java"):
        pytest.fail("java is missing: install default-jre-headless (scripts/bootstrap.sh).")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *sorted(files)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"vnu line {m.get('lastLine', '?')}: {m['message']}"
        for m in messages
    ]
