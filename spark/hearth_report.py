"""Hearth's report core on Apache Spark.

Reads the partitioned Parquet that `hearth export --format parquet --partitioned DIR` writes
and computes, per space and in total, what `hearth report --json` and
`hearth metrics activity --json` compute from the embedded store: counts, interactions by
class, peer share and verdict, first response by class with its medians, brand dependence,
unanswered threads, monthly active members and cohort retention. It prints one JSON object
with the same keys (`resilience`, the connected-components part of the report, stays
embedded; see docs/scale-out.md).

Every function names the section of docs/metrics.md it implements; the definitions are the
same, so the numbers are equal, key by key (crates/hearth/tests/spark.rs checks it on
usrp-users and a store of four sources, bench/spark.sh on the 1,000,000-message replay).

Run it with scripts/spark-report.sh DIR (Spark local mode), or with spark-submit on a cluster
(docs/scale-out.md). Only Spark SQL's DataFrame functions are used: the work is distributed,
and the driver collects only per-scope aggregates (a handful of rows per month).
"""

import argparse
import datetime as dt
import json
import sys

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

# The verdict's thresholds (docs/metrics.md, "Verdict").
COMMUNITY_AT = 0.6
AUDIENCE_BELOW = 0.4
# Cohort retention is followed for this many months after the first (docs/metrics.md,
# "Activity and retention").
COHORT_MONTHS = 12
# The scope of the whole store; a space's scope is its space_id (store ids are positive).
TOTAL = -1
SCHEMA_VERSION = 1
CLASSES = [
    "member_to_member",
    "member_to_brand",
    "brand_to_member",
    "brand_to_brand",
    "self",
    "bot",
]


def parse_time(text):
    """`YYYY-MM-DD` (UTC midnight) or an RFC 3339 time, as UTC seconds."""
    if text is None:
        return None
    if len(text) == 10:
        d = dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    else:
        d = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if d.tzinfo is None:
            d = d.replace(tzinfo=dt.timezone.utc)
    return int(d.timestamp())


def iso(t):
    if t is None:
        return None
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def month_label(index):
    return "%04d-%02d" % (index // 12, index % 12 + 1)


def session(master):
    builder = (
        SparkSession.builder.appName("hearth-report")
        .config("spark.sql.session.timeZone", "UTC")
        # `month=2019-03` is a label, not a date to guess the type of.
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # On one machine: few shuffle partitions (Spark's 200 cost more than they divide), no
        # web UI. On a cluster, spark-submit's settings stand.
        builder = builder.config("spark.sql.shuffle.partitions", "8").config(
            "spark.ui.enabled", "false"
        )
    return builder.getOrCreate()


def load(spark, root):
    """The four tables, with each message's author role joined in (docs/metrics.md, "Roles":
    the role decided by the rules the export was made with)."""
    with open_text(root + "/manifest.json") as f:
        manifest = json.load(f)
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise SystemExit(
            "%s: schema version %s, this job reads %s"
            % (root, manifest.get("schema_version"), SCHEMA_VERSION)
        )
    people = spark.read.parquet(root + "/people").select("person_id", "role")
    messages = (
        spark.read.parquet(root + "/messages")
        .select(
            "message_id",
            "time",
            "source",
            "month",
            "space_id",
            "space",
            "person_id",
            "parent_kind",
            "thread_root_id",
        )
        .join(F.broadcast(people), "person_id", "left")
    )
    interactions = spark.read.parquet(root + "/interactions").select(
        "message_id", "time", "month", "space_id", "kind", "class"
    )
    return manifest, messages, interactions, people


def open_text(path):
    """The manifest, on a local path or (through Spark's Hadoop file system) any other."""
    if "://" not in path or path.startswith("file://"):
        return open(path.replace("file://", ""), encoding="utf-8")
    import io

    spark = SparkSession.getActiveSession()
    text = "\n".join(r.value for r in spark.read.text(path).collect())
    return io.StringIO(text)


def scoped(df):
    """Every row twice: once in the total's scope, once in its space's (so one pass computes
    every space and the total)."""
    return df.withColumn(
        "scope", F.explode(F.array(F.lit(TOTAL).cast("long"), F.col("space_id")))
    )


def in_window(df, since, until):
    """Rows whose time is in [since, until). The condition on the `month` partition column
    says the same in months, so Spark reads only the partitions of the window."""
    cond = F.lit(True)
    if since is not None:
        cond = cond & (F.col("month") >= month_label(month_of(since))) & (F.col("time") >= since)
    if until is not None:
        cond = (
            cond
            & (F.col("month") <= month_label(month_of(until - 1)))
            & (F.col("time") < until)
        )
    return df.where(cond)


def counts(msgs_w):
    """docs/metrics.md, "Counts": messages, threads, orphan replies and people by role."""
    rows = msgs_w.groupBy("scope").agg(
        F.count("*").alias("messages"),
        F.countDistinct("thread_root_id").alias("threads"),
        F.sum(F.when(F.col("parent_kind") == "missing", 1).otherwise(0)).alias(
            "orphan_replies"
        ),
        F.countDistinct("person_id").alias("people"),
        F.countDistinct(F.when(F.col("role") == "member", F.col("person_id"))).alias(
            "members"
        ),
        F.countDistinct(F.when(F.col("role") == "brand", F.col("person_id"))).alias(
            "brand"
        ),
        F.countDistinct(F.when(F.col("role") == "bot", F.col("person_id"))).alias(
            "bots"
        ),
    )
    return {r["scope"]: r.asDict() for r in rows.collect()}


def interactions_by_class(its_w):
    """docs/metrics.md, "Interactions by class": the window's interactions by class and kind
    (an interaction is in the window when its message is)."""
    aggs = [
        F.sum(F.when(F.col("class") == c, 1).otherwise(0)).alias(c) for c in CLASSES
    ]
    aggs += [
        F.count("*").alias("total"),
        F.sum(F.when(F.col("kind") == "reply", 1).otherwise(0)).alias("replies"),
        F.sum(F.when(F.col("kind") == "mention", 1).otherwise(0)).alias("mentions"),
        F.sum(F.when(F.col("kind") == "inferred_reply", 1).otherwise(0)).alias(
            "inferred_replies"
        ),
    ]
    rows = its_w.groupBy("scope").agg(*aggs).collect()
    keys = CLASSES + ["total", "replies", "mentions", "inferred_replies"]
    return {r["scope"]: {k: int(r[k] or 0) for k in keys} for r in rows}


def empty_interactions():
    return {k: 0 for k in CLASSES + ["total", "replies", "mentions", "inferred_replies"]}


def peer_share(it):
    """docs/metrics.md, "Peer share": member→member over interactions between distinct
    non-bot people."""
    between = (
        it["member_to_member"]
        + it["member_to_brand"]
        + it["brand_to_member"]
        + it["brand_to_brand"]
    )
    return it["member_to_member"] / between if between else None


def unknown_because(people):
    """docs/metrics.md, "Verdict": no verdict when no brand (or no member) is known in the
    whole store."""
    roles = {r["role"] for r in people.select("role").distinct().collect()}
    if "brand" not in roles:
        return "no_brand"
    if "member" not in roles:
        return "no_members"
    return None


def verdict(share, unknown):
    if unknown is not None:
        return "unknown"
    if share is None:
        return "no_interactions"
    if share >= COMMUNITY_AT:
        return "community"
    if share < AUDIENCE_BELOW:
        return "audience"
    return "in_between"


def first_response(msgs_w, msgs_scoped, until):
    """docs/metrics.md, "First response" and "Brand dependence".

    A member thread: its root is in the window, written by a member, and not an orphan reply.
    Its first response: the earliest message of the thread in the scope's space, not after
    the window's end, by neither the starter nor a bot; ties in time go to the message stored
    first (the lower id). Delays below zero count as zero.
    """
    roots = msgs_w.where(
        (F.col("message_id") == F.col("thread_root_id"))
        & (F.col("parent_kind") != "missing")
        & (F.col("role") == "member")
    ).select(
        "scope",
        F.col("message_id").alias("root"),
        F.col("person_id").alias("starter"),
        F.col("time").alias("start"),
    )
    responses = msgs_scoped.where(F.col("message_id") != F.col("thread_root_id"))
    if until is not None:
        responses = responses.where(F.col("time") < until)
    responses = responses.select(
        "scope",
        F.col("thread_root_id").alias("root"),
        F.col("person_id").alias("author"),
        "time",
        "message_id",
        "role",
    )
    # A left join keeps threads nobody answered; a response counts when its author is neither
    # the starter nor a bot.
    joined = roots.join(responses, ["scope", "root"], "left").withColumn(
        "counts",
        F.col("author").isNotNull()
        & (F.col("author") != F.col("starter"))
        & (F.col("role") != "bot"),
    )
    per_thread = joined.groupBy("scope", "root", "start").agg(
        F.min(
            F.when(
                F.col("counts"),
                F.struct(F.col("time"), F.col("message_id"), F.col("role")),
            )
        ).alias("first"),
        F.max(F.when(F.col("counts") & (F.col("role") == "member"), 1).otherwise(0)).alias(
            "any_member"
        ),
        F.max(F.when(F.col("counts") & (F.col("role") == "brand"), 1).otherwise(0)).alias(
            "any_brand"
        ),
    )
    threads = per_thread.select(
        "scope",
        F.col("first.role").alias("by"),
        F.when(
            F.col("first").isNotNull(),
            F.greatest(F.col("first.time") - F.col("start"), F.lit(0)).cast("double")
            / F.lit(3600.0),
        ).alias("hours"),
        ((F.col("any_brand") == 1) & (F.col("any_member") == 0)).alias("brand_only"),
    ).cache()
    summary = threads.groupBy("scope").agg(
        F.count("*").alias("member_threads"),
        F.sum(F.when(F.col("by") == "member", 1).otherwise(0)).alias("first_by_member"),
        F.sum(F.when(F.col("by") == "brand", 1).otherwise(0)).alias("first_by_brand"),
        F.sum(F.when(F.col("by").isNull(), 1).otherwise(0)).alias("unanswered"),
        F.sum(F.when(F.col("hours") <= 1.0, 1).otherwise(0)).alias("hour_1"),
        F.sum(F.when(F.col("hours") <= 24.0, 1).otherwise(0)).alias("hours_24"),
        F.sum(F.when(F.col("hours") <= 168.0, 1).otherwise(0)).alias("days_7"),
        F.sum(
            F.when(F.col("by").isNotNull() & F.col("brand_only"), 1).otherwise(0)
        ).alias("brand_only_threads"),
    )
    medians = exact_medians(threads.where(F.col("by").isNotNull()))
    out = {}
    for r in summary.collect():
        s = r["scope"]
        n = r["member_threads"]
        answered = r["first_by_member"] + r["first_by_brand"]

        def share(k):
            return r[k] / n if n else None

        out[s] = {
            "member_threads": n,
            "first_by_member": r["first_by_member"],
            "first_by_brand": r["first_by_brand"],
            "unanswered": r["unanswered"],
            "median_hours_member": medians.get((s, "member")),
            "median_hours_brand": medians.get((s, "brand")),
            "median_hours_any": medians.get((s, "any")),
            "answered_within": {
                "hour_1": share("hour_1"),
                "hours_24": share("hours_24"),
                "days_7": share("days_7"),
            },
            "brand_only_threads": r["brand_only_threads"],
            "brand_dependence": r["brand_only_threads"] / answered if answered else None,
        }
    threads.unpersist()
    return out


def empty_first_response():
    return {
        "member_threads": 0,
        "first_by_member": 0,
        "first_by_brand": 0,
        "unanswered": 0,
        "median_hours_member": None,
        "median_hours_brand": None,
        "median_hours_any": None,
        "answered_within": {"hour_1": None, "hours_24": None, "days_7": None},
        "brand_only_threads": 0,
        "brand_dependence": None,
    }


def exact_medians(answered):
    """The exact median of `hours` per (scope, class) and per scope over both classes ("any"):
    the middle value, or the mean of the two middle values for an even count
    (docs/metrics.md, "First response"). Ranks come from a window function, so only the one
    or two middle rows of each group reach the driver."""
    by_class = answered.select("scope", F.col("by").alias("group"), "hours")
    every = answered.select("scope", F.lit("any").alias("group"), "hours")
    rows = by_class.unionByName(every)
    w = Window.partitionBy("scope", "group").orderBy("hours")
    ranked = rows.withColumn("rank", F.row_number().over(w)).withColumn(
        "n", F.count("*").over(Window.partitionBy("scope", "group"))
    )
    middle = ranked.where(
        (F.col("rank") == F.floor((F.col("n") + 1) / 2))
        | (F.col("rank") == F.floor(F.col("n") / 2) + 1)
    )
    picked = {}
    for r in middle.collect():
        picked.setdefault((r["scope"], r["group"]), []).append((r["rank"], r["hours"]))
    out = {}
    for key, values in picked.items():
        values.sort()
        hours = [h for _, h in values]
        out[key] = hours[0] if len(hours) == 1 else (hours[0] + hours[1]) / 2.0
    return out


def activity(msgs_w, msgs_scoped, since, until):
    """docs/metrics.md, "Activity and retention": DAU, WAU, MAU, stickiness, new and returning
    members, months with churn, and monthly cohorts' retention.

    A member's first month is the month of their first message in the scope's space at any
    time; periods are UTC days, ISO weeks (Monday first) and calendar months; the span is the
    window when bounded, else first to last message in scope, quiet periods counted as 0.
    """

    def month_index(c):
        ts = F.timestamp_seconds(c)
        return F.year(ts) * 12 + F.month(ts) - 1

    def day_index(c):
        return F.floor(c / F.lit(86400))

    members_all = msgs_scoped.where(F.col("role") == "member")
    first_month = members_all.groupBy("scope", "person_id").agg(
        F.min(month_index(F.col("time"))).alias("first")
    )
    span = {
        r["scope"]: (r["lo"], r["hi"])
        for r in msgs_w.groupBy("scope")
        .agg(F.min("time").alias("lo"), F.max("time").alias("hi"))
        .collect()
    }
    members_w = (
        msgs_w.where(F.col("role") == "member")
        .select(
            "scope",
            "person_id",
            day_index(F.col("time")).alias("day"),
            month_index(F.col("time")).alias("month"),
        )
        .withColumn("week", F.floor((F.col("day") + 3) / 7))
        .cache()
    )
    distinct_pairs = {}
    for period in ["day", "week", "month"]:
        for r in (
            members_w.select("scope", period, "person_id")
            .distinct()
            .groupBy("scope")
            .count()
            .collect()
        ):
            distinct_pairs[(r["scope"], period)] = r["count"]
    month_sets = members_w.select("scope", "person_id", "month").distinct().cache()
    with_first = month_sets.join(first_month, ["scope", "person_id"])
    per_month = {
        (r["scope"], r["month"]): (r["active"], r["new"])
        for r in with_first.groupBy("scope", "month")
        .agg(
            F.count("*").alias("active"),
            F.sum(F.when(F.col("first") == F.col("month"), 1).otherwise(0)).alias("new"),
        )
        .collect()
    }
    # Churned in month m: active in m − 1, not in m.
    nxt = month_sets.select(
        "scope", "person_id", (F.col("month") + 1).alias("month")
    )
    churned = {
        (r["scope"], r["month"]): r["count"]
        for r in nxt.join(month_sets, ["scope", "person_id", "month"], "left_anti")
        .groupBy("scope", "month")
        .count()
        .collect()
    }
    active_members = month_sets.select("scope", "person_id").distinct()
    active_first = active_members.join(first_month, ["scope", "person_id"])
    active_counts = {
        r["scope"]: (r["active"], r["first"])
        for r in active_first.groupBy("scope")
        .agg(
            F.count("*").alias("active"),
            F.collect_list("first").alias("first"),
        )
        .select("scope", "active", "first")
        .collect()
    }
    # Cohort members active in month first + k.
    cohort_active = {
        (r["scope"], r["first"], r["k"]): r["count"]
        for r in month_sets.join(first_month, ["scope", "person_id"])
        .withColumn("k", F.col("month") - F.col("first"))
        .where((F.col("k") >= 0) & (F.col("k") <= COHORT_MONTHS))
        .groupBy("scope", "first", "k")
        .count()
        .collect()
    }
    members_w.unpersist()
    month_sets.unpersist()

    out = {}
    for scope, (lo, hi) in span.items():
        lo = since if since is not None else lo
        hi = max(until - 1 if until is not None else hi, lo)
        d_lo, d_hi = lo // 86400, hi // 86400
        w_lo, w_hi = (d_lo + 3) // 7, (d_hi + 3) // 7
        m_lo, m_hi = month_of(lo), month_of(hi)

        def mean(total, a, b):
            return total / max(b - a + 1, 1)

        dau = mean(distinct_pairs.get((scope, "day"), 0), d_lo, d_hi)
        wau = mean(distinct_pairs.get((scope, "week"), 0), w_lo, w_hi)
        mau = mean(distinct_pairs.get((scope, "month"), 0), m_lo, m_hi)
        months = []
        prev = None
        for mo in range(m_lo, m_hi + 1):
            active, new = per_month.get((scope, mo), (0, 0))
            gone = churned.get((scope, mo), 0) if prev is not None else 0
            months.append(
                {
                    "month": month_label(mo),
                    "active": active,
                    "new": new,
                    "returning": active - new,
                    "churned": gone,
                    "churn_rate": gone / prev if prev else None,
                }
            )
            prev = active
        n_active, firsts = active_counts.get(scope, (0, []))
        sizes = {}
        for f in firsts:
            if m_lo <= f <= m_hi:
                sizes[f] = sizes.get(f, 0) + 1
        cohorts = [
            {
                "month": month_label(f),
                "size": size,
                "retention": [
                    cohort_active.get((scope, f, k - f), 0) / size
                    for k in range(f, min(m_hi, f + COHORT_MONTHS) + 1)
                ],
            }
            for f, size in sorted(sizes.items())
        ]
        new_members = sum(1 for f in firsts if f >= m_lo)
        out[scope] = {
            "active_members": n_active,
            "mean_daily_active": dau,
            "mean_weekly_active": wau,
            "mean_monthly_active": mau,
            "stickiness": dau / mau if mau > 0 else None,
            "new_members": new_members,
            "returning_members": n_active - new_members,
            "months": months,
            "cohorts": cohorts,
        }
    return out


def month_of(t):
    d = dt.datetime.fromtimestamp(t, dt.timezone.utc)
    return d.year * 12 + d.month - 1


def empty_activity():
    return {
        "active_members": 0,
        "mean_daily_active": None,
        "mean_weekly_active": None,
        "mean_monthly_active": None,
        "stickiness": None,
        "new_members": 0,
        "returning_members": 0,
        "months": [],
        "cohorts": [],
    }


def report(spark, root, since=None, until=None):
    manifest, messages, interactions, people = load(spark, root)
    msgs_scoped = scoped(messages).cache()
    msgs_w = in_window(msgs_scoped, since, until).cache()
    its_w = in_window(scoped(interactions), since, until)
    unknown = unknown_because(people)
    c = counts(msgs_w)
    its = interactions_by_class(its_w)
    fr = first_response(msgs_w, msgs_scoped, until)
    act = activity(msgs_w, msgs_scoped, since, until)
    names = {
        r["space_id"]: (r["source"], r["space"])
        for r in messages.select("space_id", "source", "space").distinct().collect()
    }

    def measures(scope):
        counted = c.get(scope) or {
            "messages": 0,
            "threads": 0,
            "orphan_replies": 0,
            "people": 0,
            "members": 0,
            "brand": 0,
            "bots": 0,
        }
        it = its.get(scope) or empty_interactions()
        share = peer_share(it)
        community = {"verdict": verdict(share, unknown)}
        if unknown is not None:
            community["unknown_because"] = unknown
        community["peer_share"] = share
        community["first_response"] = fr.get(scope) or empty_first_response()
        out = {
            k: int(counted[k] or 0)
            for k in [
                "messages",
                "threads",
                "orphan_replies",
                "people",
                "members",
                "brand",
                "bots",
            ]
        }
        out["interactions"] = it
        out["community"] = community
        out["activity"] = act.get(scope) or empty_activity()
        return out

    total = {"window": {"since": iso(since), "until": iso(until)}}
    total.update(measures(TOTAL))
    spaces = []
    for space_id, (source, name) in names.items():
        m = measures(space_id)
        if m["messages"] > 0:
            entry = {"source": source, "space": name}
            entry.update(m)
            spaces.append(entry)
    spaces.sort(key=lambda s: (-s["messages"], s["space"]))
    total["spaces"] = spaces
    total["export"] = {
        "store_generation": manifest.get("store_generation"),
        "rules_hash": manifest.get("rules_hash"),
    }
    msgs_w.unpersist()
    msgs_scoped.unpersist()
    return total


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dir", help="a directory written by hearth export --partitioned")
    p.add_argument("--since", help="window start, YYYY-MM-DD or RFC 3339 (UTC)")
    p.add_argument("--until", help="window end (exclusive)")
    p.add_argument("--master", help="Spark master (default: what spark-submit gives)")
    p.add_argument("--out", help="write the JSON to this file (on the driver) instead of stdout")
    args = p.parse_args(argv)
    since, until = parse_time(args.since), parse_time(args.until)
    if since is not None and until is not None and since >= until:
        raise SystemExit("since must be before until")
    spark = session(args.master)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        out = report(spark, args.dir.rstrip("/"), since, until)
    finally:
        spark.stop()
    text = json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
