#!/usr/bin/env python3
"""Independent reference for Hearth's Discourse reader (Python's json and re).

Rules of crates/hearth-sources/src/discourse.rs: regular posts and whispers (post_type 1, 4)
are messages; a post answers reply_to_post_number, else the topic's first post; mentions are
<a class="mention" href="/u/NAME"> other than the author and the parent's author; staff =
anyone with admin/moderator/staff/group_moderator on any post. With --readme, the rule of
../shared/data/README.md instead: every post, replies only (no mentions).

    python3 tests/reference/discourse_counts.py [--readme] ../shared/data/discourse/askci
"""
import glob
import json
import os
import re
import sys


def main(args):
    readme = "--readme" in args
    root = [a for a in args if a != "--readme"][0]
    posts = {}
    order = []
    staff = set()
    for f in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
        d = json.load(open(f))
        if "post_stream" not in d:
            continue
        for p in d["post_stream"]["posts"]:
            if any(p.get(k) for k in ("admin", "moderator", "staff", "group_moderator")):
                staff.add(p["username"].lower())
            if not readme and p.get("post_type", 1) not in (1, 4):
                continue
            key = (d["id"], p["post_number"])
            if key in posts:
                continue
            n = p["post_number"]
            parent = p.get("reply_to_post_number") or (1 if n > 1 else None)
            if parent == n:
                parent = None
            mentions = []
            if not readme:
                for u in re.findall(r'class="mention" href="/u/([^"/]+)"', p.get("cooked") or ""):
                    u = u.lower()
                    if u != p["username"].lower() and u not in mentions:
                        mentions.append(u)
            posts[key] = (p["username"].lower(), (d["id"], parent) if parent else None, mentions)
            order.append(key)

    def role(u):
        return "brand" if u in staff else "member"

    classes = dict(member_to_member=0, member_to_brand=0, brand_to_member=0, brand_to_brand=0, self=0)
    replies = mentions = 0

    def count(a, b):
        if a == b:
            classes["self"] += 1
        else:
            classes[f"{role(a)}_to_{role(b)}"] += 1

    for k in order:
        a, parent, ms = posts[k]
        answered = posts[parent][0] if parent in posts else None
        if answered:
            replies += 1
            count(a, answered)
        for m in ms:
            if m != answered:
                mentions += 1
                count(a, m)
    authors = {posts[k][0] for k in order}
    print(json.dumps({
        "messages": len(order),
        "people": len(authors),
        "brand": sum(1 for a in authors if role(a) == "brand"),
        "replies": replies,
        "mentions": mentions,
        "interactions": classes,
    }, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
