# Sourced by scripts/start and scripts/test: installs what the portal needs on a fresh
# Debian machine (system libraries, a virtualenv with the project), idempotently.
# Usage: bootstrap "runtime" | bootstrap "test"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

_missing_debian_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    echo "${missing[@]:-}"
}

_install_debian_packages() {
    local missing
    missing="$(_missing_debian_packages "$@")"
    [ -z "$missing" ] && return 0
    command -v apt-get >/dev/null || { echo "Please install: $missing" >&2; return 1; }
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing Debian packages: $missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

bootstrap() {
    local kind="$1"
    # WeasyPrint renders letters with Pango; DejaVu gives it fonts with Dutch diacritics.
    local packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
    if [ "$kind" = "test" ]; then
        # The browser tests drive Debian's Chromium: a browser download cannot work here.
        packages+=(chromium)
    fi
    # npm fetches the pinned NL Design System package the stylesheet is built from. Only
    # when there is no npm at all: a Node.js from elsewhere (NodeSource) brings its own.
    command -v npm >/dev/null || packages+=(npm)
    _install_debian_packages "${packages[@]}"
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$kind"
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        "$VENV/bin/python" -m pip install -q --upgrade pip
        if [ "$kind" = "test" ]; then
            "$VENV/bin/python" -m pip install -q -e "$ROOT[test]"
        else
            "$VENV/bin/python" -m pip install -q -e "$ROOT"
        fi
        touch "$stamp"
    fi
    # The one stylesheet the pages link (portal/web/cssbuild.py); skipped when up to date.
    (cd "$ROOT" && "$VENV/bin/python" -m portal.web.cssbuild)
    export PATH="$VENV/bin:$PATH"
    export FLASK_APP=wsgi
    cd "$ROOT"
}
