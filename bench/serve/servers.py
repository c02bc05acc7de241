"""bench/serve/servers.py: the processes bench/serve/run measures and
drives: `mediawatch serve` (a viewer signed in, its cookie kept) and the
crawl: Debian's nginx serving the 500 feeds, a thread adding new items to
them at a set rate, and `mediawatch run` polling them.

What it leaves to others: the store (gen_store.py), the load and the
figures (run).
"""
import json
import os
import random
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request

import gen  # bench/latency: rss(), Texts, nginx_config(), write_atomic()
import procs  # bench/latency: processes, loopback HTTP
from common import N_FEEDS, SEEDS, die

USER, PASSWORD = "bench", "bench-serve-password-1"
FEED_KEEP = 20  # items a feed lists


class Server:
    def __init__(self, a, cfg, folder):
        self.a, self.cfg, self.folder = a, cfg, folder
        self.log = os.path.join(folder, "serve.log")
        self.p = None

    def add_user(self):
        pw = os.path.join(self.folder, "password")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        r = subprocess.run([self.a.mw, "users", "add", USER, "--role",
                            "viewer", "--password-file", pw, "--config",
                            self.cfg], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True,
                           env=procs.clean_env())
        if r.returncode != 0:
            # Kept stores have the user from an earlier run: set the
            # password again rather than trusting it.
            r2 = subprocess.run([self.a.mw, "users", "passwd", USER,
                                 "--password-file", pw, "--config",
                                 self.cfg], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True,
                                env=procs.clean_env())
            if r2.returncode != 0:
                die("users add: %s; users passwd: %s" % (r.stdout.strip(),
                                                         r2.stdout.strip()))

    def start(self):
        self.p = subprocess.Popen(
            [self.a.mw, "serve", "--config", self.cfg, "--listen",
             "127.0.0.1:0"], stdout=subprocess.DEVNULL,
            stderr=open(self.log, "wb"), env=procs.clean_env())
        deadline = time.time() + 120
        while True:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                m = re.search(r"mediawatch: serving (http://[0-9.]+:\d+)",
                              f.read())
            if m:
                self.base = m.group(1)
                break
            if self.p.poll() is not None or time.time() > deadline:
                die("mediawatch serve did not start; see %s" % self.log)
            time.sleep(0.1)
        body = json.dumps({"name": USER, "password": PASSWORD}).encode()
        req = urllib.request.Request(self.base + "/api/login", data=body,
                                     method="POST", headers={
                                         "Content-Type": "application/json"})
        with procs._opener.open(req, timeout=30) as r:
            cookie = r.headers.get("Set-Cookie") or ""
        m = re.match(r"(mw_session=[0-9a-f]+)", cookie)
        if not m:
            die("POST /api/login gave no mw_session cookie: %r" % cookie)
        self.cookie = m.group(1)

    def get(self, path, timeout=60):
        """(status, ms, body) of one GET with the session."""
        req = urllib.request.Request(self.base + path,
                                     headers={"Cookie": self.cookie})
        t0 = time.perf_counter()
        try:
            with procs._opener.open(req, timeout=timeout) as r:
                body = r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            body, status = e.read(), e.code
        return status, (time.perf_counter() - t0) * 1000, body

    def metric(self, name):
        try:
            _, _, body = self.get("/metrics")
        except OSError:
            return None
        m = re.search(r"^%s(?:\{[^}]*\})? (\S+)$" % re.escape(name),
                      body.decode("utf-8", "replace"), re.M)
        return float(m.group(1)) if m else None

    def stop(self):
        return procs.stop(self.p)


# ----------------------------------------------------------- the crawl

class Crawl:
    """nginx serving the 500 feeds, a thread adding items to them, and
    `mediawatch run` polling them."""

    def __init__(self, a, cfg, folder):
        self.a, self.cfg = a, cfg
        self.tmp = os.path.join(folder, "crawl")
        self.site = os.path.join(self.tmp, "site", "c")
        self.nginx = self.mw = None
        self.stop_ev = threading.Event()
        self.items = [[] for _ in range(N_FEEDS)]
        self.added = 0
        self.run_id = time.strftime("%Y%m%d%H%M%S")
        self.texts = gen.Texts(SEEDS, seed=int(self.run_id))
        self.rnd = random.Random(int(self.run_id))

    def feed_path(self, i):
        return os.path.join(self.site, "o%d.xml" % i)

    def write_feed(self, i):
        base = "http://127.0.0.1:%d/c/o%d/" % (self.a.feed_port, i)
        gen.write_atomic(self.feed_path(i), gen.rss(
            "feed %d" % i, base, list(reversed(self.items[i][-FEED_KEEP:]))))

    def add_items(self, n):
        touched = set()
        for _ in range(n):
            i = self.rnd.randrange(N_FEEDS)
            title, text = self.texts.news()
            self.added += 1
            url = "http://127.0.0.1:%d/c/o%d/%s-%d.html" % (
                self.a.feed_port, i, self.run_id, self.added)
            self.items[i].append((title, url, text, int(time.time())))
            touched.add(i)
        for i in touched:
            self.write_feed(i)

    def driver(self):
        t_last, owed = time.monotonic(), 0.0
        while not self.stop_ev.wait(0.25):
            now = time.monotonic()
            owed += (now - t_last) * self.a.crawl_rate
            t_last = now
            if owed >= 1:
                self.add_items(int(owed))
                owed -= int(owed)

    def start(self):
        if os.path.exists(self.tmp):
            subprocess.run(["rm", "-rf", self.tmp], check=True)
        os.makedirs(self.site)
        os.makedirs(os.path.join(self.tmp, "nginx"))
        for i in range(N_FEEDS):
            self.write_feed(i)
        conf = os.path.join(self.tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(gen.nginx_config(self.tmp, 1, self.a.feed_port))
        self.access = os.path.join(self.tmp, "nginx", "access.log")
        self.nginx = subprocess.Popen(
            ["/usr/sbin/nginx", "-p", os.path.join(self.tmp, "nginx"), "-c",
             conf, "-e", os.path.join(self.tmp, "nginx", "error.log")],
            env=procs.clean_env())
        deadline = time.time() + 10
        while True:
            try:
                procs.http("http://127.0.0.1:%d/c/o0.xml" % self.a.feed_port)
                break
            except OSError:
                if self.nginx.poll() is not None or time.time() > deadline:
                    die("nginx did not start on 127.0.0.1:%d (port taken? "
                        "--feed-port; and --fresh, the store's feeds name "
                        "the port)" % self.a.feed_port)
                time.sleep(0.1)
        self.thread = threading.Thread(target=self.driver, daemon=True)
        self.thread.start()
        self.mw = procs.start_daemon(self.a.mw, self.cfg, self.tmp,
                                     os.path.join(self.tmp, "run.log"))

    def feeds_polled(self):
        seen = set()
        try:
            with open(self.access) as f:
                for line in f:
                    p = line.split()
                    if len(p) == 5 and p[2] == "GET" and p[3].endswith(".xml"):
                        seen.add(p[3])
        except FileNotFoundError:
            pass
        return len(seen)

    def alive(self):
        return self.mw.poll() is None

    def stop(self):
        self.stop_ev.set()
        rc = procs.stop(self.mw)
        procs.stop(self.nginx)
        return rc
