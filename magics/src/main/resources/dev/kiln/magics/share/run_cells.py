"""Runs a notebook's code cells one by one with jupyter_client, each within its own bound.

argv: plan.json out.ipynb kernel workdir
plan.json: {"notebook": path, "cells": [{"index": i, "timeout": s, "interruptAfter": s or null, "skip": bool}],
            "interruptGrace": s, "startTimeout": s}
Every cell it ran gets metadata.kiln.reproduce {"status", "seconds"}: ran, timed out, interrupted,
skipped, stopped, kernel died; cells after a stop are "not run". The notebook's metadata.kiln.reproduce
says how the run ended. out.ipynb is rewritten (temp file + rename) after every cell, so whatever
ends the run, what ran is on disk. SIGINT and SIGTERM stop the run after interrupting the kernel.
"""
import datetime
import json
import os
import queue
import signal
import sys
import time
import warnings

warnings.filterwarnings("ignore")  # nbformat's advice about cell ids is not the user's business here

import nbformat
from jupyter_client.manager import KernelManager

plan_file, out_file, kernel_name, workdir = sys.argv[1:5]
with open(plan_file, encoding="utf-8") as f:
    plan = json.load(f)
nb = nbformat.read(plan["notebook"], as_version=4)
grace = float(plan.get("interruptGrace", 20))
stop_signal = []


def on_stop(signum, frame):
    stop_signal.append(signum)


signal.signal(signal.SIGINT, on_stop)
signal.signal(signal.SIGTERM, on_stop)


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def save(ending):
    nb.metadata.setdefault("kiln", {})["reproduce"] = ending
    tmp = out_file + ".writing"
    nbformat.write(nb, tmp)
    os.replace(tmp, out_file)


def mark(cell, status, seconds=None):
    run = {"status": status}
    if seconds is not None:
        run["seconds"] = round(seconds, 3)
    cell.metadata.setdefault("kiln", {})["reproduce"] = run


def progress(index, done, total):
    print("kiln-progress " + json.dumps({"cell": index, "done": done, "total": total}), file=sys.stderr, flush=True)


steps = [s for s in plan["cells"] if nb.cells[s["index"]].cell_type == "code"]
for s in steps:
    nb.cells[s["index"]].outputs = []
    nb.cells[s["index"]].execution_count = None
    mark(nb.cells[s["index"]], "not run")

km = KernelManager(kernel_name=kernel_name)
kc = None


def connect():
    global kc
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=float(plan.get("startTimeout", 120)))


try:
    km.start_kernel(cwd=workdir)
    connect()
except Exception as e:  # the kernel is missing or did not come up: say so in the notebook, run nothing
    save({"ended": "kernel did not start", "detail": (type(e).__name__ + ": " + str(e)).strip()})
    try:
        km.shutdown_kernel(now=True)
    except Exception:
        pass
    os._exit(0)


def restart():
    """A kernel that did not stop a cell when interrupted is restarted, so the run goes on."""
    kc.stop_channels()
    km.restart_kernel(now=True)
    connect()


def run_cell(cell, step):
    """Runs one cell; returns its status."""
    cell.metadata.setdefault("execution", {})["iopub.status.busy"] = now_iso()
    msg_id = kc.execute(cell.source, store_history=True, allow_stdin=False, stop_on_error=False)
    started = time.monotonic()
    bound = step["interruptAfterSeconds"] if step.get("interruptAfterSeconds") is not None else step["timeoutSeconds"]
    status = "ran"
    interrupted_at = None
    reply = idle = False
    displays = {}
    while not (reply and idle):
        if stop_signal and interrupted_at is None:
            km.interrupt_kernel()
            interrupted_at, status = time.monotonic(), "stopped"
        if interrupted_at is None and time.monotonic() - started > bound:
            km.interrupt_kernel()
            interrupted_at = time.monotonic()
            status = "interrupted" if step.get("interruptAfterSeconds") is not None else "timed out"
        if interrupted_at is not None and time.monotonic() - interrupted_at > (min(grace, 5) if stop_signal else grace):
            return status + ", unresponsive"
        if not km.is_alive():
            return "kernel died"
        try:
            msg = kc.get_shell_msg(timeout=0)
            if msg["parent_header"].get("msg_id") == msg_id:
                reply = True
                cell.metadata["execution"]["shell.execute_reply"] = now_iso()
        except queue.Empty:
            pass
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status":
            if content["execution_state"] == "idle":
                idle = True
                cell.metadata["execution"]["iopub.status.idle"] = now_iso()
        elif kind == "execute_input":
            cell.execution_count = content.get("execution_count")
            cell.metadata["execution"]["iopub.execute_input"] = now_iso()
        elif kind == "clear_output":
            cell.outputs = []
            displays.clear()
        elif kind == "update_display_data":
            for i in displays.get(content.get("transient", {}).get("display_id"), []):
                cell.outputs[i]["data"] = content["data"]
                cell.outputs[i]["metadata"] = content.get("metadata", {})
        elif kind in ("stream", "display_data", "execute_result", "error"):
            out = nbformat.v4.output_from_msg(msg)
            display_id = content.get("transient", {}).get("display_id")
            if display_id:
                displays.setdefault(display_id, []).append(len(cell.outputs))
            cell.outputs.append(out)
    return status


def run_all():
    total = len(steps)
    for done, step in enumerate(steps):
        cell = nb.cells[step["index"]]
        if stop_signal:
            return {"ended": "stopped", "cell": step["index"]}
        if step.get("skip"):
            mark(cell, "skipped")
            continue
        progress(step["index"], done, total)
        started = time.monotonic()
        status = run_cell(cell, step)
        mark(cell, status.split(",")[0], time.monotonic() - started)
        if status == "kernel died":
            return {"ended": "kernel died", "cell": step["index"]}
        if status.endswith("unresponsive") and not stop_signal:
            cell.metadata["kiln"]["reproduce"]["restarted"] = True
            restart()
            continue
        if status.startswith("stopped") or stop_signal:
            return {"ended": "stopped", "cell": step["index"]}
        save({"ended": "running"})
    progress(-1, total, total)
    return {"ended": "completed"}


try:
    ending = run_all()
except Exception as e:  # a fault of the runner itself: what ran is still saved and reported
    ending = {"ended": "runner failed", "detail": (type(e).__name__ + ": " + str(e)).strip()}
save(ending)
try:
    kc.stop_channels()
    km.shutdown_kernel(now=ending["ended"] != "completed")
except Exception:
    pass
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)  # no interpreter teardown: zmq's finalizers print noise at exit
