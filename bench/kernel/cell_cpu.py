"""CPU seconds the Kiln kernel's process spends per trivial cell (1 + 1), by thread, on each JDK given:
a figure the machine's load barely moves, where the round trip's wall time drifts with it.

    cell_cpu.py CELLS LABEL=KERNELS_DIR...   (each KERNELS_DIR holds one Kiln kernelspec)

Each kernel starts, runs 6 warm-up cells (as kernel_bench.py does), then CELLS cells in blocks of 20,
the kernels taking turns. The CPU is read from /proc/PID/task/*/schedstat before and after each block:
the shell thread runs JShell, the JIT compiler threads compile what it ran, iothread is ZeroMQ's.
"""
import os
import statistics
import sys
from collections import Counter

from kernel_bench import manager, round_trip

CELLS = int(sys.argv[1])
KILNS = [arg.split("=", 1) for arg in sys.argv[2:]]
WARM_UP, BLOCK = 6, 20


def thread_cpu(pid):
    """Nanoseconds on the CPU per thread of process pid, by (thread id, thread name)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                out[(tid, name)] = int(f.read().split()[0])
        except OSError:
            pass  # the thread ended
    return out


running = {}
try:
    for label, kernels_dir in KILNS:
        km = manager(("kiln", kernels_dir))
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        running[label] = (km, kc)
        kc.wait_for_ready(timeout=60)
        for _ in range(WARM_UP):
            round_trip(kc, "1 + 1")
    walls = {label: [] for label in running}
    cpu = {label: Counter() for label in running}
    for _ in range(max(1, CELLS // BLOCK)):
        for label, (km, kc) in running.items():
            pid = km.provisioner.process.pid
            before = thread_cpu(pid)
            walls[label] += [round_trip(kc, "1 + 1") for _ in range(BLOCK)]
            for (tid, name), ns in thread_cpu(pid).items():
                cpu[label][name] += ns - before.get((tid, name), 0)
finally:
    for km, kc in running.values():
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    labels = list(running)
    # clients dropped now, not at interpreter exit, where their __del__ finds logging torn down
    running.clear()
    km = kc = None

print(f"CPU of the kernel process per 1 + 1 cell (cells {WARM_UP + 1}–{WARM_UP + len(next(iter(walls.values())))}"
      f" of a fresh kernel), load average {os.getloadavg()[0]:.1f}")
for label in labels:
    n = len(walls[label])
    total = sum(cpu[label].values()) / n / 1e6
    threads = ", ".join(f"{name} {ns / n / 1e6:.1f}" for name, ns in cpu[label].most_common(4))
    print(f"{label:<12} {total:6.1f} ms CPU ({threads})   wall median {statistics.median(walls[label]) * 1000:.1f} ms")
