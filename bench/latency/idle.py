"""bench/latency/idle.py: the CPU part of bench/latency/run: what `mediawatch
run` costs while it watches SOURCES feeds polled every POLL seconds.

Debian's nginx serves SOURCES small generated feeds (ITEMS neutral news
items each) from a temporary folder on HOSTS loopback addresses
(127.0.0.1 ...), one outlet per address, started without root the way
bench/crawl/run starts it (own config, prefix and temp paths). A quarter
of the feeds (--fresh-pct, a fixed random sample) sit under /nc/, where
nginx sends no validators and ignores If-Modified-Since: they answer 200
with the same items on every poll, like a feed regenerated on each
request; the others answer 304 once mediawatch has their ETag. The daemon runs with the shipped
lexicon, three topics and a webhook route (nginx's /hook/ answers 200), as
an office would run it.

Its CPU (utime + stime of all its threads, /proc/PID/stat) and memory
(VmRSS, VmHWM) are sampled every second. Two spans are reported:

  first crawl  from the start (config, lexicon and rules compiled, store
               opened) until every source has been polled once and every
               item stored (or the daemon has been idle 3 s after the last
               first poll);
  steady       the window [POLL/2, 3*POLL/2) after the start: one whole
               poll interval holding the second poll of every source (the
               first ones are spread over 2 s at start-up and the next
               come POLL +/- 10% jitter later), with no first-crawl work
               and no third poll in it. nginx's access log counts the polls
               in it and how they were answered.

What it leaves to others: the feeds and configs (gen.py), processes and
/proc (procs.py), printing (run).
"""
import os
import random
import sqlite3
import subprocess
import tempfile
import time

import gen
import procs


def read_log(path):
    """nginx's access log: [(epoch s, status, method, uri, bytes)]."""
    out = []
    try:
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) == 5:
                    out.append((float(p[0]), int(p[1]), p[2], p[3], int(p[4])))
    except FileNotFoundError:
        pass
    return out


def feed_polls(log):
    return [e for e in log if e[2] == "GET" and e[3].endswith(".xml")]


def count_articles(db):
    try:
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=1)
        try:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return -1


class Bench:
    def __init__(self, a, tmp, progress):
        self.a, self.tmp, self.progress = a, tmp, progress
        self.port = procs.free_port()
        self.nginx = self.mw = None
        self.samples = []  # (seconds since start, cpu seconds, rss KB)

    def generate(self):
        texts = gen.Texts(self.a.seeds, seed=20230509)
        n, hosts = self.a.sources, self.a.hosts
        when = int(time.time()) - 86400
        # Which feeds always answer 200: a fixed sample, spread over hosts.
        fresh = set(random.Random(11).sample(range(n), n * self.a.fresh_pct // 100))
        self.urls = []
        for d in ("c", "nc"):
            os.makedirs(os.path.join(self.tmp, "site", d))
        for i in range(n):
            host = "127.0.0.%d:%d" % (i % hosts + 1, self.port)
            folder = "nc" if i in fresh else "c"
            base = "http://%s/%s/%05d" % (host, folder, i)
            items = []
            for j in range(self.a.feed_items):
                t, text = texts.news()
                items.append((t, "%s/%d.html" % (base, j), text, when - 3600 * j))
            with open(os.path.join(self.tmp, "site", folder, "%05d.xml" % i), "wb") as f:
                f.write(gen.rss("站点%03d" % (i % hosts), base + "/", items))
            self.urls.append(base + ".xml")
        self.n_fresh = sum(1 for u in self.urls if "/nc/" in u)
        self.cfg = os.path.join(self.tmp, "idle.yaml")
        self.db = os.path.join(self.tmp, "idle.db")
        gen.idle_config(self.cfg, self.db, self.urls, hosts, self.a.poll, self.a.lexicon,
                        "http://127.0.0.1:%d/hook/bench" % self.port)

    def start_nginx(self):
        os.makedirs(os.path.join(self.tmp, "nginx"))
        conf = os.path.join(self.tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(gen.nginx_config(self.tmp, self.a.hosts, self.port))
        err = os.path.join(self.tmp, "nginx", "error.log")
        self.nginx = subprocess.Popen(["/usr/sbin/nginx", "-p", os.path.join(self.tmp, "nginx"),
                                       "-c", conf, "-e", err], env=procs.clean_env())
        # Ready once the last address answers a feed (and the hook a POST).
        deadline = time.time() + 10
        while True:
            try:
                status, _ = procs.http(self.urls[-1])
                procs.http("http://127.0.0.1:%d/hook/ping" % self.port, data=b"{}")
                break
            except OSError:
                if self.nginx.poll() is not None or time.time() > deadline:
                    raise SystemExit("bench/latency: nginx did not start; see " + err)
                time.sleep(0.1)
        if status != 200:
            raise SystemExit("bench/latency: nginx answers %d for %s" % (status, self.urls[-1]))

    def sample(self):
        t = time.time() - self.t0
        cpu = procs.cpu_seconds(self.mw.pid)
        rss, _ = procs.memory_kb(self.mw.pid)
        self.samples.append((t, cpu, rss))
        return t, cpu

    def sleep_until(self, t_rel):
        """Samples every second until t_rel seconds after the start; returns
        the CPU seconds read at t_rel."""
        while True:
            if self.mw.poll() is not None:
                raise SystemExit("bench/latency: mediawatch run exited %d; see %s"
                                 % (self.mw.returncode, os.path.join(self.tmp, "idle.err")))
            left = self.t0 + t_rel - time.time()
            if left <= 0:
                return self.sample()[1]
            time.sleep(min(1.0, left))
            if left > 1.0:
                self.sample()

    def first_crawl(self):
        """Waits for the end of the first crawl; returns (seconds, cpu)."""
        n, expected = self.a.sources, self.a.sources * self.a.feed_items
        log = os.path.join(self.tmp, "nginx", "access.log")
        limit = self.a.poll / 2
        idle_since, last_cpu = None, -1.0
        while time.time() - self.t0 < limit:
            time.sleep(1.0)
            t, cpu = self.sample()
            polled = sum(1 for e in feed_polls(read_log(log)) if e[0] >= self.t0)
            stored = count_articles(self.db) if polled >= n else -1
            if polled >= n and stored >= expected:
                return t, cpu, polled, stored
            if polled >= n and cpu - last_cpu < 0.02:
                idle_since = idle_since or t
                if t - idle_since >= 3:
                    return t, cpu, polled, stored
            else:
                idle_since = None
            last_cpu = cpu
            if int(t) % 10 == 0:
                self.progress("first crawl: %ds, %d polls, %.1f CPU s" % (t, polled, cpu))
        raise SystemExit("bench/latency: the first crawl did not end within %ds (POLL/2); "
                         "see %s" % (limit, self.tmp))

    def cpu_at(self, t_rel):
        """CPU seconds of the last sample at or before t_rel (and its time)."""
        best = (0.0, 0.0)
        for t, cpu, _ in self.samples:
            if t > t_rel:
                break
            best = (t, cpu)
        return best

    def quiet_span(self, w0, in_window):
        """(seconds, cpu) from the window's start to the last sample before
        its first poll: the daemon with nothing to fetch, only its timers
        (the alerts thread ticks every 5 s)."""
        if not in_window:
            return None
        first = min(e[0] for e in in_window) - self.t0
        t_a, cpu_a = self.cpu_at(w0)
        t_b, cpu_b = self.cpu_at(first - 0.01)
        return (t_b - t_a, cpu_b - cpu_a) if t_b - t_a >= 10 else None

    def run(self):
        self.mw = procs.start_daemon(self.a.mw, self.cfg, self.tmp,
                                     os.path.join(self.tmp, "idle.err"))
        self.t0 = time.time()
        t_first, cpu_first, polled_first, stored = self.first_crawl()
        _, hwm_first = procs.memory_kb(self.mw.pid)
        self.progress("first crawl done at %.0fs; steady window [%ds, %ds)"
                      % (t_first, self.a.poll // 2, 3 * self.a.poll // 2))
        w0, w1 = self.a.poll / 2, 3 * self.a.poll / 2
        cpu0 = self.sleep_until(w0)
        cpu1 = self.sleep_until(w1)
        rss_end, hwm = procs.memory_kb(self.mw.pid)
        log = feed_polls(read_log(os.path.join(self.tmp, "nginx", "access.log")))
        in_window = [e for e in log if self.t0 + w0 <= e[0] < self.t0 + w1]
        quiet = self.quiet_span(w0, in_window)
        return {
            "sources": self.a.sources, "hosts": self.a.hosts, "poll_s": self.a.poll,
            "feed_items": self.a.feed_items, "fresh": self.n_fresh,
            "first_s": t_first, "first_cpu": cpu_first, "first_polls": polled_first,
            "first_articles": stored, "first_hwm_kb": hwm_first,
            "window": (w0, w1), "window_cpu": cpu1 - cpu0,
            "window_polls": len(in_window),
            "window_sources": len({e[3] for e in in_window}),
            "window_200": sum(1 for e in in_window if e[1] == 200),
            "window_304": sum(1 for e in in_window if e[1] == 304),
            "window_other": sum(1 for e in in_window if e[1] not in (200, 304)),
            "polls_total": len(log),
            "quiet": quiet,
            "rss_end_kb": rss_end, "hwm_kb": hwm,
            "samples": self.samples,
        }

    def stop(self):
        rc = procs.stop(self.mw)
        procs.stop(self.nginx)
        return rc


def measure(a, progress):
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="mw-bench-idle.")
    os.chmod(tmp, 0o755)  # nginx's worker may run as another user
    b = Bench(a, tmp, progress)
    try:
        b.generate()
        gen_s = time.time() - t0
        progress("%d feeds written in %.1fs; nginx on 127.0.0.1-%d port %d"
                 % (a.sources, gen_s, a.hosts, b.port))
        b.start_nginx()
        out = b.run()
    finally:
        rc = b.stop()
    out.update({"tmp": tmp, "daemon_rc": rc, "gen_s": gen_s, "wall_s": time.time() - t0,
                "articles_end": count_articles(b.db)})
    with open(os.path.join(tmp, "cpu.tsv"), "w") as f:
        f.write("seconds\tcpu_seconds\trss_kb\n")
        for t, cpu, rss in out.pop("samples"):
            f.write("%.2f\t%.2f\t%d\n" % (t, cpu, rss))
    return out
