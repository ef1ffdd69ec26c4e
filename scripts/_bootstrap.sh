# Sourced by the other scripts: find or install the pinned uv, then sync the environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV_VERSION="0.13.8"
if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
    UV="uv"
else
    # A private venv for the tool, so no system Python is touched (PEP 668).
    if [ ! -x .tools/bin/uv ]; then
        echo "Installing uv $UV_VERSION into .tools/ ..."
        python3 -m venv .tools
        .tools/bin/pip install --quiet "uv==$UV_VERSION"
    fi
    UV="$ROOT/.tools/bin/uv"
fi
export UV
