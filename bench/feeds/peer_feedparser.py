#!/usr/bin/python3
"""The peer of bench_feeds: Debian's python3-feedparser on the same files.

    peer_feedparser.py [-n N] DIR

Parses every file of DIR (name order) N times with feedparser.parse() on
the file's bytes and prints items, CPU seconds and items/s in the same
"key value" lines as bench_feeds. Files are read before the clock starts.
"""
import os
import sys
import time

import feedparser


def main():
    args = sys.argv[1:]
    rounds = 1
    if len(args) >= 2 and args[0] == "-n":
        rounds = max(1, int(args[1]))
        args = args[2:]
    if len(args) != 1:
        print("usage: peer_feedparser.py [-n N] DIR", file=sys.stderr)
        return 2
    folder = args[0]
    names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    blobs = []
    for name in names:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                blobs.append(f.read())
    items = 0
    t0 = time.process_time()
    for _ in range(rounds):
        for data in blobs:
            items += len(feedparser.parse(data).entries)
    secs = time.process_time() - t0
    print("files %d" % len(blobs))
    print("bytes %d" % sum(len(b) for b in blobs))
    print("rounds %d" % rounds)
    print("items %d" % items)
    print("seconds %.3f" % secs)
    print("items_per_s %.0f" % (items / secs if secs > 0 else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
