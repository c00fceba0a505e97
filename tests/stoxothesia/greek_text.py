"""What a Greek civil servant would not write, found in a page's HTML.

`language_problems(html)` reads the text a person sees or hears (text, and the attributes that
screen readers announce or browsers show) and names: an accented capital in a word written in
capitals ("ΔΉΜΟΣ") or under CSS `text-transform: uppercase` with accents in its text, a time in
12-hour form ("10 π.μ.", "10:00 pm"), a month in the nominative after a day ("14 Δεκέμβριος"),
and an English word outside `ALLOWED_LATIN` (brands, file formats, what people type as written).
Text marked `translate="no"`, in another language (`lang="en"`), or code is left alone.

CSS capitals: a browser drops the accents of Greek text under `text-transform: uppercase` when
the page says `lang="el"` (Django admin's headings rely on it), but a PDF renderer does not, so
the project's own stylesheets put no text in capitals (`uppercase_classes`), and text written in
capitals goes through `greek_upper`.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Words in Latin letters a Greek page may hold: names of formats, products and the application,
# abbreviations Greek uses as they are.
ALLOWED_LATIN = {
    "stoxothesia",
    "pdf",
    "csv",
    "xlsx",
    "xls",
    "excel",
    "libreoffice",
    "calc",
    "mb",
    "kb",
    "apple",
    "e-mail",
    "email",
    "ics",
    "icalendar",
    "outlook",
    "thunderbird",
    "google",
    "calendar",
    "qr",
    "freeotp",
    "aegis",
    "authenticator",
    "microsoft",
    "ctrl",
    "cmd",
    "enter",
    "tab",
    "esc",
    "url",
    "www",
    "gov",
    "gr",
    "heraklion",
    "django",
    "it",
    "gis",
    "iso",
    "wifi",
    "wi-fi",
    "sms",
    "smart",
    "kpi",
    "ok",
    "id",
    "ip",
    "https",
    "http",
    "cdn",
    "admin",
    # Keys, and the parts of a stored password Django admin names as they are.
    "control",
    "command",
    "mac",
    "salt",
    "hash",
    "ldap",
    # Open data, the API and the accessibility statement: standards and formats named as they are.
    "api",
    "openapi",
    "json",
    "json-ld",
    "dcat-ap",
    "utf",
    "bom",
    "byte",
    "html",
    "png",
    "jpeg",
    "word",
    "powerpoint",
    "opendocument",
    "creative",
    "commons",
    "cc",
    "by",
    "wcag",
    "aa",
    "en",
    "axe-core",
    "nu",
    "checker",
}

# Capitals lose the tonos, not the dialytika: "ΠΡΟΪΣΤΑΜΕΝΗ" is right, "ΔΉΜΟΣ" is not.
ACCENTED_CAPITALS = "ΆΈΉΊΌΎΏ"
ACCENTED_LOWER = "άέήίόύώΐΰ"
GREEK_UPPER_WORD = re.compile(r"[Α-ΩΆΈΉΊΌΎΏΪΫ]{2,}")
TWELVE_HOUR = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:π\.?\s?μ\.?|μ\.?\s?μ\.?|[ap]\.?\s?m\.?)(?![\w])", re.IGNORECASE
)
NOMINATIVE_MONTHS = [
    "Ιανουάριος", "Φεβρουάριος", "Μάρτιος", "Απρίλιος", "Μάιος", "Ιούνιος", "Ιούλιος",
    "Αύγουστος", "Σεπτέμβριος", "Οκτώβριος", "Νοέμβριος", "Δεκέμβριος",
]  # fmt: skip
NOMINATIVE_AFTER_DAY = re.compile(
    r"\b\d{1,2}\s+(?:" + "|".join(NOMINATIVE_MONTHS) + r")\b", re.IGNORECASE
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*[A-Za-z]|[A-Za-z]")
# Addresses, e-mail addresses, file names and anything with a digit or a mask ("md5", "4ead3f**")
# are what they are.
NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|\S+\.(?:pdf|xlsx|csv|ics|json|jsonld|gr|example)\b|\S*[\d*]\S*"
)
ANNOUNCED_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")
SKIPPED_ELEMENTS = {"script", "style", "code", "kbd", "samp", "pre", "template"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


def uppercase_classes() -> set[str]:
    """The classes that put text in capitals: Bootstrap's and any in the project's stylesheets."""
    classes = {"text-uppercase"}
    for sheet in (ROOT / "static" / "css").glob("*.css"):
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", sheet.read_text()):
            if re.search(r"text-transform\s*:\s*uppercase", body):
                classes.update(re.findall(r"\.([\w-]+)", selectors))
    return classes


class _Reader(HTMLParser):
    def __init__(self, uppercase: set[str]):
        super().__init__(convert_charrefs=True)
        self.uppercase = uppercase
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, in capitals)
        self.texts: list[tuple[str, bool]] = []  # (text, in capitals)

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped, capitals = self._state()
        lang = (attributes.get("lang") or "el").split("-")[0]
        skipped = (
            skipped
            or tag in SKIPPED_ELEMENTS
            or attributes.get("translate") == "no"
            or lang != "el"
            or attributes.get("hidden") is not None
        )
        classes = set((attributes.get("class") or "").split())
        capitals = capitals or bool(classes & self.uppercase)
        if not skipped:
            for name in ANNOUNCED_ATTRIBUTES:
                if attributes.get(name):
                    self.texts.append((attributes[name], capitals))
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.texts.append((attributes.get("value") or "", capitals))
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skipped, capitals))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        skipped, capitals = self._state()
        if not skipped and data.strip():
            self.texts.append((data, capitals))


def visible_texts(html: str, uppercase: set[str] | None = None) -> list[tuple[str, bool]]:
    reader = _Reader(uppercase if uppercase is not None else uppercase_classes())
    # The page's <head> holds only its title as text.
    reader.feed(html)
    reader.close()
    return reader.texts


def language_problems(
    html: str, *, identifiers: set[str] = frozenset(), uppercase: set[str] | None = None
) -> list[str]:
    """What reads wrong in Greek on a page; `identifiers` are data written in Latin letters
    (unit codes, usernames) that are no English words."""
    allowed = ALLOWED_LATIN | {word.lower() for word in identifiers}
    problems = []
    for text, capitals in visible_texts(html, uppercase):
        line = " ".join(text.split())
        for word in GREEK_UPPER_WORD.findall(line):
            if any(char in ACCENTED_CAPITALS for char in word):
                problems.append(f"accented capital in {word!r}: {line[:80]!r}")
        if capitals and any(char in ACCENTED_LOWER for char in line):
            problems.append(f"accents under text-transform: uppercase: {line[:80]!r}")
        for match in TWELVE_HOUR.findall(line):
            problems.append(f"12-hour time {match!r}: {line[:80]!r}")
        for match in NOMINATIVE_AFTER_DAY.findall(line):
            problems.append(f"nominative month after a day {match!r}: {line[:80]!r}")
        for word in LATIN_WORD.findall(NOT_WORDS.sub(" ", line)):
            if len(word) > 1 and word.lower() not in allowed:
                problems.append(f"English word {word!r}: {line[:80]!r}")
    return problems
