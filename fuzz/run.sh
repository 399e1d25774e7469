#!/usr/bin/env bash
# Runs every fuzz target for N seconds (default 60), seeded with the real excerpts in fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
SE=../shared/data/stackexchange/conlang.meta.stackexchange.com
SLACK=../shared/data/slack/clojurians-log-demo
ASKCI=../shared/data/discourse/askci/data/2019-10-19
for target in mbox mailtext stackexchange slack discourse github discord reddit telegram generic irc job_check social; do
  mkdir -p "fuzz/corpus/$target"
  case "$target" in
    stackexchange) # seeds: real dump files, first byte chooses the file kind
      for f in Posts Comments Users PostHistory; do
        [ -f "$SE/$f.xml" ] && head -c 20000 "$SE/$f.xml" >"fuzz/corpus/$target/$f.xml"
      done ;;
    slack) # seeds: real event lines and user records
      [ -d "$SLACK" ] && head -c 20000 "$SLACK/logs/2018-02-01.txt" >"fuzz/corpus/$target/events.txt"
      [ -d "$SLACK" ] && head -c 20000 "$SLACK/users.edn" >"fuzz/corpus/$target/users.edn" ;;
    discourse) # seeds: a few real topic files
      [ -d "$ASKCI" ] && ls "$ASKCI"/*-post-*.json | head -5 | xargs -I{} cp {} "fuzz/corpus/$target/" ;;
    generic) cp fixtures/generic/* "fuzz/corpus/$target/" ;;
    telegram) cp fixtures/telegram/*.json "fuzz/corpus/$target/" ;;
    job_check) cp fixtures/jobs/*.md "fuzz/corpus/$target/" ;;
    social) cp fixtures/social/*.csv "fuzz/corpus/$target/"; head -c 20000 ../shared/data/social/mastodon-archive/outbox.json > "fuzz/corpus/$target/outbox.json" ;;
    irc) head -c 20000 ../shared/data/irc-ubuntu/dev/2004-11-15_03.raw.txt > "fuzz/corpus/$target/seed.log" ;;
    reddit) cp fixtures/reddit/*.ndjson "fuzz/corpus/$target/" ;;
    discord) cp fixtures/discord/*.json "fuzz/corpus/$target/" ;;
    github) cp ../shared/data/github/gialog-issues/*.json "fuzz/corpus/$target/" 2>/dev/null || true ;;
    *) cp fixtures/mbox/*.mbox "fuzz/corpus/$target/" 2>/dev/null || true ;;
  esac
  cargo fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$SECONDS_EACH" -max_len=65536
done
