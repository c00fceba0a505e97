"""The project's own stylesheet is well formed: an unclosed block swallows every rule after it
(a lost `}` once put the charts' and badges' colours inside `@media print`)."""

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "stoxothesia.css"


def test_every_unindented_rule_of_the_stylesheet_stands_outside_any_block():
    depth = 0
    for number, line in enumerate(STYLESHEET.read_text().splitlines(), start=1):
        starts_a_rule = line[:1] not in ("", " ", "}", "/")
        assert not (starts_a_rule and depth), f"line {number} is inside a block left open"
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"line {number} closes a block that was not opened"
    assert depth == 0, "a block is left open at the end of the stylesheet"
