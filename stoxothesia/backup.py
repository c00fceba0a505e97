"""Back up and restore the whole application: the database and the uploaded files.

A backup is a folder with three files:

- `database.dump` (PostgreSQL, `pg_dump -Fc`) or `database.sqlite3` (SQLite's online backup);
- `media.tar.gz`, the folder MEDIA_ROOT;
- `manifest.json`: when, which database engine, and a SHA-256 checksum of each file.

Restoring checks the checksums first, then replaces the database (`pg_restore --clean`, or
SQLite's backup API in the other direction) and the uploaded files. The README's "Backup and
restore" gives the same steps as plain shell commands.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


def back_up(*, destination: Path) -> dict:
    """Write a backup into `destination` (a new or empty folder); return its manifest."""
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise ValidationError(_("The backup folder %(path)s is not empty.") % {"path": destination})
    database_file = destination / _database_file_name()
    if _is_postgresql():
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={database_file}", *_pg_connection_args()])  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(database_file) as target:
            connection.connection.backup(target)
        target.close()
    with tarfile.open(destination / MEDIA_ARCHIVE, "w:gz") as archive:
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created": datetime.now(UTC).isoformat(),
        "engine": connection.vendor,
        "files": {
            name: _sha256(destination / name) for name in (database_file.name, MEDIA_ARCHIVE)
        },
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def check_backup(*, source: Path) -> dict:
    """The manifest of a complete, unaltered backup made on this database engine."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise ValidationError(_("%(path)s is not a backup: %(error)s") % {
            "path": source, "error": error}) from error  # fmt: skip
    if manifest.get("engine") != connection.vendor:
        raise ValidationError(
            _("This backup is of a %(engine)s database; this installation uses %(vendor)s.")
            % {"engine": manifest.get("engine"), "vendor": connection.vendor}
        )
    for name, checksum in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != checksum:
            raise ValidationError(_("%(name)s is missing or damaged.") % {"name": name})
    return manifest


def restore(*, source: Path) -> dict:
    """Replace the database and the uploaded files with those of a backup. Destructive."""
    manifest = check_backup(source=source)
    database_file = source / _database_file_name()
    if _is_postgresql():
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *_pg_connection_args(),
              str(database_file)])  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(database_file) as backup:
            backup.backup(connection.connection)
        backup.close()
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.rmtree(media_root)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        for member in archive.getmembers():
            member.name = member.name.removeprefix("media").lstrip("/") or "."
        media_root.mkdir(parents=True, exist_ok=True)
        archive.extractall(media_root, filter="data")
    return manifest


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _database_file_name() -> str:
    return "database.dump" if _is_postgresql() else "database.sqlite3"


def _pg_connection_args() -> list[str]:
    db = connection.settings_dict
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    return args


def _run(command: list[str]) -> None:
    env = {**os.environ}
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise ValidationError(
            _("%(command)s failed: %(error)s")
            % {"command": command[0], "error": result.stderr.strip()}
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
