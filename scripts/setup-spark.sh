#!/usr/bin/env bash
# Installs what the Spark job (spark/hearth_report.py) needs, once, and prints where it is:
# - a Java runtime (Debian's openjdk-17-jre-headless, when no `java` of version 17 or later is
#   on the PATH; apt, as root or with sudo);
# - pyspark from PyPI, pinned, into a virtual environment of the project's own, .tools/spark
#   (kept apart from .tools/venv: pyspark brings Spark's jars, about 450 MB).
# Idempotent and quick when everything is there; scripts/spark-report.sh and the Spark test
# (crates/hearth/tests/spark.rs) run it themselves.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
PYSPARK_VERSION="4.3.0"
mkdir -p "$root/.tools"
exec 9>"$root/.tools/.spark.lock"
flock 9
java_major() {
  java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }'
}
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
fi
venv="$root/.tools/spark"
if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi
echo "java: $(command -v java) ($(java_major))" >&2
echo "$venv/bin/python"
