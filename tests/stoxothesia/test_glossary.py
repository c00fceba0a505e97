"""The Greek catalogue keeps the glossary in CONTRIBUTING.md: one term per concept, never the
terms it rules out, and plural forms wherever a count appears."""

import re
from pathlib import Path

import polib
import pytest

from directorates.greek import greek_upper

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = polib.pofile(str(ROOT / "locale" / "el" / "LC_MESSAGES" / "django.po"))
ENTRIES = [entry for entry in CATALOGUE if not entry.obsolete]

# English term (a pattern on the msgid) → the Greek term's stem, compared without accents.
GLOSSARY = {
    r"\ballocat": "ΕΠΙΜΕΡ",
    r"\bshares?\b": "ΠΟΣΟΣΤΟ ΣΥΜΜΕΤΟΧΗΣ|ΠΟΣΟΣΤΑ ΣΥΜΜΕΤΟΧΗΣ",
    r"\bweights?\b": "ΒΑΡΥΤΗΤ",
    r"^On track$": "ΕΝΤΟΣ ΧΡΟΝΟΔΙΑΓΡΑΜΜΑΤΟΣ",
    r"^Noted$": "ΕΛΗΦΘΗ ΓΝΩΣΗ",
    r"\bmeetings? (?:is |was )?cancel|\bcancel(?:led|lation)\b": "ΜΑΤΑΙ",
    r"\bby order of the Mayor\b": "ΜΕ ΕΝΤΟΛΗ ΔΗΜΑΡΧΟΥ",
    r"\bcorrected re-issue|\bre-issued corrected\b": "ΟΡΘ",
    r"\bpost(?:ed|ing)? on Diavgeia\b": "ΑΝΑΡΤ",
}
# Terms the glossary rules out, compared without accents.
FORBIDDEN = {
    "ΚΑΤΑΝΟΜ": "allocation is επιμερισμός",
    "ΜΕΡΙΔΙ": "a share is a ποσοστό συμμετοχής",
    "ΓΕΝΙΚΗ ΓΡΑΜΜΑΤΕΙΑ": "the General Secretary is a person: ο/η Γενικός/ή Γραμματέας",
    "ΓΕΝΙΚΗΣ ΓΡΑΜΜΑΤΕΙΑΣ": "the General Secretary is a person: του/της Γενικού/ής Γραμματέα",
    "ΕΝΤΟΣ ΠΟΡΕΙΑΣ": "on track is Εντός χρονοδιαγράμματος",
    "ΕΛΗΦΘΗ ΥΠΟΨΗ": "noted is Ελήφθη γνώση",
    "ΑΚΥΡΩΘΗΚΕ": "a cancelled meeting Ματαιώθηκε",
}
# A number of things, in a message that has no plural forms.
COUNT = re.compile(r"%\((?:count|counter|num|n)\)[sd]|\{\{ ?(?:count|counter) ?\}\}")


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")


def english(entry) -> str:
    """The message without its placeholders, whose names are no words of it."""
    return PLACEHOLDER.sub(" ", f"{entry.msgid} {entry.msgid_plural or ''}")


def translations(entry) -> str:
    return " ".join([entry.msgstr, *entry.msgstr_plural.values()])


@pytest.mark.parametrize(("term", "greek"), GLOSSARY.items())
def test_catalogue_uses_the_glossary_term(term, greek):
    wrong = [
        f"{entry.msgid!r} → {translations(entry)!r}"
        for entry in ENTRIES
        if re.search(term, english(entry), re.IGNORECASE)
        and not re.search(greek, greek_upper(translations(entry)))
    ]
    assert not wrong, f"Use the glossary's term ({greek}):\n" + "\n".join(wrong)


def test_catalogue_never_uses_the_terms_the_glossary_rules_out():
    found = [
        f"{entry.msgid!r} → {translations(entry)!r}: {why}"
        for entry in ENTRIES
        for term, why in FORBIDDEN.items()
        if term in greek_upper(translations(entry))
    ]
    assert not found, "\n".join(found)


def test_milestone_target_and_status_read_differently():
    by_context = {(e.msgctxt, e.msgid): e.msgstr for e in ENTRIES}
    assert by_context[("milestone target", "Completion by %(date)s")].startswith("Ολοκλήρωση έως")
    assert by_context[("milestone target", "Completion")] == "Ολοκλήρωση"
    assert by_context[("milestone status", "Done")] == "Ολοκληρώθηκε"


def test_general_secretary_is_a_person_by_gender():
    by_context = {(e.msgctxt, e.msgid): e.msgstr for e in ENTRIES}
    assert by_context[("male", "General Secretary")] == "Γενικός Γραμματέας"
    assert by_context[("female", "General Secretary")] == "Γενική Γραμματέας"


def test_every_count_has_plural_forms():
    singular_only = [
        entry.msgid for entry in ENTRIES if COUNT.search(entry.msgid) and not entry.msgid_plural
    ]
    assert not singular_only, f"Use ngettext / blocktranslate count: {singular_only}"
