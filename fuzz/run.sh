#!/usr/bin/env bash
# Runs every fuzz target, seeded with real excerpts from fixtures/ and ../shared/data.
#   bash fuzz/run.sh [SECONDS]     each target for SECONDS (default 60): a longer search
#   bash fuzz/run.sh --runs N      each target for N inputs from its seeds: what .ci/run does,
#                                  a fixed amount
# cargo-fuzz is installed into .tools/cargo-fuzz the first time; the stable toolchain builds
# the targets (RUSTC_BOOTSTRAP=1, since no nightly is available here). Crashes land in
# fuzz/artifacts/<target>/; add each as a regression test named after what it fixes.
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=(-max_total_time="${1:-60}")
# A time-boxed search grows a corpus kept between runs; a fixed number of runs (CI) starts
# from the seeds alone, so that its cost stays the same from one run to the next (the kept
# corpus of the server target had grown to 500 inputs, and CI replayed each every run).
CORPORA=""
if [ "${1:-}" = "--runs" ]; then
  LIMIT=(-runs="${2:?--runs needs a number}")
  CORPORA="$(mktemp -d)"
  trap 'rm -rf "$CORPORA"' EXIT
fi
TOOLS="${HEARTH_FUZZ_TOOLS:-$PWD/.tools/cargo-fuzz}"
if ! command -v cargo-fuzz >/dev/null && [ ! -x "$TOOLS/bin/cargo-fuzz" ]; then
  cargo install cargo-fuzz --locked --root "$TOOLS"
fi
export PATH="$TOOLS/bin:$PATH"
export RUSTC_BOOTSTRAP=1
# Builds outlive the clone, like the tests' (CI reuses them).
TARGET_DIR="${HEARTH_FUZZ_TARGET_DIR:-$HOME/.cache/hearth-fuzz-target}"
SE=../shared/data/stackexchange/conlang.meta.stackexchange.com
SLACK=../shared/data/slack/clojurians-log-demo
ASKCI=../shared/data/discourse/askci/data/2019-10-19
TARGETS=(mbox mailtext stackexchange slack discourse github discord reddit telegram generic irc job_check social config server_request compose)
cargo fuzz build --target-dir "$TARGET_DIR"
for target in "${TARGETS[@]}"; do
  corpus="${CORPORA:-$TARGET_DIR/corpus}/$target"
  mkdir -p "$corpus"
  case "$target" in
    stackexchange) # seeds: real dump files, first byte chooses the file kind
      for f in Posts Comments Users PostHistory; do
        [ -f "$SE/$f.xml" ] && head -c 20000 "$SE/$f.xml" >"$corpus/$f.xml"
      done ;;
    slack) # seeds: real event lines and user records
      [ -d "$SLACK" ] && head -c 20000 "$SLACK/logs/2018-02-01.txt" >"$corpus/events.txt"
      [ -d "$SLACK" ] && head -c 20000 "$SLACK/users.edn" >"$corpus/users.edn" ;;
    discourse) # seeds: a few real topic files
      if [ -d "$ASKCI" ]; then
        for f in $(find "$ASKCI" -name '*-post-*.json' | sort | head -5 || true); do cp "$f" "$corpus/"; done
      fi ;;
    generic) cp fixtures/generic/* "$corpus/" ;;
    telegram) cp fixtures/telegram/*.json "$corpus/" ;;
    job_check) cp fixtures/jobs/*.md "$corpus/" ;;
    social) cp fixtures/social/*.csv "$corpus/"; head -c 20000 ../shared/data/social/mastodon-archive/outbox.json > "$corpus/outbox.json"; cp fixtures/bluesky/*.json fixtures/mastodon/brand.mastodon.json "$corpus/" ;;
    irc) head -c 20000 ../shared/data/irc-ubuntu/dev/2004-11-15_03.raw.txt > "$corpus/seed.log" ;;
    reddit) cp fixtures/reddit/*.ndjson "$corpus/" ;;
    discord) cp fixtures/discord/*.json "$corpus/" ;;
    github) cp ../shared/data/github/gialog-issues/*.json "$corpus/" 2>/dev/null || true ;;
    config) cp fuzz/seeds/config/*.toml "$corpus/" ;;
    server_request) cp fuzz/seeds/server_request/* "$corpus/" ;;
    compose) cp fixtures/social/*.csv "$corpus/"; head -c 20000 README.md > "$corpus/readme.md" ;;
    *) cp fixtures/mbox/*.mbox "$corpus/" 2>/dev/null || true ;;
  esac
  echo "== fuzz $target (${LIMIT[*]})"
  log="$(mktemp)"
  if ! cargo fuzz run --target-dir "$TARGET_DIR" "$target" "$corpus" -- "${LIMIT[@]}" \
      -max_len=65536 >"$log" 2>&1; then
    tail -60 "$log" >&2
    echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/" >&2
    rm -f "$log"
    exit 1
  fi
  grep -E "^Done [0-9]+ runs|^#[0-9]+ +DONE" "$log" | tail -1 || true
  rm -f "$log"
done
