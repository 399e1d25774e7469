#!/usr/bin/env bash
# Installs what the output tests need, once: Debian's Chromium (the HTML report is opened in a
# real headless browser) and, from PyPI, pyarrow and duckdb (exported Parquet is read back by
# two other tools). Idempotent and quick when everything is there. The tests run it
# themselves (crates/hearth/tests/outputs.rs), so `cargo test --workspace` needs nothing else.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
if ! python3 -c "import pyarrow, duckdb" >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check pyarrow duckdb
fi
echo "chromium: $(command -v chromium)"
python3 -c "import pyarrow, duckdb; print('pyarrow', pyarrow.__version__, 'duckdb', duckdb.__version__)"
