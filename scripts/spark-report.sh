#!/usr/bin/env bash
# Usage: scripts/spark-report.sh DIR [--since DATE] [--until DATE]
# Runs Hearth's report core (spark/hearth_report.py) on Apache Spark in local mode over DIR,
# a directory written by `hearth export --format parquet --partitioned DIR`, and prints JSON
# with the keys of `hearth report --json` (and `activity`, as `hearth metrics activity`).
# Installs what it needs on first use (scripts/setup-spark.sh: a Java runtime from Debian,
# pyspark from PyPI into .tools/spark). SPARK_MASTER picks the master (default local[2]);
# on a real cluster use spark-submit instead (docs/scale-out.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: $0 DIR [--since DATE] [--until DATE]" >&2
  exit 2
fi
dir="$1"
shift
if [ ! -f "$dir/manifest.json" ]; then
  echo "error: $dir/manifest.json is missing: write DIR with hearth export --format parquet --partitioned DIR" >&2
  exit 2
fi
python="$(bash "$root/scripts/setup-spark.sh")"
# Spark's own start-up chatter goes to stderr; stdout is the JSON alone.
export PYSPARK_PYTHON="$python"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec "$python" "$root/spark/hearth_report.py" "$dir" --master "${SPARK_MASTER:-local[2]}" "$@"
