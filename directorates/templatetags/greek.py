"""`{% load greek %}{{ text|greek_upper }}`: text in capitals without accents (see
directorates/greek.py); use it instead of `|upper` and of CSS `text-transform: uppercase`."""

from django import template

from directorates.greek import greek_upper as to_greek_upper

register = template.Library()


@register.filter(is_safe=True)
def greek_upper(value) -> str:
    return to_greek_upper(value)
