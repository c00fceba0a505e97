"""Files people upload (the signed scans of decisions, the evidence of final values): what kind
of file each is, told by its content and never by its name, and the random names they are kept
under, so that an uploaded file's own name never reaches the disk."""

import uuid
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind("pdf", "application/pdf")
PNG = FileKind("png", "image/png")
JPEG = FileKind("jpg", "image/jpeg")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text")
ODS = FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet")
ODP = FileKind("odp", "application/vnd.oasis.opendocument.presentation")

# The kinds of evidence a final value may carry: documents, pictures, office files.
EVIDENCE_KINDS = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP)
KINDS_BY_EXTENSION = {kind.extension: kind for kind in EVIDENCE_KINDS}

# An Office Open XML file is a ZIP holding one of these parts; an OpenDocument file a ZIP whose
# entry "mimetype" names its type.
_OOXML_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
_OPENDOCUMENT_TYPES = {kind.content_type: kind for kind in (ODT, ODS, ODP)}


def random_name(folder: str, kind: FileKind) -> str:
    """Where an upload is kept: a random name in `folder`, with its kind's extension."""
    return f"{folder}/{uuid.uuid4().hex}.{kind.extension}"


def sniff(upload) -> FileKind | None:
    """What the file is, read from its first bytes (and, for a ZIP, from its table of contents:
    only names are read, never the compressed contents but the few bytes of "mimetype")."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def _office_kind(upload) -> FileKind | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            for part, kind in _OOXML_PARTS.items():
                if part in names and "[Content_Types].xml" in names:
                    return kind
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return _OPENDOCUMENT_TYPES.get(declared)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def check_upload(upload, *, kinds: tuple[FileKind, ...], refusal: str) -> FileKind:
    """The upload's kind, when it is one of `kinds` and at most 10 MB; otherwise a
    ValidationError (`refusal` says which files are accepted)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    kind = sniff(upload)
    if kind not in kinds:
        raise ValidationError(refusal)
    return kind
