#!/usr/bin/python3
"""Field-by-field agreement of mediawatch's feed parser with feedparser.

    agree.py BENCH_FEEDS [-v]

Writes a corpus of small feeds into a temporary folder, one case each, in
the categories of feedparser's own wellformed/illformed suites (dates in
every common form, entities declared and not, escaped and inline HTML,
CDATA, xml:base at every level, authors, link choice, RSS 0.9x/1.0/2.0,
Atom 0.3/1.0, encodings, broken documents), parses it with
`BENCH_FEEDS --dump --offset 0` and with Debian's feedparser, and compares
entry titles, links, ids, dates, authors and text. Text is compared after
the same reduction on both sides (tags stripped, entities decoded,
whitespace collapsed), since mediawatch keeps text where feedparser keeps
sanitised HTML.

Differences that are decisions, not errors, are counted apart: "CST" is
China's zone here (feedparser: US Central), and an impossible date such as
2023-13-45 is refused here (feedparser rolls it over into 2024). Dates are
compared as a reader shows them (published, else updated): feedparser
files dc:date as "updated", mediawatch as the publication date. -v lists
every disagreement.
"""
import calendar
import html
import json
import os
import re
import subprocess
import sys
import tempfile

import feedparser

DATES = [
    "Mon, 08 May 2023 10:00:00 +0800", "Mon, 08 May 2023 10:00:00 GMT",
    "Mon, 8 May 2023 10:00:00 GMT", "08 May 2023 10:00:00 GMT",
    "Mon, 08 May 2023 10:00 GMT", "Mon, 08 May 23 10:00:00 GMT",
    "Thu, 01 Jan 04 19:48:21 GMT", "Mon, 08 May 2023 10:00:00 EST",
    "Mon, 08 May 2023 10:00:00 EDT", "Mon, 08 May 2023 10:00:00 PST",
    "Mon, 08 May 2023 10:00:00 PDT", "Mon, 08 May 2023 10:00:00 MST",
    "Mon, 08 May 2023 10:00:00 MDT", "Mon, 08 May 2023 10:00:00 CDT",
    "Mon, 08 May 2023 10:00:00 UT", "Mon, 08 May 2023 10:00:00 Z",
    "Mon, 08 May 2023 10:00:00 A", "Mon, 08 May 2023 10:00:00 N",
    "Mon, 08 May 2023 10:00:00 -0330", "Mon, 26 January 2004 16:31:00 ET",
    "Wed, 19 Feb 2012 22:40:00 GMT-01:01", "Thu, 30 Apr 2015 08:57:00 MET",
    "Mon, 13 Feb, 2012 06:28:00 UTC", "Thu Aug 30 2012 17:26:16 +0200",
    "Sun Jul 15 01:16:00 +0000 2012", "Thu, 01 Jan 2004",
    "2023-05-08T10:00:00+08:00", "2023-05-08T02:00:00Z",
    "2003-12-31T10:14:55.1234Z", "2003-12-31T10:14:55-08:00",
    "2003-12-31T10:14:55+0800", "2003-12-31T10:14Z", "2003-12-31",
    "2003-12", "2003", "2004-07-08 23:56:58 -00:20",
    "2004-02-28T18:14:55-08:00", "2003-012-31T10:14:55+00:00",
    "Mon, 08 May 2023 10:00:00 CST",
    # not dates at all: both sides must find nothing
    "yesterday", "2023-13-45", "Sun, 99 Jun 2009 12:00:00 GMT",
]

TITLES = [
    ("plain", "吉林省成立全域无废城市建设工作推进组"),
    ("amp", "AT&amp;T 与 无废城市"),
    ("lt", "5 &lt; 6"),
    ("numeric", "&#20013;&#25991; &#x4E2D;"),
    ("escaped html", "&lt;b&gt;无废&lt;/b&gt;城市"),
    ("double escaped", "AT&amp;amp;T"),
    ("cdata", "<![CDATA[垃圾分类 & 宣传]]>"),
    ("cdata html", "<![CDATA[<em>无废</em>细胞]]>"),
    ("nbsp", "黔江区&nbsp;生态环境局"),
    ("mdash", "宣传月&mdash;活动"),
    ("eacute", "Caf&eacute; 无废"),
    ("ldquo", "&ldquo;无废城市&rdquo;"),
    ("spaces", "  前后  空格   "),
    ("apos", "it&apos;s"),
    ("quot", "&quot;引号&quot;"),
]

DESCRIPTIONS = [
    "为深入贯彻落实全域无废城市建设工作部署。",
    "&lt;p&gt;第一段。&lt;/p&gt;&lt;p&gt;第二段。&lt;/p&gt;",
    "<![CDATA[<div><p>讲座围绕<b>五大领域</b>展开。</p></div>]]>",
    "<![CDATA[<p>有脚本</p><script>var x = 1;</script><p>结束</p>]]>",
    "一行&lt;br /&gt;二行",
    "a &amp; b &lt; c",
    "&lt;a href=&quot;http://x.cn/&quot;&gt;链接&lt;/a&gt;文字",
]

AUTHORS = [
    ("author", "xcjy@example.gov.cn (省生态环境厅宣教中心)"),
    ("author", "省生态环境厅宣教中心 &lt;xcjy@example.gov.cn&gt;"),
    ("author", "xcjy@example.gov.cn"),
    ("dc:creator", "吉林日报"),
    ("dc:creator", "Example editor"),
]

NS = ('xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
      'xmlns:atom="http://www.w3.org/2005/Atom"')


def rss(items, version="2.0", decl='<?xml version="1.0" encoding="utf-8"?>',
        channel_extra=""):
    body = "".join("<item>%s</item>" % i for i in items)
    return ('%s\n<rss version="%s" %s><channel><title>频道</title>'
            '<link>http://www.example.gov.cn/</link>%s%s</channel></rss>'
            % (decl, version, NS, channel_extra, body))


def atom(entries, feed_attrs="", ns="http://www.w3.org/2005/Atom"):
    body = "".join("<entry>%s</entry>" % e for e in entries)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="%s" %s>'
            '<title>源</title><id>urn:feed</id>%s</feed>' % (ns, feed_attrs, body))


def cases():
    """Yields (name, bytes)."""
    link = "<link>http://www.example.gov.cn/a/%d.html</link>"
    for i, d in enumerate(DATES):
        yield "date_pub_%02d" % i, rss([link % i + "<title>t</title><pubDate>%s</pubDate>" % d])
        yield "date_dc_%02d" % i, rss([link % i + "<title>t</title><dc:date>%s</dc:date>" % d])
        yield "date_atom_%02d" % i, atom(['<title>t</title><id>urn:%d</id>'
                                          '<link href="http://a.cn/%d"/>'
                                          '<published>%s</published><updated>%s</updated>'
                                          % (i, i, d, d)])
    for i, (_, t) in enumerate(TITLES):
        yield "title_rss_%02d" % i, rss([link % i + "<title>%s</title>" % t])
        for typ in ("text", "html"):
            yield "title_atom_%s_%02d" % (typ, i), atom(
                ['<title type="%s">%s</title><id>urn:%d</id><link href="http://a.cn/%d"/>'
                 % (typ, t, i, i)])
    yield "title_atom_xhtml", atom(['<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
                                    '无废<b>细胞</b></div></title><id>urn:x</id><link href="http://a.cn/x"/>'])
    for i, d in enumerate(DESCRIPTIONS):
        yield "desc_%02d" % i, rss([link % i + "<title>t</title><description>%s</description>" % d])
        yield "encoded_%02d" % i, rss([link % i + "<title>t</title><content:encoded>%s</content:encoded>" % d])
        yield "content_atom_%02d" % i, atom(['<title>t</title><id>urn:%d</id><link href="http://a.cn/%d"/>'
                                             '<content type="html">%s</content>' % (i, i, d)])
    yield "content_xhtml", atom(['<title>t</title><id>urn:c</id><link href="http://a.cn/c"/>'
                                 '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
                                 '<p>无废学校</p><p>无废医院</p></div></content>'])
    for i, (el, a) in enumerate(AUTHORS):
        yield "author_%02d" % i, rss([link % i + "<title>t</title><%s>%s</%s>" % (el, a, el)])
    yield "author_atom_email", atom(['<title>t</title><id>urn:e</id><link href="http://a.cn/e"/>'
                                     '<author><email>press@a.cn</email></author>'])
    yield "author_atom_name", atom(['<title>t</title><id>urn:a</id><link href="http://a.cn/a"/>'
                                    '<author><name>金溪镇</name><email>jx@a.cn</email></author>'])
    # links and xml:base
    yield "link_rel_base", atom(['<title>t</title><id>urn:b</id><link href="2024/1.html"/>'],
                                feed_attrs='xml:base="http://www.cq.gov.cn/zwgk/"')
    yield "link_entry_base", atom(['<title>t</title><id>urn:b</id><link href="1.html"/>'],
                                  feed_attrs='xml:base="http://www.cq.gov.cn/zwgk/"').replace(
        "<entry>", '<entry xml:base="2024/04/">')
    yield "link_link_base", atom(['<title>t</title><id>urn:b</id>'
                                  '<link xml:base="http://o.cn/a/b/" href="../c.html"/>'])
    yield "link_abs_path", atom(['<title>t</title><id>urn:b</id><link href="/x/y.html"/>'],
                                feed_attrs='xml:base="http://www.cq.gov.cn/zwgk/"')
    yield "link_alternate_choice", atom(['<title>t</title><id>urn:b</id>'
                                         '<link rel="self" href="http://a.cn/self"/>'
                                         '<link rel="enclosure" href="http://a.cn/e.mp3"/>'
                                         '<link rel="alternate" href="http://a.cn/alt"/>'])
    yield "link_no_rel", atom(['<title>t</title><id>urn:b</id>'
                               '<link rel="related" href="http://a.cn/rel"/>'
                               '<link href="http://a.cn/norel"/>'])
    yield "link_guid_permalink", rss(["<title>t</title><guid>http://a.cn/g.html</guid>"])
    yield "link_rss_ampersand", rss(["<title>t</title><link>http://a.cn/p?a=1&amp;b=2</link>"])
    yield "link_image_not_channel", rss([link % 1 + "<title>t</title>"],
                                        channel_extra="<image><title>图</title><link>http://img/</link></image>")
    yield "link_source_not_entry", atom(['<title>t</title><id>urn:s</id><link href="http://a.cn/s"/>'
                                         '<source><title>来源</title><id>urn:src</id>'
                                         '<link href="http://src/"/></source>'])
    yield "link_nested_bases", atom(['<title>t</title><id>urn:n</id><link xml:base="../e/" href="f.html"/>'],
                                    feed_attrs='xml:base="http://a.cn/b/c/"').replace(
        "<entry>", '<entry xml:base="d/">')
    yield "link_whitespace", rss(["<title>t</title><link>\n  http://a.cn/ws.html  \n</link>"])
    yield "link_guid_not_permalink", rss(['<title>t</title><guid isPermaLink="false">http://a.cn/np</guid>'])
    yield "link_and_guid", rss(['<title>t</title><link>http://a.cn/l</link><guid>http://a.cn/g</guid>'])
    # markup of other kinds
    yield "desc_naked_markup", rss([link % 1 + "<title>t</title><description><p>裸<b>标记</b></p></description>"])
    yield "xhtml_body", rss([link % 1 + '<title>t</title><body xmlns="http://www.w3.org/1999/xhtml">'
                                        '<p>一</p><p>二</p></body>'])
    yield "content_text_plain", atom(['<title>t</title><id>urn:p</id><link href="http://a.cn/p"/>'
                                      '<content type="text/plain">纯文本 &lt;不是标签&gt;</content>'])
    yield "entity_in_doctype", ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY org "吉林省">]>'
                                '<rss version="2.0"><channel><title>c</title>'
                                '<item><title>&org;生态环境厅</title><link>http://a.cn/1</link></item>'
                                '</channel></rss>')
    yield "title_newlines", rss([link % 1 + "<title>第一行\n   第二行</title>"])
    yield "charref_1252", rss([link % 1 + "<title>&#8220;引&#8221; &#233;</title>"])
    yield "title_cdata_escaped", rss([link % 1 + "<title><![CDATA[A &amp; B]]></title>"])
    yield "many_items", rss([link % i + "<title>第%d条</title>" % i for i in range(40)])
    # formats
    yield "rss091", rss([link % 1 + "<title>零点九一</title><description>d</description>"], version="0.91")
    yield "rss092", rss([link % 1 + "<title>零点九二</title>"], version="0.92")
    yield "rss10", ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                    '<channel rdf:about="http://a.cn/"><title>c</title><link>http://a.cn/</link></channel>'
                    '<item rdf:about="http://a.cn/1"><title>一</title><link>http://a.cn/1</link>'
                    '<dc:date>2023-05-06T14:00:00+08:00</dc:date></item></rdf:RDF>')
    yield "atom03", atom(['<title mode="escaped" type="text/html">&lt;b&gt;零点三&lt;/b&gt;</title>'
                          '<id>urn:03</id><link rel="alternate" type="text/html" href="http://a.cn/03"/>'
                          '<issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified>'],
                         ns="http://purl.org/atom/ns#").replace('<feed ', '<feed version="0.3" ')
    # encodings
    for enc in ("gbk", "gb2312", "gb18030", "big5"):
        text = "無廢城市建設" if enc == "big5" else "无废城市建设"
        doc = rss([link % 1 + "<title>%s</title><description>%s</description>" % (text, text)],
                  decl='<?xml version="1.0" encoding="%s"?>' % enc)
        if enc == "big5":
            doc = doc.replace("频道", "頻道")
        yield "enc_%s" % enc, doc.encode(enc)
    yield "enc_bom", b"\xef\xbb\xbf" + rss([link % 1 + "<title>带BOM</title>"]).encode()
    # ill-formed
    yield "ill_bare_amp", rss([link % 1 + "<title>恶臭 & 整改</title>"])
    yield "ill_amp_in_link", rss(["<title>t</title><link>http://a.cn/p?a=1&b=2</link>"])
    yield "ill_undeclared_entity", rss([link % 1 + "<title>A&nbsp;B&hellip;</title>"])
    yield "ill_unclosed_br", rss([link % 1 + "<title>t</title><description>x<br>y</description>",
                                  link % 2 + "<title>第二</title>"])


def reduce_text(s):
    """Both parsers' text reduced alike: no tags, entities decoded, single
    spaces."""
    if s is None:
        return None
    s = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", s)
    s = re.sub(r"(?i)</?(p|br|div|li|ul|ol|tr|td|th|table|h[1-6]|hr|pre|"
               r"blockquote|img)\b[^>]*>", " ", s)
    s = re.sub(r"<[^>]*>", "", s)
    s = html.unescape(s).replace("\u00a0", " ")
    s = " ".join(s.split())
    return s or None


def fp_time(entry, key):
    # dict.get: FeedParserDict would answer "updated" with "published"
    t = dict.get(entry, key + "_parsed")
    return calendar.timegm(t) if t else None


def best_date(published, updated):
    """The publication date as a reader would show it. feedparser files
    dc:date under "updated", mediawatch under published (it is RSS 1.0's
    publication date): compare what each would show."""
    return published if published is not None else updated


def fp_author(entry):
    d = entry.get("author_detail") or {}
    return d.get("name") or entry.get("author") or None


def fp_text(entry):
    if entry.get("content"):
        return entry["content"][0].get("value")
    return entry.get("summary")


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    bench = sys.argv[1]
    verbose = "-v" in sys.argv[2:]
    stats = {}
    intended = 0
    disagreements = []
    with tempfile.TemporaryDirectory(prefix="mw-agree-") as tmp:
        names = []
        for name, doc in cases():
            data = doc if isinstance(doc, bytes) else doc.encode("utf-8")
            with open(os.path.join(tmp, name + ".xml"), "wb") as f:
                f.write(data)
            names.append(name)
        out = subprocess.run([bench, "--dump", "--offset", "0", tmp], check=True,
                             capture_output=True).stdout.decode("utf-8", "replace")
        ours = {}
        for line in out.splitlines():
            rec = json.loads(line)
            ours[os.path.basename(rec["file"])[:-4]] = rec
        for name in sorted(names):
            with open(os.path.join(tmp, name + ".xml"), "rb") as f:
                fp = feedparser.parse(f.read())
            mine = ours[name]
            fe = fp.entries
            me = mine.get("entries", [])
            fields = stats.setdefault("entries", [0, 0])
            fields[1] += 1
            if len(fe) == len(me):
                fields[0] += 1
            else:
                disagreements.append((name, "entries", len(me), len(fe)))
                continue
            for a, b in zip(me, fe):
                pairs = [
                    ("title", reduce_text(a["title"]), reduce_text(b.get("title"))),
                    ("link", a["link"], b.get("link")),
                    ("id", a["id"], b.get("id")),
                    ("date", best_date(a["published"], a["updated"]),
                     best_date(fp_time(b, "published"), fp_time(b, "updated"))),
                    ("updated", a["updated"] if a["published"] is not None else None,
                     fp_time(b, "updated") if fp_time(b, "published") is not None else None),
                    ("author", reduce_text(a["author"]), reduce_text(fp_author(b))),
                    ("text", reduce_text(a["text"]), reduce_text(fp_text(b))),
                ]
                for field, x, y in pairs:
                    if field == "id" and y is None and x == b.get("link"):
                        y = x  # feedparser leaves RSS 1.0's rdf:about out
                    if field == "id" and x is None and y == a["link"]:
                        x = y  # feedparser copies the link as the id
                    if field == "link" and x is None and y is not None and a["id"] == y:
                        x = y
                    s = stats.setdefault(field, [0, 0])
                    s[1] += 1
                    if x == y:
                        s[0] += 1
                    elif name.endswith("_38") and field in ("date", "updated"):
                        s[0] += 1  # "CST": China here, US Central there
                        intended += 1
                    elif name.endswith("_40") and field in ("date", "updated"):
                        s[0] += 1  # "2023-13-45": refused here, rolled over there
                        intended += 1
                    else:
                        disagreements.append((name, field, x, y))
    total_ok = sum(v[0] for v in stats.values())
    total = sum(v[1] for v in stats.values())
    print("cases: %d feeds" % len(names))
    for field, (ok, n) in sorted(stats.items()):
        print("  %-10s %4d/%-4d %6.2f%%" % (field, ok, n, 100.0 * ok / n))
    print("intended differences counted as agreement: %d" % intended)
    print("agreement: %d/%d = %.2f%%" % (total_ok, total, 100.0 * total_ok / total))
    if verbose or len(disagreements) <= 20:
        for d in disagreements:
            print("  differs: %s %s: mediawatch %r, feedparser %r" % d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
