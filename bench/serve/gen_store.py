"""bench/serve/gen_store.py: the store of bench/serve/run: bench/report's
config with its 500 feeds on loopback, the articles written by
bench/report's generator (bench_report gen), the search index filled
through the store API (bench_serve index), kept in a folder with a stamp;
and the article counts the run reads while the crawl writes.

What it leaves to others: the workload itself (bench/report), the HTTP
side and the printing (run, servers.py).
"""
import json
import os
import re
import sqlite3
import subprocess
import time

import gen_config  # bench/report: the 500 outlets, 20 topics
from common import N_FEEDS, SEEDS, die, progress


def write_config(path, db, feed_port, poll_s):
    """bench/report's config with its feeds on loopback and a crawler
    section that lets the crawler fetch them."""
    gen_config.write(path, db)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"http://192\.0\.2\.1/o(\d+)/rss\.xml",
                  lambda m: "http://127.0.0.1:%d/c/o%s.xml"
                  % (feed_port, m.group(1)), text)
    text = text.replace("    poll: 15m", "    poll: %ds" % poll_s)
    text = text.replace("# Written by bench/report/run; never crawled.",
                        "# Written by bench/serve/run: bench/report's "
                        "outlets, feeds on loopback.")
    if "192.0.2." in text or text.count("127.0.0.1:%d/" % feed_port) \
            != N_FEEDS:
        die("gen_config.py changed: cannot point its feeds at loopback")
    text += ("\ncrawler:\n  per_host_delay_ms: 0\n"
             "  allow_private_addresses: true\n  respect_robots: false\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def generate(a, folder):
    cfg = os.path.join(folder, "bench.yaml")
    db = os.path.join(folder, "bench.db")
    stamp = os.path.join(folder, "made-with")
    want = "articles=%d year=%d feed_port=%d\n" % (a.articles, a.year,
                                                   a.feed_port)
    write_config(cfg, db, a.feed_port, a.poll)
    if not a.fresh and os.path.exists(db) and os.path.exists(stamp) and \
            open(stamp).read() == want:
        print("store: reusing %s (%s), %.2f GB" % (
            db, want.strip(), os.path.getsize(db) / 1e9))
        return cfg, db
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    for name in ("made-with", "index.json"):
        if os.path.exists(os.path.join(folder, name)):
            os.unlink(os.path.join(folder, name))
    progress("writing %d articles through the store API (bench_report)"
             % a.articles)
    t0 = time.monotonic()
    out = subprocess.run(["nice", "-n", "10", a.bench_report, "gen", cfg,
                          str(a.articles), str(a.year), SEEDS],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    facts = dict(line.split(" ", 1) for line in out.splitlines())
    print("store: %s articles (%s in reprint groups), %s topic matches, "
          "%s alerts; written in %.1f s; %.2f GB"
          % (facts["articles"], facts["grouped_articles"], facts["matches"],
             facts["alerts"], time.monotonic() - t0,
             os.path.getsize(db) / 1e9))
    with open(stamp, "w") as f:
        f.write(want)
    return cfg, db


def fts_size(db):
    """Bytes of the FTS5 tables (every shadow table of each) and their
    names, from dbstat."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        fts = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
            "lower(sql) LIKE 'create virtual table%using fts5%'")]
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table'")
            if any(r[0] == t or r[0].startswith(t + "_") for t in fts)]
        total = 0
        for n in names:
            total += con.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?",
                (n,)).fetchone()[0]
        return total, fts
    finally:
        con.close()


def build_index(a, cfg, db, folder):
    facts_path = os.path.join(folder, "index.json")
    progress("search index: catching up (bench_serve index, batches of %d)"
             % a.index_batch)
    r0 = os.times()
    out = subprocess.run(["nice", "-n", "10", a.bench_serve, "index", cfg,
                          str(a.index_batch)],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    r1 = os.times()
    cpu = (r1.children_user - r0.children_user) + \
        (r1.children_system - r0.children_system)
    f = dict(line.split(" ", 1) for line in out.splitlines())
    indexed = int(f["indexed"])
    if indexed >= a.articles // 2 or not os.path.exists(facts_path):
        size, tables = fts_size(db)
        facts = {"indexed": indexed, "seconds": float(f["seconds"]),
                 "rate": float(f["rate"]), "batch": a.index_batch,
                 "cpu": cpu, "load": os.getloadavg()[0],
                 "bytes": size, "tables": tables,
                 "db_bytes": os.path.getsize(db)}
        with open(facts_path, "w") as fp:
            json.dump(facts, fp)
        when = "built now"
    else:
        with open(facts_path) as fp:
            facts = json.load(fp)
        when = "built by an earlier run; %d articles added now in %s s" % (
            indexed, f["seconds"])
    print("search index (%s): %d articles in %.1f s wall (%.0f articles/s; "
          "%s s CPU, load average %s at the end), %d a transaction; FTS5 "
          "tables %s: %.2f GB (database %.2f GB)"
          % (when, facts["indexed"], facts["seconds"], facts["rate"],
             "%.1f" % facts["cpu"] if "cpu" in facts else "?",
             "%.1f" % facts["load"] if "load" in facts else "?",
             facts["batch"], ",".join(facts["tables"]) or "none found",
             facts["bytes"] / 1e9, facts["db_bytes"] / 1e9))


def article_mark(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        return con.execute("SELECT coalesce(max(id), 0) FROM articles"
                           ).fetchone()[0]
    finally:
        con.close()


def articles_after(db, mark):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        return con.execute("SELECT count(*) FROM articles WHERE id > ?",
                           (mark,)).fetchone()[0]
    finally:
        con.close()
