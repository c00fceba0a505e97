"""The demo's year end of a closed year, told as it happened in the next January: each head of
directorate submitted their goals' final values with a certificate in evidence, the General
Secretary confirmed them; one was returned (the value did not match the certificate), corrected and
submitted again. A directorate without a head had its values entered by the General Secretary.
Everything goes through the real workflows; only the dates are set back afterwards."""

import datetime
import functools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directorates.models import User
from goals.models import FinalValueSubmission, Goal

RETURN_REASON = (
    "Η τιμή δεν συμφωνεί με τη βεβαίωση που επισυνάψατε. Διορθώστε την και επισυνάψτε "
    "και το πρακτικό παραλαβής."
)
EXPLANATION = "Τιμή από τα στοιχεία της υπηρεσίας στις 31 Δεκεμβρίου."
SHORTFALL = " Δεν επιτεύχθηκε πλήρως λόγω έλλειψης προσωπικού και καθυστερήσεων στις προμήθειες."


def certificate(goal: Goal) -> SimpleUploadedFile:
    """A one-page PDF: the directorate's certificate of its indicators' values."""
    return SimpleUploadedFile(f"vevaiosi-{goal.code}.pdf", _certificate(str(goal.directorate)))


@functools.cache
def _certificate(directorate: str) -> bytes:
    """Rendered by WeasyPrint once for each directorate (a tenth of a second each)."""
    from weasyprint import HTML

    html = (
        f"<h1>Βεβαίωση τιμών δεικτών</h1><p>{directorate}</p>"
        "<p>Οι τιμές των δεικτών των στόχων της Διεύθυνσης στις 31 Δεκεμβρίου.</p>"
    )
    return HTML(string=html).write_pdf()


def submit_and_confirm(goals_with_values: list[tuple[Goal, Decimal, bool]], secretary: User) -> int:
    """Each goal's value submitted by its head and confirmed (`short`: it fell short of 100%);
    the first goal's first value returned and corrected. Returns how many values were set."""
    from goals.services.monitoring import evaluate_goal
    from goals.services.yearend import (
        confirm_final_value,
        final_value_stamp,
        return_final_value,
        save_final_value,
    )

    returned = None
    for goal, value, short in goals_with_values:
        explanation = EXPLANATION + (SHORTFALL if short else "")
        head = goal.directorate.head
        if head is None:
            evaluate_goal(
                goal=goal,
                by=secretary,
                final_value=value,
                justification=explanation.strip(),
                expected_stamp="",
            )
            continue
        to_return = returned is None and not goal.is_milestone
        first_value = value + goal.target / 10 if to_return else value
        submission = save_final_value(
            goal=goal,
            by=head,
            final_value=first_value,
            explanation=explanation,
            files=[certificate(goal)],
            expected_stamp="",
            submit=True,
        )
        if to_return:
            return_final_value(
                submission=submission,
                by=secretary,
                reason=RETURN_REASON,
                expected_stamp=final_value_stamp(submission),
            )
            submission.refresh_from_db()
            submission = save_final_value(
                goal=goal,
                by=head,
                final_value=value,
                explanation=explanation,
                files=[
                    certificate(goal),
                    SimpleUploadedFile(
                        f"praktiko-paralavis-{goal.code}.pdf", certificate(goal).read()
                    ),
                ],
                expected_stamp=final_value_stamp(submission),
                submit=True,
            )
            returned = submission
        confirm_final_value(
            submission=submission, by=secretary, expected_stamp=final_value_stamp(submission)
        )
    _date_back([goal for goal, _value, _short in goals_with_values])
    return len(goals_with_values)


def _date_back(goals: list[Goal]) -> None:
    """The year end happened in January of the next year: submissions in the second week,
    reviews in the third, in the order of the goals."""
    if not goals:
        return
    year = goals[0].cycle.year + 1
    tz = timezone.get_current_timezone()
    submissions = FinalValueSubmission.objects.filter(goal__in=goals).order_by("goal_id")
    for index, submission in enumerate(submissions):
        start = datetime.datetime(year, 1, 8, 9, 0, tzinfo=tz) + datetime.timedelta(
            hours=index % 40, minutes=7 * index % 60
        )
        history = list(submission.history.order_by("history_date", "history_id"))
        dates = {}
        for step, entry in enumerate(history):
            when = start + datetime.timedelta(days=4 * step)
            type(entry).objects.filter(pk=entry.pk).update(history_date=when)
            dates[entry.state] = when
        FinalValueSubmission.objects.filter(pk=submission.pk).update(
            submitted_at=dates.get(FinalValueSubmission.State.SUBMITTED),
            reviewed_at=dates.get(FinalValueSubmission.State.CONFIRMED),
            updated_at=max(dates.values()),
        )
        submission.evidence.update(uploaded_at=start)
