"""Shift-Tab (inspect_request) shows Javadoc: of a library added with %maven, read from its -sources
jar, and of the JDK, read from its src.zip. InspectShowsJavadocTest publishes the library and runs this."""
import os
import time

from jupyter_client.manager import start_new_kernel

from test_kernel_faults import execute

# the sources jar is read in the background after %maven: how long inspection may take to show it
SOURCES_DEADLINE = 60


def inspect(kc, code, cursor_pos):
    msg_id = kc.inspect(code, cursor_pos)
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            content = reply["content"]
            assert content["status"] == "ok", content
            return content["data"].get("text/plain", "") if content["found"] else ""


def test_inspect_shows_the_javadoc_of_a_maven_library_and_of_the_jdk():
    km, kc = start_new_kernel(kernel_name="kiln", startup_timeout=120)
    try:
        maven = execute(kc, "%maven demo:almanac:1.0")
        assert maven.reply["content"]["status"] == "ok", maven.reply["content"]

        call = 'demo.almanac.Almanac.greet("Ada", 3'
        deadline = time.monotonic() + SOURCES_DEADLINE
        doc = inspect(kc, call, len(call))
        while os.environ["KILN_EXPECTED_METHOD_DOC"] not in doc.splitlines() and time.monotonic() < deadline:
            time.sleep(0.2)
            doc = inspect(kc, call, len(call))
        lines = doc.splitlines()
        assert lines[0].endswith("Almanac.greet(String, int)"), doc
        assert lines[1] == os.environ["KILN_EXPECTED_METHOD_DOC"], doc

        field = "demo.almanac.Almanac.SALUTATION"
        assert inspect(kc, field, len(field)).splitlines()[1] == os.environ["KILN_EXPECTED_FIELD_DOC"]

        strip = '"  x ".strip('
        jdk = inspect(kc, strip, len(strip)).splitlines()
        assert jdk[0] == "String String.strip()", jdk
        assert jdk[1].startswith("Returns a string whose value is this string, with all leading"), jdk
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
