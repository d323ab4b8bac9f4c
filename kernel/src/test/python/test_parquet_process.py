"""%parquet convert in a 'kiln' kernel, through jupyter_client: the kernel converts in a process of
its own (a fresh CLI conversion's speed from the first cell), keeps it for the next conversion,
stops it cleanly on an interrupt, and reports and replaces it when it is killed. The workspace
holds no output and no temporary file after a conversion that did not finish.
ConversionProcessThroughJupyterTest runs each test."""
import os
import signal
import time

import pytest
from jupyter_client.manager import start_new_kernel

ROLE = "kiln.process=parquet-convert"


def start():
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120)
    km.shutdown_wait_time = 60
    return km, kc


def workers(kernel_pid):
    """The kernel's conversion processes, by their command line."""
    found = []
    for task in os.listdir(f"/proc/{kernel_pid}/task"):
        with open(f"/proc/{kernel_pid}/task/{task}/children") as f:
            for child in f.read().split():
                with open(f"/proc/{child}/cmdline", "rb") as c:
                    if ROLE.encode() in c.read():
                        found.append(int(child))
    return found


def cpu_seconds(pid):
    """User and system CPU of process pid's own threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def running(pid):
    """Whether process pid runs (a zombie has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def big_csv(path, megabytes=80):
    block = "".join(f"{i},station_{i % 97},{i * 0.25:.2f},2024-01-{1 + i % 28:02d}\n" for i in range(20_000))
    with open(path, "w") as f:
        f.write("id,station,value,day\n")
        for _ in range(megabytes * (1 << 20) // len(block)):
            f.write(block)


def run(kc, code, on_progress=None):
    """Runs code; calls on_progress once, when the cell's progress bar first shows; returns the reply."""
    msg_id = kc.execute(code)
    acted = False
    while True:
        m = kc.get_iopub_msg(timeout=120)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        text = m["content"].get("data", {}).get("text/plain", "") if m["msg_type"] == "display_data" else ""
        if on_progress and not acted and text.startswith("parquet convert"):
            acted = True
            on_progress()
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            assert on_progress is None or acted, "the cell showed no progress bar"
            return reply["content"]


def left_in(directory):
    return sorted(n for n in os.listdir(directory) if n.endswith(".parquet") or n.startswith(".kiln-tmp-"))


@pytest.fixture
def small(tmp_path):
    """A small CSV beside a big one (tmp_path/big.csv) in the test's folder."""
    big_csv(tmp_path / "big.csv")
    path = tmp_path / "small.csv"
    path.write_text("id,code\n1,00501\n2,10001\n")
    return path


def test_conversions_run_in_one_process_that_outlives_an_interrupt(tmp_path, small):
    km, kc = start()
    try:
        kernel = km.provisioner.process.pid
        first = run(kc, f"%parquet convert {small} --to {tmp_path}/one.parquet")
        assert first["status"] == "ok", first
        [worker] = workers(kernel)

        stopped = run(kc, f"%parquet convert {tmp_path}/big.csv --threads 1 --row-group-size 1MiB", km.interrupt_kernel)
        assert stopped["status"] == "error" and stopped["ename"] == "Interrupted", stopped
        assert left_in(tmp_path) == ["one.parquet"], "no output and no temporary file"
        assert workers(kernel) == [worker], "the same process, still there"

        before = cpu_seconds(worker), cpu_seconds(kernel)
        again = run(kc, f"%parquet convert {tmp_path}/big.csv --to {tmp_path}/two.parquet --threads 1")
        assert again["status"] == "ok", again
        assert workers(kernel) == [worker], "the next conversion in the same process"
        converter, cells = cpu_seconds(worker) - before[0], cpu_seconds(kernel) - before[1]
        assert converter > 0.6 and converter > 2 * cells, f"CPU: {converter:.2f} s in the conversion process, {cells:.2f} s in the kernel"
        assert run(kc, "6 * 7")["status"] == "ok"

        km.shutdown_kernel(now=True)
        deadline = time.monotonic() + 30
        while running(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(worker), "the conversion process ends with its kernel"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_killed_conversion_process_is_reported_and_replaced(tmp_path, small):
    km, kc = start()
    try:
        kernel = km.provisioner.process.pid
        killed = []

        def kill():
            [worker] = workers(kernel)
            os.kill(worker, signal.SIGKILL)
            killed.append(worker)

        failed = run(kc, f"%parquet convert {tmp_path}/big.csv --threads 1 --row-group-size 1MiB", kill)
        assert failed["status"] == "error" and failed["ename"] == "MagicError", failed
        assert failed["evalue"].startswith("The conversion's process ended before it finished"), failed["evalue"]
        assert "exit status 137" in failed["evalue"], failed["evalue"]
        assert left_in(tmp_path) == [], "no output and no temporary file"

        after = run(kc, f"%parquet convert {small} --to {tmp_path}/after.parquet")
        assert after["status"] == "ok", after
        assert len(workers(kernel)) == 1 and workers(kernel) != killed, "another process converted"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
