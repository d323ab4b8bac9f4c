"""%vars through jupyter_client, in a project VarsThroughJupyterTest made (weather.csv): a Tablesaw
table reads as its size, and every type by its simple name, however the cell declared it."""
import os

from jupyter_client.manager import start_new_kernel

from test_kernel_faults import execute

PROJECT = os.environ["KILN_PROJECT"]


def listed(text):
    """%vars's text as {name: (type, value)}, cut at the header's columns."""
    lines = text.splitlines()
    type_at, value_at = lines[0].index("Type"), lines[0].index("Value")
    return {l[:type_at].strip(): (l[type_at:value_at].strip(), l[value_at:]) for l in lines[1:]}


def test_vars_shows_a_table_by_its_size_and_each_type_by_its_simple_name():
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120, cwd=PROJECT)
    try:
        for code in ['var w = Table.read().csv("weather.csv");',
                     "%%sql -o top\nSELECT weather, sum(wind) AS wind FROM 'weather.csv' GROUP BY ALL ORDER BY wind DESC",
                     "java.util.Map<java.lang.String, java.util.List<Integer>> m = new java.util.TreeMap<>(Map.of(\"a\", List.of(1)));",
                     "java.util.Map.Entry<String, Integer> e = Map.entry(\"b\", 2);"]:
            cell = execute(kc, code)
            assert cell.reply["content"]["status"] == "ok", (code, cell.reply["content"])

        shown = listed(execute(kc, "%vars").result())

        assert shown == {
            "w": ("Table", "weather.csv: 5 rows × 3 columns"),
            "top": ("Table", "top: 3 rows × 2 columns"),
            "m": ("Map<String, List<Integer>>", "{a=[1]}"),
            "e": ("Map.Entry<String, Integer>", "b=2"),
        }, shown
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
