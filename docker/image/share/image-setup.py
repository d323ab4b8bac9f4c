"""Build-time steps of Kiln's image (run by docker/Dockerfile as root).

  image-setup.py classpath KERNEL_DIR KILN_HOME   list the kernel's class path jar by jar
  image-setup.py train KERNEL_DIR ARCHIVE         write a class-data-sharing archive from a short kernel workload
  image-setup.py jupyter                          Jupyter's token from a file; checks Kiln's extensions are installed
"""
import glob
import json
import os
import shutil
import sys
import tempfile
import time


def read_spec(kernel_dir):
    with open(os.path.join(kernel_dir, "kernel.json"), encoding="utf-8") as f:
        return json.load(f)


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def classpath(kernel_dir, home):
    """Kiln's jars, then each group's, every one named and sorted.

    The kernelspec from `kiln kernel install` says lib/*, which the JVM expands in directory order:
    that order differs between file systems, and a class-data-sharing archive is only used when the
    class path matches the one it was written with. Named jars keep it identical on every machine.
    """
    jars = sorted(glob.glob(os.path.join(home, "lib", "*.jar")))
    for group in sorted(glob.glob(os.path.join(home, "groups", "*"))):
        jars += sorted(glob.glob(os.path.join(group, "*.jar")))
    if not jars:
        sys.exit("no jars under %s/lib: the builder stage produced nothing" % home)
    spec = read_spec(kernel_dir)
    argv = spec["argv"]
    argv[argv.index("-cp") + 1] = os.pathsep.join(jars)
    write_json(os.path.join(kernel_dir, "kernel.json"), spec)
    print("kernel class path: %d jars" % len(jars))


# Cells that load what a first session loads: the compiler, display, magics, renderers.
TRAINING_CELLS = [
    "1 + 1",
    "String greeting = \"hello\";\ngreeting.toUpperCase()",
    "import java.util.stream.*;\nIntStream.range(0, 1000).map(i -> i * i).sum()",
    "var image = new java.awt.image.BufferedImage(120, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);\n"
    "var g = image.createGraphics();\ng.drawString(\"Kiln\", 10, 25);\ng.dispose();\ndisplay(image);",
    "System.out.println(java.util.List.of(1, 2, 3));",
    "int broken = \"not a number\";",
    "var table = tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.DoubleColumn.create(\"x\", 1.0, 2.5, 4.0));\ntable",
    "dev.kiln.magics.viz.Plot.histogram(table, \"x\")",
    "%help",
    "%env snapshot --no-store",
    "%data --help",
    "%parquet --help",
]


def train(kernel_dir, archive):
    """Runs the kernel once with -XX:ArchiveClassesAtExit; the kernelspec reads the archive later."""
    from jupyter_client.manager import KernelManager

    spec = read_spec(kernel_dir)
    # without the kernel's agent, which CDS will not archive with (the archive serves the kernel with it)
    argv = [a for a in spec["argv"] if not a.startswith(("-XX:SharedArchiveFile=", "-javaagent:"))]
    argv.insert(1, "-XX:ArchiveClassesAtExit=" + archive)
    spec["argv"] = argv
    tmp = tempfile.mkdtemp(prefix="kiln-train-")
    try:
        write_json(os.path.join(tmp, "share", "kernels", "kiln-train", "kernel.json"), spec)
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        os.environ["JUPYTER_PATH"] = os.path.join(tmp, "share")
        os.environ["HOME"] = tmp  # the workload's caches and .kiln/ go away with it
        km = KernelManager(kernel_name="kiln-train")
        km.shutdown_wait_time = 120  # writing the archive at exit takes a few seconds
        started = time.monotonic()
        km.start_kernel(cwd=work)
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=180)
        for cell in TRAINING_CELLS:
            client.execute_interactive(cell, timeout=180, output_hook=lambda msg: None)
        client.complete("Str", 3)
        client.get_shell_msg(timeout=60)
        client.stop_channels()
        km.shutdown_kernel(now=False)
        print("training workload: %.1f s" % (time.monotonic() - started))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not os.path.isfile(archive) or os.path.getsize(archive) == 0:
        sys.exit("the kernel wrote no class-data-sharing archive at " + archive)
    os.chmod(archive, 0o644)
    print("class-data-sharing archive: %s (%.1f MB)" % (archive, os.path.getsize(archive) / 1e6))


TOKEN_CONFIG = '''# Kiln image: the login token from the file JUPYTER_TOKEN_FILE names (a Docker secret), read here
# so that it is in no environment variable a kernel would inherit.
import os
_token_file = os.environ.get("JUPYTER_TOKEN_FILE")
if _token_file:
    with open(_token_file, encoding="utf-8") as _f:
        c.IdentityProvider.token = _f.read().strip()
'''


def jupyter():
    """The token from a file (Jupyter Server 2's IdentityProvider); Kiln's wheel in this Python, or the build stops."""
    write_text("/usr/local/etc/jupyter/jupyter_server_config.py", TOKEN_CONFIG)
    # the kiln-jupyter wheel: the server extension starts `kiln sidecar` with Jupyter and serves it
    # under <jupyter>/kiln/; its switch and the prebuilt Lab extension lie under this environment
    from importlib.metadata import version
    switch = os.path.join(sys.prefix, "etc", "jupyter", "jupyter_server_config.d", "kiln_jupyter.json")
    lab_extension = os.path.join(sys.prefix, "share", "jupyter", "labextensions", "kiln-jupyter", "package.json")
    for path in (switch, lab_extension):
        if not os.path.isfile(path):
            sys.exit("kiln-jupyter is not installed in %s: no %s" % (sys.prefix, path))
    with open(switch, encoding="utf-8") as f:
        enabled = json.load(f)["ServerApp"]["jpserver_extensions"].get("kiln_jupyter")
    if enabled is not True:
        sys.exit("%s does not enable kiln_jupyter" % switch)
    print("kiln_jupyter %s: server extension enabled, Lab extension kiln-jupyter installed (in %s)"
          % (version("kiln-jupyter"), sys.prefix))


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


if __name__ == "__main__":
    steps = {"classpath": classpath, "train": train, "jupyter": jupyter}
    if len(sys.argv) < 2 or sys.argv[1] not in steps:
        sys.exit(__doc__)
    steps[sys.argv[1]](*sys.argv[2:])
