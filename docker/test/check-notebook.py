"""Asserts the outputs of docker/test/image-test.ipynb as executed inside Kiln's image.

  check-notebook.py EXECUTED.ipynb IMAGE REVISION VERSION

Cells are found by their tag (the first of metadata.tags); every cell must be there and have run.
Exit status 1 with every failed expectation listed.
"""
import base64
import json
import re
import struct
import sys

failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)
    return condition


def cells(nb):
    return {c["metadata"]["tags"][0]: c for c in nb["cells"] if c["cell_type"] == "code"}


def outputs(cell, kind=None):
    return [o for o in cell["outputs"] if kind is None or o["output_type"] == kind]


def text(cell):
    """Everything the cell printed or returned as text/plain."""
    parts = []
    for o in cell["outputs"]:
        if o["output_type"] == "stream":
            parts.append(o["text"] if isinstance(o["text"], str) else "".join(o["text"]))
        elif "data" in o and "text/plain" in o["data"]:
            t = o["data"]["text/plain"]
            parts.append(t if isinstance(t, str) else "".join(t))
    return "\n".join(parts)


def png_size(data):
    raw = base64.b64decode(data if isinstance(data, str) else "".join(data))
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", raw[16:24])


def main(path, image, revision, version):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    by_tag = cells(nb)
    for tag, cell in by_tag.items():
        for o in outputs(cell, "error"):
            failures.append("cell %s raised %s: %s" % (tag, o.get("ename"), o.get("evalue")))

    expect(text(by_tag["arith"]).strip() == "42", "arith: 20 + 22 should show 42, got %r" % text(by_tag["arith"]))

    env_text = text(by_tag["env"])
    start = env_text.find("{")
    try:
        snapshot = json.loads(env_text[start:]) if start >= 0 else None
    except ValueError as e:
        snapshot = None
        failures.append("env: %%env snapshot --json printed no JSON (%s): %r" % (e, env_text[:300]))
    if snapshot is not None:
        img = snapshot.get("environment", {}).get("image") or {}
        expect(img.get("name") == image, "env: snapshot image name %r, expected %r" % (img.get("name"), image))
        expect(img.get("revision") == revision, "env: snapshot image revision %r, expected %r" % (img.get("revision"), revision))
        expect(img.get("version") == version, "env: snapshot Kiln version %r, expected %r" % (img.get("version"), version))
        jvm = json.dumps(snapshot.get("environment", {}).get("jvm", {}))
        expect('"17' in jvm, "env: the kernel should run on Java 17, snapshot says %s" % jvm)
    stored = text(by_tag["env-store"])
    expect(".kiln/snapshots/" in stored, "env-store: %%env snapshot should store under .kiln/snapshots/, got %r" % stored[:300])

    pngs = [o["data"]["image/png"] for o in outputs(by_tag["image"]) if "image/png" in o.get("data", {})]
    if expect(len(pngs) == 1, "image: display(image) should show one image/png, got %d" % len(pngs)):
        expect(png_size(pngs[0]) == (240, 120), "image: PNG should be 240x120, got %r" % (png_size(pngs[0]),))
    expect(text(by_tag["image"]).strip().endswith("true"), "image: fonts should be available (fontconfig + DejaVu)")

    if "group" in by_tag:
        expect(re.fullmatch(r'"?10 /opt/kiln/groups/ml/ejml-simple-[\w.]+\.jar"?', text(by_tag["group"]).strip()),
               "group: EJML from /opt/kiln/groups/ml should give determinant 10, got %r" % text(by_tag["group"]))

    for tag in ("chart", "histogram"):
        charts = [o["data"]["image/png"] for o in outputs(by_tag[tag]) if "image/png" in o.get("data", {})]
        if expect(len(charts) == 1, "%s: the chart should show as one image/png, got %d" % (tag, len(charts))):
            size = png_size(charts[0])
            expect(size is not None and size[0] >= 200 and size[1] >= 100, "%s: not a chart-sized PNG: %r" % (tag, size))

    html = [o["data"]["text/html"] for o in outputs(by_tag["table"]) if "text/html" in o.get("data", {})]
    if expect(len(html) == 1, "table: a Tablesaw table should show as text/html, got %d" % len(html)):
        page = html[0] if isinstance(html[0], str) else "".join(html[0])
        for word in ("<table", "city", "temp", "Rome", "12.5"):
            expect(word in page, "table: the HTML should hold %r" % word)

    if "data-push" in by_tag:
        expect("climate" in text(by_tag["data-add"]), "data-add: should name the dataset climate: %r" % text(by_tag["data-add"])[:300])
        expect("climate" in text(by_tag["data-push"]), "data-push: should report climate: %r" % text(by_tag["data-push"])[:300])
        expect(text(by_tag["data-forget"]).strip().endswith("false"), "data-forget: data/climate should be gone")
        pulled = text(by_tag["data-pull"])
        expect("climate" in pulled and re.search(r"\b1 fetched", pulled),
               "data-pull: should fetch the one file back from the remote: %r" % pulled[:300])
        kiln_meta = [o["metadata"]["kiln"] for o in by_tag["data-push"]["outputs"] if "data" in o.get("metadata", {}).get("kiln", {})]
        expect(kiln_meta, "data-push: the output should carry metadata.kiln provenance")

    if "parquet-convert" in by_tag:
        converted = by_tag["parquet-convert"]
        expect("4 rows" in text(converted), "parquet-convert: should convert 4 rows: %r" % text(converted)[:300])
        # the command's result, not its progress bar (whose metadata.kiln only says it is volatile)
        meta = [o["metadata"]["kiln"] for o in converted["outputs"] if "command" in o.get("metadata", {}).get("kiln", {})]
        expect(meta and meta[0].get("command") == "parquet convert",
               "parquet-convert: the output should carry metadata.kiln provenance: %r" % meta)

    if "parquet-show" in by_tag:
        shown = text(by_tag["parquet-show"])
        for word in ("city", "month", "temp"):
            expect(word in shown, "parquet-show: should list column %s: %r" % (word, shown[:400]))
        expect("4" in shown, "parquet-show: should report 4 rows: %r" % shown[:400])

    if failures:
        print("notebook outputs: %d failed expectation(s)" % len(failures))
        for f in failures:
            print("  - " + f)
        return 1
    print("notebook outputs: all expectations met (%s)" % ", ".join(sorted(by_tag)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
