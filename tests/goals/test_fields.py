import re

import pytest
from django import forms

from goals.forms.fields import QuickCSVSelect, QuickInput, QuickSelect

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


@pytest.mark.parametrize("value", ["", 'Ο "στόχος" & <άλλα>', None, 7])
def test_a_quick_input_writes_what_djangos_input_writes(value):
    attrs = {"id": "id_q", "class": "form-control", "type": "search", "required": True}

    quick = QuickInput(attrs=dict(attrs)).render("q", value, {"aria-describedby": "help"})
    django = forms.TextInput(attrs=dict(attrs)).render("q", value, {"aria-describedby": "help"})

    assert between_tags_trimmed(quick) == between_tags_trimmed(django)


@pytest.mark.parametrize("value", [[], ["1"], ["3"], None])
def test_a_quick_list_select_writes_what_django_filters_select_writes(value):
    from django_filters.filters import OrderingFilter

    django_widget = OrderingFilter(fields=["code"]).field.widget
    django_widget.choices = CHOICES
    attrs = {"id": "id_sort", "class": "form-select"}

    quick = QuickCSVSelect(choices=CHOICES).render("sort", value, attrs)
    django = django_widget.render("sort", value, attrs)

    assert between_tags_trimmed(quick) == between_tags_trimmed(django)
    assert QuickCSVSelect().value_from_datadict({"sort": "code,-title"}, {}, "sort") == [
        "code",
        "-title",
    ]
