#!/usr/bin/env python3
"""Independent reference for Hearth's mbox report, written with Python's own `mailbox` and
`email` packages (a different parser, a different language, no shared code).

It follows the definitions of docs/metrics.md and prints the report's JSON keys, so the
numbers asserted in crates/hearth/tests/*.rs can be recomputed by anyone:

    python3 tests/reference/mbox_report.py ../shared/data/mbox/usrp-users/*.mbox
"""
import datetime
import email.utils
import json
import mailbox
import re
import statistics
import sys
from email.header import decode_header, make_header

BRAND = ("ettus.com", "ni.com", "emerson.com")


def ids(value):
    if not value:
        return []
    found = re.findall(r"<([^>]*)>", value)
    found = [f.strip() for f in found if f.strip()]
    if found:
        return found
    return [t.strip('"()') for t in re.split(r"[\s,]+", value) if "@" in t]


def decoded(value):
    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value


def author(msg):
    # Parse the raw header, then decode the name: a decoded "Müller, Jan" would split on its comma.
    name, addr = email.utils.parseaddr(str(msg.get("From", "")))
    name = decoded(name)
    low = name.lower()
    if " via " in low and name[: low.rfind(" via ")].strip():
        original = msg.get("X-Original-From") or msg.get("Reply-To")
        if original:
            addr = email.utils.parseaddr(str(original))[1] or addr
    return addr.strip().lower()


def day(text):
    import datetime
    d = datetime.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()


def main(args):
    since = until = None
    paths = []
    it = iter(args)
    for a in it:
        if a == "--since":
            since = day(next(it))
        elif a == "--until":
            until = day(next(it))
        else:
            paths.append(a)
    msgs = {}
    order = []
    for path in paths:
        for m in mailbox.mbox(path):
            mid = (m.get("Message-ID") or "").strip().strip("<>")
            if not mid or mid in msgs:
                continue
            when = email.utils.parsedate_to_datetime(m["Date"]).timestamp()
            parent = None
            irt = ids(m.get("In-Reply-To"))
            refs = ids(m.get("References"))
            if irt:
                parent = irt[0]
            elif refs:
                parent = refs[-1]
            if parent == mid:
                parent = None
            msgs[mid] = {"author": author(m), "time": when, "parent": parent, "orphan": None}
            order.append(mid)
    # A message whose stated parent is not in the archive is an orphan reply: it has no
    # parent here, never starts a thread, and the orphans of one missing parent share the
    # thread of the first of them.
    leader = {}
    for mid in order:
        p = msgs[mid]["parent"]
        if p is not None and p not in msgs:
            msgs[mid]["parent"] = None
            msgs[mid]["orphan"] = leader.setdefault(p, mid)

    def role(a):
        host = a.rsplit("@", 1)[-1]
        return "brand" if any(host == d or host.endswith("." + d) for d in BRAND) else "member"

    def root(mid):
        seen = set()
        while msgs[mid]["parent"] and mid not in seen:
            seen.add(mid)
            mid = msgs[mid]["parent"]
        return msgs[mid]["orphan"] or mid

    def starts(mid):
        return roots[mid] == mid and msgs[mid]["orphan"] is None

    roots = {mid: root(mid) for mid in order}
    everything = order

    def inside(mid):
        t = msgs[mid]["time"]
        return (since is None or t >= since) and (until is None or t < until)

    order = [m for m in everything if inside(m)]
    people = {msgs[m]["author"] for m in order}
    classes = dict(member_to_member=0, member_to_brand=0, brand_to_member=0, brand_to_brand=0)
    selfs = 0
    edges = []
    for mid in order:
        p = msgs[mid]["parent"]
        if not p:
            continue
        a, b = msgs[mid]["author"], msgs[p]["author"]
        if a == b:
            selfs += 1
            continue
        classes[f"{role(a)}_to_{role(b)}"] += 1
        edges.append((a, b))
    between = sum(classes.values())

    # first response
    threads = {}
    for mid in order:
        if starts(mid) and role(msgs[mid]["author"]) == "member":
            threads[mid] = None
    for mid in everything:
        r = roots[mid]
        if r == mid or r not in threads:
            continue
        if until is not None and msgs[mid]["time"] >= until:
            continue
        if msgs[mid]["author"] == msgs[r]["author"]:
            continue
        cand = (msgs[mid]["time"], everything.index(mid))
        if threads[r] is None or cand < threads[r]:
            threads[r] = cand
    by = {"member": [], "brand": []}
    for r, first in threads.items():
        if first:
            responder = msgs[everything[first[1]]]["author"]
            by[role(responder)].append(max(0, first[0] - msgs[r]["time"]) / 3600)

    # resilience
    active = {a for a in people if role(a) == "member"}

    def largest(es):
        parent = {}

        def find(x):
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b in es:
            parent[find(a)] = find(b)
        sizes = {}
        for a in active:
            sizes[find(a)] = sizes.get(find(a), 0) + 1
        return max(sizes.values()) / len(active) if active else None

    no_brand = [(a, b) for a, b in edges if role(a) == "member" and role(b) == "member"]
    touched = {x for e in edges for x in e}
    touched_nb = {x for e in no_brand for x in e}

    def med(v):
        return statistics.median(v) if v else None

    # structure, by networkx when it is installed (pip install networkx)
    structure = None
    try:
        import networkx as nx
        D = nx.DiGraph()
        D.add_edges_from(edges)
        G = D.to_undirected()
        n = G.number_of_nodes()
        dc = nx.degree_centrality(G)
        top = max(dc.values()) if dc else 0
        structure = {
            "nodes": n,
            "edges": G.number_of_edges(),
            "directed_edges": D.number_of_edges(),
            "degree_centralization": sum(top - c for c in dc.values()) / (n - 2) if n >= 3 else None,
            "reciprocity": nx.reciprocity(D) if D.number_of_edges() else None,
            "average_clustering": nx.average_clustering(G) if n else None,
            "transitivity": nx.transitivity(G) if n else None,
            "brand_share_of_edges": sum(1 for a, b in G.edges() if role(a) == "brand" or role(b) == "brand") / G.number_of_edges() if n else None,
        }
    except ImportError:
        pass

    # --- metrics (hearth metrics), written from docs/metrics.md ---
    last = max(msgs[m]["time"] for m in everything)
    as_of = until if until is not None else last + 1
    # survival: Kaplan-Meier over member threads, unanswered censored at as_of
    obs = []
    for r, first in threads.items():
        if first:
            obs.append((max(0, first[0] - msgs[r]["time"]) / 3600, 1))
        else:
            obs.append((max(0, as_of - msgs[r]["time"]) / 3600, 0))
    obs.sort(key=lambda o: (o[0], -o[1]))
    at_risk, surv, steps, k = len(obs), 1.0, [], 0
    while k < len(obs):
        t = obs[k][0]
        d = n = 0
        while k < len(obs) and obs[k][0] == t:
            d += obs[k][1]
            n += 1
            k += 1
        if d:
            surv *= 1 - d / at_risk
            steps.append((t, surv))
        at_risk -= n

    def s_at(h):
        v = 1.0
        for t, sv in steps:
            if t <= h:
                v = sv
        return v

    km_median = next((t for t, sv in steps if sv <= 0.5), None)

    # activity: days and months from the first to the last message in scope
    def civil(t):
        d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
        return d.toordinal(), d.year * 12 + d.month - 1

    times = [msgs[m]["time"] for m in order]
    lo, hi = (since if since is not None else min(times)), (until - 1 if until is not None else max(times))
    days, months = {}, {}
    for mid in order:
        a = msgs[mid]["author"]
        if role(a) != "member":
            continue
        dd, mm = civil(msgs[mid]["time"])
        days.setdefault(dd, set()).add(a)
        months.setdefault(mm, set()).add(a)
    ndays = civil(hi)[0] - civil(lo)[0] + 1
    nmonths = civil(hi)[1] - civil(lo)[1] + 1
    dau = sum(len(v) for v in days.values()) / ndays
    mau = sum(len(v) for v in months.values()) / nmonths

    # newcomers: first message of each member (time, then archive order)
    firsts = {}
    for idx, mid in enumerate(everything):
        a = msgs[mid]["author"]
        if role(a) == "member":
            key = (msgs[mid]["time"], idx)
            if a not in firsts or key < firsts[a][0]:
                firsts[a] = (key, mid)
    newcomers = {a: v for a, v in firsts.items() if inside(v[1])}
    first_ids = {v[1]: a for a, v in newcomers.items()}
    answer = {}
    for idx, mid in enumerate(everything):
        t = msgs[mid]["time"]
        if until is not None and t >= until:
            continue
        p = msgs[mid]["parent"]
        r = roots[mid]
        target = p if p in first_ids else (r if r != mid and starts(r) and r in first_ids else None)
        if target is None:
            continue
        a = msgs[mid]["author"]
        who = first_ids[target]
        if a == who or t < msgs[target]["time"]:
            continue
        if who not in answer or (t, idx) < answer[who][0]:
            answer[who] = ((t, idx), a)
    came = {}
    for a, ((t0, _), mid) in newcomers.items():
        back = any(msgs[m]["author"] == a and m != mid and t0 <= msgs[m]["time"] <= t0 + 30 * 86400 for m in everything)
        came[a] = True if back else (False if t0 + 30 * 86400 < as_of else None)
    by_member = [a for a in newcomers if a in answer and role(answer[a][1]) == "member"]
    by_brand = [a for a in newcomers if a in answer and role(answer[a][1]) == "brand"]
    unknown = [a for a in newcomers if a not in answer and msgs[newcomers[a][1]]["orphan"]]
    unanswered = [a for a in newcomers if a not in answer and not msgs[newcomers[a][1]]["orphan"]]

    def rate(group):
        decided = [a for a in group if came[a] is not None]
        return sum(1 for a in decided if came[a]) / len(decided) if decided else None

    # answerer absence factor over reply edges between distinct people
    counts = {}
    for a, b in edges:
        counts[a] = counts.get(a, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    total, acc, factor = sum(ranked), 0, None
    for k, n in enumerate(ranked):
        acc += n
        if 2 * acc > total:
            factor = k + 1
            break

    metrics = {
        "survival": {
            "threads": len(obs),
            "median_hours": km_median,
            "answered_within_1h": 1 - s_at(1),
            "answered_within_24h": 1 - s_at(24),
            "answered_within_7d": 1 - s_at(168),
        },
        "activity": {
            "active_members": len(active),
            "mean_daily_active": dau,
            "mean_monthly_active": mau,
            "stickiness": dau / mau if mau else None,
        },
        "newcomers": {
            "newcomers": len(newcomers),
            "answered_by_member": len(by_member),
            "answered_by_brand": len(by_brand),
            "unanswered": len(unanswered),
            "answer_unknown": len(unknown),
            "came_back_rate": rate(list(newcomers)),
            "came_back_rate_answered_by_member": rate(by_member),
            "came_back_rate_answered_by_brand": rate(by_brand),
            "came_back_rate_unanswered": rate(unanswered),
        },
        "absence": {
            "answers": total,
            "answerers": len(counts),
            "absence_factor": factor,
            "top10_share": sum(ranked[:10]) / total if total else None,
        },
    }

    print(json.dumps({
        "metrics": metrics,
        "window": [since, until],
        "messages": len(order),
        "threads": len({roots[m] for m in order}),
        "orphan_replies": sum(1 for m in order if msgs[m]["orphan"]),
        "people": len(people),
        "members": sum(1 for a in people if role(a) == "member"),
        "brand": sum(1 for a in people if role(a) == "brand"),
        "interactions": dict(classes, self=selfs),
        "structure": structure,
        "community": {
            "peer_share": classes["member_to_member"] / between if between else None,
            "first_response": {
                "member_threads": len(threads),
                "first_by_member": len(by["member"]),
                "first_by_brand": len(by["brand"]),
                "unanswered": sum(1 for v in threads.values() if v is None),
                "median_hours_member": med(by["member"]),
                "median_hours_brand": med(by["brand"]),
            },
            "resilience": {
                "members_in_largest_component_with_brand": largest(edges),
                "members_in_largest_component_without_brand": largest(no_brand),
                "isolated_without_brand": len((active & touched) - touched_nb),
            },
        },
    }, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
