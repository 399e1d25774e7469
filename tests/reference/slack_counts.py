#!/usr/bin/env python3
"""Independent reference for Hearth's Slack reader (Python's json and re, no shared code).

Follows the mapping in crates/hearth-sources/src/slack.rs: messages are `type: message` with
no subtype or one of me_message, file_share, thread_broadcast, bot_message; a thread reply's
parent is the message whose ts is its thread_ts in the same channel; mentions are <@U…> other
than the author and other than the parent's author; admins/owners (users file) are brand,
bot_id / bot_message / is_bot authors are bots.

    python3 tests/reference/slack_counts.py ../shared/data/slack/clojurians-log-demo
"""
import glob
import json
import os
import re
import sys

KEEP = {None, "me_message", "file_share", "thread_broadcast", "bot_message"}


def main(unit):
    brand, bots = set(), set()
    events = []  # (channel, message)
    if os.path.exists(os.path.join(unit, "users.json")):
        for u in json.load(open(os.path.join(unit, "users.json"))):
            if u.get("is_admin") or u.get("is_owner"):
                brand.add(u["id"])
            if u.get("is_bot"):
                bots.add(u["id"])
    if os.path.exists(os.path.join(unit, "users.edn")):
        text = open(os.path.join(unit, "users.edn")).read()
        for block in re.findall(r"\{[^{}]*\}", text):
            m = re.search(r':user/slack-id "([^"]+)"', block)
            if m and (":user/admin? true" in block or ":user/owner? true" in block):
                brand.add(m.group(1))
    for f in sorted(glob.glob(os.path.join(unit, "logs", "*.txt"))):
        for line in open(f):
            if line.strip():
                o = json.loads(line)
                events.append((o.get("channel"), o))
    ids = {}
    if os.path.exists(os.path.join(unit, "channels.json")):
        ids = {c["name"]: c["id"] for c in json.load(open(os.path.join(unit, "channels.json")))}
    for d in sorted(glob.glob(os.path.join(unit, "*", ""))):
        name = os.path.basename(os.path.normpath(d))
        if name == "logs":
            continue
        for f in sorted(glob.glob(os.path.join(d, "*.json"))):
            for o in json.load(open(f)):
                events.append((ids.get(name, name), o))

    msgs = {}
    order = []
    for ch, o in events:
        if o.get("type") != "message" or o.get("subtype") not in KEEP:
            continue
        author = o.get("user") or o.get("bot_id")
        if not author or "ts" not in o:
            continue
        if o.get("bot_id") and not o.get("user") or o.get("subtype") == "bot_message":
            bots.add(author)
        key = f"{ch}/{o['ts']}"
        if key in msgs:
            continue
        parent = f"{ch}/{o['thread_ts']}" if o.get("thread_ts") and o["thread_ts"] != o["ts"] else None
        mentions = []
        for u in re.findall(r"<@([A-Za-z0-9]+)[>|]", o.get("text") or ""):
            if u != author and u not in mentions:
                mentions.append(u)
        msgs[key] = (author, parent, mentions)
        order.append(key)

    def role(p):
        return "bot" if p in bots else ("brand" if p in brand else "member")

    classes = dict(member_to_member=0, member_to_brand=0, brand_to_member=0, brand_to_brand=0,
                   self=0, bot=0)
    replies = mentions = 0

    def count(a, b):
        if a == b:
            classes["self"] += 1
        elif "bot" in (role(a), role(b)):
            classes["bot"] += 1
        else:
            classes[f"{role(a)}_to_{role(b)}"] += 1

    for k in order:
        a, parent, ms = msgs[k]
        answered = msgs[parent][0] if parent in msgs else None
        if answered:
            replies += 1
            count(a, answered)
        for m in ms:
            if m != answered:
                mentions += 1
                count(a, m)
    people = {msgs[k][0] for k in order} | {m for k in order for m in msgs[k][2]}
    authors = {msgs[k][0] for k in order}
    print(json.dumps({
        "messages": len(order),
        "authors": len(authors),
        "brand_authors": sum(1 for p in authors if role(p) == "brand"),
        "bot_authors": sum(1 for p in authors if role(p) == "bot"),
        "replies": replies,
        "mentions": mentions,
        "interactions": classes,
    }, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
