"""%parquet convert through jupyter_client in a 'kiln' kernel whose temporary directory does not exist
(its kernelspec says so): with zstd's library named by the kernelspec the conversion succeeds;
without it zstd-jni has nowhere to unpack its library, and the cell is one error without Java
frames, after which the kernel carries on. ZstdLibraryInKernelTest runs it."""
import os

from jupyter_client.manager import start_new_kernel


def test_parquet_convert_with_zstd_without_a_temporary_directory():
    csv, out = os.environ["KILN_CSV"], os.environ["KILN_PARQUET"]
    converts = os.environ["KILN_EXPECT_CONVERTED"] == "1"
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120)
    try:
        reply = kc.execute_interactive(f"%parquet convert {csv} --to {out} --codec zstd", timeout=120)["content"]
        assert os.path.isfile(out) == converts, reply
        if converts:
            assert reply["status"] == "ok", reply
        else:
            assert reply["status"] == "error", reply
            assert reply["ename"] == "MagicError", reply
            traceback = reply["traceback"]
            assert len(traceback) == 1 and reply["evalue"] in traceback[0], "no Java frames for an environment's fault"
        after = kc.execute_interactive("6 * 7", timeout=60)["content"]
        assert after["status"] == "ok", after
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
