import re

import pytest
from django import forms

from goals.forms.fields import QuickSelect

CHOICES = [
    ("", "— Όλες —"),
    ("1", 'Διεύθυνση "Οικονομικών" & <Προϋπολογισμού>'),
    ("Ομάδα", [("2", "Τμήμα Α'"), ("3", "Τμήμα Β")]),
]


def between_tags_trimmed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["", "1", "3", None])
def test_a_quick_select_writes_what_djangos_select_writes(value):
    attrs = {"id": "id_directorate", "class": "form-select", "aria-describedby": "help"}

    quick = QuickSelect(choices=CHOICES).render("directorate", value, attrs)
    django = forms.Select(choices=CHOICES).render("directorate", value, attrs)

    assert between_tags_trimmed(quick) == between_tags_trimmed(django)
