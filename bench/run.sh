#!/usr/bin/env bash
# Whole-process benchmark: ingest and report on the real usrp-users archive and on a larger
# input replayed from it (crates/hearth/examples/replay_mbox.rs: N copies, ids and addresses
# remapped per copy, bodies, dates and thread shape kept).
#
#   bench/run.sh [N]        # N replicas for the large input (default 100 → 1.14M messages)
#
# Needs ../shared/data beside the checkout. Prints wall time, CPU time, peak memory and
# throughput for each step; numbers for BENCHMARKS.md come from here.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100}"
SHARED="${HEARTH_SHARED:-../shared/data}"
WORK="${HEARTH_BENCH_DIR:-${TMPDIR:-/tmp}/hearth-bench}"
RULES='[roles]
brand_email_domains = ["ettus.com", "ni.com", "emerson.com"]'

cargo build --release --quiet --bin hearth --example replay_mbox
BIN=target/release/hearth
mkdir -p "$WORK"

measure() { # label messages command...
  local label="$1" messages="$2"; shift 2
  local out; out=$(mktemp)
  /usr/bin/time -f "%e %U %S %M" -o "$out" "$@" >/dev/null
  read -r wall user sys rss_kb <"$out"; rm -f "$out"
  awk -v l="$label" -v m="$messages" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss_kb" 'BEGIN {
    printf "%-34s %9d msgs  wall %7.2f s  cpu %7.2f s  %9.0f msgs/s  peak %7.1f MiB  %6.0f B/msg\n",
      l, m, w, u + s, (w > 0 ? m / w : 0), r / 1024, r * 1024 / m }'
}

run_case() { # name input messages
  local name="$1" input="$2" messages="$3" data="$WORK/$1-data"
  rm -rf "$data"; mkdir -p "$data"; printf '%s\n' "$RULES" >"$data/hearth.toml"
  measure "ingest $name" "$messages" "$BIN" --quiet --data "$data" ingest mbox "$input"
  measure "re-ingest $name (all duplicates)" "$messages" "$BIN" --quiet --data "$data" ingest mbox "$input"
  measure "report $name" "$messages" "$BIN" --data "$data" report --json
  echo "  store: $(du -sh "$data" | cut -f1)"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
run_case usrp-users "$SHARED/mbox/usrp-users" 11424

if [ ! -f "$WORK/replay-$N/replica-$(printf %03d $((N - 1))).mbox" ]; then
  rm -rf "$WORK/replay-$N"
  target/release/examples/replay_mbox "$N" "$SHARED/mbox/usrp-users" "$WORK/replay-$N"
fi
run_case "replay-${N}x" "$WORK/replay-$N" $((11424 * N))
