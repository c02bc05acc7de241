"""bench/latency/procs.py: what both parts of bench/latency/run share:
starting and stopping the programs they measure or talk to, HTTP on
loopback, the CPU and memory of a process from /proc, percentiles.

What it leaves to others: what is measured and printed (latency.py,
idle.py, run).
"""
import json
import math
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

# Loopback only: never through a proxy from the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def clean_env():
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def now_ms():
    return int(time.time() * 1000)


def http(url, data=None, timeout=10):
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    with _opener.open(req, timeout=timeout) as r:
        return r.status, r.read()


def get_json(url):
    return json.loads(http(url)[1])


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def start_fixture(binary, root, log_path):
    """mw-fixture-server on an ephemeral port; returns (Popen, base URL)."""
    p = subprocess.Popen([binary, "--root", root, "--port", "0"], stdout=subprocess.PIPE,
                         stderr=open(log_path, "wb"), env=clean_env())
    line = p.stdout.readline().decode("utf-8", "replace")
    m = re.search(r"at (http://[0-9.]+:[0-9]+)/", line)
    if not m:
        p.kill()
        raise SystemExit("bench/latency: mw-fixture-server did not start: %r (see %s)"
                         % (line, log_path))
    return p, m.group(1)


def start_daemon(mw, config, cwd, log_path):
    return subprocess.Popen([mw, "run", "--config", config], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=open(log_path, "wb"),
                            env=clean_env())


def stop(p, timeout=60):
    """SIGTERM, then SIGKILL after timeout seconds; returns the exit status."""
    if p is None or p.poll() is not None:
        return None if p is None else p.returncode
    p.send_signal(signal.SIGTERM)
    try:
        return p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        return p.wait()


def cpu_seconds(pid):
    """utime + stime of every thread of pid, from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        rest = f.read().rsplit(")", 1)[1].split()
    # rest[0] is field 3 (state): utime and stime are fields 14 and 15.
    return (int(rest[11]) + int(rest[12])) / CLK_TCK


def memory_kb(pid):
    """(VmRSS, VmHWM) in KB: resident now, and the peak."""
    rss = hwm = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def percentile(sorted_values, pct):
    """Nearest rank: the smallest value with pct% of the values at or below it."""
    if not sorted_values:
        return float("nan")
    k = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[k - 1]


def fmt_duration(s):
    return "%dm%02ds" % (s // 60, s % 60) if s >= 60 else "%.1fs" % s
