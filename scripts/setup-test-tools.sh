#!/usr/bin/env bash
# Installs what the tests that use outside tools need, once, and prints where they are:
# - Debian's Chromium (the HTML report and the server's pages are opened in a real headless
#   browser; apt, as root or with sudo);
# - a Python virtual environment of the project's own, .tools/venv, with pyarrow and duckdb
#   (exported Parquet is read back by two other tools) and openapi-spec-validator (the
#   server's OpenAPI document is checked by an independent validator), from PyPI.
# Idempotent and quick when everything is there. The tests run it themselves
# (crates/hearth/tests/outputs.rs, server.rs), so `cargo test --workspace` needs nothing else.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
venv="$root/.tools/venv"
# One process at a time creates the environment (test binaries run in parallel).
mkdir -p "$root/.tools"
exec 9>"$root/.tools/.lock"
flock 9
if ! "$venv/bin/python" -c "import pyarrow, duckdb, openapi_spec_validator" >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    pyarrow duckdb openapi-spec-validator
fi
echo "chromium: $(command -v chromium)"
echo "python: $venv/bin/python"
"$venv/bin/python" -c "import pyarrow, duckdb; print('pyarrow', pyarrow.__version__, 'duckdb', duckdb.__version__)"
