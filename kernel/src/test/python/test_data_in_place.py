"""%data ls and %%sql's progress through jupyter_client, in a project DataInPlaceThroughJupyterTest made:
pems@v3 (stations.csv and readings.parquet) on a directory remote, in neither the workspace nor the cache."""
import json
import os
import re

import pytest
from jupyter_client.manager import start_new_kernel

from test_kernel_faults import execute

PROJECT = os.environ["KILN_PROJECT"]
CACHE = os.environ["KILN_CACHE_DIR"]
FILES = json.loads(os.environ["PEMS_FILES"])  # path -> {sha256, size, rows, columns}


@pytest.fixture(scope="module")
def kc():
    km, client = start_new_kernel(kernel_name="kiln", startup_timeout=120, cwd=PROJECT)
    yield client
    client.stop_channels()
    km.shutdown_kernel(now=True)


def table_rows(html):
    return [re.findall(r"<td>(.*?)</td>", r) for r in re.findall(r"<tr>(<td>.*?)</tr>", html)]


def cached_objects():
    objects = os.path.join(CACHE, "objects")
    return sorted(f for _, _, files in os.walk(objects) for f in files) if os.path.isdir(objects) else []


def bars(cell):
    """The progress bars a cell drew, by display id: the text each showed last (display_data, then updates)."""
    shown = {}
    for m in cell.messages:
        if m["msg_type"] in ("display_data", "update_display_data"):
            display_id = m["content"].get("transient", {}).get("display_id")
            if display_id and display_id.startswith("kiln-progress-"):
                shown[display_id] = m["content"]["data"]["text/plain"]
    return list(shown.values())


def test_data_ls_lists_files_sizes_hashes_rows_and_columns_without_pulling(kc):
    cell = execute(kc, "%data ls pems@v3")
    assert cell.reply["content"]["status"] == "ok", cell.reply["content"]
    result = cell.of_type("execute_result")[0]["content"]
    rows = table_rows(result["data"]["text/html"])
    assert [r[0] for r in rows] == ["readings.parquet", "stations.csv"], rows
    for path, size, sha, row_count, columns in rows:
        f = FILES[path]
        assert sha == f["sha256"][:12], (path, sha)
        assert int(row_count) == f["rows"], (path, row_count)
        assert [c.split(" ")[0] for c in columns.split(", ")] == f["columns"], (path, columns)
    provenance = result["metadata"]["kiln"]["data"]
    assert provenance["command"] == "data ls", provenance
    assert [d["dataset"] for d in provenance["datasets"]] == ["pems"], provenance
    lines = result["data"]["text/plain"].splitlines()
    assert lines[0].startswith("pems@"), lines
    assert [l.split()[0] for l in lines[1:]] == ["readings.parquet", "stations.csv"], lines
    assert cached_objects() == [], "ls pulled nothing"

    listed = json.loads(execute(kc, "%data ls pems@v3 --json").result())
    assert listed["dataset"] == "pems" and listed["subpath"] == "", listed
    assert {f["path"]: (f["sha256"], f["size"], f["rows"], [c["name"] for c in f["columns"]]) for f in listed["files"]} == {
        p: (f["sha256"], f["size"], f["rows"], f["columns"]) for p, f in FILES.items()}, listed

    one = json.loads(execute(kc, "%data ls pems@v3 stations.csv --json").result())
    assert [f["path"] for f in one["files"]] == ["stations.csv"], one
    assert [c["type"] for c in one["files"][0]["columns"]] == [None, None], one  # a CSV column has no type

    unknown = execute(kc, "%data ls pems@v3 nosuch.csv").error()
    assert "readings.parquet" in unknown["evalue"] and "stations.csv" in unknown["evalue"], unknown["evalue"]
    assert cached_objects() == []


def test_sql_shows_the_fetch_into_the_cache_and_a_long_query_as_progress_bars(kc):
    cell = execute(kc, "%%sql\nSELECT station, count(DISTINCT a) AS n, sum(a * id % 1000) AS s\n"
                       "FROM 'pems@v3/readings.parquet' GROUP BY station ORDER BY station")
    assert cell.reply["content"]["status"] == "ok", cell.reply["content"]
    result = cell.of_type("execute_result")[0]["content"]
    assert result["metadata"]["kiln"]["rows"] == 97, result["metadata"]["kiln"]
    drawn = bars(cell)
    fetch = [b for b in drawn if b.startswith("fetch pems")]
    assert len(fetch) == 1 and fetch[0].endswith("done"), drawn
    assert " 100% " in fetch[0], fetch
    query = [b for b in drawn if b.startswith("query")]
    assert len(query) == 1 and query[0].endswith("done"), drawn
    total = FILES["readings.parquet"]["rows"]
    assert len(cached_objects()) == 1, "the parquet file was fetched into the cache"

    again = execute(kc, "%%sql\nSELECT count(*) AS n FROM 'pems@v3/readings.parquet'")
    assert again.reply["content"]["status"] == "ok", again.reply["content"]
    assert [b for b in bars(again) if b.startswith("fetch")] == [], "the cached version is not fetched again"
    assert again.of_type("execute_result")[0]["content"]["metadata"]["kiln"]["rows"] == 1
    assert re.search(r"<td>%d</td>" % total, again.of_type("execute_result")[0]["content"]["data"]["text/html"])
