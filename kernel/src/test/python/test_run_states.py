"""How a kernel's run ends in the sidecar: 'ended' after a clean shutdown, 'lost' when the kernel is
killed. Kernels start through jupyter_client in KILN_PROJECT; KernelRecordsToSidecarTest starts the
sidecar (KILN_SIDECAR_URL/TOKEN, runs lost after KILN_LOST_AFTER seconds without a heartbeat)."""
import json
import os
import signal
import time
import urllib.parse
import urllib.request

from jupyter_client.manager import start_new_kernel

LOST_AFTER = float(os.environ["KILN_LOST_AFTER"])


def api(path):
    request = urllib.request.Request(os.environ["KILN_SIDECAR_URL"].rstrip("/") + path,
                                     headers={"Authorization": "Bearer " + os.environ["KILN_SIDECAR_TOKEN"]})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)


def runs():
    return api("/api/runs?project=" + urllib.parse.quote(os.environ["KILN_EXPECTED_PROJECT"], safe=""))


def wait_for(what, check, timeout=60):
    """Polls check() until it returns something true; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s: {what}")


def start_and_run_a_cell():
    """A kernel in the project, one cell run, and the id of its run once the sidecar has it."""
    before = {r["id"] for r in runs()}
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120, cwd=os.environ["KILN_PROJECT"])
    km.shutdown_wait_time = 60  # a loaded machine must not turn a clean exit into a kill
    reply = kc.execute_interactive("1 + 1", timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
    run = wait_for("the kernel's run reaches the sidecar",
                   lambda: next((r for r in runs() if r["id"] not in before), None))
    return km, kc, run["id"]


def status(run_id):
    return api("/api/runs/" + run_id)["status"]


def test_a_killed_kernels_run_is_lost():
    km, kc, run_id = start_and_run_a_cell()
    try:
        # alive for longer than the sidecar waits: its heartbeats keep the run running
        time.sleep(LOST_AFTER + 2)
        assert status(run_id) == "running"
        pid = km.provisioner.process.pid
        os.kill(pid, signal.SIGKILL)
        km.provisioner.process.wait(timeout=30)
        wait_for("the killed kernel's run is marked lost", lambda: status(run_id) == "lost", timeout=LOST_AFTER + 30)
        assert "lastSeen" in api("/api/runs/" + run_id)
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)  # a failed assertion before the kill must not leave a kernel behind
        km.cleanup_resources()
    print("RUN LOST", run_id)


def test_a_kernel_shut_down_cleanly_ends_its_run():
    km, kc, run_id = start_and_run_a_cell()
    try:
        # as Kiln's Lab panel asks: not stored, so not a cell of the run (its snapshot is no output of it)
        reply = kc.execute_interactive("%env snapshot", store_history=False, timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # a shutdown_request, as Jupyter sends when a notebook is closed
        wait_for("the run is recorded ended", lambda: status(run_id) == "ended", timeout=30)
        assert "end" in api("/api/runs/" + run_id)
        assert api("/api/runs/" + run_id)["outputs"] == [], "the panel's query is not a cell of the run"
        time.sleep(LOST_AFTER + 2)
        assert status(run_id) == "ended", "an ended run never turns lost"
    finally:
        if km.is_alive():
            km.shutdown_kernel(now=True)
    print("RUN ENDED", run_id)
