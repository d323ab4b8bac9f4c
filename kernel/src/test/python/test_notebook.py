"""A notebook executed end to end by nbclient on the Kiln kernel: state, interrupt, %maven, streams."""
import os

import nbformat
from nbclient import NotebookClient


def code(source, *tags):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


def outputs_of(cell, output_type):
    return [o for o in cell.outputs if o.output_type == output_type]


def test_notebook_runs_end_to_end_with_an_interrupt_and_a_maven_library(tmp_path):
    data = tmp_path / "data" / "raw" / "x"
    data.mkdir(parents=True)
    (data / "a.csv").write_text("k,v\n1,2\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "kiln", "display_name": "Java 17 (Kiln)", "language": "java"}
    nb.cells = [
        code("int x = 20;\nx + 1"),
        code("long spins = 0;\nwhile (true) { spins++; }", "busy", "raises-exception"),
        code("x * 2"),
        code("%maven demo:greeter:1.0"),
        code('demo.Greeter.greet("Kiln")'),
        code('System.out.println("a");\nSystem.err.println("b");\nSystem.out.println("c");'),
        code("%help maven"),
        code("%classpath " + os.path.join(os.environ["KILN_MAVEN_LOCAL"], "demo", "greeter", "1.0", "greeter-1.0.jar")),
        code("%classpath"),
        code('%data add data/raw/x -m "first"'),
    ]
    client = NotebookClient(
        nb,
        kernel_name="kiln",
        timeout_func=lambda cell: 5 if "busy" in cell.metadata.get("tags", []) else 300,
        interrupt_on_timeout=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()

    first, busy, after, maven, greet, streams, helped, added, listed, versioned = nb.cells
    assert outputs_of(first, "execute_result")[0].data["text/plain"] == "21"

    errors = outputs_of(busy, "error")
    assert len(errors) == 1 and errors[0].ename == "Interrupted", busy.outputs

    assert outputs_of(after, "execute_result")[0].data["text/plain"] == "40", "state survives the interrupt"

    assert "demo:greeter:1.0" in outputs_of(maven, "execute_result")[0].data["text/plain"]
    assert outputs_of(greet, "execute_result")[0].data["text/plain"] == '"Hello, Kiln"'

    texts = [(o.name, o.text) for o in outputs_of(streams, "stream")]
    assert "".join(t for _, t in texts) == "a\nb\nc\n"
    assert [n for n, _ in texts] == ["stdout", "stderr", "stdout"]

    assert "Usage: %maven " in outputs_of(helped, "execute_result")[0].data["text/plain"]

    assert "Added 1 entry to the class path" in outputs_of(added, "execute_result")[0].data["text/plain"]
    assert "greeter-1.0.jar" in outputs_of(listed, "execute_result")[0].data["text/plain"]

    # the magic's progress bar is a display updated in place (update_display_data) until done
    bars = [o for o in outputs_of(versioned, "display_data") if o.data["text/plain"].startswith("add x")]
    assert len(bars) == 1 and bars[0].data["text/plain"].endswith("done"), versioned.outputs
    assert "<progress" in bars[0].data["text/html"]
    result = outputs_of(versioned, "execute_result")[0]
    assert result.data["text/plain"].startswith("Added x@"), result.data
    assert result.metadata["kiln"]["data"]["datasets"][0]["dataset"] == "x", "the output carries its provenance"

    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)
    assert nbformat.read(path, as_version=4).cells[4].outputs[0].data["text/plain"] == '"Hello, Kiln"'
