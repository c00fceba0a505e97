"""The public face sits above the apps: it reads goals, directorates and meetings; nothing but
the project package (URLs, settings, demo) reads it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMPORTS_PORTAL = re.compile(r"^\s*(?:from|import)\s+portal\b", re.MULTILINE)


def test_no_app_imports_the_portal():
    importing = [
        str(path.relative_to(ROOT))
        for app in ("directorates", "goals", "meetings")
        for path in sorted((ROOT / app).rglob("*.py"))
        if IMPORTS_PORTAL.search(path.read_text())
    ]
    assert importing == []
