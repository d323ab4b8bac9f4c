"""Shift-Tab (inspect_request) shows Javadoc: of a library added with %maven, read from its -sources
jar, and of the JDK, read from its src.zip. InspectShowsJavadocTest publishes the library and runs this."""
import os
import time
from html.parser import HTMLParser

from jupyter_client.manager import start_new_kernel

from test_kernel_faults import execute

# the sources jar is read in the background after %maven: how long inspection may take to show it
SOURCES_DEADLINE = 60


def inspect(kc, code, cursor_pos):
    return inspect_data(kc, code, cursor_pos).get("text/plain", "")


def inspect_data(kc, code, cursor_pos):
    """The inspect_reply's mime bundle ({} when nothing was found)."""
    msg_id = kc.inspect(code, cursor_pos)
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            content = reply["content"]
            assert content["status"] == "ok", content
            return content["data"] if content["found"] else {}


class Elements(HTMLParser):
    """The elements of an HTML fragment in document order, each as (tag, its whole text, its parent's tag)."""

    def __init__(self, html):
        super().__init__()
        self.elements, self.open = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "p" and self.open and self.open[-1][0] == "p":
            self.handle_endtag("p")  # HTML's implied end of a paragraph
        element = [tag, "", self.open[-1][0] if self.open else None]
        self.elements.append(element)
        self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element[1] += data

    def texts(self, tag):
        return [text for t, text, _ in self.elements if t == tag]

    def definitions(self):
        """A <dl>'s entries as {heading: [entry text, ...]}."""
        out, heading = {}, None
        for tag, text, _ in self.elements:
            if tag == "dt":
                heading = text
                out[heading] = []
            elif tag == "dd":
                out[heading].append(text)
        return out


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

        # beside the text, HTML: the signature in <code>, the doc's paragraphs, its block tags as a list
        greet = "demo.almanac.Almanac.greet("
        data = inspect_data(kc, greet, len(greet))
        one = [d for d in data["text/plain"].split("\n\n") if "greet(String)" in d.splitlines()[0]]
        assert one and one[0].splitlines()[1] == os.environ["KILN_EXPECTED_GREET_DOC"], data["text/plain"]
        html = Elements(data["text/html"])
        signatures = [text for tag, text, parent in html.elements if tag == "code" and parent == "p"]
        assert signatures == [line for line in data["text/plain"].splitlines() if "Almanac.greet(" in line], data
        assert "Greets who politely." in html.texts("div"), data["text/html"]
        assert html.definitions() == {"Parameters:": ["who - the one greeted"], "Returns:": ["the greeting"]}, data
        assert "who" in [text for tag, text, parent in html.elements if tag == "code" and parent == "dd"], data

        jdk_html = Elements(inspect_data(kc, strip, len(strip))["text/html"])
        assert jdk_html.texts("code")[0] == "String String.strip()"
        paragraphs = jdk_html.texts("p")[1:]  # after the signature's
        assert len(paragraphs) >= 2 and paragraphs[0].strip().startswith("If this String object represents an empty"), paragraphs
        definitions = jdk_html.definitions()
        assert definitions["See Also:"] == ["Character.isWhitespace(int)"], definitions
        assert definitions["Since:"] == ["11"], definitions
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
