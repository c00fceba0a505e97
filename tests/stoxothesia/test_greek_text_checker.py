"""The every-page language check finds what a Greek civil servant would not write."""

from tests.stoxothesia.greek_text import language_problems, uppercase_classes


def problems(body: str, **options) -> list[str]:
    return language_problems(f'<html lang="el"><body>{body}</body></html>', **options)


def test_accepts_greek_as_the_municipality_writes_it():
    body = (
        "<h1>ΔΗΜΟΣ ΗΡΑΚΛΕΙΟΥ</h1><p>Δευτέρα 14 Δεκεμβρίου 2026, 10:00 · Έγκριση (PDF)</p>"
        '<p title="Ελήφθη γνώση">Ματαιώθηκε</p>'
    )
    assert problems(body) == []


def test_finds_an_accented_capital_in_a_word_in_capitals():
    assert problems("<p>ΔΉΜΟΣ ΗΡΑΚΛΕΊΟΥ</p>")
    assert problems('<button aria-label="ΑΠΟΦΆΣΕΙΣ">x</button>')


def test_accepts_the_dialytika_that_capitals_keep():
    assert problems("<p>Η ΠΡΟΪΣΤΑΜΕΝΗ ΤΟΥ ΤΜΗΜΑΤΟΣ · ΑΫΠΝΙΑ</p>") == []


def test_finds_accents_under_css_uppercase():
    assert problems('<span class="text-uppercase">Δήμος</span>')
    assert problems('<span class="shout">Δήμος</span>', uppercase={"shout"})
    assert problems('<span class="text-uppercase">ΔΗΜΟΣ</span>') == []


def test_the_projects_stylesheets_put_no_text_in_css_capitals():
    assert uppercase_classes() == {"text-uppercase"}


def test_finds_a_twelve_hour_time():
    assert problems("<p>10 πμ.</p>")
    assert problems("<p>3:30 μ.μ.</p>")
    assert problems("<p>10:00 p.m.</p>")
    assert problems("<p>10:00</p>") == []


def test_finds_a_nominative_month_after_a_day():
    assert problems("<p>14 Δεκέμβριος 2026</p>")
    assert problems("<p>Δεκέμβριος 2026</p>") == []


def test_finds_english_words_but_not_allowed_ones_nor_other_languages_nor_data():
    assert problems("<p>- Select an option -</p>")
    assert problems('<img alt="Search" src="x.svg">')
    assert problems("<p>Λήψη PDF, CSV ή e-mail</p>") == []
    assert problems('<a lang="en" href="/">English</a>') == []
    assert problems('<code translate="no">DJANGO_SETTINGS</code>') == []
    assert problems("<p>PROG-ORG</p>", identifiers={"PROG-ORG", "PROG", "ORG"}) == []
