"""Kernel start time inside the image, with and without Kiln's class-data-sharing archive.

  python3 kernel-start.py [RUNS]

Starts the kiln kernel RUNS times (default 5) as Jupyter does (jupyter_client), and prints the
median time from launch to the kernel_info reply and to the reply of a first cell (`1 + 1`).
"without archive" is the same kernelspec minus -XX:SharedArchiveFile (the JDK's own archive stays).
"""
import json
import os
import statistics
import sys
import tempfile
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager


def once(kernel_name, work):
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.monotonic()
    km.start_kernel(cwd=work)
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        ready = time.monotonic() - t0
        reply = client.execute_interactive("1 + 1", timeout=120, output_hook=lambda m: None)
        first = time.monotonic() - t0
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
    return ready, first


def main(runs):
    spec = KernelSpecManager().get_kernel_spec("kiln")
    tmp = tempfile.mkdtemp(prefix="kiln-start-")
    plain = dict(spec.to_dict())
    plain["argv"] = [a for a in spec.argv if not a.startswith("-XX:SharedArchiveFile=")]
    os.makedirs(os.path.join(tmp, "kernels", "kiln-plain"))
    with open(os.path.join(tmp, "kernels", "kiln-plain", "kernel.json"), "w") as f:
        json.dump(plain, f)
    os.environ["JUPYTER_PATH"] = tmp + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    work = os.path.join(tmp, "work")
    os.makedirs(work)
    once("kiln", work)  # file cache warm for both
    samples = {"kiln": [], "kiln-plain": []}
    for _ in range(runs):  # alternating, so that the machine's load weighs on both alike
        for name in samples:
            samples[name].append(once(name, work))
    results = {}
    for name, label in (("kiln", "with archive"), ("kiln-plain", "without archive")):
        results[label] = (statistics.median(s[0] for s in samples[name]), statistics.median(s[1] for s in samples[name]))
    for label, (ready, first) in results.items():
        print("kernel start %-16s kernel_info %5.0f ms   first cell (1 + 1) done %5.0f ms   (median of %d)"
              % (label + ":", ready * 1000, first * 1000, runs))
    a, b = results["with archive"], results["without archive"]
    print("archive speed-up: kernel_info %.2fx, first cell %.2fx" % (b[0] / a[0], b[1] / a[1]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
