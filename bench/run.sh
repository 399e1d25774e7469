#!/usr/bin/env bash
# Whole-process benchmark: ingest and report on the real usrp-users archive and on a larger
# input replayed from it (crates/hearth/examples/replay_mbox.rs: N copies, ids and addresses
# remapped per copy, bodies, dates and thread shape kept); then one ingest per other reader:
# the shared datasets, and for formats without shared data their fixture replicated to
# 200,000 messages with fresh ids (written by python3 from the fixture, kept in $WORK).
#
#   bench/run.sh [N]        # N replicas for the large input (default 100 → 1.14M messages)
#   bench/run.sh 0          # skip the large mbox input; readers only
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

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --bin hearth --example replay_mbox
BIN="$CARGO_TARGET_DIR/release/hearth"
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
  measure "metrics $name (every snapshot metric)" "$messages" "$BIN" --data "$data" metrics \
    peer_share first_response survival brand_dependence resilience structure activity \
    newcomers absence series --json
  echo "  store: $(du -sh "$data" | cut -f1)"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
run_case usrp-users "$SHARED/mbox/usrp-users" 11424

if [ "$N" -gt 0 ]; then
  if [ ! -f "$WORK/replay-$N/replica-$(printf %03d $((N - 1))).mbox" ]; then
    rm -rf "$WORK/replay-$N"
    "$CARGO_TARGET_DIR/release/examples/replay_mbox" "$N" "$SHARED/mbox/usrp-users" "$WORK/replay-$N"
  fi
  run_case "replay-${N}x" "$WORK/replay-$N" $((11424 * N))
fi

# Every other reader, once each.
reader() { # format input messages
  local data="$WORK/$1-reader-data"
  rm -rf "$data"
  measure "ingest $1" "$3" "$BIN" --quiet --data "$data" ingest "$1" "$2"
}
reader stackexchange "$SHARED/stackexchange" 4772
reader irc "$SHARED/irc-ubuntu/train" 197154   # includes reply inference
reader slack "$SHARED/slack/clojurians-log-demo" 8035
reader slack "$SHARED/slack/houstondatavis-export" 1025
reader discourse "$SHARED/discourse/askci" 592
reader github "$SHARED/github" 36

python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
d = json.load(open("fixtures/discord/hearth-guild-general.json"))
t = [m for m in d["messages"] if m["type"] in ("Default", "Reply")]
out = []
for i in range(200000):
    m = dict(t[i % len(t)]); m["id"] = str(2 * 10**18 + i)
    if "reference" in m:
        m["reference"] = dict(m["reference"], messageId=str(2 * 10**18 + i - 1))
    out.append(m)
d["messages"] = out
json.dump(d, open(f"{work}/discord-200k.json", "w"))
lines = [l for l in open("fixtures/reddit/RC_RS_hearthtest.ndjson") if "[deleted]" not in l]
with open(f"{work}/reddit-200k.ndjson", "w") as f:
    for i in range(200000):
        o = json.loads(lines[i % len(lines)]); o["id"] = f"z{i}"
        if "parent_id" in o:
            o["parent_id"] = f"t1_z{i - 1}"
        f.write(json.dumps(o) + "\n")
t = json.load(open("fixtures/telegram/result.json"))
msgs = [m for m in t["messages"] if m["type"] == "message"]
out = []
for i in range(200000):
    m = dict(msgs[i % len(msgs)]); m["id"] = i + 1
    if "reply_to_message_id" in m:
        m["reply_to_message_id"] = i
    out.append(m)
t["messages"] = out
json.dump(t, open(f"{work}/telegram-200k.json", "w"))
with open(f"{work}/generic-200k.jsonl", "w") as f, open(f"{work}/generic-200k.csv", "w") as c:
    c.write("id,time,author,space,parent,mentions,text\n")
    for i in range(200000):
        a, p = i % 500, max(i - 1, 0)
        f.write(json.dumps({"id": f"m{i}", "time": 1709546400 + i, "author": f"u{a}",
                            "space": "forum", "parent": f"m{p}", "mentions": [f"u{(a + 1) % 500}"],
                            "text": f"Thanks, that helped with {i}."}) + "\n")
        c.write(f'm{i},{1709546400 + i},u{a},forum,m{p},u{(a + 1) % 500},"Thanks, that helped with {i}."\n')
PY
reader discord "$WORK/discord-200k.json" 200000
reader reddit "$WORK/reddit-200k.ndjson" 200000
reader telegram "$WORK/telegram-200k.json" 200000
reader jsonl "$WORK/generic-200k.jsonl" 200000
reader csv "$WORK/generic-200k.csv" 200000
