"""One visibility rule for the pages and the files: only published cycles, only what the Mayor's
decision adopted, no personal data beyond the heads' names; and the files hold nothing the pages
do not show."""

import csv
import datetime
import io
import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.translation import override

from goals.models import Goal, MayoralDecision
from goals.services.cycles import withdraw_cycle
from tests.factories import (
    GoalCycleFactory,
    GoalFactory,
    MayoralDecisionFactory,
    ObservationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FILES = ("portal:goals_csv", "portal:values_csv", "portal:cycle_json")
PAGES = ("portal:cycle",)


class Shown(HTMLParser):
    """What a page shows: its text, the machine-readable values of <data> and <time>, links."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.values: set[str] = set()
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "data":
            self.values.add(attrs["value"])
        elif tag == "time":
            self.values.add(attrs["datetime"])
        elif tag == "a" and attrs.get("href"):
            self.links.add(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def shown_on(client, urls: list[str]) -> Shown:
    shown = Shown()
    for language in ("el", "en"):
        client.cookies["django_language"] = language
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            shown.feed(response.content.decode())
    return shown


def is_shown(value, shown: Shown) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        raise AssertionError("no booleans in the files")
    if isinstance(value, int | float):
        number = Decimal(str(value))
        return any(_same_number(number, v) for v in shown.values) or str(value) in shown.all_text
    if value.startswith("http"):
        return value in shown.links
    if value in shown.values:
        return True
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return " ".join(value.split()) in shown.all_text
    return any(_same_moment(moment, v) for v in shown.values)


def _same_number(number: Decimal, text: str) -> bool:
    try:
        return Decimal(text) == number
    except ArithmeticError:
        return False


def _same_moment(moment: datetime.datetime, text: str) -> bool:
    try:
        return datetime.datetime.fromisoformat(text) == moment
    except ValueError:
        return False


def labelled(field: str, code: str) -> str:
    """The files write codes where the pages write their labels."""
    choices = {
        "category": Goal.Category,
        "target_kind": Goal.TargetKind,
        "kind": MayoralDecision.Kind,
    }
    return str(choices[field](code).label) if field in choices else code


def leaves(document, field: str = ""):
    if isinstance(document, dict):
        for key, value in document.items():
            yield from leaves(value, key)
    elif isinstance(document, list):
        for item in document:
            yield from leaves(item, field)
    else:
        yield field, document


def test_the_files_hold_nothing_the_pages_do_not_show(published, client_for):
    client = client_for(None)
    document = json.loads(client.get(reverse("portal:cycle_json", args=[2024])).content)
    urls = [
        reverse("portal:index"),
        reverse("portal:open_data"),
        reverse("portal:cycle", args=[2024]),
        *(reverse("portal:goal", args=[2024, g["goal_code"]]) for g in document["goals"]),
    ]
    shown = shown_on(client, urls)
    rows = []
    for name in ("portal:goals_csv", "portal:values_csv"):
        body = client.get(reverse(name, args=[2024])).content.decode("utf-8-sig")
        rows += [(f, v) for row in csv.DictReader(io.StringIO(body)) for f, v in row.items()]

    missing = []
    for field, value in [*leaves(document), *rows]:
        if field in ("category", "target_kind", "kind", "phase") and value:
            value = labelled(field, value) if field != "phase" else value
            if field == "phase":
                with override("en"):
                    value = str(published.cycle.get_phase_display())
        if isinstance(value, str) and field not in ("goal_code", "month", "ada"):
            value = _number_or_text(value)
        if not is_shown(value, shown):
            missing.append((field, value))

    assert missing == []
    assert len(document["goals"]) == 3 and len(document["decisions"]) == 1


def _number_or_text(value: str):
    """A CSV cell holding a number is compared as a number."""
    try:
        return (
            int(value) if value.lstrip("-").isdigit() else float(value) if "." in value else value
        )
    except ValueError:
        return value


def test_unpublished_cycles_are_nowhere(adopted, client_for):
    client = client_for(None)

    for name in (*PAGES, *FILES):
        assert client.get(reverse(name, args=[2024])).status_code == 404
    goal_page = reverse("portal:goal", args=[2024, adopted.goal.code])
    assert client.get(goal_page).status_code == 404
    assert "2024" not in client.get(reverse("portal:index")).content.decode()
    assert json.loads(client.get(reverse("portal:catalogue")).content)["dcat:dataset"] == []


def test_withdrawn_cycles_are_nowhere(published, secretary, client_for):
    withdraw_cycle(cycle=published.cycle, by=secretary)
    client = client_for(None)

    for name in (*PAGES, *FILES):
        assert client.get(reverse(name, args=[2024])).status_code == 404
    assert "2024" not in client.get(reverse("portal:open_data")).content.decode()


def test_only_adopted_goals_and_issued_decisions_are_public(published, planning, client_for):
    GoalFactory(cycle=published.cycle, directorate=planning, code="PROG-77", status="rejected")
    GoalFactory(cycle=published.cycle, directorate=planning, code="PROG-78", status="withdrawn")
    MayoralDecisionFactory(
        cycle=published.cycle,
        kind="amendment",
        amends=published.decision,
        subject="Σχέδιο τροποποίησης που δεν εκδόθηκε",
    )
    client = client_for(None)

    everything = _everything(client, published)

    assert "PROG-77" not in everything and "PROG-78" not in everything
    assert "Σχέδιο τροποποίησης" not in everything
    assert client.get(reverse("portal:goal", args=[2024, "PROG-77"])).status_code == 404


def test_no_observation_minutes_comment_or_person_other_than_the_heads(
    published, planning, head_of_planning, client_for
):
    from meetings.models import Minutes
    from tests.factories import MeetingFactory

    ObservationFactory(goal=published.goal, text="Παρατήρηση που δεν δημοσιεύεται ποτέ")
    Minutes.objects.create(meeting=MeetingFactory(), notes="Πρόχειρα πρακτικά της σύσκεψης")
    clerk = UserFactory(first_name="Ξενοφών", last_name="Αδημοσίευτος", directorate=planning)
    from tests.factories import ProgressUpdateFactory

    ProgressUpdateFactory(goal=published.goal, author=clerk, comment="Σημείωμα του υπαλλήλου")
    client = client_for(None)

    everything = _everything(client, published)

    assert "Παρατήρηση που δεν δημοσιεύεται" not in everything
    assert "Πρόχειρα πρακτικά" not in everything
    assert "Σχόλιο εσωτερικό" not in everything and "Σημείωμα του υπαλλήλου" not in everything
    assert "Αδημοσίευτος" not in everything and "Ξενοφών" not in everything
    assert head_of_planning.username not in everything
    assert head_of_planning.email not in everything
    assert head_of_planning.get_full_name() in everything  # the head's name is public


def test_a_cycle_in_consultation_stays_private_even_if_marked(secretary, planning, client_for):
    """A cycle flagged published but not adopted (e.g. by a mistaken admin edit) shows nothing."""
    cycle = GoalCycleFactory(year=2025, open=True)
    GoalFactory(cycle=cycle, directorate=planning, code="PROG-55", status="adopted")
    cycle.is_published = True
    cycle.published_at = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    cycle.save()
    client = client_for(None)

    assert client.get(reverse("portal:cycle", args=[2025])).status_code == 404
    assert client.get(reverse("portal:cycle_json", args=[2025])).status_code == 404


def _everything(client, published) -> str:
    urls = [
        reverse("portal:index"),
        reverse("portal:cycle", args=[2024]),
        reverse("portal:catalogue"),
        *(reverse(name, args=[2024]) for name in FILES),
        *(
            reverse("portal:goal", args=[2024, g.code])
            for g in (published.goal, published.other_goal, published.finance_goal)
        ),
    ]
    return "\n".join(client.get(url).content.decode("utf-8-sig") for url in urls)
