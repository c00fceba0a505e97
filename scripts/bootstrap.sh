#!/usr/bin/env bash
# Shared set-up for scripts/start and scripts/test: finds a Python 3.12+, creates .venv,
# installs the locked dependencies and compiles the translations. Safe to run again: each step
# is skipped when it is already done.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
}

find_python() {
    local cand
    for cand in python3.14 python3.13 python3.12 python3 python; do
        if command -v "$cand" >/dev/null 2>&1 && python_ok "$(command -v "$cand")"; then
            command -v "$cand"
            return 0
        fi
    done
    local pyenv_root=""
    if command -v pyenv >/dev/null 2>&1; then
        pyenv_root=$(pyenv root)
    elif [ -d "${PYENV_ROOT:-$HOME/.pyenv}" ]; then
        pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
    fi
    if [ -n "$pyenv_root" ]; then
        for cand in $(ls -d "$pyenv_root"/versions/3.* 2>/dev/null | sort -rV); do
            if [ -x "$cand/bin/python3" ] && python_ok "$cand/bin/python3"; then
                echo "$cand/bin/python3"
                return 0
            fi
        done
    fi
    return 1
}

if [ ! -x "$VENV/bin/python" ] || ! python_ok "$VENV/bin/python"; then
    PYTHON=$(find_python) || die "Stoxothesia needs Python 3.12 or newer, and none was found on \
PATH (python3.13, python3.12, python3) or in pyenv. Install one (e.g. 'pyenv install 3.13') and run again."
    say "Creating .venv with $("$PYTHON" --version) ($PYTHON)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi

STAMP="$VENV/.lock-installed"
if [ ! -f "$STAMP" ] || ! cmp -s requirements.lock "$STAMP"; then
    say "Installing the locked dependencies (requirements.lock)"
    # Hide the machine's notes about local package mirrors that are absent; keep real errors.
    {
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            --require-hashes -r requirements.lock
    } 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    cp requirements.lock "$STAMP"
fi

# System packages: gettext compiles the translations; WeasyPrint (the PDFs of decisions and
# reports) needs Pango and a font with Greek letters; the test suite also needs Chromium.
need_apt=()
command -v msgfmt >/dev/null 2>&1 || need_apt+=(gettext)
has_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
has_lib libpango-1.0.so.0 || need_apt+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || need_apt+=(libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
if [ "${STOX_WITH_TEST_TOOLS:-0}" = 1 ]; then
    [ -x /usr/bin/chromium ] || need_apt+=(chromium)
    # LibreOffice (headless Calc) converts an exported workbook in one test of the export.
    command -v libreoffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc-nogui)
    # The Nu Html Checker (vnu.jar, from npm) runs on Java in tests/browser/test_every_page.py.
    command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
fi
if [ "${STOX_WITH_BENCH_TOOLS:-0}" = 1 ]; then  # make bench: the load generator
    command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing system packages: ${need_apt[*]}"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${need_apt[@]}" >/dev/null
    else
        die "These system packages are missing: ${need_apt[*]}. Install them (e.g. \
'sudo apt-get install ${need_apt[*]}') and run again."
    fi
fi

say "Compiling translations"
"$VENV/bin/python" manage.py compilemessages --ignore=.venv --verbosity 0

# The Nu Html Checker of tests/browser/test_every_page.py: vnu-jar, pinned in package-lock.json.
if [ "${STOX_WITH_TEST_TOOLS:-0}" = 1 ] && [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
    command -v npm >/dev/null 2>&1 || die "npm is missing: install Node.js and npm (e.g. \
'sudo apt-get install npm'), then run again; the HTML checker (vnu-jar) comes from npm."
    say "Installing the HTML checker (npm ci)"
    npm ci --no-audit --no-fund --silent
fi
