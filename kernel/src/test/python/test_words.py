"""What a user reads in a cell, through jupyter_client against the installed 'kiln' kernel, on the
Seattle weather CSV: hints name magics, %help is laid out for a cell, a conversion says what it
versioned or skipped, and that a re-run kept its version unchanged, one speed figure, a UserError and
a compile error without noise. NotebookWordsTest runs it."""
import html
import os
import re
import shutil
import subprocess

from jupyter_client.manager import start_new_kernel

SEATTLE = os.environ["KILN_TEST_SEATTLE"]
RATE = re.compile(r"([0-9.]+) (B|KiB|MiB|GiB)/s")


class Cell:
    """One cell's reply and what it showed: displays by id (updates replace them), results, errors."""

    def __init__(self, kc, code):
        self.displays, self.shown, self.order = {}, [], []

        def hook(m):
            t, c = m["msg_type"], m["content"]
            if t in ("display_data", "execute_result", "update_display_data"):
                shown = {"data": c["data"], "metadata": c.get("metadata", {})}
                display_id = c.get("transient", {}).get("display_id")
                if display_id:
                    self.displays[display_id] = shown
                if t != "update_display_data":
                    self.shown.append(shown)
        self.reply = kc.execute_interactive(code, timeout=300, output_hook=hook)["content"]

    def last(self):
        return self.shown[-1]


def project(tmp_path):
    root = tmp_path / "project"
    (root / "data" / "weather").mkdir(parents=True)
    shutil.copy(SEATTLE, root / "data" / "weather" / "seattle-weather.csv")
    subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=30)
    return root


def kernel(cwd):
    return start_new_kernel(kernel_name="kiln", startup_timeout=120, cwd=str(cwd))


def test_a_cell_names_magics_and_help_is_laid_out_for_it(tmp_path):
    km, kc = kernel(project(tmp_path))
    try:
        maven = Cell(kc, "%maven").reply
        assert maven["status"] == "error"
        usage = "\n".join(maven["traceback"])
        assert "Usage: %maven " in usage and "kiln maven" not in usage, usage

        added = Cell(kc, "%data add data/weather").last()["data"]["text/plain"]
        assert "'%data push'" in added and "kiln data" not in added, added

        helped = Cell(kc, "%help").last()["data"]
        rows = re.findall(r"<tr><td[^>]*><code>(%[^<]+)</code></td><td[^>]*>([^<]*)</td></tr>", helped["text/html"])
        rows = [(html.unescape(t), html.unescape(s)) for t, s in rows]
        typed = [t for t, _ in rows]
        for command in ("%maven", "%data", "%data pull", "%data remote add", "%parquet convert", "%env snapshot"):
            assert command in typed, typed
        lines = [line.strip() for line in helped["text/plain"].splitlines()]
        for command, summary in rows:
            assert summary.endswith("."), (command, summary)
            assert f"{command} — {summary}" in lines, (command, summary)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_conversion_says_what_it_skipped_and_no_speed_for_a_small_file(tmp_path):
    km, kc = kernel(project(tmp_path))
    try:
        assert Cell(kc, "%data add data/weather").reply["status"] == "ok"
        cell = Cell(kc, "%parquet convert data/weather/seattle-weather.csv --to data/seattle.parquet")
        assert cell.reply["status"] == "ok", cell.reply
        result = cell.last()
        warning = result["metadata"]["kiln"]["data"]["warning"]
        assert "overlaps dataset 'weather'" in warning, warning
        assert "Not versioned: " + warning in result["data"]["text/plain"].splitlines()
        assert "Not versioned: " + warning in html.unescape(result["data"]["text/html"]), result["data"]["text/html"]

        bars = [d for d in cell.displays.values() if d["metadata"].get("kiln", {}).get("volatile")]
        assert len(bars) == 1, cell.displays
        # a 47 KiB file: its speed would be start-up's, so the summary gives the time alone
        assert RATE.findall(result["data"]["text/plain"]) == [], result["data"]["text/plain"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_conversion_run_again_unchanged_says_so_and_names_the_version_it_kept(tmp_path):
    km, kc = kernel(project(tmp_path))
    try:
        assert Cell(kc, "%data add data/weather").reply["status"] == "ok"
        convert = "%parquet convert data/weather --to data/weather-parquet"
        first = Cell(kc, convert).last()
        version = first["metadata"]["kiln"]["data"]["datasets"][0]["version"]
        assert "Added dataset weather-parquet to kiln.lock" in first["data"]["text/plain"], first["data"]["text/plain"]
        lock = (tmp_path / "project" / "kiln.lock").read_text()

        again = Cell(kc, convert).last()
        said = again["data"]["text/plain"].splitlines()[-1]
        assert said.startswith(f"weather-parquet@{version[:12]} is unchanged (data/weather-parquet): same input version"), said
        assert said.endswith("and settings; kiln.lock unchanged."), said
        assert said in html.unescape(again["data"]["text/html"]), again["data"]["text/html"]
        assert "Recorded " not in again["data"]["text/plain"] and "Added dataset" not in again["data"]["text/plain"]
        assert again["metadata"]["kiln"]["data"]["datasets"][0]["version"] == version, "the output pins the version it kept"
        assert (tmp_path / "project" / "kiln.lock").read_text() == lock
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_user_error_shows_its_message_only(tmp_path):
    km, kc = kernel(project(tmp_path))
    try:
        plotted = Cell(kc, 'dev.kiln.magics.viz.Plot.line(tech.tablesaw.api.Table.read().csv('
                           '"data/weather/seattle-weather.csv"), "nope", "temp_max")').reply
        assert plotted["status"] == "error"
        assert plotted["ename"] == "dev.kiln.magics.core.UserError", plotted
        assert plotted["traceback"] == [plotted["evalue"]], plotted["traceback"]
        assert "'nope'" in plotted["evalue"]

        pushed = Cell(kc, "try (var repo = dev.kiln.magics.data.DataRepository.open(java.nio.file.Path.of(\"\"), System.getenv())) {"
                          " repo.push(java.util.List.of(), null, null); }").reply
        assert pushed["status"] == "error" and pushed["traceback"] == [pushed["evalue"]], pushed
        assert "'%data add PATH'" in pushed["evalue"] and "kiln data" not in pushed["evalue"], pushed["evalue"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_missing_symbol_names_no_blank_location(tmp_path):
    km, kc = kernel(project(tmp_path))
    try:
        missing = Cell(kc, "undefinedThing + 1").reply
        assert missing["ename"] == "CompileError"
        lines = [line.strip() for line in "\n".join(missing["traceback"]).splitlines()]
        assert "symbol:   variable undefinedThing" in lines, lines
        assert not [line for line in lines if line.startswith("location:")], lines
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
