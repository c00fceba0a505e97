"""Demo: a corrected re-issue (ορθή επανάληψη) of the July 2024 amendment, signed by the Deputy
Mayor by order of the Mayor some days ago and not yet posted on Diavgeia, so that the General
Secretary's start page and the list of decisions flag it.

Its date follows today's, so the flag shows whenever the demo is loaded.
"""

import datetime

from django.utils import timezone

from directorates.models import Municipality, User
from goals.models import MayoralDecision

CORRECTION_NOTE = (
    "τη διατύπωση του άρθρου 1, όπου εκ παραδρομής αναγράφηκε λάθος αριθμός της "
    "τροποποιούμενης απόφασης"
)


def seed_correction() -> dict[str, int]:
    """Idempotent: nothing if the amendment is missing or already has a correction."""
    from goals.services.decisions import prepare_correction, save_decision_draft, sign_decision

    amendment = MayoralDecision.objects.posted().filter(kind="amendment", number="412").first()
    secretary = User.objects.filter(username="secretary").first()
    deputy = User.objects.filter(username="deputy").first()
    if amendment is None or secretary is None or deputy is None:
        return {"corrected re-issues": 0}
    if amendment.corrections.exists():
        return {"corrected re-issues": 0}
    draft = prepare_correction(decision=amendment, by=secretary)
    draft.correction_note = CORRECTION_NOTE
    draft = save_decision_draft(decision=draft, by=secretary, expected_version=draft.version)
    days_late = Municipality.load().days_to_post + 3
    sign_decision(
        decision=draft,
        by=deputy,
        signatory=deputy,
        number="1187",
        protocol_number="61204",
        decision_date=timezone.localdate() - datetime.timedelta(days=days_late),
        expected_version=draft.version,
    )
    return {"corrected re-issues": 1}
