#!/usr/bin/python3
"""pages.py: article page templates in the styles Chinese news sites and
government portals use, for the extraction fixtures and the benchmark.

  pages.py fixtures SEEDS_DIR OUT_DIR
      writes OUT_DIR/<name>/page.html and expected.json for every fixture
      (tests/data/crawler/pages is made this way from /work/shared/seeds;
      the committed files are the reference, this only regenerates them)
  pages.py corpus FIXTURES_DIR OUT_DIR N
      writes N pages of about 22 KB, cycling through the templates with
      paragraphs, titles and dates varied from the fixtures' texts, and
      OUT_DIR/truth.json with each page's title and body

Each template is one CMS style seen in the wild: TRS government pages
(GBK, TRS_Editor), the 政府信息公开 metadata table, the national portal
standard's <meta> tags, a provincial paper, a city news site, 人民网 and
新华网 article pages, a 数字报 edition, a 留言板 thread, a WeChat
official-account article, a JSON-LD news page, a video page with no text,
a page whose charset label lies and an old table-layout page with broken
markup. The expected body is the paragraphs the template was given, in
order, each trimmed: the extractor must find exactly those.
"""
import html
import json
import os
import random
import re
import sys

# ------------------------------------------------------------------ text


def load_seed(path):
    lines = []
    for line in open(path, encoding="utf-8"):
        line = line.strip().replace("[bookmark: _GoBack]", "")
        if line.startswith("- "):
            line = line[2:]
        if line:
            lines.append(line)
    return lines


def plain(p):
    """The text a reader sees of a paragraph written with **bold**."""
    return p.replace("**", "").strip()


def inline(p):
    """The paragraph as HTML: **bold** becomes <strong>."""
    out = html.escape(p, quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)


def esc(s):
    return html.escape(s, quote=True)


HEADLINES = [
    "省生态环境厅召开“无废城市”建设推进会",
    "长春市启动生活垃圾分类宣传周活动",
    "吉林市创建首批“无废景区”",
    "我省推进固体废物减量化资源化无害化",
    "“无废细胞”创建工作取得阶段性成效",
    "全省生态环境宣传教育工作会议召开",
    "六五环境日主场活动在长春举行",
    "生态环境部固管中心到一汽集团调研",
    "朝阳区打造“无废商圈”",
    "江北区开展环保设施向公众开放活动",
    "黔江区部署垃圾分类“九进”宣传活动",
    "金溪镇开展“敲门行动”入户宣传",
    "关于公开征集“无废城市”建设市民公约的公告",
    "2023年全省环境质量状况公报发布",
    "省生态环境厅2023年政府信息公开工作年度报告",
    "关于开展2024年环保志愿服务项目征集的通知",
    "危险废物规范化环境管理评估工作启动",
    "长吉两地签署固体废物联防联控协议",
    "我省召开全域“无废城市”建设专题讲座",
    "生态环境执法典型案例通报",
]


def related(n, rnd, dated=True, base="./"):
    items = []
    for i in range(n):
        h = HEADLINES[(i * 7 + rnd.randrange(len(HEADLINES))) % len(HEADLINES)]
        d = "2023-%02d-%02d" % (rnd.randint(1, 12), rnd.randint(1, 28))
        href = "%s%s/t%s_%d.html" % (base, d[:7].replace("-", ""),
                                     d.replace("-", ""), 8700000 + rnd.randrange(99999))
        if dated:
            items.append('<li><a href="%s" target="_blank" title="%s">%s</a>'
                         '<span>%s</span></li>' % (href, esc(h), esc(h), d))
        else:
            items.append('<li><a href="%s" target="_blank">%s</a></li>'
                         % (href, esc(h)))
    return "\n".join(items)


NAV_GOV = ["首页", "政务公开", "政务服务", "互动交流", "工作动态", "通知公告",
           "政策文件", "政策解读", "环境质量", "行政执法", "专题专栏", "机构设置"]
NAV_NEWS = ["首页", "时政", "国际", "财经", "社会", "环保", "吉林", "长春",
            "评论", "图片", "视频", "专题", "数字报"]


def nav(names, cls="nav"):
    lis = "".join('<li><a href="/%s/" target="_self">%s</a></li>'
                  % ("c%02d" % i, n) for i, n in enumerate(names))
    return '<div class="%s"><ul>%s</ul></div>' % (cls, lis)


CSS = """
body{margin:0;padding:0;font-family:"Microsoft YaHei",SimSun,Arial;font-size:14px;color:#333}
a{color:#333;text-decoration:none}a:hover{color:#c00}
.w1200{width:1200px;margin:0 auto}.fl{float:left}.fr{float:right}.cf:after{content:"";display:block;clear:both}
.nav ul li{float:left;width:100px;height:40px;line-height:40px;text-align:center}
.footer{background:#f2f2f2;padding:20px 0;text-align:center;line-height:26px;color:#666}
"""

JS_STAT = """
var _hmt = _hmt || [];
(function() {
  var hm = document.createElement("script");
  hm.src = "https://hm.baidu.com/hm.js?0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
})();
function doZoom(size){ var el = document.getElementById('zoom');
  if (!el) return; el.style.fontSize = size + 'px'; var ps = el.getElementsByTagName('p');
  for (var i = 0; i < ps.length; i++) { ps[i].style.fontSize = size + 'px'; } }
"""


def footer_gov(org, icp, extra=""):
    return ("""<div class="footer"><div class="w1200">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/sybz/">使用帮助</a> | <a href="/yssm/">隐私声明</a></p>
<p>主办单位：%s&nbsp;&nbsp;&nbsp;承办单位：%s信息中心</p>
<p>版权所有：%s&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/" target="_blank">%s</a>&nbsp;&nbsp;网站标识码：2200000025</p>
%s
<p><a href="#"><img src="/images/jiucuo.png" alt="政府网站找错"></a></p>
</div></div>""" % (org, org, org, icp, extra))


def pad_comment(n):
    """A realistic blob of CMS leftovers: inline styles and scripts."""
    return "<script type=\"text/javascript\">%s</script>" % (JS_STAT * n)


# ------------------------------------------------------------- templates
# Each takes the article a (dict) and a random generator, returns HTML.


def t_gov_trs(a, rnd):
    body = "\n".join('<p style="text-indent: 2em;">　　%s</p>' % inline(p)
                     for p in a["paras"])
    return """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}_工作动态_{site}</title>
<meta name="keywords" content="无废城市,生态环境,{site}" />
<link href="../../images/style.css" rel="stylesheet" type="text/css" />
<style type="text/css">{css}</style>
<script type="text/javascript" src="../../images/jquery-1.8.3.min.js"></script>
</head>
<body>
<div class="top"><div class="w1200"><img src="../../images/logo.png" alt="{site}" />
<div class="search"><form action="/search/" method="get"><input type="text" name="searchword" value="" /><input type="submit" value="搜索" /></form></div></div></div>
{nav}
<div class="w1200">
<div class="position">当前位置：<a href="../../" title="首页" class="CurrChnlCls">首页</a>&nbsp;&gt;&nbsp;<a href="../" title="政务公开" class="CurrChnlCls">政务公开</a>&nbsp;&gt;&nbsp;<a href="./" title="工作动态" class="CurrChnlCls">工作动态</a></div>
<div class="xl_main">
<div class="xl_tit">{title}</div>
<div class="xl_info">发布时间：{date}&nbsp;&nbsp;&nbsp;&nbsp;来源：{origin}&nbsp;&nbsp;&nbsp;&nbsp;【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】&nbsp;&nbsp;<a href="javascript:window.print()">打印本页</a></div>
<div class="xl_con" id="zoom">
<div class="TRS_Editor"><style type="text/css">
.TRS_Editor P{{margin-top:5px;margin-bottom:5px;line-height:2;font-family:仿宋_GB2312;font-size:16pt;}}.TRS_Editor DIV{{margin-top:5px;margin-bottom:5px;line-height:2;font-family:仿宋_GB2312;font-size:16pt;}}
</style>
<div class="TRS_Editor">
{body}
<p style="text-align: center;"><img src="./W020230508512345678901.jpg" oldsrc="W020230508512345678901.jpg" /></p>
</div></div>
</div>
<div class="xl_bottom"><a href="javascript:window.print()">【打印本页】</a>&nbsp;&nbsp;<a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="bdsharebuttonbox">分享到：<a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a><a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间"></a></div>
<div class="xgxx"><h3>相关信息</h3><ul>
{related}
</ul></div>
</div></div>
{footer}
<script type="text/javascript">{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), site=a["site"], css=CSS, nav=nav(NAV_GOV),
           date=a["date_text"], origin=a["origin"], body=body,
           related=related(a["n_related"], rnd),
           footer=footer_gov(a["site"], "吉ICP备05002054号"), js=JS_STAT * a["n_js"])


def t_gov_xxgk(a, rnd):
    body = "\n".join('<p style="text-indent: 2em; text-align: justify;">%s</p>'
                     % inline(p) for p in a["paras"])
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}_{site}</title>
<link rel="stylesheet" href="/images/2021/common.css">
<style>{css}</style>
</head>
<body>
<div class="header"><div class="w1200"><a href="/" class="logo"><img src="/images/2021/logo.png" alt="{site}"></a></div></div>
{nav}
<div class="w1200">
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/zwgk_264/">政务公开</a> &gt; <a href="/zwgk_264/fdzdgknr/">法定主动公开内容</a> &gt; <a href="/zwgk_264/fdzdgknr/zcwj/">政策文件</a> &gt; <span>其他文件</span></div>
<div class="zwxl-box">
<table class="zwxl-table" cellspacing="0" cellpadding="0">
<tbody>
<tr><td class="t1">索&nbsp;引&nbsp;号：</td><td class="t2">11500114MB1962345X/2024-00012</td><td class="t1">发布机构：</td><td class="t2">{issuer}</td></tr>
<tr><td class="t1">主题分类：</td><td class="t2">城乡建设、环境保护</td><td class="t1">成文日期：</td><td class="t2">{written}</td></tr>
<tr><td class="t1">标　　题：</td><td class="t2" colspan="3">{title}</td></tr>
<tr><td class="t1">发文字号：</td><td class="t2">金溪府发〔2024〕51号</td><td class="t1">发布日期：</td><td class="t2">{date}</td></tr>
<tr><td class="t1">有&nbsp;效&nbsp;性：</td><td class="t2">有效</td><td class="t1">体裁分类：</td><td class="t2">其他</td></tr>
</tbody>
</table>
<div class="zwxl-article">
<div class="zwxl-title"><p class="tit">{title}</p></div>
<div class="zwxl-font">字号：<a href="javascript:;" class="big">大</a><a href="javascript:;" class="mid">中</a><a href="javascript:;" class="small">小</a></div>
<div class="view TRS_UEDITOR trs_paper_default trs_web">
{body}
</div>
<div class="zwxl-fj"><p>附件：</p><ul><li><a href="./P020240424512345678901.docx">2024年金溪镇生活垃圾分类宣传活动月度计划表.docx</a></li></ul></div>
</div>
<div class="zwxl-tools"><a href="javascript:window.print();">[打印本页]</a> <a href="javascript:window.close();">[关闭窗口]</a></div>
<div class="zwxl-xgwj"><h4>相关文件</h4><ul>
{related}
</ul></div>
</div></div>
{footer}
<script src="/images/2021/jquery.min.js"></script>
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), site=a["site"], css=CSS, nav=nav(NAV_GOV),
           issuer=a["issuer"], written=a["written"], date=a["date_text"],
           body=body, related=related(a["n_related"], rnd),
           footer=footer_gov(a["site"], "渝ICP备05003300号"), js=JS_STAT * a["n_js"])


def t_gov_meta(a, rnd):
    body = "\n".join("<p>　　%s</p>" % inline(p) for p in a["paras"])
    return """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="SiteName" content="{site}">
<meta name="SiteDomain" content="www.changchun.gov.cn">
<meta name="SiteIDCode" content="2201000001">
<meta name="ColumnName" content="部门动态">
<meta name="ColumnDescription" content="发布市政府各部门工作动态">
<meta name="ColumnKeywords" content="部门动态">
<meta name="ColumnType" content="工作动态">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{pubdate}">
<meta name="ContentSource" content="{origin}">
<meta name="Keywords" content="无废城市,宣传,无废细胞">
<meta name="Description" content="{desc}">
<meta name="Url" content="{url}">
<title>{title}-{site}</title>
<style>{css}</style>
</head>
<body>
<div id="header">{nav}</div>
<div class="w1200 main">
<div class="location">您当前的位置：<a href="/">首页</a> &gt;&gt; <a href="/zw_33994/">政务</a> &gt;&gt; <a href="/zw_33994/bmdt/">部门动态</a></div>
<div class="article">
<h1 class="article-title">{title}</h1>
<div class="article-info"><span>发布时间：{date}</span><span>来源：{origin}</span><span>浏览次数：<span id="visit_count">1024</span></span><span class="font">【字号 <a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</span></div>
<div id="zoom" class="article-con">
{body}
</div>
<div class="article-editor">责任编辑：{editor}</div>
<div class="article-tools"><a href="javascript:window.print()">打印本页</a> | <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="side"><h3>热点信息</h3><ul>
{related}
</ul></div>
</div>
{footer}
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), site=a["site"], pubdate=a["meta_date"],
           origin=a["origin"], desc=esc(plain(a["paras"][0])[:80]), url=a["url"],
           css=CSS, nav=nav(NAV_GOV), date=a["date_text"], body=body,
           editor=a["editor"], related=related(a["n_related"], rnd),
           footer=footer_gov(a["site"], "吉ICP备05001234号"), js=JS_STAT * a["n_js"])


def t_paper(a, rnd):
    body = "\n".join("<p>%s</p>" % inline(p) for p in a["paras"])
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} - {site}</title>
<meta name="keywords" content="吉林,无废城市">
<meta name="description" content="{desc}">
<style>{css}</style>
<script src="//res.cnjiwang.com/js/jquery.min.js"></script>
</head>
<body>
<div class="topbar"><a href="/">中国吉林网首页</a> | <a href="http://jlrbszb.cnjiwang.com/">吉林日报</a> | <a href="http://csxb.cnjiwang.com/">城市晚报</a> | <a href="/app/">新闻客户端</a></div>
{nav}
<div class="w1200 cf">
<div class="main fl">
<div class="bread"><a href="/">首页</a> &gt; <a href="/jwyc/">吉网原创</a> &gt; 正文</div>
<h1 class="detail-title">{title}</h1>
<div class="detail-info"><span class="time">{date}</span><span class="source">来源：{origin}</span><span class="author">作者：{author}</span></div>
<div class="detail-content">
{body}
</div>
<div class="editor">责任编辑：{editor}</div>
<div class="share-bar"><span>分享到：</span><a href="javascript:;" class="wx">微信</a><a href="javascript:;" class="wb">微博</a><a href="javascript:;" class="qq">QQ</a></div>
<div class="about-news"><div class="hd">相关新闻</div><ul>
{related}
</ul></div>
<div class="comment-box"><div class="hd">网友评论</div>
<div class="comment-item"><span class="user">吉林网友</span><p>支持！希望我们的城市越来越干净。</p></div>
<div class="comment-item"><span class="user">长春网友</span><p>垃圾分类要从自己做起。</p></div>
</div>
</div>
<div class="sidebar fr"><div class="hd">热点排行</div><ol>
{hot}
</ol></div>
</div>
<div class="footer"><p>吉林日报社主办 中国吉林网版权所有 Copyright © 2004-2023 cnjiwang.com All Rights Reserved</p><p>互联网新闻信息服务许可证编号：22120170001 吉ICP备05002090号</p></div>
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), site=a["site"], desc=esc(plain(a["paras"][0])[:60]),
           css=CSS, nav=nav(NAV_NEWS), date=a["date_text"], origin=a["origin"],
           author=a["author"], body=body, editor=a["editor"],
           related=related(a["n_related"], rnd), hot=related(10, rnd, dated=False),
           js=JS_STAT * a["n_js"])


def t_city(a, rnd):
    body = "\n".join('<p style="text-indent:2em">%s</p>' % inline(p)
                     for p in a["paras"])
    return """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}_{site}</title>
<style>{css}</style>
</head>
<body>
<div class="head"><div class="w1200"><a href="/"><img src="/images/qjnews_logo.png" alt="{site}"></a><span class="date-today">2024年5月21日 星期二</span></div></div>
{nav}
<div class="w1200">
<div class="pos">当前位置：<a href="/">首页</a> &gt; <a href="/html/node_12.htm">黔江要闻</a></div>
<div class="content-box">
<div class="content-title"><h2>{title}</h2></div>
<div class="content-info">{date}&nbsp;&nbsp;&nbsp;稿源：{origin}&nbsp;&nbsp;&nbsp;作者：{author}&nbsp;&nbsp;&nbsp;编辑：{editor}</div>
<div id="content">
{body}
</div>
<div class="content-page"><a href="javascript:;">上一篇：黔江区召开生态环境保护工作会议</a><a href="javascript:;">下一篇：城西街道开展环保志愿服务活动</a></div>
</div>
<div class="hot-list"><h3>相关阅读</h3><ul>
{related}
</ul></div>
</div>
<div class="footer">黔江新闻网 版权所有 未经许可不得复制 渝ICP备11006789号-1<br>地址：重庆市黔江区城西街道 联系电话：023-79222222</div>
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), site=a["site"], css=CSS, nav=nav(NAV_NEWS),
           date=a["date_text"], origin=a["origin"], author=a["author"],
           editor=a["editor"], body=body, related=related(a["n_related"], rnd),
           js=JS_STAT * a["n_js"])


def t_people(a, rnd):
    body = "\n".join('<p style="text-indent: 2em;">%s</p>' % inline(p)
                     for p in a["paras"])
    return """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="content-type" content="text/html;charset=UTF-8"/>
<meta http-equiv="Content-Language" content="utf-8" />
<meta content="all" name="robots" />
<title>{title}--环保频道--人民网</title>
<meta name="keywords" content="无废城市 长春" />
<meta name="description" content="{desc}" />
<meta name="filetype" content="0">
<meta name="publishedtype" content="1">
<meta name="pagetype" content="1">
<meta name="catalogs" content="1010">
<meta name="contentid" content="32681234">
<meta name="author" content="王震">
<meta name="source" content="来源：{origin}">
<style>{css}</style>
</head>
<body>
<div class="header"><div class="w1000"><a href="http://www.people.com.cn/" class="logo">人民网</a> <a href="http://env.people.com.cn/">环保频道</a></div>
{nav}</div>
<div class="main">
<div class="layout rm_txt cf">
<div class="col col-1 fl">
<div class="route-bread">当前位置：<a href="http://www.people.com.cn/">人民网</a>&gt;&gt;<a href="http://env.people.com.cn/">环保频道</a>&gt;&gt;<a href="http://env.people.com.cn/GB/74877/">地方</a></div>
<h3 class="pre"></h3>
<h1>{title}</h1>
<h4 class="sub"></h4>
<p class="author"></p>
<div class="channel cf">
<div class="col-1-1 fl">{date} | 来源：<a href="http://www.people.com.cn/" target="_blank">{origin}</a></div>
<div class="col-1-2 fr"><span>分享到：</span><a href="javascript:;" class="weixin"></a><a href="javascript:;" class="weibo"></a><a href="javascript:;" class="qzone"></a></div>
</div>
<div class="rm_txt_con cf">
{body}
<div class="edit cf">(责编：{editor})</div>
</div>
<div class="rm_relevant cf"><div class="title mt15">相关新闻</div><ul>
{related}
</ul></div>
<div class="rm_ranking"><div class="title">分享让更多人看到</div></div>
</div>
<div class="col col-2 fr"><div class="title">推荐阅读</div><ul>
{hot}
</ul></div>
</div>
</div>
<div class="footer"><p>人 民 网 股 份 有 限 公 司 版 权 所 有 ，未 经 书 面 授 权 禁 止 使 用</p><p>Copyright &copy; 1997-2023 by www.people.com.cn. all rights reserved</p></div>
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), desc=esc(plain(a["paras"][0])[:60]),
           origin=a["origin"], css=CSS, nav=nav(NAV_NEWS), date=a["date_text"],
           body=body, editor=a["editor"], related=related(a["n_related"], rnd),
           hot=related(8, rnd, dated=False), js=JS_STAT * a["n_js"])


def t_xinhua(a, rnd):
    body = "\n".join("<p>　　%s</p>" % inline(p) for p in a["paras"])
    return """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8" />
<meta name="keywords" content="无废景区,无废星级酒店" />
<meta name="description" content="{title}---{desc}" />
<title>{title}-新华网</title>
<style>{css}</style>
</head>
<body>
<div class="topBar"><a href="http://www.news.cn/">新华网</a> &gt; <a href="http://www.news.cn/local/">地方</a> &gt; 正文</div>
{nav}
<div class="h-p3 clearfix">
<div class="h-title">{title}</div>
<div class="h-info"><span class="h-time">{date}</span>&nbsp;<span>来源：&nbsp;{origin}</span></div>
<div class="h-share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a></div>
</div>
<div class="main clearfix">
<div id="p-detail">
<div class="main-aticle" id="detail">
{body}
</div>
<div class="p-right">
<div id="articleEdit"><span class="tiyi1"><a href="javascript:void(0);" class="advise">【纠错】</a></span><span class="editor">【责任编辑:{editor}】</span></div>
</div>
</div>
<div class="bottom-part"><div class="tit">相关阅读</div><ul>
{related}
</ul></div>
</div>
<div class="foot">Copyright &copy; 2000-2023 XINHUANET.com All Rights Reserved. 制作单位：新华网股份有限公司 版权所有 新华网股份有限公司</div>
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), desc=esc(plain(a["paras"][0])[:60]), css=CSS,
           nav=nav(NAV_NEWS), date=a["date_text"], origin=a["origin"], body=body,
           editor=a["editor"], related=related(a["n_related"], rnd),
           js=JS_STAT * a["n_js"])


def t_epaper(a, rnd):
    body = "\n".join("<p>　　%s</p>" % inline(p) for p in a["paras"])
    others = related(a["n_related"], rnd, dated=False, base="../../../c/")
    return """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>吉林日报数字报-{title}</title>
<style>{css}</style>
</head>
<body>
<div class="paper-top"><div class="logo">吉林日报</div><div class="paper-date">{edition_date}</div>
<div class="paper-nav"><a href="../../../layout/202305/09/node_01.html">第01版：要闻</a> <a href="../../../layout/202305/09/node_02.html">第02版：要闻</a> <a href="../../../layout/202305/09/node_03.html">第03版：要闻</a> <a href="../../../layout/202305/09/node_04.html">第04版：经济</a></div></div>
<div class="paper-main cf">
<div class="paper-left fl"><div class="bmname">第03版：要闻</div>
<img src="../../../res/202305/09/3_b.jpg" usemap="#PagePicMap" alt="版面图">
<div class="bm-list"><h4>本版新闻</h4><ul>
{others}
</ul></div></div>
<div class="paper-right fr">
<div class="article">
<h3>{pretitle}</h3>
<h1>{title}</h1>
<h2></h2>
<p class="author">本报记者 {author}</p>
<div class="article-content" id="ozoom">
<founder-content>
{body}
</founder-content>
</div>
<div class="page-tools"><a href="javascript:;">上一篇</a> <a href="javascript:;">下一篇</a> <a href="javascript:;">返回目录</a></div>
</div></div>
</div>
<div class="footer">吉林日报社 版权所有 Copyright © 2023 吉ICP备05002090号</div>
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), css=CSS, edition_date=a["date_text"],
           others=others, pretitle=esc(a["pretitle"]), author=a["author"],
           body=body, js=JS_STAT * a["n_js"])


def t_board(a, rnd):
    complaint = a["paras"][0]
    reply = "".join("<p>%s</p>" % inline(p) for p in a["paras"][1:])
    return """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>留言详情-{site}</title>
<style>{css}
.ly-table th{{width:100px;background:#f5f5f5}}</style>
</head>
<body>
{nav}
<div class="w1200">
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/lyb/">留言板</a> &gt; 留言详情</div>
<div class="ly-detail">
<table class="ly-table" width="100%" border="1">
<tr><th>留言标题</th><td colspan="3">{title}</td></tr>
<tr><th>留言人</th><td>网友****</td><th>留言时间</th><td>{date}</td></tr>
<tr><th>留言类型</th><td>投诉</td><th>办理状态</th><td><span class="done">已办结</span></td></tr>
<tr><th>留言内容</th><td colspan="3" class="ly-content">{complaint}</td></tr>
</table>
<div class="hf-box">
<table class="ly-table" width="100%" border="1">
<tr><th>回复单位</th><td>{unit}</td><th>回复时间</th><td>{reply_date}</td></tr>
<tr><th>回复内容</th><td colspan="3" class="hf-content">{reply}</td></tr>
</table></div>
<div class="pj">满意度评价：<a href="javascript:;">满意</a> <a href="javascript:;">基本满意</a> <a href="javascript:;">不满意</a></div>
</div>
<div class="ly-list"><h3>最新留言</h3><ul>
{related}
</ul></div>
</div>
{footer}
<script>{js}</script>
</body>
</html>
""".format(site=a["site"], css=CSS, nav=nav(["首页", "我要留言", "留言查询", "留言须知", "统计公示"]),
           title=esc(a["title"]), date=a["date_text"], complaint=inline(complaint),
           unit=a["unit"], reply_date=a["reply_date"], reply=reply,
           related=related(a["n_related"], rnd),
           footer=footer_gov(a["site"], "吉ICP备05001234号"), js=JS_STAT * a["n_js"])


def t_wechat(a, rnd):
    secs = []
    for i, p in enumerate(a["paras"]):
        if i == 2:
            secs.append('<section style="text-align: center;"><img class="rich_pages wxw-img" '
                        'data-src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640" data-ratio="0.75" '
                        'style="width: 100%;"></section>')
        secs.append('<section style="margin: 0px 8px;"><p style="text-indent: 2em;'
                    'line-height: 1.75em;"><span style="font-size: 15px;letter-spacing: 1px;">'
                    '%s</span></p></section>' % inline(p))
    tail = ('<p style="text-align: right;"><span style="font-size: 12px;color: rgb(136, 136, 136);">'
            '来源：%s</span></p><p style="text-align: right;"><span style="font-size: 12px;'
            'color: rgb(136, 136, 136);">编辑：%s</span></p>' % (a["origin"], a["editor"]))
    return """<!DOCTYPE html>
<html class="">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,viewport-fit=cover">
<meta name="description" content="{desc}" />
<meta name="author" content="" />
<meta property="og:title" content="{title}" />
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA4NzM2OTk0Mg==&amp;mid=2650123456&amp;idx=1&amp;sn=0a1b2c3d4e5f" />
<meta property="og:image" content="https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg" />
<meta property="og:description" content="{desc}" />
<meta property="og:site_name" content="微信公众平台" />
<meta property="og:type" content="article" />
<meta property="twitter:card" content="summary" />
<title>{title}</title>
<style>{css}.rich_media_content{{overflow:hidden;color:#333;font-size:17px}}</style>
</head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div id="js_article" class="rich_media">
<div class="rich_media_inner">
<div id="page-content" class="rich_media_area_primary">
<div class="rich_media_area_primary_inner">
<h1 class="rich_media_title " id="activity-name">
{title}
</h1>
<div id="meta_content" class="rich_media_meta_list">
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" class="wx_tap_link js_wx_tap_highlight weui-wa-hotarea" id="js_name">
{account}
</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
</div>
<div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden;">
{secs}
{tail}
</div>
<div class="rich_media_tool" id="js_toobar3"><div class="weui-flex"><a class="media_tool_meta">阅读 <span id="readNum3">3862</span></a><a class="media_tool_meta">赞</a><a>在看</a></div></div>
</div></div></div></div>
<div class="qr_code_pc_outer"><div class="qr_code_pc"><p>微信扫一扫<br>关注该公众号</p></div></div>
<script type="text/javascript" nonce="1234567">
var nickname = htmlDecode("{account}");
var ct = "{ct}";
var publish_time = "{ptime}" || "";
var user_name = "gh_0a1b2c3d4e5f";
var msg_title = '{title}'.html(false);
var msg_desc = htmlDecode("{desc}");
var create_time = "{ct}" * 1;
{js}
</script>
</body>
</html>
""".format(desc=esc(plain(a["paras"][0])[:54]), title=esc(a["title"]), css=CSS,
           account=a["account"], secs="\n".join(secs), tail=tail, ct=a["ct"],
           ptime=a["date_text"], js=JS_STAT * a["n_js"])


def t_jsonld(a, rnd):
    body = "\n".join("<p>%s</p>" % inline(p) for p in a["paras"])
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "mainEntityOfPage": {"@type": "WebPage", "@id": a["url"]},
          "headline": a["title"], "image": ["https://www.cenews.com.cn/images/a.jpg"],
          "datePublished": a["iso"], "dateModified": a["iso"],
          "author": {"@type": "Person", "name": a["author"]},
          "publisher": {"@type": "Organization", "name": a["origin"],
                        "logo": {"@type": "ImageObject", "url": "https://www.cenews.com.cn/logo.png"}},
          "description": plain(a["paras"][0])[:60]}
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}_{origin}</title>
<meta property="og:type" content="article">
<meta property="og:site_name" content="{origin}">
<script type="application/ld+json">
{ld}
</script>
<style>{css}</style>
</head>
<body>
<header class="site-header">{nav}</header>
<main class="container">
<nav class="breadcrumb"><a href="/">首页</a> / <a href="/news/">新闻</a> / <a href="/news/local/">地方</a></nav>
<article class="news-article">
<h1 class="news-title">{title}</h1>
<div class="news-meta"><span class="date">{date}</span> <span class="writer">{author}</span></div>
<div class="news-body">
{body}
</div>
<p class="news-editor">责任编辑：{editor}</p>
</article>
<aside class="news-aside"><h2>相关新闻</h2><ul>
{related}
</ul></aside>
</main>
<footer class="site-footer"><p>Copyright © 2023 中国环境网 版权所有</p><p>京ICP备12345678号-1</p></footer>
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), origin=a["origin"],
           ld=json.dumps(ld, ensure_ascii=False, indent=1), css=CSS,
           nav=nav(NAV_NEWS), date=a["date_text"], author=a["author"], body=body,
           editor=a["editor"], related=related(a["n_related"], rnd),
           js=JS_STAT * a["n_js"])


def t_video(a, rnd):
    return """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}_{site}</title>
<style>{css}</style>
</head>
<body>
{nav}
<div class="w1200">
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/zwxx_264/">政务信息</a> &gt; <a href="/zwxx_264/spxw/">视频新闻</a></div>
<div class="detail">
<h1 class="detail-tit">{title}</h1>
<div class="detail-info">发布时间：{date}&nbsp;&nbsp;&nbsp;来源：{origin}</div>
<div class="detail-con">
<div class="video-box"><video src="./W020240522612345.mp4" controls="controls" width="800" height="450" poster="./W020240522612346.jpg"></video></div>
</div>
<div class="detail-tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="xgxw"><h3>相关新闻</h3><ul>
{related}
</ul></div>
</div>
{footer}
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), site=a["site"], css=CSS, nav=nav(NAV_GOV),
           date=a["date_text"], origin=a["origin"], related=related(a["n_related"], rnd),
           footer=footer_gov(a["site"], "渝ICP备05003300号"), js=JS_STAT * a["n_js"])


def t_liar(a, rnd):
    body = "\n".join('<p style="text-indent: 2em;">%s</p>' % inline(p)
                     for p in a["paras"])
    return """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}-{site}</title>
<style>{css}</style>
</head>
<body>
{nav}
<div class="w1200">
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/bmjz/">部门街镇</a> &gt; <a href="/bmjz/qbm/qsthjj/">区生态环境局</a> &gt; <a href="./">工作动态</a></div>
<div class="zw-box">
<div class="zw-title">{title}</div>
<div class="zw-info"><span>发布日期：{date}</span><span>来源：{origin}</span><span>字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a></span></div>
<div class="zw-con">
<div class="trs_editor_view TRS_UEDITOR trs_paper_default trs_web">
{body}
</div></div>
<div class="zw-share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a></div>
</div>
<div class="zw-related"><h4>相关阅读</h4><ul>
{related}
</ul></div>
</div>
{footer}
<script>{js}</script>
</body>
</html>
""".format(title=esc(a["title"]), site=a["site"], css=CSS, nav=nav(NAV_GOV),
           date=a["date_text"], origin=a["origin"], body=body,
           related=related(a["n_related"], rnd),
           footer=footer_gov(a["site"], "渝ICP备05003300号"), js=JS_STAT * a["n_js"])


def t_broken(a, rnd):
    # Old ASP CMS: table layout, paragraphs as <br> runs inside a <td>,
    # tags left open or closed in the wrong order, entities without ';'.
    body = "<br>\n".join("&nbsp;&nbsp;&nbsp;&nbsp;%s" % inline(p)
                         for p in a["paras"])
    return """<html>
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<title>{site}--{title}</title>
<link href=style.css rel=stylesheet type=text/css>
</head>
<body leftmargin=0 topmargin=0>
<table width=980 border=0 align=center cellpadding=0 cellspacing=0>
<tr><td><img src=images/top.jpg width=980 height=120></td></tr>
<tr><td class=menu><a href=index.asp>网站首页</a> | <a href=list.asp?id=1>镇情概况</a> | <a href=list.asp?id=2>政务公开</a> | <a href=list.asp?id=3>工作动态</a> | <a href=list.asp?id=4>垃圾分类</a> | <a href=list.asp?id=5>便民服务</td>
</table>
<table width=980 border=0 align=center cellpadding=0 cellspacing=0>
<tr>
<td width=240 valign=top class=left>
<div class=lm>栏目导航</div>
<ul><li><a href=list.asp?id=3>工作动态<li><a href=list.asp?id=6>通知公告<li><a href=list.asp?id=7>政策法规</ul>
<div class=lm>最新文章</div>
<ul>{related}</ul>
<td width=740 valign=top>
<table width=100% border=0 cellpadding=5>
<tr><td class=title align=center><font size=4 color=#c00000><b>{title}</b></font></td>
<tr><td align=center class=info>作者：{author}&nbsp;&nbsp;来源：{origin}&nbsp;&nbsp;点击数：<script src=count.asp?id=1234></script>&nbsp;&nbsp;更新时间：{date}</td>
<tr><td class=content><font face=宋体 style=font-size:14px><b><i>
{body}
</b></i></font>
<p align=right>[<a href=javascript:window.print()>打印本页</a>] [<a href=javascript:window.close()>关闭窗口</a>]</p>
</td></tr></table>
</div></div>
<tr><td colspan=2 align=center class=foot>版权所有&copy {site} 技术支持：某某网络 渝ICP备09001234号
</table>
<script>{js}</script>
</body></html>
""".format(site=a["site"], title=esc(a["title"]), author=a["author"],
           origin=a["origin"], date=a["date_text"], body=body,
           related="".join("<li><a href=show.asp?id=%d>%s</a>" % (1000 + i, h)
                           for i, h in enumerate(HEADLINES[:a["n_related"]])),
           js=JS_STAT * a["n_js"])


TEMPLATES = {
    "gov_trs": (t_gov_trs, "gbk"),
    "gov_xxgk": (t_gov_xxgk, "utf-8"),
    "gov_meta": (t_gov_meta, "utf-8"),
    "paper": (t_paper, "utf-8"),
    "city": (t_city, "utf-8"),
    "people": (t_people, "utf-8"),
    "xinhua": (t_xinhua, "utf-8"),
    "epaper": (t_epaper, "utf-8"),
    "board": (t_board, "utf-8"),
    "wechat": (t_wechat, "utf-8"),
    "jsonld": (t_jsonld, "utf-8"),
    "video": (t_video, "utf-8"),
    "liar": (t_liar, "gbk"),
    "broken": (t_broken, "utf-8"),
}

# -------------------------------------------------------------- fixtures


def fixtures(seeds_dir):
    s = {}
    for name in sorted(os.listdir(seeds_dir)):
        if name.endswith(".txt"):
            s[name[:3]] = load_seed(os.path.join(seeds_dir, name))
    s0, s1, s2, s3, s4 = s["000"], s["001"], s["002"], s["003"], s["004"]
    F = []

    def add(name, template, a, expect):
        a.setdefault("n_related", 8)
        a.setdefault("n_js", 1)
        F.append((name, template, a, expect))

    add("gov_trs_gbk", "gov_trs", dict(
        url="http://sthjt.jl.gov.cn/xxgk/gzdt/202305/t20230508_8712345.html",
        title="吉林省成立全域“无废城市”建设工作推进组", site="吉林省生态环境厅",
        date_text="2023-05-08 10:25", origin="吉林省生态环境厅",
        paras=[s1[11], s1[13], s1[14], s1[15]], n_related=10, n_js=3),
        dict(published="2023-05-08T02:25:00Z", origin="吉林省生态环境厅",
             author=None, editor=None, charset="GB18030"))
    add("gov_xxgk_table", "gov_xxgk", dict(
        url="http://www.qianjiang.gov.cn/zwgk_264/fdzdgknr/zcwj/qtwj/202404/t20240424_13150231.html",
        title="黔江区金溪镇人民政府关于印发《金溪镇生活垃圾分类工作宣传方案》的通知",
        site="重庆市黔江区人民政府", issuer="黔江区金溪镇人民政府",
        written="2024-04-22", date_text="2024-04-24",
        paras=[s3[4], s3[5], s3[6], s3[7], s3[8], s3[9], s3[10], s3[11], s3[12],
               s3[13], s3[14], s3[15], s3[16], s3[17], s3[18], s3[23], s3[24],
               s3[25], s3[26]]),
        dict(published="2024-04-23T16:00:00Z", origin="黔江区金溪镇人民政府",
             author=None, editor=None, charset="UTF-8"))
    add("gov_meta_portal", "gov_meta", dict(
        url="http://www.changchun.gov.cn/zw_33994/bmdt/202309/t20230925_3212345.html",
        title="长春市印发“无废城市”建设宣传工作方案", site="长春市人民政府",
        meta_date="2023-09-25 16:30", date_text="2023-09-25 16:30",
        origin="长春市生态环境局", editor="刘洋",
        paras=[s2[11], s2[12], s2[14], s2[15], s2[16]]),
        dict(published="2023-09-25T08:30:00Z", origin="长春市生态环境局",
             author=None, editor="刘洋", charset="UTF-8"))
    add("provincial_paper", "paper", dict(
        url="http://news.cnjiwang.com/jwyc/202305/3701234.html",
        title="长吉两地协同联动 合力推动“无废城市”建设", site="中国吉林网",
        date_text="2023-05-09 08:46", origin="吉林日报", author="孙翠翠",
        editor="王鹤", paras=[s1[17], s1[18], s1[19]]),
        dict(published="2023-05-09T00:46:00Z", origin="吉林日报",
             author="孙翠翠", editor="王鹤", charset="UTF-8"))
    add("city_news", "city", dict(
        url="http://www.qjnews.cn/html/2024-05/21/content_52412345.htm",
        title="金溪镇开展垃圾分类宣传周活动", site="黔江新闻网",
        date_text="2024-05-21 09:12:36", origin="武陵都市报", author="李娟",
        editor="张宁",
        paras=["5月20日，金溪镇在集镇广场启动第二届全国城市生活垃圾分类宣传周活动，"
               "镇村干部、志愿者和居民群众300余人参加。",
               s3[16], s3[17], s3[19], s3[20]]),
        dict(published="2024-05-21T01:12:36Z", origin="武陵都市报",
             author="李娟", editor="张宁", charset="UTF-8"))
    add("central_people", "people", dict(
        url="http://env.people.com.cn/n1/2023/0508/c1010-32681234.html",
        title="吉林：长春与生态环境部固管中心签约共建“无废城市”",
        date_text="2023年05月08日10:12", origin="人民网－环保频道",
        editor="王震、杨虞波罗",
        paras=["人民网长春5月8日电 " + s1[21], s1[22], s1[23]]),
        dict(published="2023-05-08T02:12:00Z", origin="人民网－环保频道",
             author=None, editor="王震、杨虞波罗", charset="UTF-8"))
    add("central_xinhua", "xinhua", dict(
        url="http://www.news.cn/local/2023-05/12/c_1129608765.htm",
        title="吉林：激活“无废细胞” 创建“无废景区”“无废星级酒店”",
        date_text="2023-05-12 10:29:32", origin="新华网", editor="刘阳",
        paras=["新华社长春5月12日电 " + s1[25], s0[29]]),
        dict(published="2023-05-12T02:29:32Z", origin="新华网",
             author=None, editor="刘阳", charset="UTF-8"))
    add("epaper_edition", "epaper", dict(
        url="http://jlrbszb.cnjiwang.com/pc/paper/c/202305/09/content_223344.html",
        title="我省举办全域“无废城市”建设专题讲座",
        pretitle="深化理论认识 拓展工作思路", date_text="2023年05月09日 星期二",
        author="陈婷婷", paras=[s1[13], s1[14], s1[15]], n_related=6),
        dict(published="2023-05-08T16:00:00Z", origin=None,
             author="陈婷婷", editor=None, charset="UTF-8"))
    add("complaint_board", "board", dict(
        url="http://zxts.changchun.gov.cn/lyb/show.jsp?id=127845",
        title="小区垃圾分类后又被混装混运", site="长春市人民政府网上信访",
        date_text="2023-05-14 21:07:45", unit="长春市城市管理局",
        reply_date="2023-05-19 16:20:03",
        paras=["我是朝阳区某小区居民，小区今年按要求设置了四分类垃圾桶，居民也在认真分类投放，"
               "但最近多次看到清运车辆把分好类的垃圾倒进同一辆车里混装运走。请问这种情况符合规定吗？"
               "希望相关部门管一管，不要让居民的分类白费。",
               "网友您好：",
               "收到您的留言后，我局立即组织朝阳区城市管理部门到该小区现场核查。经查，"
               "该小区厨余垃圾收运车辆因故障临时调换，出现了分类垃圾同车运输的情况。"
               "我局已责令收运企业立即整改，恢复分类收运车辆，并加强对收运过程的监督检查。",
               "感谢您对垃圾分类工作的关注和支持。"]),
        dict(published="2023-05-14T13:07:45Z", origin=None, author=None,
             editor=None, charset="UTF-8"))
    add("wechat_account", "wechat", dict(
        url="https://mp.weixin.qq.com/s/Xq3kLmN8pQrS2tUvWxYz1A",
        title="垃圾分类宣传周｜这些分类知识你知道吗？", account="重庆生态环境",
        ct="1716253200", date_text="2024-05-21 09:00",
        origin="重庆市江北区生态环境局", editor="王小丽",
        paras=[s3[15], s3[19], s3[21], s3[22]]),
        dict(published="2024-05-21T01:00:00Z", origin="重庆市江北区生态环境局",
             author=None, editor="王小丽", charset="UTF-8"))
    add("jsonld_news", "jsonld", dict(
        url="https://www.cenews.com.cn/news.html?aid=1051234",
        title="江北区部署全年生态环境宣传教育工作", origin="中国环境网",
        iso="2023-06-05T09:30:00+08:00", date_text="2023-06-05 09:30",
        author="周雪", editor="李明", paras=[s4[1], s4[3], s4[4], s4[18]]),
        dict(published="2023-06-05T01:30:00Z", origin="中国环境网",
             author="周雪", editor="李明", charset="UTF-8"))
    add("video_no_body", "video", dict(
        url="http://www.qianjiang.gov.cn/zwxx_264/spxw/202405/t20240522_13160001.html",
        title="视频｜金溪镇垃圾分类宣传进校园", site="重庆市黔江区人民政府",
        date_text="2024-05-22 15:00", origin="黔江区融媒体中心", paras=[]),
        dict(published="2024-05-22T07:00:00Z", origin="黔江区融媒体中心",
             author=None, editor=None, charset="UTF-8"))
    add("charset_liar", "liar", dict(
        url="http://www.cqjb.gov.cn/bmjz/qbm/qsthjj/zwgk_97160/gzdt/202103/t20210315_9012345.html",
        title="2021年江北区生态环境宣传教育工作要点", site="重庆市江北区人民政府",
        date_text="2021-03-15", origin="区生态环境局",
        paras=[s4[1], s4[2], s4[3], s4[4], s4[5], s4[6], s4[7], s4[8], s4[9]]),
        dict(published="2021-03-14T16:00:00Z", origin="区生态环境局",
             author=None, editor=None, charset="GB18030"))
    add("broken_markup", "broken", dict(
        url="http://www.qjjinxi.gov.cn/ShowArticle.asp?ArticleID=1234",
        title="金溪镇召开垃圾分类工作推进会", site="金溪镇人民政府",
        date_text="2024-4-25", origin="金溪镇党政办", author="王强",
        paras=["4月24日，金溪镇召开生活垃圾分类工作推进会，传达学习区生活垃圾分类工作会议精神，"
               "安排部署下一阶段工作。", s3[19], s3[20], s3[22]], n_related=12),
        dict(published="2024-04-24T16:00:00Z", origin="金溪镇党政办",
             author="王强", editor=None, charset="UTF-8"))
    return F


def render(template, a, seed):
    fn, enc = TEMPLATES[template]
    rnd = random.Random(seed)
    page = fn(a, rnd)
    return page.encode(enc), enc


def body_of(a):
    paras = [plain(p) for p in a["paras"] if plain(p)]
    return "\n".join(paras) if paras else None


def write_fixtures(seeds_dir, out_dir):
    for i, (name, template, a, e) in enumerate(fixtures(seeds_dir)):
        data, _ = render(template, a, 1000 + i)
        d = os.path.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "page.html"), "wb") as f:
            f.write(data)
        exp = {"url": a["url"], "title": a["title"], "published": e["published"],
               "origin": e["origin"], "author": e["author"], "editor": e["editor"],
               "charset": e["charset"], "body": body_of(a)}
        with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(exp, f, ensure_ascii=False, indent=2)
            f.write("\n")
        print("%-18s %6d bytes" % (name, len(data)))


# ---------------------------------------------------------------- corpus


def write_corpus(fixtures_dir, out_dir, n):
    """N pages of about 22 KB: each template in turn, with the paragraphs
    of all fixtures shuffled in and boilerplate grown to size."""
    pool = []
    for name in sorted(os.listdir(fixtures_dir)):
        p = os.path.join(fixtures_dir, name, "expected.json")
        if os.path.exists(p):
            b = json.load(open(p, encoding="utf-8"))["body"]
            if b:
                pool.extend(x for x in b.split("\n") if len(x) > 20)
    rnd = random.Random(42)
    names = sorted(TEMPLATES)
    truth = []
    base = dict(site="吉林省生态环境厅", origin="吉林日报", author="孙翠翠",
                editor="王鹤", issuer="黔江区金溪镇人民政府", written="2024-04-22",
                meta_date="2023-09-25 16:30", pretitle="", unit="长春市城市管理局",
                reply_date="2023-05-19 16:20:03", account="重庆生态环境",
                ct="1716253200", iso="2023-06-05T09:30:00+08:00",
                url="http://www.example.gov.cn/a/202305/t20230508_1.html")
    for i in range(n):
        t = names[i % len(names)]
        a = dict(base)
        a["title"] = rnd.choice(HEADLINES)
        d = (2023, rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 23),
             rnd.randint(0, 59))
        a["date_text"] = "%04d-%02d-%02d %02d:%02d" % d
        a["paras"] = [] if t == "video" else rnd.sample(pool, rnd.randint(3, 8))
        a["n_related"], a["n_js"] = 8, 1
        fn, enc = TEMPLATES[t]
        # grow the boilerplate until the page is about 22 KB
        for _ in range(40):
            size = len(fn(a, random.Random(i)).encode(enc))
            if size >= 21000:
                break
            if a["n_related"] < 30:
                a["n_related"] += 4
            else:
                a["n_js"] += 1
        data = fn(a, random.Random(i)).encode(enc)
        fname = "%04d_%s.html" % (i, t)
        with open(os.path.join(out_dir, fname), "wb") as f:
            f.write(data)
        truth.append({"file": fname, "title": a["title"], "body": body_of(a)})
    with open(os.path.join(out_dir, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False)
    total = sum(os.path.getsize(os.path.join(out_dir, t["file"])) for t in truth)
    print("corpus: %d pages, %d bytes (%.1f KB a page) in %s"
          % (n, total, total / n / 1000.0, out_dir))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "fixtures":
        write_fixtures(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "corpus":
        write_corpus(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
