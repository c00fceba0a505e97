"""The head of directorate's allocation act: numbered, issued with a protocol number and a date,
frozen once issued, replaced by a later act; a document in Greek administrative form."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from goals.models import AllocationAct
from goals.services.allocation_acts import delete_draft, issue_act, prepare_act
from goals.services.concurrency import StaleEdit
from tests.factories import AllocationFactory, DepartmentFactory, GoalFactory, UserFactory

ISSUED_ON = datetime.date(2024, 3, 12)


@pytest.fixture
def allocated(adopted):
    """Planning's two goals allocated to its department, each a department goal of its own."""
    first = AllocationFactory(
        goal=adopted.goal,
        department=adopted.department,
        title="Ψηφιακές αιτήσεις στο Τμήμα Οργάνωσης",
        indicator="Αιτήσεις που υποβλήθηκαν ηλεκτρονικά",
        unit_of_measure="αιτήσεις",
        baseline=100,
        target=140,
    )
    second = AllocationFactory(
        goal=adopted.other_goal,
        department=adopted.department,
        title="Λιγότερες εκκρεμότητες",
        indicator="Εκκρεμείς υποθέσεις",
        baseline=90,
        target=60,
    )
    return first, second


def issued(act, by, protocol="4821", on=ISSUED_ON):
    return issue_act(
        act=act, by=by, protocol_number=protocol, issued_on=on, expected_version=act.version
    )


def test_the_head_prepares_a_draft_without_a_protocol_number(
    client_for, head_of_planning, adopted, allocated
):
    client = client_for(head_of_planning)
    url = reverse("goals:allocation_act_prepare", args=["PROG"])
    response = client.post(url, {"cycle": adopted.cycle.pk})
    act = AllocationAct.objects.get()
    assert response.url == act.get_absolute_url()
    assert (act.sequence, act.status, act.protocol_number) == (1, "draft", "")
    page = client.get(act.get_absolute_url()).content.decode()
    assert "ΣΧΕΔΙΟ" in page
    assert "Ψηφιακές αιτήσεις στο Τμήμα Οργάνωσης" in page
    assert "Αρ. Πρωτ." in page and "4821" not in page
    # Preparing again opens the same draft.
    client.post(url, {"cycle": adopted.cycle.pk})
    assert AllocationAct.objects.count() == 1


def test_issuing_records_protocol_number_date_and_the_head(
    client_for, head_of_planning, adopted, allocated
):
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    client = client_for(head_of_planning)
    response = client.post(
        act.get_absolute_url(),
        {"protocol_number": "4.821", "issued_on": "2024-03-12", "version": act.version},
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == "issued"
    assert (act.protocol_number, act.issued_on, act.issued_by) == (
        "4821",
        ISSUED_ON,
        head_of_planning,
    )
    assert act.history.latest().history_user == head_of_planning
    page = client.get(act.get_absolute_url()).content.decode()
    assert "12 Μαρτίου 2024" in page
    assert "4821" in page
    assert "ΠΡΑΞΗ ΕΞΕΙΔΙΚΕΥΣΗΣ ΚΑΙ ΕΠΙΜΕΡΙΣΜΟΥ ΣΤΟΧΩΝ" in page
    assert "ΣΧΕΔΙΟ" not in page


def test_an_issued_act_keeps_the_department_goals_as_they_were(
    client_for, head_of_planning, adopted, allocated
):
    act = issued(
        prepare_act(directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning),
        head_of_planning,
    )
    first, _second = allocated
    first.title = "Νέος τίτλος μετά την έκδοση"
    first.target = 175
    first.save()
    page = client_for(head_of_planning).get(act.get_absolute_url()).content.decode()
    assert "Ψηφιακές αιτήσεις στο Τμήμα Οργάνωσης" in page
    assert "Νέος τίτλος μετά την έκδοση" not in page
    assert "175" not in page


def test_a_later_act_replaces_the_earlier_and_says_so(
    client_for, head_of_planning, adopted, allocated
):
    directorate = adopted.goal.directorate
    first = issued(
        prepare_act(directorate=directorate, cycle=adopted.cycle, by=head_of_planning),
        head_of_planning,
    )
    allocated[0].title = "Αναθεωρημένος στόχος τμήματος"
    allocated[0].save()
    listing = client_for(head_of_planning).get(reverse("goals:allocation_acts", args=["PROG"]))
    assert "έχουν αλλάξει από την έκδοση της ισχύουσας πράξης" in listing.content.decode()
    second = prepare_act(directorate=directorate, cycle=adopted.cycle, by=head_of_planning)
    assert second.sequence == 2
    second = issued(second, head_of_planning, protocol="6100", on=datetime.date(2024, 6, 3))
    assert second.replaces == first
    client = client_for(head_of_planning)
    later = client.get(second.get_absolute_url()).content.decode()
    assert "αντικαθιστά την πράξη εξειδίκευσης και επιμερισμού αρ. 1/2024" in later
    assert "Αναθεωρημένος στόχος τμήματος" in later
    earlier = client.get(first.get_absolute_url()).content.decode()
    assert "αντικαταστάθηκε από την πράξη εξειδίκευσης και επιμερισμού αρ. 2/2024" in earlier
    listing = client.get(reverse("goals:allocation_acts", args=["PROG"])).content.decode()
    assert "Αντικαταστάθηκε" in listing and "Σε ισχύ" in listing


def test_a_replacing_act_cannot_be_dated_before_the_one_it_replaces(
    head_of_planning, adopted, allocated
):
    directorate = adopted.goal.directorate
    issued(
        prepare_act(directorate=directorate, cycle=adopted.cycle, by=head_of_planning),
        head_of_planning,
    )
    draft = prepare_act(directorate=directorate, cycle=adopted.cycle, by=head_of_planning)
    with pytest.raises(ValidationError, match="δεν μπορεί να φέρει προγενέστερη"):
        issued(draft, head_of_planning, on=datetime.date(2024, 2, 1))


def test_an_acting_head_issues_as_acting_head(
    client_for, acting_head_of_planning, adopted, allocated
):
    directorate = adopted.goal.directorate
    act = issued(
        prepare_act(directorate=directorate, cycle=adopted.cycle, by=acting_head_of_planning),
        acting_head_of_planning,
    )
    assert act.as_acting_head
    page = client_for(acting_head_of_planning).get(act.get_absolute_url()).content.decode()
    assert "ως αναπληρώτρια" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"protocol_number": " ", "issued_on": "2024-03-12"}, "απαραίτητο"),
        ({"protocol_number": "12", "issued_on": "2023-12-30"}, "μέσα στο έτος της στοχοθεσίας"),
        ({"protocol_number": "12", "issued_on": "2099-01-01"}, "μελλοντική"),
        ({"protocol_number": "12", "issued_on": "not a date"}, "έγκυρη ημερομηνία"),
    ],
)
def test_bad_protocol_numbers_and_dates_get_a_greek_message(
    client_for, head_of_planning, adopted, allocated, data, message
):
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    response = client_for(head_of_planning).post(
        act.get_absolute_url(), {**data, "version": act.version}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    act.refresh_from_db()
    assert act.is_draft


def test_an_act_with_no_department_goals_is_not_issued(head_of_planning, adopted):
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    with pytest.raises(ValidationError, match="τίποτα για έκδοση"):
        issued(act, head_of_planning)


def test_issuing_a_stale_page_writes_nothing(head_of_planning, adopted, allocated):
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    with pytest.raises(StaleEdit):
        issue_act(
            act=act,
            by=head_of_planning,
            protocol_number="1",
            issued_on=ISSUED_ON,
            expected_version=act.version + 1,
        )
    act.refresh_from_db()
    assert act.is_draft


def test_an_issued_act_is_not_issued_again(client_for, head_of_planning, adopted, allocated):
    act = issued(
        prepare_act(directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning),
        head_of_planning,
    )
    with pytest.raises(ValidationError, match="ήδη"):
        issued(act, head_of_planning, protocol="9999")
    response = client_for(head_of_planning).post(
        act.get_absolute_url(),
        {"protocol_number": "9999", "issued_on": "2024-03-13", "version": act.version},
    )
    assert response.status_code == 403
    act.refresh_from_db()
    assert act.protocol_number == "4821"


def test_the_departments_people_read_the_act_but_do_not_issue_it(
    client_for, head_of_planning, head_of_department, staff, adopted, allocated
):
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    for person in (head_of_department, staff):
        client = client_for(person)
        page = client.get(act.get_absolute_url())
        assert page.status_code == 200
        assert "Έκδοση της πράξης" not in page.content.decode()
        refused = client.post(
            act.get_absolute_url(),
            {"protocol_number": "1", "issued_on": "2024-03-12", "version": act.version},
        )
        assert refused.status_code == 403
        prepare = reverse("goals:allocation_act_prepare", args=["PROG"])
        assert client.post(prepare, {"cycle": adopted.cycle.pk}).status_code == 403
    act.refresh_from_db()
    assert act.is_draft
    with pytest.raises(ValidationError):
        prepare_act(directorate=adopted.goal.directorate, cycle=adopted.cycle, by=staff)


def test_another_directorate_finds_no_acts(
    client_for, head_of_finance, head_of_planning, adopted, allocated
):
    act = issued(
        prepare_act(directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning),
        head_of_planning,
    )
    client = client_for(head_of_finance)
    assert client.get(act.get_absolute_url()).status_code == 404
    assert client.get(reverse("goals:allocation_act_pdf", args=[act.pk])).status_code == 404
    assert client.get(reverse("goals:allocation_acts", args=["PROG"])).status_code == 404
    prepare = reverse("goals:allocation_act_prepare", args=["PROG"])
    assert client.post(prepare, {"cycle": adopted.cycle.pk}).status_code == 404
    with pytest.raises(ValidationError):
        prepare_act(directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_finance)


def test_the_pdf_is_the_act_in_greek(client_for, head_of_planning, adopted, allocated):
    act = issued(
        prepare_act(directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning),
        head_of_planning,
    )
    response = client_for(head_of_planning).get(reverse("goals:allocation_act_pdf", args=[act.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "ΠΡΑΞΗ ΕΞΕΙΔΙΚΕΥΣΗΣ" in text
    assert "4821" in text
    assert "Ψηφιακές αιτήσεις" in text
    assert "Τμήμα Οργάνωσης" in text


def test_the_act_lists_department_goals_by_department_and_category(
    client_for, head_of_planning, adopted, allocated
):
    DepartmentFactory(
        directorate=adopted.goal.directorate, code="PROG-EUR", name="Τμήμα Ευρωπαϊκών"
    )
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    page = client_for(head_of_planning).get(act.get_absolute_url()).content.decode()
    services = page.index("Παρεχόμενες υπηρεσίες")
    organisation = page.index("Εσωτερική οργάνωση")
    assert services < page.index("Ψηφιακές αιτήσεις") < organisation
    assert organisation < page.index("Λιγότερες εκκρεμότητες")
    assert "Τμήμα Ευρωπαϊκών" not in page  # nothing allocated to it


@pytest.mark.parametrize("name", ["goals:allocation_act", "goals:allocation_act_pdf"])
def test_the_act_runs_a_fixed_number_of_queries(
    client_for, head_of_planning, adopted, allocated, django_assert_num_queries, name
):
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    client = client_for(head_of_planning)
    url = reverse(name, args=[act.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(6):
        department = DepartmentFactory(directorate=adopted.goal.directorate, code=f"PROG-{index}")
        goal = GoalFactory(
            cycle=adopted.cycle,
            directorate=adopted.goal.directorate,
            code=f"X-{index}",
            status="adopted",
        )
        AllocationFactory(goal=goal, department=department, allocated_by=UserFactory())
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_list_of_acts_runs_a_fixed_number_of_queries(
    client_for, head_of_planning, adopted, allocated, django_assert_num_queries
):
    directorate = adopted.goal.directorate
    issued(
        prepare_act(directorate=directorate, cycle=adopted.cycle, by=head_of_planning),
        head_of_planning,
    )
    client = client_for(head_of_planning)
    url = reverse("goals:allocation_acts", args=["PROG"])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for day in range(13, 17):
        draft = prepare_act(directorate=directorate, cycle=adopted.cycle, by=head_of_planning)
        issued(draft, head_of_planning, protocol=f"48{day}", on=datetime.date(2024, 3, day))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


# --- A draft deleted -------------------------------------------------------------------------
def test_the_head_deletes_a_draft_and_the_history_keeps_who(
    client_for, head_of_planning, adopted, allocated
):
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    client = client_for(head_of_planning)
    assert "Διαγραφή του σχεδίου" in client.get(act.get_absolute_url()).content.decode()

    response = client.post(reverse("goals:allocation_act_delete", args=[act.pk]))

    assert (
        response.url
        == f"{reverse('goals:allocation_acts', args=['PROG'])}?cycle={adopted.cycle.pk}"
    )
    assert not AllocationAct.objects.exists()
    deleted = AllocationAct.history.get(id=act.pk, history_type="-")
    assert deleted.history_user == head_of_planning
    assert "Το σχέδιο της πράξης διαγράφηκε" in client.get(response.url).content.decode()
    # The department goals are untouched, and a new draft takes the same number.
    assert all(allocation.pk for allocation in allocated)
    again = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    assert again.sequence == 1


def test_an_issued_act_is_not_deleted(client_for, head_of_planning, adopted, allocated):
    act = issued(
        prepare_act(directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning),
        head_of_planning,
    )

    response = client_for(head_of_planning).post(
        reverse("goals:allocation_act_delete", args=[act.pk]), follow=True
    )

    assert "Μια πράξη που εκδόθηκε δεν διαγράφεται" in response.content.decode()
    assert AllocationAct.objects.get().is_issued
    with pytest.raises(ValidationError):
        delete_draft(act=act, by=head_of_planning)


def test_only_the_head_deletes_a_draft(
    client_for, head_of_planning, head_of_department, head_of_finance, adopted, allocated
):
    act = prepare_act(
        directorate=adopted.goal.directorate, cycle=adopted.cycle, by=head_of_planning
    )
    url = reverse("goals:allocation_act_delete", args=[act.pk])

    assert client_for(head_of_department).post(url).status_code == 403  # reads it, may not
    assert client_for(head_of_finance).post(url).status_code == 404  # another directorate
    assert client_for(head_of_planning).get(url).status_code == 405
    assert "Διαγραφή του σχεδίου" not in (
        client_for(head_of_department).get(act.get_absolute_url()).content.decode()
    )
    assert AllocationAct.objects.get().is_draft
