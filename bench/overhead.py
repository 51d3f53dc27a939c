"""Times whole `guard` commands N times each and prints medians side by side."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

bin_path, n = sys.argv[1], int(sys.argv[2])
env = dict(os.environ, GUARD_TEST_LAYERS="1", NO_COLOR="1")
layers = [a for i in range(1, 7) for a in ("--layer", f"test-noop-{i}")]
target = tempfile.mkdtemp(prefix="guard-bench-")
with open(os.path.join(target, "main.tf"), "w") as f:
    f.write('resource "x" "y" {}\n')

cases = {
    "guard --version": [bin_path, "--version"],
    "run, 6 layers, thread": [bin_path, "run", target, *layers, "--isolation", "thread"],
    "run, 6 layers, process": [bin_path, "run", target, *layers, "--isolation", "process"],
}


def median_ms(cmd):
    samples = []
    for _ in range(5):  # warm-up
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(n):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - t0) * 1000)
        if r.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {r.returncode}")
    return statistics.median(samples)


res = {name: median_ms(cmd) for name, cmd in cases.items()}
base = res["guard --version"]
print(f"{'command':<28}{'median ms':>10}{'over --version':>16}")
for name, ms in res.items():
    print(f"{name:<28}{ms:>10.2f}{ms - base:>16.2f}")
thread_over = res["run, 6 layers, thread"] - base
per_layer = (res["run, 6 layers, process"] - base) / 6
print()
print(f"in-process overhead: {thread_over:.2f} ms (target < 5 ms) -> {'OK' if thread_over < 5 else 'MISSED'}")
print(f"process mode per layer: {per_layer:.2f} ms (target < 15 ms) -> {'OK' if per_layer < 15 else 'MISSED'}")
