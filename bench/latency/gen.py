"""bench/latency/gen.py: the texts, feeds and configs bench/latency/run uses.

Stories come from the seed documents (/work/shared/seeds/*.txt) through
bench/crawl/gen_site.py's sentence reader and place names, with a fixed
random seed, so every run serves the same bytes:

  - sensitive stories for the latency part: each a different incident
    (place, facility, problem, how residents complain) whose lexicon score
    reaches an alert level, with seed sentences around it so no two are
    reprints of each other;
  - small neutral feeds for the CPU part: ITEMS entries of ordinary news
    (gen_site's titles, two seed sentences each).

It also writes the mediawatch configs and nginx's config. What it leaves
to others: starting and measuring anything (run, latency.py, idle.py).
"""
import email.utils
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "crawl"))
import gen_site  # noqa: E402  (bench/crawl: load_sentences, esc, PLACES...)

esc = gen_site.esc

FACILITIES = ["垃圾焚烧厂", "垃圾填埋场", "垃圾中转站", "污水处理厂", "化工园区", "养殖场",
              "砂石厂", "建材厂", "废旧塑料加工点", "危废仓库"]
PROBLEMS = ["恶臭扰民", "偷排污水", "非法倾倒垃圾", "冒黑烟", "河水发黑", "死鱼", "渗滤液外溢",
            "粉尘污染", "超标排放", "危废泄漏"]
COMPLAINTS = ["居民多次投诉无果", "村民集体投诉", "居民拉横幅抗议", "群众反映无果", "部门推诿不作为",
              "居民上访"]
HARMS = ["不少老人出现头晕呕吐", "有孩子呼吸困难住院", "村民担心致癌", "附近居民身体不适",
         "河里成片死鱼", "空气里一股刺鼻气味"]


class Texts:
    def __init__(self, seeds, seed=20230508):
        self.rnd = random.Random(seed)
        self.sent = gen_site.load_sentences(seeds)

    def sentences(self, n):
        return "".join(self.rnd.choice(self.sent) for _ in range(n))

    def stories(self, n):
        """n sensitive stories [(title, text)], all different incidents."""
        combos = [(p, f, q) for p in gen_site.PLACES for f in FACILITIES for q in PROBLEMS]
        if n > len(combos):
            raise SystemExit("bench/latency: at most %d different stories" % len(combos))
        out = []
        for place, facility, problem in self.rnd.sample(combos, n):
            complaint = self.rnd.choice(COMPLAINTS)
            title = "%s一%s%s，%s" % (place, facility, problem, complaint)
            text = "%s居民反映，附近%s长期%s，%s，%s。%s" % (
                place, facility, problem, self.rnd.choice(HARMS), complaint,
                self.sentences(3))
            out.append((title, text))
        return out

    def news(self):
        """A neutral (title, text) of the kind portals publish daily."""
        t = (self.rnd.choice(gen_site.PLACES) + self.rnd.choice(gen_site.ACTIONS)
             + self.rnd.choice(gen_site.TOPICS) + self.rnd.choice(gen_site.TAILS))
        return t, self.sentences(2)


def rss(title, link, items):
    """An RSS 2.0 document; items are (title, link, text, epoch seconds)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
           "<title>%s</title><link>%s</link><description>%s</description>" % (
               esc(title), esc(link), esc(title))]
    for t, url, text, when in items:
        out.append("<item><title>%s</title><link>%s</link><description>%s</description>"
                   "<pubDate>%s</pubDate><guid>%s</guid></item>" % (
                       esc(t), esc(url), esc(text), email.utils.formatdate(when), esc(url)))
    out.append("</channel></rss>\n")
    return "\n".join(out).encode("utf-8")


def write_atomic(path, data):
    """Readers (the fixture reads at request time) see the old file or the
    new one, never a part."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def latency_config(path, storage, feed_url, hook_url, lexicon):
    with open(path, "w", encoding="utf-8") as f:
        f.write("""# bench/latency: one feed polled every second, alerts to a webhook.
storage: %s
crawler:
  per_host_delay_ms: 0
  allow_private_addresses: true
  respect_robots: false
  jitter_pct: 0
outlets:
  - name: 环境舆情监测点
    tier: new-media
    region: 吉林省
    sources:
      - url: %s
        kind: feed
        poll: 1s
sensitivity:
  lexicon: %s
alerts:
  receivers:
    - name: bench-hook
      kind: webhook
      url: %s
  routes:
    - name: 全部预警
      min_level: 1
      receivers: [bench-hook]
""" % (storage, feed_url, lexicon, hook_url))


def idle_config(path, storage, feed_urls, hosts, poll_s, lexicon, hook_url):
    """One outlet per host, its feeds as sources; the topics and alerts of
    a real office so the daemon does all it would do."""
    per = [[] for _ in range(hosts)]
    for i, url in enumerate(feed_urls):
        per[i % hosts].append(url)
    with open(path, "w", encoding="utf-8") as f:
        f.write("""# bench/latency, CPU part: %d feeds on %d loopback hosts, polled every %ds.
storage: %s
crawler:
  per_host_delay_ms: 0
  allow_private_addresses: true
  respect_robots: false
outlets:
""" % (len(feed_urls), hosts, poll_s, storage))
        for h, urls in enumerate(per):
            if not urls:
                continue
            f.write("  - name: 站点%03d\n    tier: portal\n    region: 吉林省\n    sources:\n" % h)
            for url in urls:
                f.write("      - url: %s\n        poll: %ds\n" % (url, poll_s))
        f.write("""topics:
  - name: 无废城市
    keywords: [无废城市, 无废细胞]
  - name: 垃圾分类
    keywords: [垃圾分类, 生活垃圾分类]
  - name: 固废污染
    rule: "(固体废物 OR 危险废物) AND (污染 OR 倾倒)"
sensitivity:
  lexicon: %s
alerts:
  receivers:
    - name: hook
      kind: webhook
      url: %s
  routes:
    - receivers: [hook]
""" % (lexicon, hook_url))


def nginx_config(tmp, hosts, port):
    """Debian's nginx without root, as bench/crawl/run starts it: its own
    prefix and temp paths under tmp, one worker. Feeds under /c/ answer
    conditional GETs with 304; those under /nc/ have no validators and
    always answer 200 (a feed regenerated on every request). POSTs to
    /hook/ are the alerts' webhook. The access log gives each request's
    time and status."""
    listen = "\n".join("    listen 127.0.0.%d:%d;" % (h + 1, port) for h in range(hosts))
    d = os.path.join(tmp, "nginx")
    return """worker_processes 1;
daemon off;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  log_format bench '$msec $status $request_method $uri $body_bytes_sent';
  access_log %(d)s/access.log bench;
  client_body_temp_path %(d)s/body;
  proxy_temp_path %(d)s/proxy;
  fastcgi_temp_path %(d)s/fastcgi;
  uwsgi_temp_path %(d)s/uwsgi;
  scgi_temp_path %(d)s/scgi;
  sendfile on;
  keepalive_requests 100000;
  gzip on;
  gzip_types text/xml application/rss+xml application/xml;
  server {
%(listen)s
    root %(tmp)s/site;
    location / { }
    location /nc/ { etag off; if_modified_since off; }
    location /hook/ { access_log off; return 200 '{"ok":true}'; }
  }
}
""" % {"d": d, "tmp": tmp, "listen": listen}
