"""Cell magics through jupyter_client: %%bash streams while it runs and stops on an interrupt,
with what it started; %%time shows the cell's value. CellMagicsThroughJupyterTest runs this."""
import os
import threading
import time

from jupyter_client.manager import start_new_kernel

from test_kernel_faults import execute


def test_bash_streams_stops_on_interrupt_with_its_children_and_time_keeps_the_value(tmp_path):
    marker = tmp_path / "still-running"
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120)
    try:
        streamed = execute(kc, "%%bash\nfor i in 1 2 3; do echo line $i; sleep 0.2; done")
        chunks = [m["content"]["text"] for m in streamed.of_type("stream")]
        assert "".join(chunks) == "line 1\nline 2\nline 3\n", chunks
        assert len(chunks) >= 2, f"output arrived as it came, not at the end: {chunks}"
        assert streamed.reply["content"]["status"] == "ok"

        # a child that would touch the marker after 3 s unless the interrupt ends it
        timer = threading.Timer(1.5, km.interrupt_kernel)
        timer.start()
        started = time.monotonic()
        stopped = execute(kc, f"%%bash\necho started\n(sleep 3; touch {marker}) &\nsleep 30")
        took = time.monotonic() - started
        assert stopped.reply["content"]["status"] == "error", stopped.reply["content"]
        assert took < 15, f"the interrupt took {took:.1f} s"
        time.sleep(3.5)
        assert not marker.exists(), "a process the script started outlived the interrupt"

        timed = execute(kc, "%%time\nint n = 6;\nn * 7")
        assert timed.result() == "42"
        printed = "".join(m["content"]["text"] for m in timed.of_type("stream"))
        assert printed.startswith("CPU time: ") and "wall time: " in printed, printed
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
