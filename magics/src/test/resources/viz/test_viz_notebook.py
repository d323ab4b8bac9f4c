"""Notebook-level tests of Kiln's inline charts and tables (issue 7).

The fixture charts.ipynb (next to this file) says in each code cell's metadata.kiln_expect what the
cell's output must hold. These tests execute it with the 'kiln' kernel through nbclient, check every
output, export it with nbconvert and check the HTML holds the images, and take headless-Chromium
screenshots (of the exported HTML with every script removed, and of the live Jupyter Notebook page)
that must show a chart and the table.

    /usr/bin/python3 -m pytest -q magics/src/test/resources/viz/test_viz_notebook.py

Environment:
  KILN_VIZ_NOTEBOOK   an executed notebook to check instead of executing the fixture (magics'
                      ChartsNotebookFixtureTest writes magics/target/viz-notebook/charts.ipynb,
                      rendered by the same renderers the kernel uses): checks export and screenshots
                      before the kernel exists.
  KILN_KERNEL_NAME    the kernelspec to execute with (default 'kiln'); it must be installed (e.g. a
                      temporary JUPYTER_PATH set up by the kernel tests).
"""

import base64
import copy
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbformat.sign import NotebookNotary

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "charts.ipynb"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars",
                  "--force-device-scale-factor=1"]
# the histogram's fill (Kiln blue at 2/3 opacity over white) and the density raster's darkest blues
HISTOGRAM_FILL = (105, 164, 205)
DENSITY_BLUES = [(33, 113, 181), (8, 81, 156), (8, 48, 107)]


# ---- the executed notebook -------------------------------------------------------------------

@pytest.fixture(scope="module")
def executed():
    given = os.environ.get("KILN_VIZ_NOTEBOOK")
    if given:
        return nbformat.read(given, as_version=4)
    nb = nbformat.read(FIXTURE, as_version=4)
    with tempfile.TemporaryDirectory() as cwd:
        NotebookClient(nb, timeout=300, kernel_name=os.environ.get("KILN_KERNEL_NAME", "kiln"),
                       resources={"metadata": {"path": cwd}}).execute()
    return nb


def display_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "kiln_expect" in c.metadata]


def result(cell):
    """The cell's displayed value: its execute_result (or last display_data)."""
    shown = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert not errors, f"{cell.source}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    assert shown, f"{cell.source}: no displayed output in {[o.output_type for o in cell.outputs]}"
    return shown[-1]


def png_size(data):
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "a PNG"
    return struct.unpack(">II", data[16:24])


def decode_png(data):
    """(width, height, rows of RGB tuples) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    width, height = png_size(data)
    depth, colour, _, _, interlace = data[24:29]
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, rows, bpp


def count_near(png, colours, tolerance=12):
    width, height, rows, bpp = decode_png(png)
    n = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if any(abs(r - c[0]) <= tolerance and abs(g - c[1]) <= tolerance and abs(b - c[2]) <= tolerance
                   for c in colours):
                n += 1
    return n


# ---- outputs -----------------------------------------------------------------------------------

def test_every_output_has_the_expected_mime_types_and_image_sizes(executed):
    cells = display_cells(executed)
    assert len(cells) == 9
    for cell in cells:
        expect = cell.metadata["kiln_expect"]
        out = result(cell)
        for mime in expect["mime"]:
            assert mime in out.data, f"{cell.source}: {mime} in {list(out.data)}"
        for mime in expect["absent"]:
            assert mime not in out.data, f"{cell.source}: no {mime}"
        if "png_size" in expect:
            png = base64.b64decode(out.data["image/png"])
            assert list(png_size(png)) == expect["png_size"], cell.source
            shown = out.metadata["image/png"]
            assert [shown["width"], shown["height"]] == expect["display_size"], cell.source
        if "max_png_bytes" in expect:
            assert len(base64.b64decode(out.data["image/png"])) <= expect["max_png_bytes"], cell.source
        for mime, needles in expect.get("contains", {}).items():
            for needle in needles:
                assert needle in out.data[mime], f"{cell.source}: {mime} contains {needle!r}"


def test_outputs_are_offline_and_hold_no_script(executed):
    for cell in display_cells(executed):
        for mime, value in result(cell).data.items():
            text = value if isinstance(value, str) else ""
            assert "<script" not in text, f"{cell.source}: {mime} has a script"
            # namespaces (xmlns="http://www.w3.org/...") are names, not fetches
            fetched = re.findall(r'(?:src|href)\s*=\s*"(https?://[^"]*)"', text)
            assert not fetched, f"{cell.source}: {mime} fetches {fetched}"


def test_notebook_stays_small(executed):
    size = len(nbformat.writes(executed).encode())
    assert size < 1_500_000, f"notebook of {size} bytes"


# ---- nbconvert export --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(executed):
    html, _ = HTMLExporter().from_notebook_node(copy.deepcopy(executed))
    return html


def test_html_export_holds_every_chart_and_the_table(executed, exported):
    charts = [result(c) for c in display_cells(executed) if "image/png" in result(c).data]
    with_svg = [o for o in charts if "image/svg+xml" in o.data]
    png_only = [o for o in charts if "image/svg+xml" not in o.data]
    # nbconvert shows one representation per output: SVG where there is one, else the PNG at 1x size
    pngs = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"\s*width=(\d+)\s*height=(\d+)', exported)
    assert len(pngs) == len(png_only), f"{len(pngs)} PNGs for {len(png_only)} charts without SVG"
    assert all(p == ("640", "400") for p in pngs), pngs
    assert exported.count("<svg") >= len(with_svg)
    assert "rows × 4 columns" in exported
    assert ">double</span>" in exported


# ---- screenshots -------------------------------------------------------------------------------

def chromium(*args, cwd=None):
    assert CHROMIUM, "chromium is installed (Debian package chromium)"
    subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, *args], cwd=cwd, check=True, timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_chromium_shows_chart_and_table_of_the_exported_page_without_any_script(exported, tmp_path):
    # no script, no network: what the page shows comes from the outputs alone
    page = re.sub(r"<script\b.*?</script>", "", exported, flags=re.S)
    (tmp_path / "charts.html").write_text(page, encoding="utf-8")
    shot = tmp_path / "shot.png"
    chromium(f"--screenshot={shot}", "--window-size=1100,2600", f"file://{tmp_path / 'charts.html'}")
    png = shot.read_bytes()
    assert count_near(png, [HISTOGRAM_FILL]) > 20_000, "the histogram shows"
    dom = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, "--dump-dom", f"file://{tmp_path / 'charts.html'}"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert "rows × 4 columns" in dom and "<table" in dom


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_chromium_shows_chart_and_table_on_the_live_notebook_page(executed, tmp_path):
    nb = copy.deepcopy(executed)
    nb.metadata.kernelspec.name = os.environ.get("KILN_KERNEL_NAME", "kiln")
    # outputs saved by a kernel are trusted by whoever ran it (as `jupyter trust` would record)
    (tmp_path / "data").mkdir()
    NotebookNotary(data_dir=str(tmp_path / "data")).sign(nb)
    nbformat.write(nb, tmp_path / "charts.ipynb")
    port = free_port()
    env = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    server = subprocess.Popen(["/usr/bin/python3", "-m", "notebook", "--no-browser", f"--port={port}",
                               "--ip=127.0.0.1", "--NotebookApp.token=", "--NotebookApp.password=", "--allow-root",
                               f"--notebook-dir={tmp_path}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/notebooks/charts.ipynb"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except OSError:
                assert time.time() < deadline, "Jupyter Notebook did not start"
                time.sleep(0.2)
        shot = tmp_path / "page.png"
        chromium(f"--screenshot={shot}", "--window-size=1100,3200", "--virtual-time-budget=20000", url)
        png = shot.read_bytes()
        assert count_near(png, [HISTOGRAM_FILL]) > 20_000, "the histogram shows on the page"
        dom = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, "--virtual-time-budget=20000", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120, check=True).stdout
        assert "rows × 4 columns" in dom and "<table" in dom
    finally:
        server.terminate()
        server.wait(timeout=30)
