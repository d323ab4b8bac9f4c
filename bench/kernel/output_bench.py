"""A cell printing 50,000 lines of 1,000 characters: time until all of it, the result and idle reach
the client, and how many lines arrived, Kiln against IPython, measured in one run."""
import queue
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

LINES, WIDTH = 50_000, 1_000
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 4
KILN = sys.argv[2] if len(sys.argv) > 2 else "kiln"  # the Kiln kernelspec's name
CODE = {
    "kiln": f'String line = "x".repeat({WIDTH});\nfor (int i = 0; i < {LINES}; i++) System.out.println(line);\n42',
    "python3": f"line = 'x' * {WIDTH}\nfor i in range({LINES}): print(line)\n42",
}


def flood(kc, code):
    """Seconds from execute_request to idle (None: no idle came); the lines of stdout that arrived;
    whether all of them and then the result came."""
    started = time.perf_counter()
    msg_id = kc.execute(code)
    received, kinds = [], []
    while True:
        try:
            m = kc.get_iopub_msg(timeout=30)
        except queue.Empty:  # a kernel that drops messages may drop its idle status too
            return None, len("".join(received).split("\n")) - 1, False
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        kinds.append(m["msg_type"])
        if m["msg_type"] == "stream":
            received.append(m["content"]["text"])
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    elapsed = time.perf_counter() - started
    lines = "".join(received).split("\n")[:-1]
    whole = len(lines) == LINES and all(len(line) == WIDTH for line in lines)
    return elapsed, len(lines), whole and kinds[-2] == "execute_result"


def measure(kernel_name):
    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=120)
    try:
        kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda m: None)
        runs = []
        for _ in range(RUNS):
            runs.append(flood(kc, CODE["python3" if kernel_name == "python3" else "kiln"]))
            if runs[-1][0] is None:
                break  # the kernel may still be busy with it
        return runs
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def seconds(t):
    return "no idle" if t is None else f"{t:.2f} s"


def rest(runs):
    times = [r[0] for r in runs[1:] if r[0] is not None]
    return statistics.median(times) if times else None


kiln, ipython = measure(KILN), measure("python3")
print(f"{LINES:,} lines of {WIDTH:,} characters, {RUNS} runs in one kernel each (the first compiles and warms up)")
print(f"{'kernel':<10} {'first run':>10} {'median of the rest':>19}   lines arrived (every run)")
for name, runs in (("kiln", kiln), ("ipython", ipython)):
    arrived = ", ".join(f"{r[1]:,}" + ("" if r[2] else " (not whole)") for r in runs)
    print(f"{name:<10} {seconds(runs[0][0]):>10} {seconds(rest(runs)):>19}   {arrived}")
if None not in (kiln[0][0], ipython[0][0], rest(kiln), rest(ipython)):
    print(f"{'ratio':<10} {kiln[0][0] / ipython[0][0]:>9.2f}x {rest(kiln) / rest(ipython):>18.2f}x   (kiln / ipython)")
