#!/usr/bin/python3
"""peer_readability.py: python3-readability on the same pages as
bench_extract, the peer of bench/extract/run.

  peer_readability.py DIR          Document(html).summary() and .title() on
                                   every .html file of DIR, read into memory
                                   first; prints pages, CPU seconds, pages/s
                                   and ms/page (process time)
  peer_readability.py --dump DIR   one JSON line per page: file, title and
                                   the summary's text, for scoring
"""
import json
import os
import sys
import time
import logging

from readability import Document
import lxml.html

logging.disable(logging.CRITICAL)  # readability logs every candidate


def load(d):
    pages = []
    for name in sorted(os.listdir(d)):
        if name.endswith(".html"):
            with open(os.path.join(d, name), "rb") as f:
                pages.append((name, f.read()))
    return pages


def text_of(summary_html):
    """The summary's text, one line per block, as the scorer compares."""
    root = lxml.html.fromstring(summary_html)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in root.iter("p", "div", "li", "h1", "h2", "h3", "tr", "section"):
        el.tail = "\n" + (el.tail or "")
    lines = [" ".join(l.split()) for l in root.text_content().split("\n")]
    return "\n".join(l for l in lines if l)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--dump":
        for name, data in load(sys.argv[2]):
            doc = Document(data)
            print(json.dumps({"file": name, "title": doc.title(),
                              "body": text_of(doc.summary())},
                             ensure_ascii=False))
        return
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    pages = load(sys.argv[1])
    t0 = time.process_time()
    for _, data in pages:
        doc = Document(data)
        doc.summary()
        doc.title()
    secs = time.process_time() - t0
    print("pages %d" % len(pages))
    print("seconds %.4f" % secs)
    print("pages_per_s %.1f" % (len(pages) / secs))
    print("ms_per_page %.3f" % (secs * 1000.0 / len(pages)))


if __name__ == "__main__":
    main()
