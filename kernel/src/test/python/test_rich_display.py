"""The last expression of a cell shows in its richest form on whichever JDK runs the kernel.
RichDisplayAcrossJdksTest runs this file on Java 17 and on a JDK of 20 or later."""
import os
import threading

from jupyter_client.manager import start_new_kernel

from test_kernel_faults import execute

TABLE = ('tech.tablesaw.api.Table.create("weather", '
         'tech.tablesaw.api.IntColumn.create("temp_max", new int[] {12, 15}))')


def run(code):
    """Runs each cell in a fresh kernel; a cell given as (code, seconds) is interrupted after that long."""
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120)
    try:
        cells = []
        for c in code:
            if isinstance(c, tuple):
                c, after = c
                timer = threading.Timer(after, km.interrupt_kernel)
                timer.start()
            cells.append(execute(kc, c))
        return cells
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def data_of(cell):
    results = cell.of_type("execute_result")
    assert cell.reply["content"]["status"] == "ok" and len(results) == 1, (cell.reply["content"], cell.kinds())
    return results[0]["content"]["data"]


def test_a_bare_table_a_variable_and_an_image_show_richly_and_errors_and_interrupts_behave():
    expected = int(os.environ["KILN_EXPECTED_JAVA"])
    version, table, named, named_again, image, failing, busy, stopped_after = run([
        "Runtime.version().feature()",
        TABLE,
        "var t = " + TABLE + ";",
        "t",
        "new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB)",
        "Integer.parseInt(\"x\")",
        ("long spins = 0; while (true) { spins++; }", 2),
        "1 + 1",
    ])
    assert data_of(version)["text/plain"] == str(expected)

    html = data_of(table)["text/html"]
    assert "temp_max" in html and "<table" in html and ">15<" in html, html

    assert named.of_type("execute_result") == [] and named.reply["content"]["status"] == "ok"
    assert "<table" in data_of(named_again)["text/html"]

    assert data_of(image)["image/png"]

    error = failing.error()
    assert error["ename"] == "java.lang.NumberFormatException", error
    assert busy.reply["content"]["status"] == "error", busy.reply["content"]
    assert data_of(stopped_after)["text/plain"] == "2"
