#!/usr/bin/python3
"""bench/crawl/gen_site.py: the generated portal that bench/crawl/run serves.

Writes, under OUT:
  site/                 nginx's document root: SOURCES news columns
                        /col{N}/index.html, index_1.html, ... (PER_PAGE links
                        each, TRS createPageHTML plus static 下一页 links) and
                        their article pages /col{N}/202305/t202305DD_{id}.html
                        of about 22 KB with a portal's chrome (meta tags
                        ArticleTitle/PubDate/ContentSource, nav with menus,
                        breadcrumb, info line, share bar, related links,
                        sidebar, footer). Odd columns are GBK (meta gb2312 and
                        nginx's `charset gbk`), even ones UTF-8. Every page
                        also has a .gz beside it for nginx's gzip_static.
  mediawatch.yaml       one outlet per 5 columns, one `kind: html` source per
                        column, crawler settings for a fast local crawl
  sources.txt           the columns' first listing pages, one URL a line
  manifest.json         how many listing and article pages there are

Texts come from the seed documents (/work/shared/seeds/*.txt), cut into
sentences and mixed with a fixed random seed, so every run serves the same
bytes. What it leaves to others: serving (nginx, configured by run),
crawling (mediawatch, spider.py) and judging (run).

  gen_site.py OUT SEEDS_DIR PORT [--sources 100] [--per-source 100]
              [--per-page 20]
"""
import argparse
import gzip
import json
import os
import random
import re

SITE = "吉林省生态环境厅"
ORIGINS = ["吉林日报", "人民网", "中国环境报", "新华社", "长春日报", "吉林省生态环境厅",
           "中国吉林网", "央视新闻", "城市晚报", "光明日报"]
EDITORS = ["王喆", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "孙丽"]
PLACES = ["长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市",
          "延边州", "梅河口市", "公主岭市", "长白山管委会", "朝阳区", "南关区", "宽城区",
          "绿园区", "二道区", "双阳区", "九台区", "农安县"]
ACTIONS = ["召开", "启动", "推进", "部署", "开展", "举办", "印发", "深化", "扎实推进",
           "全力打造", "持续推动", "专题研究"]
TOPICS = ["全域“无废城市”建设", "生活垃圾分类工作", "“无废细胞”创建", "生态环境宣传教育",
          "固体废物污染防治", "“无废机关”创建", "垃圾分类进校园活动", "环境保护督察整改",
          "塑料污染治理", "绿色低碳生活宣传", "“美丽中国，我是行动者”主题活动",
          "危险废物规范化管理"]
TAILS = ["工作会议", "推进会", "宣传周活动", "现场观摩会", "专题培训", "志愿服务活动",
         "实施方案", "座谈会", "调研活动", "经验交流会"]
NAV = [("首页", "index.html", []),
       ("机构概况", "jggk/", ["领导信息", "机构职能", "内设机构", "直属单位"]),
       ("新闻动态", "xwdt/", ["工作动态", "市州动态", "媒体聚焦", "图片新闻", "视频新闻"]),
       ("政务公开", "zwgk/", ["政策文件", "政策解读", "人事信息", "财务公开", "规划计划",
                          "建议提案办理"]),
       ("环境质量", "hjzl/", ["空气质量", "水环境质量", "声环境质量", "辐射环境"]),
       ("政务服务", "zwfw/", ["行政许可", "办事指南", "表格下载", "办件公示"]),
       ("互动交流", "hdjl/", ["厅长信箱", "在线访谈", "征集调查", "常见问题"]),
       ("“无废城市”建设专栏", "ztzl/wfcs/", ["工作简报", "知识问答", "典型案例"]),
       ("专题专栏", "ztzl/", ["生活垃圾分类", "中央环保督察", "污染防治攻坚战"])]
FRIENDS = ["中国政府网", "生态环境部", "吉林省人民政府", "辽宁省生态环境厅", "黑龙江省生态环境厅",
           "内蒙古自治区生态环境厅", "长春市生态环境局", "吉林市生态环境局", "四平市生态环境局",
           "辽源市生态环境局", "通化市生态环境局", "白山市生态环境局", "松原市生态环境局",
           "白城市生态环境局", "延边州生态环境局", "中国环境监测总站", "中国环境科学研究院",
           "生态环境部环境规划院", "生态环境部对外合作与交流中心", "中华环保联合会"]

PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount<=1){
		return;
	}
	var nCurrIndex = _nCurrIndex || 0;
	if(nCurrIndex == 0)
		document.write("<span class=\\"current\\">1<\\/span>&nbsp;");
	else
		document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">1<\\/a>&nbsp;");
	for(var i=1; i<_nPageCount; i++){
		if(nCurrIndex == i)
			document.write("<span class=\\"current\\">"+(i+1)+"<\\/span>&nbsp;");
		else
			document.write("<a href=\\""+_sPageName+"_" + i + "."+_sPageExt+"\\">"+(i+1)+"<\\/a>&nbsp;");
	}
}"""

ARTICLE_JS = """function doZoom(size){ document.getElementById('zoom').style.fontSize = size + 'px'; }
var _shareConfig = {"weixin": true, "weibo": true, "qzone": true, "title": document.title};
function shareTo(type){
	var url = encodeURIComponent(window.location.href);
	var title = encodeURIComponent(document.title);
	if(type == 'weibo') window.open('https://service.weibo.com/share/share.php?url=' + url + '&title=' + title);
	else if(type == 'qzone') window.open('https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=' + url + '&title=' + title);
	else document.getElementById('wxqr').style.display = 'block';
}"""

STATS_JS = """<script type="text/javascript">
var _hmt = _hmt || [];
(function() {
  var hm = document.createElement("script");
  hm.src = "/images/stat.js?v=20230501";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
})();
</script>"""


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def load_sentences(seeds):
    """Sentences (ending in 。；！？) of every seed file, long enough to read."""
    out = []
    for name in sorted(os.listdir(seeds)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(seeds, name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for line in text.splitlines():
            line = line.strip().lstrip("-☆ ").replace("\ufffd", "")
            for s in re.findall(r"[^。；！？]+[。；！？]?", line):
                s = s.strip()
                if len(s) >= 12:
                    out.append(s)
    if len(out) < 50:
        raise SystemExit("gen_site.py: too little seed text in " + seeds)
    return out


class Gen:
    def __init__(self, args):
        self.a = args
        self.rnd = random.Random(20230508)
        self.sent = load_sentences(args.seeds)
        self.site = os.path.join(args.out, "site")

    # ------------------------------------------------------------ pieces

    def title(self):
        r = self.rnd
        t = r.choice(PLACES) + r.choice(ACTIONS) + r.choice(TOPICS) + r.choice(TAILS)
        if r.random() < 0.3:
            t += " " + r.choice(["助力", "推动", "护航"]) + r.choice(["绿色发展", "美丽吉林建设",
                                                                     "生态文明建设"])
        return t

    def head(self, charset, title, up, extra_meta, script):
        cs = "gb2312" if charset == "gbk" else "utf-8"
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={cs}" />\n'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge" />\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1.0" />\n'
            f'<title>{esc(title)}_{SITE}</title>\n'
            f'<meta name="SiteName" content="{SITE}" />\n'
            '<meta name="SiteDomain" content="sthjt.jl.gov.cn" />\n'
            '<meta name="SiteIDCode" content="2200000046" />\n'
            f'<meta name="Keywords" content="{SITE},生态环境,无废城市,垃圾分类" />\n'
            + extra_meta +
            f'<link href="{up}images/style.css" rel="stylesheet" type="text/css" />\n'
            f'<link href="{up}images/common.css" rel="stylesheet" type="text/css" />\n'
            f'<link href="{up}images/elder.css" rel="alternate stylesheet" type="text/css" title="elder" />\n'
            f'<script type="text/javascript" src="{up}images/jquery.min.js"></script>\n'
            f'<script type="text/javascript" src="{up}images/common.js"></script>\n'
            f'<script type="text/javascript">\n{script}\n</script>\n'
            '</head>\n<body>\n')

    def top(self, up, column, crumbs):
        nav = []
        for name, href, subs in NAV:
            items = "".join(f'<li><a href="{up}{href}{k}/">{s}</a></li>'
                            for k, s in enumerate(subs))
            sub = f'<ul class="sub">{items}</ul>' if subs else ""
            nav.append(f'      <li class="m"><a href="{up}{href}">{name}</a>{sub}</li>\n')
        return (
            '<div class="topbar"><div class="w1200"><span class="date" id="today"></span>'
            f'<a href="{up}wza/">无障碍浏览</a> <a href="javascript:void(0)" onclick="elder()">长者模式</a> '
            f'<a href="{up}yhzx/login.html">登录</a> <a href="{up}yhzx/reg.html">注册</a> '
            f'<a href="{up}english/">English</a></div></div>\n'
            '<div class="top">\n'
            f'  <div class="logo"><a href="{up}index.html"><img src="{up}images/logo.png" alt="{SITE}" /></a></div>\n'
            '  <div class="search">\n'
            f'    <form action="{up}search/" method="get" target="_blank"><input type="text" name="searchword" value="" />'
            '<select name="channel"><option value="all">全站</option><option value="xwdt">新闻</option>'
            '<option value="zwgk">政务公开</option></select><input type="submit" value="搜索" /></form>\n'
            '  </div>\n</div>\n'
            '<div class="nav">\n  <ul>\n' + "".join(nav) + '  </ul>\n</div>\n'
            '<div class="main">\n'
            f'  <div class="location">当前位置：<a href="{up}index.html">首页</a> &gt; '
            f'<a href="{up}xwdt/">新闻动态</a> &gt; {crumbs}</div>\n')

    def sidebar(self, up):
        r = self.rnd
        hot = "".join(
            f'        <li><a href="{up}ztzl/wfcs/gzjb/2023{m:02d}/t2023{m:02d}{d:02d}_{5209900 + k}.html" '
            f'target="_blank" title="{esc(t)}">{esc(t)}</a></li>\n'
            for k, (m, d, t) in enumerate(
                (r.randint(3, 5), r.randint(1, 28), self.title()) for _ in range(8)))
        rank = "".join(f'        <li><em>{k + 1}</em><a href="{up}xwdt/sztt/202304/t202304{k + 10:02d}_{5201300 + k}.html">'
                       f'{esc(self.title())}</a></li>\n' for k in range(6))
        banners = "".join(f'      <a href="{up}ztzl/{z}/" target="_blank"><img src="{up}images/{z}_banner.jpg" alt="{n}" /></a>\n'
                          for z, n in [("wfcs", "全域“无废城市”建设"), ("ljfl", "生活垃圾分类"),
                                       ("hbdc", "中央生态环境保护督察"), ("mlzg", "美丽中国，我是行动者"),
                                       ("xxgk", "政府信息公开")])
        return (
            '  <div class="right">\n'
            '    <div class="rdtj">\n      <h3>热点推荐</h3>\n      <ul>\n' + hot + '      </ul>\n    </div>\n'
            '    <div class="djph">\n      <h3>点击排行</h3>\n      <ul>\n' + rank + '      </ul>\n    </div>\n'
            '    <div class="ztzl">\n' + banners + '    </div>\n'
            f'    <div class="xmt"><h3>政务新媒体</h3><img src="{up}images/wx_qr.png" alt="官方微信" />'
            f'<img src="{up}images/wb_qr.png" alt="官方微博" /><p>扫一扫关注{SITE}官方微信、微博</p></div>\n'
            '  </div>\n</div>\n')

    def footer(self, up):
        opts = "".join(f'<option value="http://www.example.gov.cn/{k}/">{n}</option>'
                       for k, n in enumerate(FRIENDS))
        return (
            '<div class="friend"><span>友情链接：</span>'
            '<select onchange="if(this.value) window.open(this.value)"><option value="">-- 国家部委 --</option>'
            + opts + '</select></div>\n'
            '<div class="footer">\n'
            f'  <p><a href="{up}wzdt/">网站地图</a> | <a href="{up}lxwm/">联系我们</a> | <a href="{up}gywm/">关于本网</a> | '
            f'<a href="{up}sybz/">使用帮助</a> | <a href="{up}ysbh/">隐私保护</a></p>\n'
            f'  <p>主办：{SITE}　承办：{SITE}宣传教育中心　地址：吉林省长春市人民大街7800号　邮编：130033</p>\n'
            f'  <p>版权所有 &copy; {SITE}　网站标识码：2200000046　吉ICP备05002390号　吉公网安备 22010402000123号</p>\n'
            f'  <p><a href="http://bszs.conac.cn/sitename?method=show&amp;id=0A1B2C3D"><img src="{up}images/dzjg.png" alt="党政机关" /></a>'
            f'<a href="http://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=2200000046"><img src="{up}images/jiucuo.png" alt="政府网站找错" /></a></p>\n'
            '</div>\n' + STATS_JS + '\n</body>\n</html>\n')

    @staticmethod
    def encode(text, charset):
        return text.encode(charset, errors="xmlcharrefreplace")

    # ------------------------------------------------------------ pages

    def article(self, col, charset, art, prev, nxt, related):
        r = self.rnd
        up = "../../"
        meta = (f'<meta name="ColumnName" content="新闻动态" />\n'
                '<meta name="ColumnType" content="工作动态" />\n'
                f'<meta name="ArticleTitle" content="{esc(art["title"])}" />\n'
                f'<meta name="PubDate" content="{art["time"]}" />\n'
                f'<meta name="ContentSource" content="{art["origin"]}" />\n'
                f'<meta name="Author" content="{art["editor"]}" />\n')
        head_end = (f'<meta name="Description" content="{esc(art["desc"])}" />\n')
        top = self.top(up, col, "正文")
        rel = "".join(f'        <li><a href="./{u}" target="_blank">{esc(t)}</a><span>{d}</span></li>\n'
                      for u, t, d in related)
        pn = (f'      <div class="pn"><p>上一篇：<a href="./{prev[0]}">{esc(prev[1])}</a></p>' if prev
              else '      <div class="pn"><p>上一篇：没有了</p>')
        pn += (f'<p>下一篇：<a href="./{nxt[0]}">{esc(nxt[1])}</a></p></div>\n' if nxt
               else '<p>下一篇：没有了</p></div>\n')
        info = (f'      <div class="info"><span>发布时间：{art["time"]}</span>&nbsp;&nbsp;'
                f'<span>来源：{art["origin"]}</span>&nbsp;&nbsp;<span>浏览次数：<b id="hits"></b></span>&nbsp;&nbsp;'
                '<span>【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
                '<a href="javascript:doZoom(14)">小</a>】</span></div>\n')
        tail = (
            '      </div>\n'
            f'      <div class="editor">（责任编辑：{art["editor"]}）</div>\n'
            '      <div class="share">分享到：<a href="javascript:shareTo(\'weixin\')" class="wx">微信</a> '
            '<a href="javascript:shareTo(\'weibo\')" class="wb">微博</a> '
            '<a href="javascript:shareTo(\'qzone\')" class="qq">QQ空间</a>'
            f'<div id="wxqr" style="display:none"><img src="{up}images/qr_article.png" alt="微信扫一扫" /></div></div>\n'
            + pn +
            '      <div class="xglj">\n        <h3>相关链接</h3>\n        <ul>\n' + rel + '        </ul>\n      </div>\n'
            '      <div class="btns"><a href="javascript:window.print()">【打印本页】</a> '
            '<a href="javascript:window.close()">【关闭窗口】</a> <a href="javascript:scroll(0,0)">【返回顶部】</a></div>\n'
            '    </div>\n  </div>\n')
        side = self.sidebar(up)
        foot = self.footer(up)
        # Fill the body until the page reaches its size in its own charset.
        target = art["size"]
        start = r.randrange(len(self.sent))
        paras, body_text = [], []
        para = []
        i = start

        def page(ps):
            body = ('      <div class="content" id="zoom">\n'
                    '<div class="TRS_Editor"><style type="text/css">.TRS_Editor P{margin-top:-5px;'
                    'margin-bottom:12px;line-height:2;font-family:仿宋;font-size:12pt;}</style>\n'
                    + "".join(f'<p style="text-indent: 2em;">{esc(p)}</p>\n' for p in ps) + '</div>\n')
            return (self.head(charset, art["title"], up, meta + head_end, ARTICLE_JS) + top
                    + '  <div class="left">\n    <div class="article">\n'
                    f'      <h1 class="title">{esc(art["title"])}</h1>\n' + info + body + tail + side + foot)

        base = len(self.encode(page([]), charset))
        size = base
        while size < target or not paras:
            s = self.sent[i % len(self.sent)]
            i += 1 if r.random() < 0.85 else r.randrange(len(self.sent))
            para.append(s)
            if len(para) >= r.randint(2, 5):
                p = "".join(para)
                paras.append(p)
                size += len(self.encode(p, charset)) + 32
                para = []
        html = page(paras)
        art["body"] = "".join(paras)
        return self.encode(html, charset)

    def listing(self, col, charset, k, n_pages, links):
        up = "../"
        meta = ('<meta name="ColumnName" content="新闻动态" />\n'
                '<meta name="ColumnType" content="工作动态" />\n')
        items = "".join(f'      <li><a href="./{u}" target="_blank" title="{esc(t)}">{esc(t)}</a><span>{d}</span></li>\n'
                        for u, t, d in links)
        name = "index.html" if k == 0 else f"index_{k}.html"
        first = '<a href="index.html">首页</a>'
        prev = ('<span>上一页</span>' if k == 0 else
                f'<a href="{"index.html" if k == 1 else f"index_{k - 1}.html"}">上一页</a>')
        nxt = (f'<a href="index_{k + 1}.html">下一页</a>' if k + 1 < n_pages else '<span>下一页</span>')
        last = f'<a href="{"index.html" if n_pages == 1 else f"index_{n_pages - 1}.html"}">尾页</a>'
        html = (self.head(charset, "新闻动态", up, meta, PAGE_JS) + self.top(up, col, "新闻动态")
                + '  <div class="left">\n    <div class="lm_title"><h2>新闻动态</h2></div>\n'
                '    <ul class="list">\n' + items + '    </ul>\n'
                '    <div class="page">\n      <script type="text/javascript">\n'
                f'      createPageHTML({n_pages}, {k}, "index", "html");\n      </script>\n'
                f'      <span>共{n_pages}页</span> {first} {prev} {nxt} {last}\n    </div>\n  </div>\n'
                + self.sidebar(up) + self.footer(up))
        return name, self.encode(html, charset)

    # ------------------------------------------------------------ site

    def write(self, path, data):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        with open(path + ".gz", "wb") as f:
            f.write(gzip.compress(data, 6, mtime=0))
        return len(data)

    def run(self):
        a, r = self.a, self.rnd
        base = f"http://127.0.0.1:{a.port}"
        sources, n_listing, n_article, art_bytes = [], 0, 0, 0
        gbk_cols = 0
        for col in range(1, a.sources + 1):
            charset = "gbk" if col % 2 else "utf-8"
            gbk_cols += charset == "gbk"
            arts = []
            for j in range(a.per_source):
                day = 28 - (j * 27 // max(1, a.per_source))  # newest first
                arts.append({
                    "id": 5300000 + col * 1000 + j,
                    "day": day,
                    "time": f"2023-05-{day:02d} {r.randint(8, 18):02d}:{r.choice([0, 10, 15, 30, 45]):02d}",
                    "title": self.title(),
                    "origin": r.choice(ORIGINS),
                    "editor": r.choice(EDITORS),
                    "size": r.randint(18000, 26000),
                })
            for art in arts:
                art["file"] = f"202305/t202305{art['day']:02d}_{art['id']}.html"
                art["desc"] = ""
            for j, art in enumerate(arts):
                prev = (arts[j - 1]["file"], arts[j - 1]["title"]) if j > 0 else None
                nxt = (arts[j + 1]["file"], arts[j + 1]["title"]) if j + 1 < len(arts) else None
                related = [(x["file"], x["title"], x["time"][:10]) for x in r.sample(arts, min(6, len(arts)))]
                art["desc"] = self.sent[r.randrange(len(self.sent))][:80]
                data = self.article(col, charset, art, prev, nxt, related)
                art_bytes += self.write(os.path.join(self.site, f"col{col}", art["file"]), data)
                n_article += 1
            per = a.per_page
            n_pages = (len(arts) + per - 1) // per
            for k in range(n_pages):
                links = [(x["file"], x["title"], x["time"][:10]) for x in arts[k * per:(k + 1) * per]]
                name, data = self.listing(col, charset, k, n_pages, links)
                self.write(os.path.join(self.site, f"col{col}", name), data)
                n_listing += 1
            sources.append(f"{base}/col{col}/index.html")
        self.write(os.path.join(self.site, "robots.txt"), b"User-agent: *\nDisallow:\n")
        with open(os.path.join(a.out, "sources.txt"), "w") as f:
            f.write("\n".join(sources) + "\n")
        # The most a source may ask for: both crawlers must stop at the last
        # page by themselves (its 下一页 is plain text).
        max_pages = 50
        with open(os.path.join(a.out, "mediawatch.yaml"), "w", encoding="utf-8") as f:
            f.write("storage: mediawatch.db\ntimezone: Asia/Shanghai\noffice: 基准测试\n"
                    "crawler:\n  user_agent: \"mediawatch/0.1\"\n  concurrency: 32\n"
                    "  per_host_concurrency: 32\n  per_host_delay_ms: 0\n  jitter_pct: 0\n"
                    "  respect_robots: false\n  allow_private_addresses: true\noutlets:\n")
            for o in range(0, len(sources), 5):
                f.write(f"  - name: 基准门户{o // 5 + 1:03d}\n    tier: portal\n    region: 吉林省\n    sources:\n")
                for u in sources[o:o + 5]:
                    f.write(f"      - url: {u}\n        kind: html\n        max_pages: {max_pages}\n")
            f.write("topics:\n  - name: 无废城市\n    keywords: [无废城市, 无废细胞]\n"
                    "  - name: 垃圾分类\n    keywords: [垃圾分类, 生活垃圾]\n")
        man = {"sources": len(sources), "gbk_sources": gbk_cols, "listing_pages": n_listing,
               "article_pages": n_article, "pages": n_listing + n_article,
               "article_bytes_avg": art_bytes // max(1, n_article), "max_pages": max_pages}
        with open(os.path.join(a.out, "manifest.json"), "w") as f:
            json.dump(man, f)
        print("site: %d sources (%d GBK), %d listing pages, %d article pages of %d bytes on average"
              % (man["sources"], gbk_cols, n_listing, n_article, man["article_bytes_avg"]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("seeds")
    p.add_argument("port", type=int)
    p.add_argument("--sources", type=int, default=100)
    p.add_argument("--per-source", type=int, default=100)
    p.add_argument("--per-page", type=int, default=20)
    a = p.parse_args()
    if a.per_source > 200:
        raise SystemExit("gen_site.py: mediawatch asks for at most 200 articles per poll of a source")
    Gen(a).run()


if __name__ == "__main__":
    main()
