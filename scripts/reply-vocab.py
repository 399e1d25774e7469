#!/usr/bin/env python3
"""Lists the words of the reply model's word features (VOCAB in
crates/hearth-analysis/src/replies/features.rs) from the irc-ubuntu corpus.

Usage: scripts/reply-vocab.py ../shared/data/irc-ubuntu/train

The 150 words used by the most lines of the logs (lower-cased, split at anything but letters,
digits, `_` and `'`; numbers left out), most used first; ties in the order first met in the
logs read in name order.
"""
import collections
import pathlib
import re
import sys

LINE = re.compile(r"\[\d\d:\d\d\] <[^>]+> (.*)")


def main():
    used = collections.Counter()
    for path in sorted(pathlib.Path(sys.argv[1]).glob("*.raw.txt")):
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            m = LINE.match(raw)
            if m:
                used.update({w for w in re.split(r"[^\w']+", m.group(1).lower()) if w})
    words = [w for w, _ in used.most_common() if not w.isdigit()][:150]
    print(" ".join(words))


if __name__ == "__main__":
    main()
