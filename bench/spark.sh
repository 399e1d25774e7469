#!/usr/bin/env bash
# The embedded engine and Apache Spark side by side on the replayed usrp-users archive
# (crates/hearth/examples/replay_mbox.rs, N copies: 88 → 1,000,000 messages, 880 → 10,000,000):
# ingest, the embedded report (first, then cached), the partitioned Parquet export (first, then
# an export with nothing changed), its size, the Spark job in local mode (spark/hearth_report.py
# through scripts/spark-report.sh, local[2] by default), and spark/compare.py checking that
# Spark's numbers equal the embedded engine's, key by key (the script fails if not).
#
#   bench/spark.sh [N...]      # default 88; each N is a store of its own, kept in $WORK
#
# Wall time, CPU time and peak memory of each step; numbers for BENCHMARKS.md come from here.
# A replay's mbox input is deleted once its store is built (10M messages are 48 GB of mail).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${HEARTH_SHARED:-../shared/data}"
WORK="${HEARTH_BENCH_DIR:-${TMPDIR:-/tmp}/hearth-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --bin hearth --example replay_mbox
BIN="$CARGO_TARGET_DIR/release/hearth"
mkdir -p "$WORK"
bash scripts/setup-spark.sh >/dev/null
if [ ! -x /usr/bin/time ]; then
  SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
fi

# Hearth's steps are one process: /usr/bin/time gives their CPU time and peak resident set.
measure() { # label messages command...
  local label="$1" messages="$2"; shift 2
  local out; out=$(mktemp)
  /usr/bin/time -f "%e %U %S %M" -o "$out" "$@" >/dev/null 2>>"$WORK/spark-bench.log"
  read -r wall user sys rss_kb <"$out"; rm -f "$out"
  report_line "$label" "$messages" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$rss_kb" ""
}
# Spark's JVM is not a child that /usr/bin/time waits for: where cgroup v1's cpuacct is
# writable, the step runs in a cgroup of its own (CPU time of every process from there, memory
# the largest sum of the processes' resident sets, sampled every 0.2 s); elsewhere
# /usr/bin/time's figures, which leave the JVM out, and say so.
CG=""
if mkdir -p /sys/fs/cgroup/cpuacct/hearth-bench-$$ 2>/dev/null; then
  CG="hearth-bench-$$"
  trap 'rmdir /sys/fs/cgroup/cpuacct/$CG 2>/dev/null || true' EXIT
fi
measure_tree() { # label messages command...
  if [ -z "$CG" ]; then
    local label="$1"; shift
    measure "$label (python only: no cgroup)" "$@"
    return
  fi
  local label="$1" messages="$2"; shift 2
  echo 0 >/sys/fs/cgroup/cpuacct/$CG/cpuacct.usage
  local start; start=$(date +%s.%N)
  bash -c 'echo $$ >/sys/fs/cgroup/cpuacct/'"$CG"'/tasks; exec "$@"' _ "$@" >/dev/null 2>>"$WORK/spark-bench.log" &
  local pid=$! peak=0 sum r p
  while kill -0 "$pid" 2>/dev/null; do
    sum=0
    for p in $(cat /sys/fs/cgroup/cpuacct/$CG/cgroup.procs 2>/dev/null); do
      r=$(awk '/^VmRSS/ { print $2 }' /proc/"$p"/status 2>/dev/null || true)
      sum=$((sum + ${r:-0}))
    done
    [ "$sum" -gt "$peak" ] && peak=$sum
    sleep 0.2
  done
  wait "$pid"
  local end; end=$(date +%s.%N)
  report_line "$label" "$messages" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
    "$(awk -v c="$(cat /sys/fs/cgroup/cpuacct/$CG/cpuacct.usage)" 'BEGIN { print c / 1e9 }')" "$peak" " (all processes)"
}
report_line() { # label messages wall cpu rss_kb note
  awk -v l="$1" -v m="$2" -v w="$3" -v c="$4" -v r="$5" -v n="$6" 'BEGIN {
    printf "%-40s %9d msgs  wall %7.2f s  cpu %7.2f s  %9.0f msgs/s  peak %7.1f MiB%s\n",
      l, m, w, c, (w > 0 ? m / w : 0), r / 1024, n }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(java -version 2>&1 | head -1)"
for N in "${@:-88}"; do
  data="$WORK/spark-${N}x"
  if [ ! -f "$data/.complete" ]; then
    replay="$WORK/replay-$N"
    if [ ! -f "$replay/replica-$(printf %03d $((N - 1))).mbox" ]; then
      rm -rf "$replay"
      "$CARGO_TARGET_DIR/release/examples/replay_mbox" "$N" "$SHARED/mbox/usrp-users" "$replay"
    fi
    rm -rf "$data"; mkdir -p "$data"
    printf '[roles]\nbrand_email_domains = ["ettus.com", "ni.com", "emerson.com"]\n' >"$data/hearth.toml"
    measure "ingest ${N}x" $((11424 * N)) "$BIN" --quiet --data "$data" ingest mbox "$replay"
    touch "$data/.complete"
    rm -rf "$replay"
  fi
  messages=$("$BIN" --data "$data" report --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"])')
  echo "== ${N}x: $messages messages, store $(du -sh "$data" | cut -f1)"
  rm -f "$data/snapshot.cache"
  measure "report, first (snapshot built)" "$messages" "$BIN" --data "$data" report --json
  measure "report, cached" "$messages" "$BIN" --data "$data" report --json
  measure "metrics activity" "$messages" "$BIN" --data "$data" metrics activity --json
  out="$WORK/spark-${N}x-parquet"
  rm -rf "$out"
  measure "export --partitioned, first" "$messages" "$BIN" --data "$data" export --partitioned "$out" --no-text
  measure "export --partitioned, nothing changed" "$messages" "$BIN" --data "$data" export --partitioned "$out" --no-text
  echo "  export: $(du -sh "$out" | cut -f1), $(find "$out" -name '*.parquet' | wc -l) files"
  measure_tree "Spark local[2] report" "$messages" bash scripts/spark-report.sh "$out" --out "$WORK/spark-${N}x.json"
  python3 spark/compare.py "$BIN" "$data" "$WORK/spark-${N}x.json"
done
