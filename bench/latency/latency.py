"""bench/latency/latency.py: the alert latency part of bench/latency/run.

mw-fixture-server serves one RSS feed from a folder (reading the file at
request time) and plays the webhook receiver; `mediawatch run` polls the
feed every second with the shipped lexicon and one webhook route. For
k = 1..N the feed gains item k, a sensitive story unlike the others (a new
file renamed over the old one; the feed keeps the newest 20 items, so
parsing stays small), and we wait for the webhook delivery of its alert.

latency_k = delivery.at_ms - completion time of the first response to a
poll, after the rename, that carried item k; both times are the fixture's
(CLOCK_REALTIME ms): the delivery's from the receiver, the response's from
its request log (GET /_fixture/requests, logged when libmicrohttpd has
handed the last byte to the socket). The response that carried item k is
the first 200 completed after the rename whose body has the new file's
size, plain or gzip'ed the way the fixture does it (zlib, default level,
gzip wrapper): a poll that read the file just before the rename answers
304 or the old size and is skipped. So the time a source waits for its
next poll is not counted: that is the poll interval's business, not the
pipeline's.

What it leaves to others: the texts and the config (gen.py), processes
and /proc (procs.py), printing (run).
"""
import json
import os
import random
import tempfile
import time
import urllib.parse
import zlib

import gen
import procs

KEEP_ITEMS = 20
ITEM_TIMEOUT_S = 30


def gzip_len(data):
    """Length of the fixture's gzip of data (tests/fixture/gzip.c: deflateInit2
    with Z_DEFAULT_COMPRESSION, windowBits 15 + 16, memLevel 8)."""
    z = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, 15 + 16, 8,
                         zlib.Z_DEFAULT_STRATEGY)
    return len(z.compress(data) + z.flush())


class Bench:
    def __init__(self, a, tmp):
        self.a = a
        self.tmp = tmp
        self.site = os.path.join(tmp, "site")
        os.makedirs(self.site)
        self.feed = os.path.join(self.site, "feed.xml")
        self.texts = gen.Texts(a.seeds)
        self.fx = self.mw = None

    def feed_bytes(self, items):
        return gen.rss("环境舆情监测点", self.base + "/", list(reversed(items[-KEEP_ITEMS:])))

    def requests_since(self, since_ms):
        q = urllib.parse.urlencode({"path": "/feed.xml", "since": since_ms})
        return procs.get_json(self.base + "/_fixture/requests?" + q)

    def deliveries(self):
        return procs.get_json(self.base + "/_fixture/deliveries?path=/hook/webhook/")

    def start(self):
        self.fx, self.base = procs.start_fixture(self.a.fixture, self.site,
                                                 os.path.join(self.tmp, "fixture.log"))
        gen.write_atomic(self.feed, self.feed_bytes([]))
        cfg = os.path.join(self.tmp, "latency.yaml")
        gen.latency_config(cfg, os.path.join(self.tmp, "latency.db"), self.base + "/feed.xml",
                           self.base + "/hook/webhook/bench", self.a.lexicon)
        self.mw = procs.start_daemon(self.a.mw, cfg, self.tmp, os.path.join(self.tmp, "latency.err"))
        # The daemon is ready once it has polled the (empty) feed.
        deadline = time.time() + 30
        while not self.requests_since(0):
            if self.mw.poll() is not None or time.time() > deadline:
                raise SystemExit("bench/latency: mediawatch run never polled the feed; see %s"
                                 % os.path.join(self.tmp, "latency.err"))
            time.sleep(0.05)

    def wait_delivery(self, title, url, deadline):
        while time.time() < deadline:
            for d in self.deliveries():
                try:
                    body = json.loads(d.get("body") or "{}")
                except ValueError:
                    continue
                if body.get("title") == title or body.get("url") == url:
                    return d, body
            if self.mw.poll() is not None:
                raise SystemExit("bench/latency: mediawatch run exited %d; see %s"
                                 % (self.mw.returncode, os.path.join(self.tmp, "latency.err")))
            time.sleep(0.02)
        return None, None

    def carrier(self, since_ms, sizes):
        """The first completed 200 of the new file after since_ms."""
        for r in self.requests_since(since_ms):
            if r["status"] == 200 and r["bytes"] in sizes:
                return r
        return None

    def run(self, progress):
        stories = self.texts.stories(self.a.items)
        rnd = random.Random(7)
        items, rows, missing = [], [], []
        for k, (title, text) in enumerate(stories, 1):
            url = "%s/news/%04d.html" % (self.base, k)
            items.append((title, url, text, int(time.time())))
            data = self.feed_bytes(items)
            sizes = {len(data), gzip_len(data)}
            # Any moment of the poll cycle: the latency does not depend on
            # it, and a write during a poll is handled (see above).
            time.sleep(rnd.uniform(0.05, 0.5))
            written = procs.now_ms()
            gen.write_atomic(self.feed, data)
            d, body = self.wait_delivery(title, url, time.time() + ITEM_TIMEOUT_S)
            r = self.carrier(written, sizes)
            if d is None or r is None:
                missing.append(k)
                progress("item %d: %s" % (k, "no alert within %ds" % ITEM_TIMEOUT_S
                                          if d is None else "no 200 response logged"))
            else:
                rows.append({"k": k, "written_ms": written, "response_ms": r["at_ms"],
                             "delivery_ms": d["at_ms"], "latency_ms": d["at_ms"] - r["at_ms"],
                             "level": body.get("level"), "event": body.get("event"),
                             "alert": body.get("id")})
            procs.http(self.base + "/_fixture/clear", data=b"")
            if k % 20 == 0:
                done = [x["latency_ms"] for x in rows]
                progress("%d/%d items, latest %d ms, max so far %d ms"
                         % (k, len(stories), done[-1] if done else -1, max(done or [-1])))
        return rows, missing

    def stop(self):
        rc = procs.stop(self.mw)
        procs.stop(self.fx)
        return rc


def measure(a, progress):
    """Returns a dict of figures (see run for what is printed)."""
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="mw-bench-latency.")
    b = Bench(a, tmp)
    try:
        b.start()
        rows, missing = b.run(progress)
    finally:
        rc = b.stop()
    with open(os.path.join(tmp, "latency.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    lat = sorted(r["latency_ms"] for r in rows)
    alerts = {r["alert"] for r in rows}
    out = {
        "tmp": tmp, "items": a.items, "measured": len(rows), "missing": missing,
        "distinct_alerts": len(alerts), "daemon_rc": rc,
        "p50": procs.percentile(lat, 50), "p90": procs.percentile(lat, 90),
        "p99": procs.percentile(lat, 99), "max": lat[-1] if lat else float("nan"),
        "min": lat[0] if lat else float("nan"),
        "mean": sum(lat) / len(lat) if lat else float("nan"),
        "poll_wait_mean": (sum(r["response_ms"] - r["written_ms"] for r in rows) / len(rows)
                           if rows else float("nan")),
        "levels": sorted({r["level"] for r in rows if r["level"] is not None}),
        "wall_s": time.time() - t0,
    }
    return out
