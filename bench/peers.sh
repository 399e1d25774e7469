#!/usr/bin/env bash
# Peers side by side, on the same inputs, on this machine: Perceval (PyPI) reading mbox,
# Python's bare `mailbox` parse (Message-ID, In-Reply-To, From and the payload of each
# message), the `grep -c '^From '` read floor, chat-analytics (npm) on a DiscordChatExporter
# file, and Hearth (ingest into a fresh store, then `report --json`) on each.
#
#   bench/peers.sh [RUNS]     # RUNS runs of each (default 3); prints medians and ratios
#
# Perceval goes into its own virtualenv and chat-analytics into its own npm prefix, both under
# $HEARTH_PEERS_DIR (default ~/.cache/hearth-peers), never into the system's Python or Node.
# Inputs: ../shared/data/mbox/usrp-users (11,424 messages); about 100,000 messages of it
# replayed 9 times (crates/hearth/examples/replay_mbox.rs), and that mbox written as one
# DiscordChatExporter channel (every message a post, its reply a Discord reply).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
SHARED="${HEARTH_SHARED:-../shared/data}"
WORK="${HEARTH_BENCH_DIR:-${TMPDIR:-/tmp}/hearth-bench}"
PEERS="${HEARTH_PEERS_DIR:-$HOME/.cache/hearth-peers}"
mkdir -p "$WORK" "$PEERS"

cargo build --release --quiet --bin hearth --example replay_mbox
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/hearth"

# The peers, once.
if [ ! -x "$PEERS/venv/bin/perceval" ]; then
  python3 -m venv "$PEERS/venv"
  "$PEERS/venv/bin/pip" install --quiet perceval
fi
if [ ! -x "$PEERS/npm/bin/chat-analytics" ]; then
  npm install --silent --global --prefix "$PEERS/npm" chat-analytics
fi

# The inputs, once.
USRP="$SHARED/mbox/usrp-users"
R9="$WORK/replay-9"
if [ ! -f "$R9/replica-008.mbox" ]; then
  rm -rf "$R9"
  "$TARGET/release/examples/replay_mbox" 9 "$USRP" "$R9"
fi
MBOX100K="$WORK/replay-9.mbox"
[ -f "$MBOX100K" ] || cat "$R9"/*.mbox >"$MBOX100K"
DISCORD="$WORK/replay-9-discord.json"
if [ ! -f "$DISCORD" ]; then
  python3 - "$MBOX100K" "$DISCORD" <<'PY'
import datetime, email.utils, json, mailbox, sys
box = mailbox.mbox(sys.argv[1])
ids, people, messages = {}, {}, []
for n, m in enumerate(box):
    mid = (m.get("Message-ID") or f"<m{n}>").strip()
    ids[mid] = str(10**17 + n)
    name, addr = email.utils.parseaddr(m.get("From") or "")
    person = people.setdefault(addr or name, str(2 * 10**17 + len(people)))
    try:
        when = email.utils.parsedate_to_datetime(m.get("Date"))
        when = when.astimezone(datetime.timezone.utc).isoformat()
    except Exception:
        continue
    body = m.get_payload(decode=True) if not m.is_multipart() else b""
    text = (body or b"").decode("utf-8", "replace")[:4000]
    msg = {"id": ids[mid], "type": "Default", "timestamp": when, "timestampEdited": None,
           "callEndedTimestamp": None, "isPinned": False, "content": text,
           "author": {"id": person, "name": name or addr, "discriminator": "0000",
                      "nickname": name or addr, "color": None, "isBot": False,
                      "avatarUrl": "https://cdn.discordapp.com/embed/avatars/0.png"},
           "attachments": [], "embeds": [], "stickers": [], "reactions": [], "mentions": []}
    parent = (m.get("In-Reply-To") or "").strip()
    if parent in ids:
        msg["type"] = "Reply"
        msg["reference"] = {"messageId": ids[parent], "channelId": "1", "guildId": "1"}
    messages.append(msg)
# In time order, as DiscordChatExporter writes them (every timestamp in UTC: one order).
messages.sort(key=lambda x: x["timestamp"])
doc = {"guild": {"id": "1", "name": "usrp-users", "iconUrl": ""},
       "channel": {"id": "1", "type": "GuildTextChat", "categoryId": "1", "category": "lists",
                   "name": "usrp-users", "topic": None},
       "dateRange": {"after": None, "before": None},
       "messages": messages, "messageCount": len(messages)}
json.dump(doc, open(sys.argv[2], "w"))
print(f"wrote {len(messages)} messages to {sys.argv[2]}", file=sys.stderr)
PY
fi

BARE="$WORK/bare_mailbox.py"
cat >"$BARE" <<'PY'
import mailbox, os, sys
n = 0
paths = [sys.argv[1]] if os.path.isfile(sys.argv[1]) else sorted(
    os.path.join(sys.argv[1], f) for f in os.listdir(sys.argv[1]))
for p in paths:
    for m in mailbox.mbox(p):
        _ = (m.get("Message-ID"), m.get("In-Reply-To"), m.get("From"), m.get_payload())
        n += 1
print(n)
PY

# median SECONDS of RUNS runs of a command (its output thrown away); a setup command runs
# before each.
median() { # setup command...
  local setup="$1"; shift
  local times=()
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    local t0 t1; t0=$(date +%s.%N)
    if ! "$@" >/dev/null 2>"$WORK/peers-last.err"; then
      echo "error: $* failed:" >&2; tail -5 "$WORK/peers-last.err" >&2; exit 1
    fi
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

STORE="$WORK/peers-store"
RULES='[roles]
brand_email_domains = ["ettus.com", "ni.com", "emerson.com"]'
fresh='rm -rf "$STORE"; mkdir -p "$STORE"; printf "%s\n" "$RULES" >"$STORE/hearth.toml"'
hearth_mbox() { "$BIN" --quiet --data "$STORE" ingest mbox "$1" && "$BIN" --data "$STORE" report --json; }
hearth_discord() { "$BIN" --quiet --data "$STORE" ingest discord "$1" && "$BIN" --data "$STORE" report --json; }
perceval_mbox() { # a folder or one file: Perceval's mbox backend reads a folder
  local dir="$1"; if [ -f "$1" ]; then dir="$WORK/peers-one"; rm -rf "$dir"; mkdir -p "$dir"; ln -s "$1" "$dir/"; fi
  "$PEERS/venv/bin/perceval" mbox "file://$dir" "$dir" --json-line
}
# Through a pipe: GNU grep stops at the first match when its output is /dev/null.
grep_floor() { if [ -d "$1" ]; then cat "$1"/* | grep -c '^From ' | cat; else grep -c '^From ' "$1" | cat; fi; }
chat_analytics() { "$PEERS/npm/bin/chat-analytics" -p discord -i "$1" -o "$WORK/peers-report.html"; }

row() { # label hearth-seconds peer-seconds
  awk -v l="$1" -v h="$2" -v p="$3" 'BEGIN { printf "| %-44s | %8.2f s | %8.2f s | %6.1f× |\n", l, h, p, p / h }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $RUNS runs each, medians"
echo "| input, peer | Hearth | peer | peer ÷ Hearth |"
echo "|---|---|---|---|"
h=$(median "$fresh" hearth_mbox "$USRP")
row "usrp-users (11,424): Perceval" "$h" "$(median : perceval_mbox "$USRP")"
row "usrp-users: Python mailbox, bare parse" "$h" "$(median : python3 "$BARE" "$USRP")"
row "usrp-users: grep -c '^From ' (read floor)" "$h" "$(median : grep_floor "$USRP")"
h=$(median "$fresh" hearth_mbox "$MBOX100K")
row "replay ×9 mbox (102,816): Perceval" "$h" "$(median : perceval_mbox "$MBOX100K")"
row "replay ×9 mbox: Python mailbox, bare parse" "$h" "$(median : python3 "$BARE" "$MBOX100K")"
row "replay ×9 mbox: grep -c '^From '" "$h" "$(median : grep_floor "$MBOX100K")"
h=$(median "$fresh" hearth_discord "$DISCORD")
row "replay ×9, DiscordChatExporter: chat-analytics" "$h" "$(median : chat_analytics "$DISCORD")"
