#!/usr/bin/env bash
# Runs every fuzz target for N seconds (default 60), seeded with the real excerpts in fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for target in mbox mailtext; do
  mkdir -p "fuzz/corpus/$target"
  cp fixtures/mbox/*.mbox "fuzz/corpus/$target/" 2>/dev/null || true
  cargo fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$SECONDS_EACH" -max_len=65536
done
