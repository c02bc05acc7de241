#!/usr/bin/python3
"""score.py TRUTH.json DUMP.jsonl: how close one extractor's dump is to the
corpus' truth: exact titles, and the body's character-level F1 (bags of
non-space characters, per page, averaged; a page with no body in the truth
scores 1 when nothing is extracted). Prints two lines for bench/extract/run.
"""
import collections
import json
import sys


def bag(s):
    return collections.Counter(ch for ch in (s or "") if not ch.isspace())


def f1(got, want):
    g, w = bag(got), bag(want)
    if not w:
        return 1.0 if not g else 0.0
    common = sum((g & w).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


truth = {t["file"]: t for t in json.load(open(sys.argv[1], encoding="utf-8"))}
scores, titles, n, f90 = [], 0, 0, 0
for line in open(sys.argv[2], encoding="utf-8"):
    d = json.loads(line)
    t = truth.get(d["file"])
    if not t:
        continue
    n += 1
    titles += (d.get("title") or "").strip() == t["title"]
    s = f1(d.get("body"), t["body"])
    scores.append(s)
    f90 += s >= 0.9
print("titles_exact %.1f%%" % (100.0 * titles / max(n, 1)))
print("body_f1 %.3f (%.1f%% of pages >= 0.9)"
      % (sum(scores) / max(len(scores), 1), 100.0 * f90 / max(n, 1)))
