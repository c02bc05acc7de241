#!/usr/bin/python3
"""bench/crawl/spider.py: the Scrapy side of bench/crawl/run.

Crawls the generated portal the way a Scrapy user would write it for
these TRS-style columns: from each column's index.html, the article links
of <ul class="list"> and the 下一页 link (up to MAX_PAGES listing pages per
column), then each article page, whose title, time, 来源 and body text are
read by XPath and written as one JSON line per article. Settings match
mediawatch's crawl: 32 requests in flight (all to the one host), no
delay, robots.txt not fetched, gzip accepted. At the end it prints
`items N`, `pages N` (responses received) and `failed N` for run to read.
What it leaves to others: serving the site and measuring time and memory
(run, with /usr/bin/time).

  /usr/bin/python3 spider.py SOURCES.txt OUT.jsonl [MAX_PAGES]
"""
import sys

import scrapy
from scrapy.crawler import CrawlerProcess


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, sources, max_pages, **kw):
        super().__init__(**kw)
        self.sources = sources
        self.max_pages = max_pages

    def start_requests(self):
        for url in self.sources:
            yield scrapy.Request(url, callback=self.parse_listing, cb_kwargs={"depth": 0})

    def parse_listing(self, response, depth):
        for href in response.xpath('//ul[@class="list"]/li/a/@href').getall():
            yield response.follow(href, callback=self.parse_article)
        nxt = response.xpath('//div[@class="page"]/a[normalize-space(.)="下一页"]/@href').get()
        if nxt and depth + 1 < self.max_pages:
            yield response.follow(nxt, callback=self.parse_listing, cb_kwargs={"depth": depth + 1})

    def parse_article(self, response):
        info = response.xpath('//div[@class="info"]')
        yield {
            "url": response.url,
            "title": (response.xpath('//meta[@name="ArticleTitle"]/@content').get()
                      or response.xpath('normalize-space(//h1)').get()),
            "time": (response.xpath('//meta[@name="PubDate"]/@content').get()
                     or info.xpath('substring-after(span[contains(., "发布时间：")], "发布时间：")').get()),
            "source": info.xpath('substring-after(span[contains(., "来源：")], "来源：")').get(),
            "body": "\n".join(t.strip() for t in response.xpath(
                '//div[@id="zoom"]//p//text()').getall() if t.strip()),
        }


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: spider.py SOURCES.txt OUT.jsonl [MAX_PAGES]")
    with open(sys.argv[1]) as f:
        sources = [line.strip() for line in f if line.strip()]
    max_pages = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    process = CrawlerProcess(settings={
        "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "USER_AGENT": "scrapy-bench",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "FEEDS": {sys.argv[2]: {"format": "jsonlines", "encoding": "utf8"}},
    })
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, sources=sources, max_pages=max_pages)
    process.start()
    stats = crawler.stats.get_stats()
    print("items", stats.get("item_scraped_count", 0))
    print("pages", stats.get("response_received_count", 0))
    failed = sum(v for k, v in stats.items()
                 if k.startswith("downloader/response_status_count/") and not k.endswith("/200"))
    print("failed", failed + stats.get("downloader/exception_count", 0))


if __name__ == "__main__":
    main()
