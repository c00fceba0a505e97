"""Workbooks made in the tests, and reading back what the app sends."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

GREEK_HEADERS = [
    "Κωδικός",
    "Διεύθυνση",
    "Κατηγορία",
    "Τίτλος",
    "Δείκτης μέτρησης",
    "Είδος στόχου",
    "Τιμή βάσης",
    "Τιμή-στόχος",
    "Προθεσμία",
    "Βαρύτητα",
]


def workbook_bytes(rows: list[list[object]], title: str = "Στόχοι") -> bytes:
    """An .xlsx file whose first sheet holds these rows (the first one being the header)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(content: bytes, name: str = "goals.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def read_back(content: bytes, sheet: int | str = 0) -> list[tuple]:
    """The rows of a sheet of an .xlsx response, as values."""
    workbook = load_workbook(io.BytesIO(content))
    worksheet = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
    return list(worksheet.iter_rows(values_only=True))
