"""The first %parquet convert in a fresh Kiln kernel, and the next one in the same kernel, through
jupyter_client as a notebook runs them; the kernels take turns with fresh ones each round. The
first is measured twice: sent as soon as the kernel is ready (a notebook run from the top), and
after the kernel idled IDLE seconds (a user who opens a notebook, then runs its first cell).

    kernel_first.py ROUNDS KERNELS_DIR CSV OUT [-- ANCHOR COMMAND...]

Prints, per round, the seconds from execute_request to the cell's idle status and the CPU seconds
the kernel process and the processes it started spent meanwhile, then the best of each. An anchor
command (DuckDB's conversion of the same CSV in a fresh process) runs once per round between the
kernels, and the best first conversions are given as its best time over theirs (above 1: Kiln faster).
"""
import os
import subprocess
import sys
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ROUNDS, KERNELS_DIR, CSV, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ANCHOR = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
IDLE = 3.0
TICKS = 100  # os.sysconf('SC_CLK_TCK') on Linux


def cpu_seconds(pid):
    """User and system CPU of process `pid`, its threads and the processes it started (the kernel
    converts in a process of its own), from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    total = (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / TICKS
    return total + sum(cpu_seconds(child) for child in children(pid))


def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except FileNotFoundError:
        pass
    return found


def run_cell(kc, code, timeout=300):
    """Executes `code`; returns its seconds to idle, and the text of any error or stderr."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    problems = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "error" or (m["msg_type"] == "stream" and m["content"]["name"] == "stderr"):
            problems.append(m["content"].get("text") or m["content"].get("evalue"))
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return time.perf_counter() - t0, problems


def fresh_kernel(specs, name):
    km = KernelManager(kernel_name=name, kernel_spec_manager=specs)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def timed_cell(kc, pid, cell):
    c0 = cpu_seconds(pid)
    wall, problems = run_cell(kc, cell)
    if problems:
        raise RuntimeError(f"{cell}: {problems}")
    return wall, cpu_seconds(pid) - c0


def anchor_seconds():
    t0 = time.perf_counter()
    subprocess.run(ANCHOR, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    specs = KernelSpecManager(kernel_dirs=[KERNELS_DIR])
    [name] = [n for n in specs.find_kernel_specs() if n.startswith("kiln")]
    cell = f"%parquet convert {CSV} --to {OUT} --threads 2 --codec zstd"
    runs = {"first": [], "second": [], "first after idle": []}
    anchors = []
    for r in range(ROUNDS):
        km, kc = fresh_kernel(specs, name)
        try:
            pid = km.provisioner.process.pid
            runs["first"].append(timed_cell(kc, pid, cell))
            runs["second"].append(timed_cell(kc, pid, cell))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        if ANCHOR:
            anchors.append(anchor_seconds())
        km, kc = fresh_kernel(specs, name)
        try:
            time.sleep(IDLE)
            runs["first after idle"].append(timed_cell(kc, km.provisioner.process.pid, cell))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        print(f"round {r + 1}: " + ", ".join(f"{label} {v[-1][0]:.2f} s (cpu {v[-1][1]:.2f} s)" for label, v in runs.items())
              + (f"; anchor {anchors[-1]:.2f} s" if anchors else ""), flush=True)
    for label, v in runs.items():
        best = min(v)
        ratio = f", {min(anchors) / best[0]:.2f}x the anchor's best {min(anchors):.2f} s" if anchors and label != "second" else ""
        print(f"kernel {label} %parquet convert: best {best[0]:.2f} s (cpu {best[1]:.2f} s){ratio}")


main()
