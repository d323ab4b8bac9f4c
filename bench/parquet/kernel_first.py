"""The first %parquet convert in a fresh Kiln kernel, and the next one in the same kernel, through
jupyter_client as a notebook runs them; the kernels take turns with fresh ones each round.

    kernel_first.py ROUNDS KERNELS_DIR CSV OUT

Prints, per round, the seconds from execute_request to the cell's idle status and the CPU seconds
the kernel process spent meanwhile, then the best of each.
"""
import sys
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ROUNDS, KERNELS_DIR, CSV, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
TICKS = 100  # os.sysconf('SC_CLK_TCK') on Linux


def cpu_seconds(pid):
    """User and system CPU of process `pid` and its threads, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


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


def main():
    specs = KernelSpecManager(kernel_dirs=[KERNELS_DIR])
    [name] = [n for n in specs.find_kernel_specs() if n.startswith("kiln")]
    cell = f"%parquet convert {CSV} --to {OUT} --threads 2 --codec zstd"
    firsts, seconds = [], []
    for r in range(ROUNDS):
        km = KernelManager(kernel_name=name, kernel_spec_manager=specs)
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            pid = km.provisioner.process.pid
            runs = []
            for _ in range(2):
                c0 = cpu_seconds(pid)
                wall, problems = run_cell(kc, cell)
                if problems:
                    raise RuntimeError(f"{cell}: {problems}")
                runs.append((wall, cpu_seconds(pid) - c0))
            firsts.append(runs[0])
            seconds.append(runs[1])
            print(f"round {r + 1}: first {runs[0][0]:.2f} s (cpu {runs[0][1]:.2f} s), second {runs[1][0]:.2f} s"
                  f" (cpu {runs[1][1]:.2f} s)", flush=True)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    for label, runs in (("first", firsts), ("second", seconds)):
        best = min(runs)
        print(f"kernel {label} %parquet convert: best {best[0]:.2f} s (cpu {best[1]:.2f} s)")


main()
