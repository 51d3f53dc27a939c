#!/usr/bin/env python3
"""Runs a command N times; prints "median_seconds max_peak_rss_mb".
Wall time by perf_counter, peak RSS of each run from wait4's rusage.
Usage: infra_time.py N CMD [ARGS...]"""
import os
import statistics
import subprocess
import sys
import time


def once(cmd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    p.returncode = 0
    return time.perf_counter() - start, ru.ru_maxrss / 1024.0


def main():
    n = int(sys.argv[1])
    runs = [once(sys.argv[2:]) for _ in range(n)]
    print(f"{statistics.median(t for t, _ in runs):.4f} {max(m for _, m in runs):.0f}")


if __name__ == "__main__":
    main()
