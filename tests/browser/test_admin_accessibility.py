"""Django admin's own pages, checked with axe-core like the application's.

Admin is Django's, not ours: what it breaks and we cannot mend without rewriting its templates
is listed once, in ADMIN_EXCEPTIONS, with the reason. Any other violation fails, and so does an
exception no page needs any more (so that the list stays true).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from directorates.roles import Role
from tests.browser.conftest import AXE_TAGS
from tests.factories import GoalCycleFactory, GoalFactory, UserFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# axe rule → why Django admin's pages break it and why we leave it. Empty since the autocomplete
# widgets are named (static/js/admin-autocomplete-labels.js, loaded by admin/base_site.html).
ADMIN_EXCEPTIONS: dict[str, str] = {}


def admin_pages(goal) -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:goals_goal_changelist"),
        reverse("admin:goals_goal_change", args=[goal.pk]),
        reverse("admin:goals_goal_add"),
        reverse("admin:directorates_user_changelist"),
        reverse("admin:directorates_directorate_add"),
    ]


def test_django_admin_passes_axe_but_for_the_listed_exceptions(page, login):
    admin = UserFactory(
        username="admin", is_staff=True, is_superuser=True, roles=[Role.ADMINISTRATOR]
    )
    admin.set_password("correct-horse-battery")
    admin.save()
    totp_device_for(admin)
    goal = GoalFactory(cycle=GoalCycleFactory(year=2027))

    login("admin")
    found: dict[str, set[str]] = {}
    unexpected = []
    for path in [*admin_pages(goal), "open autocomplete"]:
        if path == "open autocomplete":  # a goal's directorate, its list of choices open
            page.goto(reverse("admin:goals_goal_add"))
            page.locator("#id_directorate + .select2 .select2-selection").click()
            page.locator(".select2-results__option:not(.loading-results)").first.wait_for()
        else:
            response = page.goto(path)
            assert response.status == 200, path
        results = _run_axe(page)
        for violation in results["violations"]:
            targets = "; ".join(
                f"{node['target'][0]} [{node.get('failureSummary', '')}]"
                for node in violation["nodes"][:5]
            )
            found.setdefault(violation["id"], set()).add(path)
            if violation["id"] not in ADMIN_EXCEPTIONS:
                unexpected.append(f"{path}: {violation['id']} ({violation['help']}): {targets}")

    assert not unexpected, "\n".join(unexpected)
    stale = set(ADMIN_EXCEPTIONS) - set(found)
    assert not stale, f"exceptions no admin page needs any more: {sorted(stale)}"


def _run_axe(page) -> dict:
    return Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
