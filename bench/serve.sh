#!/usr/bin/env bash
# Load benchmark of `hearth serve` on loopback: a store of about 1,000,000 messages (the
# usrp-users archive replayed 88 times by crates/hearth/examples/replay_mbox.rs), then wrk
# (Debian's package, installed if missing) against the report and queue endpoints with a
# bearer token, bounded in time (DURATION seconds a run) and in connections; then the same
# while an ingest of 12 more replicas (137,000 messages) runs from the CLI. Prints requests/s,
# latency percentiles and the server's memory. Only 127.0.0.1 is ever a target.
#
#   bench/serve.sh [DURATION]     # default 10 s a run
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
SHARED="${HEARTH_SHARED:-../shared/data}"
WORK="${HEARTH_BENCH_DIR:-${TMPDIR:-/tmp}/hearth-bench}"
PORT="${HEARTH_BENCH_PORT:-18080}"
N=88
EXTRA=12
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
BIN="$CARGO_TARGET_DIR/release/hearth"
cargo build --release --quiet --bin hearth --example replay_mbox
if ! command -v wrk >/dev/null; then
  SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
mkdir -p "$WORK"
REPLAY="$WORK/replay-$((N + EXTRA))"
if [ ! -f "$REPLAY/replica-$(printf %03d $((N + EXTRA - 1))).mbox" ]; then
  rm -rf "$REPLAY"
  "$CARGO_TARGET_DIR/release/examples/replay_mbox" $((N + EXTRA)) "$SHARED/mbox/usrp-users" "$REPLAY"
fi
DATA="$WORK/serve-1m"
FIRST=$(ls "$REPLAY"/replica-*.mbox | head -n $N)
LATER=$(ls "$REPLAY"/replica-*.mbox | tail -n $EXTRA)
fresh_store() {
  rm -rf "$DATA"; mkdir -p "$DATA"
  printf '[roles]\nbrand_email_domains = ["ettus.com", "ni.com", "emerson.com"]\n\n[brand]\nnames = ["Ettus", "USRP", "UHD", "RFNoC"]\n' >"$DATA/hearth.toml"
  # shellcheck disable=SC2086
  "$BIN" --quiet --data "$DATA" ingest mbox $FIRST >/dev/null
}
if [ ! -f "$DATA/.complete" ]; then
  echo "building the store ($N replicas)…"
  fresh_store
  touch "$DATA/.complete"
  cp "$DATA/hearth.sqlite" "$WORK/serve-1m.sqlite.base"
else
  # Start each run from the same store (the last run ingested more into it).
  cp "$WORK/serve-1m.sqlite.base" "$DATA/hearth.sqlite"; rm -f "$DATA"/hearth.sqlite-wal "$DATA"/hearth.sqlite-shm "$DATA/snapshot.cache"
fi
"$BIN" --data "$DATA" token revoke bench >/dev/null 2>&1 || true
TOKEN=$("$BIN" --data "$DATA" token create bench --role viewer)
"$BIN" --data "$DATA" token revoke bench-act >/dev/null 2>&1 || true
ACT=$("$BIN" --data "$DATA" token create bench-act --role admin)
"$BIN" --data "$DATA" user remove bench-admin >/dev/null 2>&1 || true
echo "bench password 1234" | "$BIN" --data "$DATA" user add bench-admin --role admin --password-stdin 2>/dev/null
MESSAGES=$("$BIN" --data "$DATA" report --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"])')
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); store: $MESSAGES messages, $(du -sh "$DATA" | cut -f1)"

# First without computing ahead (--warm-after 0): the first answers below are what each
# page costs to compute.
"$BIN" --data "$DATA" serve --listen "127.0.0.1:$PORT" --warm-after 0 2>"$WORK/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$SERVER/status"; }
peak() { awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$SERVER/status"; }
# The first answer of each endpoint is computed (and timed here); wrk measures the rest.
for path in /api/v1/report /api/v1/queue; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path")
  echo "first $path (computed): ${t} s"
done
load() { # label path
  local out; out=$(wrk -t2 -c16 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local errors; errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   server RSS %s %s\n' "$1" "$rps" "$p50" "$p99" "$(rss)" "${errors:+($errors)}"
}
# The dashboard's pages: the first answer (computed) and the median of the next five.
COOKIE=$(curl -s -i -X POST -d "username=bench-admin&password=bench+password+1234" "http://127.0.0.1:$PORT/login" \
  | awk -F'[=;]' '/^set-cookie: hearth_session=/ {print $2}')
echo "dashboard pages (server time on loopback: first answer, then median of 5):"
for page in / /queues /people/40 /threads/11291 /metrics /metrics/peer_share /social /audit /routing /jobs "/search?q=firmware" /data /settings /users; do
  first=$(curl -s -o /dev/null -w '%{time_total}' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT$page")
  rest=$(for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT$page"; done | sort -n | sed -n 3p)
  printf '  %-22s first %8.3f s   then %6.1f ms\n' "$page" "$first" "$(awk -v t="$rest" 'BEGIN {print t * 1000}')"
done
# A queue decision: an item marked done, then the queue read again (the items are kept across
# decisions; only the states are read again), then reopened.
ITEM=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/queue?per_page=1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
for action in done reopen; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -X POST -H "Authorization: Bearer $ACT" "http://127.0.0.1:$PORT/api/v1/queue/$ITEM/$action")
  after=$(curl -s -o /dev/null -w '%{time_total}' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT/queues")
  printf '  queue item %s: %s %6.1f ms, then /queues %6.1f ms\n' "$ITEM" "$action" \
    "$(awk -v t="$t" 'BEGIN {print t * 1000}')" "$(awk -v t="$after" 'BEGIN {print t * 1000}')"
done
load "report" /api/v1/report
load "queue (whole answer)" /api/v1/queue
load "queue, 50 items a page" "/api/v1/queue?per_page=50"
load "report, window 2025" "/api/v1/report?since=2025-01-01&until=2026-01-01"
echo "while an ingest of $EXTRA replicas runs from the CLI:"
# shellcheck disable=SC2086
( /usr/bin/time -f "  ingest: %e s, peak %M KiB" "$BIN" --quiet --data "$DATA" ingest mbox $LATER >/dev/null ) &
INGEST=$!
sleep 1
load "report during ingest" /api/v1/report
load "queue during ingest (50 a page)" "/api/v1/queue?per_page=50"
wait $INGEST || true
t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/report")
echo "first report after the ingest (computed): ${t} s"
load "report after ingest" /api/v1/report
echo "server peak RSS: $(peak)"

# Then as it runs by default: the main pages computed ahead once the data has settled. Time
# from the start until /healthz says the generation was warmed, then each page's first visit.
kill $SERVER; wait $SERVER 2>/dev/null || true
started=$(date +%s.%N)
"$BIN" --data "$DATA" serve --listen "127.0.0.1:$PORT" 2>>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
for _ in $(seq 600); do
  curl -s "http://127.0.0.1:$PORT/healthz" | python3 -c 'import json,sys; h=json.load(sys.stdin); sys.exit(0 if h["warm"]["generation"] == h["generation"] else 1)' && break
  sleep 0.5
done
echo "computed ahead after start: $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s (including the 5 s the data must stay unchanged)"
COOKIE=$(curl -s -i -X POST -d "username=bench-admin&password=bench+password+1234" "http://127.0.0.1:$PORT/login" \
  | awk -F'[=;]' '/^set-cookie: hearth_session=/ {print $2}')
echo "first visits once computed ahead:"
for page in / /queues /social /audit /routing /metrics; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT$page")
  printf '  %-22s %6.1f ms\n' "$page" "$(awk -v t="$t" 'BEGIN {print t * 1000}')"
done
# A window of its own (not computed ahead): what the default scope computed is filtered where
# the answer depends on the space and the end only; routing a window reads its text once.
echo "first visits of a window of its own (2025, then mid-2025 inside it):"
for page in "/?since=2025-01-01" "/audit?since=2025-01-01" "/queues?since=2025-01-01" \
  "/social?since=2025-01-01" "/metrics?since=2025-01-01" "/metrics/peer_share?since=2025-01-01" \
  "/routing?since=2025-01-01" "/routing?since=2025-06-01" "/?since=2025-01-01&until=2025-07-01"; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT$page")
  printf '  %-40s %8.1f ms\n' "$page" "$(awk -v t="$t" 'BEGIN {print t * 1000}')"
done
# Windows with an end of their own: an earlier as-of moment is a cut of what the whole space
# knows (the role audit's index, the routing index, the newcomer and lapsed lists), and
# routing reads no text once every message was read ahead (after the warm-up; /healthz says
# which generation was, under "read_ahead").
for _ in $(seq 1200); do
  curl -s "http://127.0.0.1:$PORT/healthz" | python3 -c 'import json,sys; h=json.load(sys.stdin); sys.exit(0 if h["read_ahead"]["generation"] == h["generation"] else 1)' && break
  sleep 0.5
done
echo "read ahead for routing after start: $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s; server RSS $(rss)"
echo "first visits of windows with an end of their own:"
for page in "/?since=2024-01-01&until=2024-07-01" "/audit?since=2024-01-01&until=2024-07-01" \
  "/queues?since=2024-01-01&until=2024-07-01" "/social?since=2024-01-01&until=2024-07-01" \
  "/metrics?since=2024-01-01&until=2024-07-01" "/routing?since=2024-01-01&until=2024-07-01" \
  "/routing?since=2023-01-01&until=2024-01-01" "/?until=2024-10-01" "/queues?until=2024-10-01" \
  "/audit?until=2024-10-01" \
  "/routing?since=2016-01-01"; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT$page")
  printf '  %-44s %8.1f ms\n' "$page" "$(awk -v t="$t" 'BEGIN {print t * 1000}')"
done
# Every page over years: nine years with an end of its own, since 2016, and both (each page
# at another day, so that each visit is a first one).
echo "first visits over years (until 2024-10-DD; since 2016-01-DD; since 2016-01-DD until 2024-09-DD; DD the page's number):"
k=0
for page in / /queues /audit /routing /social /metrics /metrics/peer_share \
  /metrics/first_response /metrics/activity /metrics/newcomers /metrics/absence \
  /metrics/survival /metrics/resilience /metrics/structure /metrics/sentiment \
  /metrics/themes /metrics/series /metrics/brand_dependence /people/40 "/search?q=firmware"; do
  k=$((k + 1))
  sep="?"; case $page in *\?*) sep="&";; esac
  a=$(curl -s -o /dev/null -w '%{time_total}' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT$page${sep}until=2024-10-$(printf %02d $k)")
  b=$(curl -s -o /dev/null -w '%{time_total}' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT$page${sep}since=2016-01-$(printf %02d $k)")
  c=$(curl -s -o /dev/null -w '%{time_total}' -b "hearth_session=$COOKIE" "http://127.0.0.1:$PORT$page${sep}since=2016-01-$(printf %02d $k)&until=2024-09-$(printf %02d $k)")
  printf '  %-26s %8.1f ms %8.1f ms %8.1f ms\n' "$page" "$(awk -v t="$a" 'BEGIN {print t * 1000}')" "$(awk -v t="$b" 'BEGIN {print t * 1000}')" "$(awk -v t="$c" 'BEGIN {print t * 1000}')"
done
echo "server peak RSS: $(peak)"
