"""Magics through jupyter_client against the installed 'kiln' kernel: a magic the kernel does not
have is one error, however it is asked for, and the kernel carries on. JupyterClientsTest runs it."""
from jupyter_client.manager import start_new_kernel


def run(kc, code, outputs=None):
    """Runs a cell; returns its execute_reply's content, and adds its iopub messages to outputs."""
    hook = outputs.append if outputs is not None else (lambda m: None)
    return kc.execute_interactive(code, timeout=120, output_hook=hook)["content"]


def test_an_unknown_magic_is_one_error_however_it_is_asked_for():
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120)
    try:
        line = run(kc, "%nosuch --flag")
        helped = run(kc, "%help nosuch")
        cell = run(kc, "%%nosuch\n1 + 1")
        for reply in (line, helped, cell):
            assert reply["status"] == "error", reply
        assert [r["ename"] for r in (line, helped, cell)] == ["UnknownMagic"] * 3
        assert helped["evalue"] == line["evalue"], (helped, line)
        assert line["traceback"] == [line["evalue"]], "no Java frames for a mistyped name"

        outputs = []
        after = run(kc, "6 * 7", outputs)
        assert after["status"] == "ok", after
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        assert results == ["42"], outputs
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
