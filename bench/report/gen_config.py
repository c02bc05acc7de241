"""gen_config.py: the config of the report benchmark (bench/report/run).

500 outlets with one feed each, tiered like a province's media as the
duty office of 吉林 watches them: 20 central, 30 provincial, 60 city, 240
county (融媒体中心 and the like), 100 government portals, 50 new-media
accounts; 20 topics of the environmental publicity office; a few
targets, one of them per city counted by mention.
The sources point at an unroutable documentation address: the benchmark
never crawls, bench_report writes the store directly.
"""

CENTRAL = ["人民日报", "新华社", "人民网", "新华网", "央视新闻", "光明日报",
           "经济日报", "中国日报", "中国新闻网", "中国环境报", "科技日报",
           "工人日报", "中国青年报", "法治日报", "农民日报", "中国经济网",
           "央广网", "中国网", "求是网", "中国环境网"]
PROVINCIAL_REAL = ["吉林日报", "吉林广播电视台", "中国吉林网", "新文化报",
                   "城市晚报", "吉林新闻联播", "彩练新闻", "吉林发布",
                   "吉林环境", "东北风"]
CITIES = ["长春", "吉林", "四平", "辽源", "通化", "白山", "松原", "白城",
          "延边"]
COUNTIES = ["农安县", "榆树市", "德惠市", "公主岭市", "九台区", "双阳区",
            "永吉县", "蛟河市", "桦甸市", "舒兰市", "磐石市", "梨树县",
            "伊通县", "双辽市", "东丰县", "东辽县", "通化县", "辉南县",
            "柳河县", "梅河口市", "集安市", "抚松县", "靖宇县", "长白县",
            "临江市", "前郭县", "长岭县", "乾安县", "扶余市", "镇赉县",
            "通榆县", "洮南市", "大安市", "延吉市", "图们市", "敦化市",
            "珲春市", "龙井市", "和龙市", "汪清县", "安图县"]
TOPICS = [("无废城市", ["无废城市", "无废细胞"]),
          ("垃圾分类", ["垃圾分类", "生活垃圾分类"]),
          ("大气污染防治", ["大气污染防治", "蓝天保卫战"]),
          ("水污染防治", ["水污染防治", "碧水保卫战"]),
          ("土壤污染防治", ["土壤污染防治", "净土保卫战"]),
          ("黑土地保护", ["黑土地保护"]),
          ("生态环境保护督察", ["环保督察", "生态环境保护督察"]),
          ("碳达峰碳中和", ["碳达峰", "碳中和"]),
          ("生物多样性", ["生物多样性"]),
          ("秸秆禁烧", ["秸秆禁烧", "秸秆焚烧"]),
          ("河湖长制", ["河长制", "湖长制"]),
          ("噪声污染", ["噪声污染"]),
          ("固体废物", ["固体废物", "危险废物"]),
          ("核与辐射安全", ["核与辐射安全"]),
          ("生态文明建设", ["生态文明建设"]),
          ("环境执法", ["环境执法", "环境违法"]),
          ("排污许可", ["排污许可"]),
          ("长白山保护", ["长白山保护"]),
          ("湿地保护", ["湿地保护"]),
          ("农村环境整治", ["农村环境整治", "农村人居环境"])]


def outlets():
    """(name, tier, region) of the 500 outlets."""
    out = [(n, "central", "全国") for n in CENTRAL]
    prov = list(PROVINCIAL_REAL)
    for i in range(30 - len(prov)):
        prov.append("吉林省级媒体%02d" % (i + 1))
    out += [(n, "provincial", "吉林省") for n in prov]
    city = []
    for suffix in ["日报", "晚报", "广播电视台", "新闻网", "融媒体中心",
                   "电台", "发布"]:
        for c in CITIES:
            # 吉林市's paper is 江城日报; "吉林日报" is the province's.
            city.append(({"吉林": "江城"}.get(c, c) + suffix, "city",
                         "吉林省" + c))
    out += city[:60]
    county = []
    for suffix in ["融媒体中心", "发布", "电视台", "新闻网", "广播电台",
                   "报", "资讯"]:
        for c in COUNTIES:
            county.append((c + suffix, "county", "吉林省" + c))
    out += county[:240]
    portal = [("吉林省人民政府", "portal", "吉林省"),
              ("吉林省生态环境厅", "portal", "吉林省")]
    for c in CITIES:
        portal.append((c + "市人民政府", "portal", "吉林省" + c))
        portal.append((c + "市生态环境局", "portal", "吉林省" + c))
    for c in COUNTIES:
        portal.append((c + "人民政府", "portal", "吉林省" + c))
        portal.append((c + "生态环境分局", "portal", "吉林省" + c))
    out += portal[:100]
    media = []
    for c in CITIES + COUNTIES:
        media.append(("@" + c + "发布", "new-media", "吉林省" + c))
    media.append(("吉林省网上群众留言板", "new-media", "吉林省"))
    out += media[:50]
    assert len(out) == 500 and len({o[0] for o in out}) == 500, len(out)
    return out


def write(path, storage):
    lines = ["# Written by bench/report/run; never crawled.",
             "storage: %s" % storage,
             "timezone: Asia/Shanghai",
             "office: 吉林省生态环境厅宣传教育中心（基准测试）",
             "", "outlets:"]
    for i, (name, tier, region) in enumerate(outlets()):
        lines += ['  - name: "%s"' % name,
                  "    tier: %s" % tier,
                  "    region: %s" % region,
                  "    sources:",
                  "      - url: http://192.0.2.1/o%d/rss.xml" % i,
                  "        kind: feed",
                  "        poll: 15m"]
    lines += ["", "topics:"]
    for name, kws in TOPICS:
        lines += ["  - name: %s" % name,
                  "    keywords: [%s]" % ", ".join(kws)]
    lines += ["", "targets:",
              "  - name: 中央媒体每月报道无废城市",
              "    topic: 无废城市", "    tier: central",
              "    period: month", "    min: 20",
              "  - name: 吉林日报每周报道大气污染防治",
              "    topic: 大气污染防治", "    outlet: 吉林日报",
              "    period: week", "    min: 2",
              "  - name: 新媒体每周垃圾分类",
              "    topic: 垃圾分类", "    tier: new-media",
              "    period: week", "    min: 30",
              # Counted by mention (the mentions index), one per city.
              "  - name: 各市每月见报",
              "    each: [%s]" % ", ".join(c + "市" for c in CITIES),
              "    period: month", "    min: 50",
              "  - name: 中央媒体每季度报道",
              "    outlets: [人民日报, 新华网, 人民网, 中国环境报]",
              "    count: stories",
              "    period: quarter", "    min: 40", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
