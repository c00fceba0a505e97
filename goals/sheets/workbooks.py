"""Reading and writing spreadsheets: .xlsx workbooks through openpyxl, and CSV.

Writing: `write_xlsx` streams sheets of typed cells (numbers and dates stay numbers and dates)
with a bold, frozen header row and set column widths; `write_csv` writes UTF-8 with a BOM, so
that Excel shows Greek correctly, in the conventions of the interface language.

Reading an upload: `read_xlsx` trusts nothing in the file. It checks the size, that the file is
a zip with the parts of an .xlsx workbook, and the unpacked size of every part (a zip bomb is
refused before anything is parsed); then openpyxl reads values only (`read_only=True`,
`data_only=False` so that formulas are seen and refused rather than their cached results
trusted, `keep_links=False`); defusedxml, installed with the project, makes openpyxl refuse XML
entity tricks. Nothing in the file is run, followed or fetched.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Limits for uploads: a municipality's goals fit in a few hundred rows; these leave room.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
MAX_ROWS = 5000
MAX_COLUMNS = 60

TEXT, INTEGER, DECIMAL, DATE, PERCENT = "text", "integer", "decimal", "date", "percent"
DATE_FORMAT = "dd/mm/yyyy"
NUMBER_FORMATS = {INTEGER: "0", DECIMAL: "General", DATE: DATE_FORMAT, PERCENT: "0.0"}

# Text columns at least this wide wrap their text in sheets that ask for it (long titles).
WRAPPED_WIDTH = 30
# Characters an .xlsx file cannot hold (control characters other than tab and line breaks).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# What a spreadsheet program would take for the start of a formula in a CSV cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: a key for the code, a translatable header, a type and a width."""

    key: str
    label: Promise | str
    kind: str = TEXT
    width: int = 14

    @property
    def header(self) -> str:
        return str(self.label)


@dataclass
class Sheet:
    """A sheet to write: rows are sequences of values in the order of the columns.

    `preamble` lines go above the header (a title, a decision reference); `choices` maps a
    column key to the values offered in a drop-down list for that column.
    """

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]] = ()
    preamble: Sequence[str] = ()
    choices: dict[str, Sequence[str]] = field(default_factory=dict)
    wrap_text: bool = False


class Formula:
    """Stands for a cell that held a formula: the importer reports it instead of a value."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


# --- Writing --------------------------------------------------------------------------------------
LISTS_SHEET = "lists"


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of the given sheets, built in write-only mode (one pass, little memory).

    Drop-down lists draw their values from a hidden last sheet: a list written into the
    validation itself is limited to 255 characters, which fifteen directorates' names exceed.
    """
    workbook = Workbook(write_only=True)
    lists = [values for sheet in sheets for values in sheet.choices.values()]
    list_position = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=_sheet_title(sheet.title))
        for position, column in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[get_column_letter(position)].width = column.width
        header_row = len(sheet.preamble) + 1
        worksheet.freeze_panes = f"A{header_row + 1}"
        for line in sheet.preamble:
            cell = WriteOnlyCell(worksheet, _clean_text(line))
            cell.data_type = "s"
            cell.font = Font(bold=True)
            worksheet.append([cell])
        worksheet.append([_header_cell(worksheet, column) for column in sheet.columns])
        for position, column in enumerate(sheet.columns, start=1):
            if column.key in sheet.choices:
                list_position += 1
                worksheet.data_validations.append(
                    _choice_validation(
                        list_position, len(sheet.choices[column.key]), position, header_row
                    )
                )
        wrap = Alignment(wrap_text=True, vertical="top") if sheet.wrap_text else None
        for row in sheet.rows:
            worksheet.append(
                [
                    _typed_cell(worksheet, column, value, wrap)
                    for column, value in zip(sheet.columns, row, strict=True)
                ]
            )
    if lists:
        _write_lists_sheet(workbook, lists)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def _header_cell(worksheet, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, column.header)
    cell.data_type = "s"
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DDE6F0")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _typed_cell(worksheet, column: Column, value: object, wrap: Alignment | None) -> WriteOnlyCell:
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # Set the type after the value: openpyxl takes a text starting with "=" for a formula,
        # and a goal's title must never become one in somebody's Excel.
        cell = WriteOnlyCell(worksheet, _clean_text(value))
        cell.data_type = "s"
    else:
        cell = WriteOnlyCell(worksheet, value)
        if column.kind in NUMBER_FORMATS and value is not None:
            cell.number_format = NUMBER_FORMATS[column.kind]
    if wrap is not None and column.kind == TEXT and column.width >= WRAPPED_WIDTH:
        cell.alignment = wrap
    return cell


def _clean_text(text: str) -> str:
    return ILLEGAL_CHARACTERS.sub("", text)


def _choice_validation(
    list_position: int, length: int, position: int, header_row: int
) -> DataValidation:
    source = get_column_letter(list_position)
    validation = DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!${source}$1:${source}${max(length, 1)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Choose from the list"),
        error=_("Choose one of the values of the list."),
    )
    target = get_column_letter(position)
    validation.add(f"{target}{header_row + 1}:{target}{header_row + MAX_ROWS}")
    return validation


def _write_lists_sheet(workbook: Workbook, lists: list[Sequence[str]]) -> None:
    worksheet = workbook.create_sheet(title=LISTS_SHEET)
    worksheet.sheet_state = "hidden"
    for index in range(max(len(values) for values in lists)):
        row = []
        for values in lists:
            cell = WriteOnlyCell(
                worksheet, _clean_text(values[index]) if index < len(values) else None
            )
            if index < len(values):
                cell.data_type = "s"
            row.append(cell)
        worksheet.append(row)


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with a BOM, in the conventions of the interface language.

    Greek Excel splits columns on ";" and reads "12,5" as a number; English Excel expects ","
    and "12.5". Dates are written as 2024-12-31, which both read as dates. A text that a
    spreadsheet would take for a formula is prefixed with an apostrophe.
    """
    greek = (get_language() or "el").startswith("el")
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";" if greek else ",", lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow([_csv_value(value, greek) for value in row])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def _csv_value(value: object, greek: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (Decimal, float)):
        text = format(Decimal(str(value)).normalize(), "f")
        return text.replace(".", ",") if greek else text
    return str(value)


# --- Reading --------------------------------------------------------------------------------------
@dataclass
class ReadSheet:
    """What an uploaded sheet holds: its header texts and its non-empty rows.

    Each row is (row number in the file, values in the order of the headers); a cell that held
    a formula is a `Formula`.
    """

    headers: list[str]
    rows: list[tuple[int, list[object]]]


def read_xlsx(
    upload, *, preferred_titles: Iterable[str] = (), optional: bool = False
) -> ReadSheet | None:
    """The first sheet (or the one with a preferred title) of an uploaded .xlsx workbook.

    Raises `ValidationError` with a message for people when the file is not a workbook, is too
    large, packs too much, has no header or no rows, or has too many rows. An `optional` sheet
    is only the one with a preferred title: None when the workbook has none (or it is empty),
    and it may have a header without rows.
    """
    upload.seek(0)  # a workbook may be read for more than one of its sheets
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB. Split it, or remove what is not needed.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    data = io.BytesIO(upload.read())
    _check_container(data)
    try:
        workbook = load_workbook(data, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(_not_a_workbook()) from error
    try:
        worksheet = _choose_sheet(workbook, preferred_titles, optional=optional)
        return None if worksheet is None else _read_sheet(worksheet, optional=optional)
    except ValidationError:
        raise
    except Exception as error:  # a damaged sheet part, found only while reading it
        raise ValidationError(_not_a_workbook()) from error
    finally:
        workbook.close()


def _not_a_workbook() -> str:
    return _(
        "This file is not an Excel workbook (.xlsx), or it is damaged or protected with a "
        "password. Save it as an Excel workbook (.xlsx) and upload it again."
    )


def _check_container(data: io.BytesIO) -> None:
    """An .xlsx is a zip of XML parts: check its list of parts before anything is unpacked."""
    if not zipfile.is_zipfile(data):
        raise ValidationError(_not_a_workbook())
    data.seek(0)
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(_not_a_workbook()) from error
    data.seek(0)
    names = {member.filename for member in members}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise ValidationError(_not_a_workbook())
    if any(member.flag_bits & 0x1 for member in members):
        raise ValidationError(_not_a_workbook())
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            _(
                "The workbook contains macros, which are not accepted. Save it as an Excel "
                "workbook (.xlsx) without macros and upload it again."
            )
        )
    # The unpacked sizes come from the zip's directory; Python's zipfile never unpacks a part
    # beyond its stated size, so checking them here bounds what parsing can unpack.
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_ZIP_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _(
                "The workbook unpacks to more than %(limit)s MB, far more than a sheet of goals "
                "needs. Upload a workbook with the goals sheet only."
            )
            % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _choose_sheet(workbook, preferred_titles: Iterable[str], *, optional: bool = False):
    titles = {title.casefold() for title in preferred_titles}
    for worksheet in workbook.worksheets:
        if worksheet.title.casefold() in titles:
            return worksheet
    return None if optional else workbook.worksheets[0]


def _read_sheet(worksheet, *, optional: bool = False) -> ReadSheet | None:
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        values = [_cell_value(cell) for cell in cells]
        if all(value is None for value in values):
            continue
        if headers is None:
            headers = ["" if value is None else str(value).strip() for value in values]
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(
                _(
                    "The sheet has more than %(limit)s rows. Import at most %(limit)s rows at a "
                    "time."
                )
                % {"limit": MAX_ROWS}
            )
        rows.append((number, values))
    if headers is None:
        if optional:
            return None
        raise ValidationError(_("The sheet is empty: it has no header row and no rows."))
    while headers and not headers[-1]:
        headers.pop()
    if not rows and not optional:
        raise ValidationError(_("The sheet has a header row but no rows below it."))
    return ReadSheet(headers=headers, rows=[(n, values[: len(headers)]) for n, values in rows])


def _cell_value(cell) -> object:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (
        value is not None
        and not isinstance(value, (str, int, float, Decimal, datetime.date, datetime.time))
    ):
        # A formula, an array formula or a data table: its result is not in the file for us.
        return Formula(str(getattr(value, "text", value)))
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
