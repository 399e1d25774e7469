"""Compares the Spark job's JSON with the embedded engine's, key by key.

Usage: python3 spark/compare.py HEARTH DATA_DIR SPARK_JSON [--since DATE] [--until DATE]

Runs `HEARTH --data DATA_DIR report --json` and `metrics activity --json` (in total and for
each space), then walks every key the Spark job printed (but `export`, which says what it
read) and compares: integers, texts and nulls exactly, fractions and hours exactly too (both
sides compute them with the same IEEE operations; a difference of one unit in the last place
would be a different definition, not rounding). Prints each difference with its path and
exits 1 when there is any; prints how many values matched otherwise.
"""

import json
import subprocess
import sys


def hearth(binary, data, *args):
    out = subprocess.run(
        [binary, "--data", data, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def walk(path, spark, embedded, diffs, counter):
    if isinstance(spark, dict):
        if not isinstance(embedded, dict):
            diffs.append("%s: Spark has an object, Hearth %r" % (path, embedded))
            return
        for k, v in spark.items():
            if k not in embedded:
                diffs.append("%s.%s: missing in Hearth's answer" % (path, k))
                continue
            walk("%s.%s" % (path, k), v, embedded[k], diffs, counter)
    elif isinstance(spark, list):
        if not isinstance(embedded, list) or len(spark) != len(embedded):
            diffs.append(
                "%s: Spark has %d entries, Hearth %s"
                % (path, len(spark), len(embedded) if isinstance(embedded, list) else embedded)
            )
            return
        for i, (a, b) in enumerate(zip(spark, embedded)):
            walk("%s[%d]" % (path, i), a, b, diffs, counter)
    else:
        counter[0] += 1
        same = spark == embedded and type(spark) is type(embedded) or (
            isinstance(spark, (int, float))
            and isinstance(embedded, (int, float))
            and not isinstance(spark, bool)
            and float(spark) == float(embedded)
        )
        if not same:
            diffs.append("%s: Spark %r, Hearth %r" % (path, spark, embedded))


def main(argv):
    binary, data, spark_json = argv[:3]
    window = argv[3:]
    spark = json.load(open(spark_json, encoding="utf-8"))
    spark.pop("export", None)
    embedded = hearth(binary, data, "report", "--json", *window)
    embedded["activity"] = hearth(binary, data, "metrics", "activity", "--json", *window)[
        "activity"
    ]
    by_name = {(s["source"], s["space"]): s for s in embedded.get("spaces", [])}
    for s in embedded.get("spaces", []):
        s["activity"] = hearth(
            binary, data, "metrics", "activity", "--json", "--space", s["space"], *window
        )["activity"]
    # Spaces are compared by (source, name), whatever their order; the order is checked apart.
    spark_spaces = spark.pop("spaces", [])
    embedded.pop("spaces", None)
    diffs, counter = [], [0]
    walk("report", spark, embedded, diffs, counter)
    order_spark = [(s["source"], s["space"]) for s in spark_spaces]
    order_hearth = list(by_name)
    if order_spark != order_hearth:
        diffs.append("spaces: order %r vs %r" % (order_spark, order_hearth))
    for s in spark_spaces:
        key = (s["source"], s["space"])
        if key not in by_name:
            diffs.append("spaces %r: not in Hearth's report" % (key,))
            continue
        walk("spaces[%s/%s]" % key, s, by_name[key], diffs, counter)
    for d in diffs[:50]:
        print(d)
    if diffs:
        print("%d differences (%d values compared)" % (len(diffs), counter[0]))
        return 1
    print("equal: %d values in %d scopes" % (counter[0], 1 + len(spark_spaces)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
