"""Hostile cells against the installed 'kiln' kernel, through jupyter_client: a flood of prints,
System.exit and Runtime.halt, hundreds of cells in a row. KernelFaultsTest runs each test."""
import os
import queue
import time

from jupyter_client.manager import start_new_kernel

# no message for this long means the kernel lost one (an idle status, say) or stopped
QUIET_LIMIT = 120


class Cell:
    """What one execute_request produced: its iopub messages in order and its reply."""

    def __init__(self, messages, reply):
        self.messages = messages
        self.reply = reply

    def of_type(self, msg_type):
        return [m for m in self.messages if m["msg_type"] == msg_type]

    def result(self):
        results = self.of_type("execute_result")
        assert self.reply["content"]["status"] == "ok" and len(results) == 1, (self.reply["content"], self.kinds())
        return results[0]["content"]["data"]["text/plain"]

    def error(self):
        errors = self.of_type("error")
        assert self.reply["content"]["status"] == "error" and len(errors) == 1, (self.reply["content"], self.kinds())
        return errors[0]["content"]

    def kinds(self):
        return [m["msg_type"] if m["msg_type"] != "status" else m["content"]["execution_state"] for m in self.messages]


def execute(kc, code, process=None):
    """Runs code; returns every iopub message of its request up to its idle status, and its reply.
    Given the kernel's process, fails as soon as that process ends."""
    msg_id = kc.execute(code)
    messages = []
    quiet_since = time.monotonic()
    while True:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            assert process is None or process.poll() is None, (
                f"the kernel ended (exit status {process.returncode}) running: {code!r}")
            assert time.monotonic() - quiet_since < QUIET_LIMIT, f"no idle status within {QUIET_LIMIT} s: {code!r}"
            continue
        quiet_since = time.monotonic()
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=QUIET_LIMIT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return Cell(messages, reply)


def start():
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120)
    km.shutdown_wait_time = 60  # a loaded machine must not turn a clean exit into a kill
    return km, kc


def test_a_flood_of_prints_arrives_whole_and_in_order_before_the_result_and_idle():
    lines, width = 100_000, 1_000  # 100 MB of stdout, 1,001 bytes a line
    km, kc = start()
    try:
        started = time.perf_counter()
        cell = execute(kc, f"""String pad = "x".repeat({width - 10});
for (int i = 0; i < {lines}; i++) {{
    System.out.println(String.format("%09d ", i) + pad);
    if (i % 10_000 == 0) System.err.println("err " + i);
}}
"done\"""")
        elapsed = time.perf_counter() - started

        kinds = cell.kinds()
        assert kinds[0] == "busy" and kinds[-2:] == ["execute_result", "idle"], kinds[:3] + kinds[-3:]
        assert set(kinds[1:-2]) == {"execute_input", "stream"}, set(kinds)
        assert cell.result() == '"done"'

        # a line may reach the client in two messages (a print and its newline, split when the
        # writer waited for the CPU past the kernel's linger): runs of one stream are one text
        runs = []
        for m in cell.of_type("stream"):
            name, text = m["content"]["name"], m["content"]["text"]
            if runs and runs[-1][0] == name:
                runs[-1][1] += text
            else:
                runs.append([name, text])
        out_seen = 0
        err_lines = []
        for name, text in runs:
            if name == "stdout":
                out_seen += text.count("\n")
            else:
                assert text.endswith("\n"), text
                for line in text.splitlines():
                    # each stderr line comes right after the stdout line printed before it
                    assert line == f"err {out_seen - 1}", (line, out_seen)
                    err_lines.append(line)
        assert err_lines == [f"err {i}" for i in range(0, lines, 10_000)]

        stdout = "".join(m["content"]["text"] for m in cell.of_type("stream") if m["content"]["name"] == "stdout")
        assert len(stdout) == lines * (width + 1)
        got = stdout.split("\n")
        assert got[-1] == "" and len(got) == lines + 1
        pad = "x" * (width - 10)
        for i in range(lines):
            assert got[i] == f"{i:09d} {pad}", f"line {i}: {got[i][:20]}…"
        print(f"100 MB of prints reached the client in {elapsed:.2f} s, in {len(cell.of_type('stream'))} stream messages")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_exit_and_halt_are_stopped_and_the_kernel_keeps_its_state():
    quitter = os.environ["KILN_QUITTER_JAR"]
    km, kc = start()
    process = km.provisioner.process

    def run(code):
        return execute(kc, code, process)

    try:
        pid = run("ProcessHandle.current().pid()").result()
        assert int(pid) == process.pid
        assert run("int keep = 7;\nint after = 0;").reply["content"]["status"] == "ok"
        stopped = [
            ("System.exit(0);\nafter = 1;", "System.exit(0)"),
            ("Runtime.getRuntime().halt(1);\nafter = 2;", "Runtime.halt(1)"),
            ("Runtime.getRuntime().exit(2);\nafter = 3;", "Runtime.exit(2)"),
            # a library's own call: nothing of it is in the cell's classes
            (f"%classpath {quitter}\ndemo.Quitter.quit(9);\nafter = 4;", "System.exit(9)"),
            ("var exit = java.lang.invoke.MethodHandles.lookup().findStatic(System.class, \"exit\","
             " java.lang.invoke.MethodType.methodType(void.class, int.class));\nexit.invoke(6);\nafter = 5;", "System.exit(6)"),
        ]
        for code, call in stopped:
            error = run(code).error()
            assert error["ename"] == "java.lang.SecurityException", error
            assert error["evalue"].split(" ")[0] == call, error["evalue"]
            assert process.poll() is None, f"the kernel ended on {code!r}"

        # on a thread of the cell's own, the exception ends that thread only
        thread = run("Thread t = new Thread(() -> System.exit(3));\nt.start();\nt.join();\nafter = 6;")
        assert thread.reply["content"]["status"] == "ok", thread.kinds()

        assert run("keep").result() == "7"
        assert run("after").result() == "6", "no statement after a stopped exit ran"
        assert run("ProcessHandle.current().pid()").result() == pid
        assert process.poll() is None
    finally:
        kc.stop_channels()
        km.shutdown_kernel()  # a shutdown_request: the kernel's own exit still ends it
    assert process.returncode == 0, f"the kernel did not end by itself on shutdown (exit status {process.returncode})"


def test_the_heap_after_gc_stops_growing_with_every_cell():
    cells, every = 800, 100
    km, kc = start()
    try:
        heap = {}
        for i in range(1, cells + 1):
            assert execute(kc, f"{i} * 2").result() == str(i * 2)
            if i % every == 0:
                heap[i] = int(execute(kc, "System.gc();\nSystem.gc();\njava.lang.management.ManagementFactory"
                                          ".getMemoryMXBean().getHeapMemoryUsage().getUsed()").result())
        print("heap in use after GC, MB, by cell:", {i: round(b / 1e6, 1) for i, b in heap.items()})
        # the trend from cell 200 on (least squares: one sample's noise, a few MB, is spread over 600 cells)
        points = [(i, b) for i, b in heap.items() if i >= 2 * every]
        mean_i = sum(i for i, _ in points) / len(points)
        mean_b = sum(b for _, b in points) / len(points)
        per_cell = (sum((i - mean_i) * (b - mean_b) for i, b in points)
                    / sum((i - mean_i) ** 2 for i, _ in points))
        print(f"trend: {per_cell / 1000:.1f} KB a cell")
        # what stays is JShell's own record of each snippet (a few KB); each cell kept 45-90 KB before, more and more
        assert per_cell < 20_000, f"the heap grows by {per_cell / 1000:.1f} KB a cell after GC"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
