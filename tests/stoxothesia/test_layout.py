"""The layout CONTRIBUTING describes, kept: one permission layer, apps below the project, modules
a reader can take in."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("directorates", "goals", "meetings", "portal")
LONGEST_MODULE = 600
# A role tested in a template instead of a `may_*` flag from the rules.
ROLE_TEST = re.compile(
    r"{%\s*(?:el)?if\b[^%]*\buser\.(?:is_coordinator|sees_everything|is_head_of_\w+|is_mayor|"
    r"is_staff|has_role|roles)\b"
)


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_only_the_permission_layer_raises_permission_denied():
    raising = [
        str(path.relative_to(ROOT))
        for path in [*app_modules(), *(ROOT / "stoxothesia").rglob("*.py")]
        if "raise PermissionDenied" in path.read_text()
    ]
    assert raising == ["directorates/rules.py"]


def test_templates_ask_the_rules_not_the_roles():
    testing_roles = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in ROLE_TEST.finditer(path.read_text())
    ]
    assert testing_roles == []


def test_no_module_of_an_app_is_longer_than_a_reader_takes_in():
    long_modules = [
        str(path.relative_to(ROOT))
        for path in app_modules()
        if len(path.read_text().splitlines()) > LONGEST_MODULE
    ]
    assert long_modules == []


def imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_apps_never_import_the_project_package():
    importing = [
        str(path.relative_to(ROOT))
        for path in app_modules()
        if any(name.split(".")[0] == "stoxothesia" for name in imported_modules(path))
    ]
    assert importing == []


def test_the_project_middleware_takes_nothing_from_an_apps_views():
    from_views = [
        name
        for name in imported_modules(ROOT / "stoxothesia" / "middleware.py")
        if ".views" in name
    ]
    assert from_views == []
