#!/usr/bin/env bash
# Installs what the tests that use outside tools need, once, and prints where they are:
# - Debian's Chromium and ChromeDriver (the HTML report and the dashboard are opened in a real
#   headless browser, the dashboard driven over WebDriver; apt, as root or with sudo);
# - axe-core from the npm registry, into .tools/node_modules (the dashboard's accessibility
#   check runs it in the browser);
# - a Python virtual environment of the project's own, .tools/venv, with pyarrow and duckdb
#   (exported Parquet is read back by two other tools) and openapi-spec-validator (the
#   server's OpenAPI document is checked by an independent validator), from PyPI.
# Idempotent and quick when everything is there. The tests run it themselves
# (crates/hearth/tests/outputs.rs, server.rs, dashboard.rs), so `cargo test --workspace`
# needs nothing else.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# One process at a time installs (test binaries run in parallel).
mkdir -p "$root/.tools"
exec 9>"$root/.tools/.lock"
flock 9
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
fi
if [ ! -f "$root/.tools/node_modules/axe-core/axe.min.js" ]; then
  npm install --silent --no-audit --no-fund --prefix "$root/.tools" axe-core@4.14.1 >/dev/null
fi
venv="$root/.tools/venv"
if ! "$venv/bin/python" -c "import pyarrow, duckdb, openapi_spec_validator" >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    pyarrow duckdb openapi-spec-validator
fi
echo "chromium: $(command -v chromium), chromedriver: $(command -v chromedriver)"
echo "axe-core: $root/.tools/node_modules/axe-core/axe.min.js"
echo "python: $venv/bin/python"
"$venv/bin/python" -c "import pyarrow, duckdb; print('pyarrow', pyarrow.__version__, 'duckdb', duckdb.__version__)"
