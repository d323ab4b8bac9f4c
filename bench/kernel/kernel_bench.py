"""Start-to-first-reply and trivial-cell round trip, Kiln against IPython, measured in one run."""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 50
STARTS = 5


def start_time(kernel_name):
    """Seconds from launching the kernel process to receiving its first kernel_info_reply."""
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        while True:
            msg_id = kc.kernel_info()
            try:
                reply = kc.get_shell_msg(timeout=0.05)
            except Exception:
                continue
            if reply["parent_header"].get("msg_id") == msg_id or reply["msg_type"] == "kernel_info_reply":
                return time.perf_counter() - t0, km, kc
    except BaseException:
        km.shutdown_kernel(now=True)
        raise


def round_trip(kc, code):
    """Seconds from sending execute_request to having both the reply and the idle status."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    got_reply = got_idle = False
    while not (got_reply and got_idle):
        if not got_reply:
            r = kc.get_shell_msg(timeout=30)
            if r["parent_header"].get("msg_id") == msg_id:
                got_reply = True
        if not got_idle:
            m = kc.get_iopub_msg(timeout=30)
            if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                    and m["content"]["execution_state"] == "idle"):
                got_idle = True
    return time.perf_counter() - t0


def measure(kernel_name):
    starts = []
    for _ in range(STARTS):
        t, km, kc = start_time(kernel_name)
        starts.append(t)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    t, km, kc = start_time(kernel_name)
    try:
        kc.wait_for_ready(timeout=60)
        for _ in range(5):
            round_trip(kc, "1 + 1")  # warm-up, as a user's first cells are
        trips = [round_trip(kc, "1 + 1") for _ in range(ROUNDS)]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return statistics.median(starts), statistics.median(trips)


kiln_start, kiln_trip = measure("kiln")
py_start, py_trip = measure("python3")
print(f"{'kernel':<10} {'start→first reply (median of %d)' % STARTS:>34} {'1 + 1 round trip (median of %d)' % ROUNDS:>34}")
print(f"{'kiln':<10} {kiln_start * 1000:>31.0f} ms {kiln_trip * 1000:>31.1f} ms")
print(f"{'ipython':<10} {py_start * 1000:>31.0f} ms {py_trip * 1000:>31.1f} ms")
print(f"{'ratio':<10} {kiln_start / py_start:>32.2f}x {kiln_trip / py_trip:>32.2f}x   (kiln / ipython)")
print(f"targets: start ≤ 1000 ms ({'met' if kiln_start <= 1.0 else 'NOT met'}), "
      f"round trip ≤ 40 ms ({'met' if kiln_trip <= 0.040 else 'NOT met'})")
