#!/usr/bin/env python3
"""Independent reference for Hearth's Stack Exchange reader, with Python's ElementTree.

Follows the mapping stated in crates/hearth-sources/src/stackexchange.rs and prints the counts
the tests assert: messages, people, replies whose parent is in the dump, bots, interactions
by class (no brand rule), and mentions resolved the Stack Exchange way.

    python3 tests/reference/stackexchange_counts.py ../shared/data/stackexchange/*/
"""
import json
import os
import sys
import xml.etree.ElementTree as ET


def rows(path):
    if not os.path.exists(path):
        return []
    return [r.attrib for r in ET.parse(path).getroot().iter("row")]


def main(dirs):
    messages = {}  # id -> (author, parent, mentions)
    order = []
    for d in dirs:
        site = os.path.basename(os.path.normpath(d))
        names = {r["Id"]: r.get("DisplayName", "") for r in rows(os.path.join(d, "Users.xml"))}

        def author(uid, display):
            if uid is not None:
                return f"{site}/u{uid}", names.get(uid, "")
            if display and display.strip():
                return f"{site}/name:{display.strip()}", display.strip()
            return None, None

        participants = {}

        def key(name):
            return "".join(name.split()).lower()

        for r in rows(os.path.join(d, "Posts.xml")):
            if r.get("PostTypeId") not in ("1", "2", "6"):
                continue
            a, name = author(r.get("OwnerUserId"), r.get("OwnerDisplayName"))
            if a is None:
                continue
            parent = f"{site}/p{r['ParentId']}" if r.get("PostTypeId") == "2" and "ParentId" in r else None
            mid = f"{site}/p{r['Id']}"
            messages[mid] = (a, parent, [])
            order.append(mid)
            participants.setdefault(r["Id"], []).append((key(name), a))
        for r in rows(os.path.join(d, "Comments.xml")):
            a, name = author(r.get("UserId"), r.get("UserDisplayName"))
            if a is None:
                continue
            text = r.get("Text", "")
            mentions = []
            people = participants.get(r.get("PostId"), [])
            i = 0
            while True:
                i = text.find("@", i)
                if i < 0:
                    break
                ok = i == 0 or text[i - 1].isspace() or text[i - 1] in "([,;:"
                j = i + 1
                while j < len(text) and (text[j].isalnum() or text[j] in "_-."):
                    j += 1
                typed = text[i + 1:j].rstrip(".").lower()
                if ok and len(typed) >= 3:
                    for k, acc in people:
                        if k.startswith(typed) and acc != a:
                            if acc not in mentions:
                                mentions.append(acc)
                            break
                i += 1
            mid = f"{site}/c{r['Id']}"
            messages[mid] = (a, f"{site}/p{r['PostId']}" if r.get("PostId") else None, mentions)
            order.append(mid)
            if r.get("PostId"):
                participants.setdefault(r["PostId"], []).append((key(name), a))

    def is_bot(acc):
        return acc.endswith("/u-1")

    classes = {"member_to_member": 0, "self": 0, "bot": 0}
    replies = mentions = 0

    def count(a, b):
        if a == b:
            classes["self"] += 1
        elif is_bot(a) or is_bot(b):
            classes["bot"] += 1
        else:
            classes["member_to_member"] += 1

    for mid in order:
        a, parent, ms = messages[mid]
        answered = messages[parent][0] if parent in messages else None
        if answered is not None:
            replies += 1
            count(a, answered)
        for m in ms:
            if m != answered:
                mentions += 1
                count(a, m)
    people = {messages[m][0] for m in order}
    print(json.dumps({
        "messages": len(order),
        "people": len(people),
        "bots": sum(1 for p in people if is_bot(p)),
        "replies": replies,
        "mentions": mentions,
        "interactions": classes,
    }, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
