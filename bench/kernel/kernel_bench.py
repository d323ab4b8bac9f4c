"""Start-to-first-reply and trivial-cell round trip of the Kiln kernel on each JDK given, and of
the IPython kernel, measured in one run, the kernels taking turns.

    kernel_bench.py ROUNDS LABEL=KERNELS_DIR...   (each KERNELS_DIR holds one Kiln kernelspec)
"""
import statistics
import sys
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

STARTS = 7
TARGET_START, TARGET_TRIP = 0.6, 0.025


def manager(kernel):
    """A KernelManager of `kernel`: ('kiln', KERNELS_DIR) or ('python3', None)."""
    name, kernels_dir = kernel
    if kernels_dir is None:
        return KernelManager(kernel_name=name)
    specs = KernelSpecManager(kernel_dirs=[kernels_dir])
    # the one Kiln kernelspec installed there ('kiln', or named for its JDK)
    [name] = [n for n in specs.find_kernel_specs() if n.startswith("kiln")]
    return KernelManager(kernel_name=name, kernel_spec_manager=specs)


def start_time(kernel):
    """Seconds from launching the kernel process to receiving its first kernel_info_reply."""
    km = manager(kernel)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        msg_id = kc.kernel_info()
        deadline = t0 + 60
        while True:
            try:
                reply = kc.get_shell_msg(timeout=max(0.0, deadline - time.perf_counter()))
            except Exception:
                raise RuntimeError(f"{kernel[0]}: no kernel_info reply within 60 s")
            if reply["parent_header"].get("msg_id") == msg_id:
                return time.perf_counter() - t0, km, kc
    except BaseException:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise


def round_trip(kc, code):
    """Seconds from sending execute_request to having both its reply and its idle status."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    got_reply = got_idle = False
    while not got_idle:
        m = kc.get_iopub_msg(timeout=30)
        got_idle = (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                    and m["content"]["execution_state"] == "idle")
    while not got_reply:
        r = kc.get_shell_msg(timeout=30)
        got_reply = r["parent_header"].get("msg_id") == msg_id
        if got_reply and r["content"]["status"] != "ok":
            raise RuntimeError(f"{code!r} failed: {r['content']}")
    return time.perf_counter() - t0


def starts(kernel):
    t, km, kc = start_time(kernel)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return t


def trips(kernel, rounds):
    _, km, kc = start_time(kernel)
    try:
        kc.wait_for_ready(timeout=60)
        first = round_trip(kc, "1 + 1")
        for _ in range(5):
            round_trip(kc, "1 + 1")  # warm-up, as a user's first cells are
        return first, [round_trip(kc, "1 + 1") for _ in range(rounds)]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def p90(xs):
    return statistics.quantiles(xs, n=10, method="inclusive")[-1]


def main():
    rounds = int(sys.argv[1])
    kilns = [arg.split("=", 1) for arg in sys.argv[2:]]
    kernels = [(label, ("kiln", kernels_dir)) for label, kernels_dir in kilns] + [("IPython", ("python3", None))]
    start = {label: [] for label, _ in kernels}
    for _ in range(STARTS):  # in turns, so that a busy moment of the machine falls on every kernel alike
        for label, kernel in kernels:
            start[label].append(starts(kernel))
    trip = {label: trips(kernel, rounds) for label, kernel in kernels}

    ipy_start, ipy_trip = statistics.median(start["IPython"]), statistics.median(trip["IPython"][1])
    print(f"start = process launch to the first kernel_info reply ({STARTS} starts each); "
          f"1 + 1 = execute_request to its reply and idle ({rounds} cells after 6 warm-up)")
    print(f"{'kernel':<12} {'start median':>12} {'p90':>8} {'×IPython':>8}   {'1 + 1 median':>12} {'p90':>8} "
          f"{'×IPython':>8}   {'first cell':>10}")
    for label, _ in kernels:
        s, (first, t) = start[label], trip[label]
        print(f"{label:<12} {statistics.median(s) * 1000:>9.0f} ms {p90(s) * 1000:>5.0f} ms "
              f"{statistics.median(s) / ipy_start:>7.2f}×   {statistics.median(t) * 1000:>9.1f} ms {p90(t) * 1000:>5.1f} ms "
              f"{statistics.median(t) / ipy_trip:>7.2f}×   {first * 1000:>7.0f} ms")
    for label, _ in kernels[:-1]:
        s, t = statistics.median(start[label]), statistics.median(trip[label][1])
        print(f"{label}: start ≤ {TARGET_START * 1000:.0f} ms {'met' if s <= TARGET_START else 'NOT met'}, "
              f"1 + 1 ≤ {TARGET_TRIP * 1000:.0f} ms {'met' if t <= TARGET_TRIP else 'NOT met'}")


if __name__ == "__main__":
    main()
