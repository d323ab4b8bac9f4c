"""%%sql through jupyter_client, in a project SqlThroughJupyterTest made: a dataset version by name
(pems@v3, on a directory remote, fetched into the cache), a local CSV, -o, and DuckDB's errors."""
import os
import re

from jupyter_client.manager import start_new_kernel

from test_kernel_faults import execute

PROJECT = os.environ["KILN_PROJECT"]
VERSION = os.environ["PEMS_VERSION"]


def body_rows(html):
    return re.findall(r"<tr><th>\d+</th>(.*?)</tr>", html)


def cells(row_html):
    return re.findall(r"<td>(.*?)</td>", row_html)


def test_sql_cells():
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120, cwd=PROJECT)
    try:
        agg = execute(kc, "%%sql\nSELECT station, count(*) AS n, max(tmax) AS top\n"
                          "FROM 'pems@v3/stations.parquet' GROUP BY station ORDER BY station")
        assert agg.reply["content"]["status"] == "ok", agg.reply["content"]
        result = agg.of_type("execute_result")[0]["content"]
        rows = [cells(r) for r in body_rows(result["data"]["text/html"])]
        assert rows == [["S0", "1000", "1498.5"], ["S1", "1000", "1499.0"], ["S2", "1000", "1499.5"]], rows
        kiln = result["metadata"]["kiln"]
        assert kiln["data"]["command"] == "sql", kiln
        assert [(d["dataset"], d["version"], d["subpath"]) for d in kiln["data"]["datasets"]] == [
            ("pems", VERSION, "stations.parquet")], kiln
        assert (kiln["rows"], kiln["columns"]) == (3, 3), kiln
        assert result["data"]["text/plain"].splitlines()[2].split(" | ")[0].strip() == "S0"

        many = execute(kc, "%%sql\nSELECT i FROM range(1000) t(i)")
        shown = many.of_type("execute_result")[0]["content"]
        assert len(body_rows(shown["data"]["text/html"])) == 20
        assert shown["metadata"]["kiln"]["rows"] == 1000, shown["metadata"]["kiln"]

        kept = execute(kc, "%%sql -o t\nSELECT x, name FROM 'local.csv' WHERE x > 1 ORDER BY x")
        assert kept.reply["content"]["status"] == "ok", kept.reply["content"]
        assert execute(kc, "t.rowCount()").result() == "2"
        assert execute(kc, "t.column(\"x\").type().name()").result() == '"LONG"'  # DuckDB reads CSV integers as BIGINT
        assert execute(kc, "t.longColumn(\"x\").sum()").result() == "5.0"

        # the dataset reference before the mistake is rewritten: DuckDB's position must still be the user's
        query = "SELECT * FROM 'pems@v3/stations.parquet' WHER tmax > 1"
        wrong = execute(kc, "%%sql\n" + query).error()
        lines = wrong["evalue"].splitlines()
        near = re.search(r'at or near "([^"]+)"', wrong["evalue"]).group(1)
        line = next(l for l in lines if l.startswith("LINE 1: "))
        caret = lines[lines.index(line) + 1]
        assert near == "tmax" and caret.index("^") - len("LINE 1: ") == query.index(near), wrong["evalue"]
        assert line[len("LINE 1: "):] == query.replace("'pems@v3/stations.parquet'", '"pems@v3/stations.parquet"')
        assert not any("\tat " in t or "Exception" in t for t in wrong["traceback"]), wrong["traceback"]

        unknown = execute(kc, "%%sql\nSELECT * FROM 'pems@v3/nosuch.parquet'").error()
        assert "stations.parquet" in unknown["evalue"], unknown["evalue"]

        usage = execute(kc, "%%sql --help").result()
        assert "--output=NAME" in usage, usage
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
