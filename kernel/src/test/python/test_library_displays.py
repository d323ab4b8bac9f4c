"""A library's own displays after %maven: LibraryDisplaysTest builds the jar and runs this."""
from jupyter_client.manager import start_new_kernel

from test_kernel_faults import execute


def data_of(cell):
    results = cell.of_type("execute_result")
    assert cell.reply["content"]["status"] == "ok" and len(results) == 1, (cell.reply["content"], cell.kinds())
    return results[0]["content"]["data"]


def test_a_librarys_own_displays_draw_its_types_after_maven():
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120)
    try:
        maven = execute(kc, "%maven demo:fancy:1.0")
        said = "".join(m["content"]["text"] for m in maven.of_type("stream"))
        assert "Jupyter extension installed: demo.FancyExtension" in said, said
        assert "Display for notebooks installed: demo.ShinyRenderer" in said, said

        fancy = data_of(execute(kc, 'new demo.Fancy("Ada")'))
        assert fancy["text/html"] == "<b class='fancy'>Ada</b>", fancy
        assert fancy["text/plain"] == "Fancy Ada", fancy

        shiny = data_of(execute(kc, "new demo.Shiny(3)"))
        assert shiny["text/markdown"] == "**shiny 3**", shiny

        # added again: installed once, said once
        again = execute(kc, "%maven demo:fancy:1.0")
        assert "installed" not in "".join(m["content"]["text"] for m in again.of_type("stream"))
        assert data_of(execute(kc, "42"))["text/plain"] == "42"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
