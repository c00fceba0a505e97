"""Greek as the municipality writes it: capitals without accents, titles by the person's gender.

Text put in capitals loses its accents in Greek ("Δήμος Ηρακλείου" → "ΔΗΜΟΣ ΗΡΑΚΛΕΙΟΥ"), but
Python's `str.upper` keeps them ("ΔΉΜΟΣ ΗΡΑΚΛΕΊΟΥ"), and so do PDF renderers that apply CSS
`text-transform`. Whatever the code writes in capitals goes through `greek_upper`; templates
use its filter (`{% load greek %}{{ name|greek_upper }}`).
"""

import unicodedata

TONOS = "\u0301"  # the accent, decomposed
DIALYTIKA = "\u0308"
# A vowel with the accent before ι or υ: in capitals the accent goes and the ι/υ takes a
# dialytika, to keep them apart ("ρολόι" → "ΡΟΛΟΪ", "Μάιος" → "ΜΑΪΟΣ").
DIPHTHONG_FIRSTS = set("αεουΑΕΟΥ")
DIPHTHONG_SECONDS = set("ιυΙΥ")


def is_greek(char: str) -> bool:
    return "\u0370" <= char <= "\u03ff"


def _last_letter(chars: list[str]) -> str:
    return next((char for char in reversed(chars) if not unicodedata.combining(char)), "")


def greek_upper(text: str) -> str:
    """`text` in capitals, without the accents that Greek capitals never carry."""
    letters = unicodedata.normalize("NFD", str(text))
    result: list[str] = []
    keep_apart = False
    for char in letters:
        if char == TONOS and is_greek(_last_letter(result)):
            keep_apart = result[-1] in DIPHTHONG_FIRSTS
            continue
        if char == DIALYTIKA:
            keep_apart = False
            result.append(char)
            continue
        result.append(char)
        if keep_apart and char in DIPHTHONG_SECONDS:
            result.append(DIALYTIKA)
        keep_apart = False
    # A dialytika already given must not be doubled.
    plain = "".join(result).replace(DIALYTIKA + DIALYTIKA, DIALYTIKA)
    return unicodedata.normalize("NFC", plain.upper())
