"""bench/serve/common.py: what the parts of bench/serve/run share: where
the seed texts are, the feed count of bench/report's config, and how a
fatal problem or progress is told.

What it leaves to others: everything measured (run, gen_store.py,
servers.py).
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The seed documents article bodies are cut from (../shared/seeds).
SEEDS = os.environ.get("MW_SEEDS",
                       os.path.join(os.path.dirname(ROOT), "shared", "seeds"))
N_FEEDS = 500  # bench/report's gen_config: 500 outlets, one feed each


def die(msg):
    print("bench/serve/run: " + msg, file=sys.stderr)
    sys.exit(1)


def progress(msg):
    print("  [%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr,
          flush=True)
