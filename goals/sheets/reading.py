"""Reading an uploaded sheet into typed rows: headers matched in either language, each cell
converted to its column's kind, a bad cell reported with its row and column; and the rows kept
in the session between a preview and its confirmation.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from goals.models.goals import normalise_for_search
from goals.sheets.exports import goals_title
from goals.sheets.workbooks import DATE, DECIMAL, INTEGER, Column, Formula, read_xlsx

LANGUAGES = ("el", "en")


@dataclass(frozen=True)
class RowError:
    """A reason a row cannot be imported, where it is: row number and column header."""

    row: int
    column: str
    message: str


@dataclass
class SheetRows:
    """The typed rows of an uploaded sheet, and the cells that could not be read."""

    rows: list[dict]
    errors: list[RowError] = field(default_factory=list)
    # Another sheet of the same workbook read with it (the goals' further indicators).
    further: "SheetRows | None" = None


def header_keys(columns: Sequence[Column]) -> dict[str, str]:
    """Each column's header, in every language, as a person may have typed it: to its key."""
    keys = {}
    for language in LANGUAGES:
        with translation.override(language):
            for column in columns:
                keys[normalise_for_search(column.header)] = column.key
    return keys


def match_headers(
    headers: list[str], columns: Sequence[Column], required: Sequence[str]
) -> list[str | None]:
    """The column key of each header; refuses unknown, repeated or missing columns."""
    known = header_keys(columns)
    keys = [known.get(normalise_for_search(header)) if header else None for header in headers]
    unknown = [header for header, key in zip(headers, keys, strict=True) if header and not key]
    by_key = {column.key: column for column in columns}
    repeated = [c.header for c in columns if keys.count(c.key) > 1]
    missing = [by_key[key].header for key in required if key not in keys]
    problems = []
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if repeated:
        problems.append(
            _("Columns that appear twice: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if problems:
        raise ValidationError(
            " ".join(problems) + " " + _("Use the columns of the template, with their headers.")
        )
    return keys


def read_rows(
    upload,
    columns: Sequence[Column],
    required: Sequence[str],
    title_function=goals_title,
    *,
    optional: bool = False,
) -> SheetRows | None:
    """The typed values of each row by column key; a cell of the wrong type is an error.

    An `optional` sheet is read only from a sheet with its title: None when there is none.
    """
    sheet = read_xlsx(upload, preferred_titles=_titles(title_function), optional=optional)
    if sheet is None:
        return None
    keys = match_headers(sheet.headers, columns, required)
    by_key = {column.key: column for column in columns}
    result = SheetRows(rows=[])
    for number, values in sheet.rows:
        typed, unreadable = {}, []
        for key, value in zip(keys, values, strict=False):
            if key is None:
                continue
            column = by_key[key]
            try:
                typed[key] = convert_cell(value, column.kind)
            except ValidationError as error:
                unreadable.append(key)
                result.errors.append(RowError(number, column.header, error.messages[0]))
        for key in keys:
            if key is not None:
                typed.setdefault(key, None)
        result.rows.append({"row": number, "values": typed, "unreadable": unreadable})
    return result


def _titles(title_function) -> list[str]:
    titles = []
    for language in LANGUAGES:
        with translation.override(language):
            titles.append(title_function())
    return titles


def convert_cell(value: object, kind: str) -> object:
    """A cell's value as the column's type: text, whole number, number or date."""
    if isinstance(value, Formula):
        raise ValidationError(
            _("The cell holds a formula (%(formula)s). Type the value itself.")
            % {"formula": value.text[:40]}
        )
    if value is None or value == "":
        return None
    if kind == DATE:
        return _to_date(value)
    if kind == DECIMAL:
        return _to_decimal(value)
    if kind == INTEGER:
        number = _to_decimal(value)
        if number != number.to_integral_value():
            raise ValidationError(_("Write a whole number."))
        return int(number)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value)


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(_("Write a number."))
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "").replace("%", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")  # 1.234,5 in the Greek way
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(_("Write a number, e.g. 12 or 12,5.")) from error
    if not number.is_finite():
        raise ValidationError(_("Write a number, e.g. 12 or 12,5."))
    return number


def _to_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("Write a date, e.g. 31/12/2024."))


def encode_rows(rows: list[dict]) -> list[dict]:
    """Rows as JSON for the session: numbers as text, dates in ISO form."""
    return [
        {
            "row": row["row"],
            "values": {
                key: (str(v) if isinstance(v, (Decimal, datetime.date)) else v)
                for key, v in row["values"].items()
            },
        }
        for row in rows
    ]


def decode_rows(rows: list[dict], columns: Sequence[Column]) -> list[dict]:
    kinds = {column.key: column.kind for column in columns}
    decoders = {DECIMAL: Decimal, DATE: datetime.date.fromisoformat}
    decoded = []
    for row in rows:
        values = {}
        for key, value in row["values"].items():
            decoder = decoders.get(kinds[key])
            values[key] = decoder(value) if decoder and value is not None else value
        decoded.append({"row": row["row"], "values": values})
    return decoded


def choice_map(choices) -> dict[str, str]:
    """A choice's value and its label in every language, as typed, to the value."""
    mapping = {normalise_for_search(value): value for value in choices.values}
    for language in LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                mapping[normalise_for_search(str(label))] = value
    return mapping
