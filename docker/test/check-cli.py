"""Inside the image: Kiln's CLI and a kernel's conversion process start as ./kiln starts them in a checkout.

  python3 check-cli.py

Asserts that the kernelspec names zstd-jni's library unpacked at build time, that /opt/kiln/cli.jsa
serves this JRE and the class path in /opt/kiln/cli.classpath, lib's jars sorted (-Xshare:on refuses
to start otherwise), and that
`kiln` loads Kiln's classes from it, that `kiln parquet convert` writes zstd with no temporary
directory (so it loads the named library instead of unpacking one), and that the kernel's
conversion process maps both the archive and that library.
"""
import json
import os
import subprocess
import sys
import tempfile

HOME = "/opt/kiln"
ARCHIVE = HOME + "/cli.jsa"
KERNEL_JSON = "/usr/local/share/jupyter/kernels/kiln/kernel.json"


def zstd_library_of_kernelspec():
    argv = json.load(open(KERNEL_JSON))["argv"]
    named = [a.split("=", 1)[1] for a in argv if a.startswith("-DZstdNativePath=")]
    assert named, "the kernelspec names no -DZstdNativePath: %s" % argv
    assert os.path.isfile(named[0]), "the kernelspec's -DZstdNativePath=%s is no file" % named[0]
    assert named[0].startswith(HOME + "/zstd-native/"), named[0]
    print("    kernelspec: -DZstdNativePath=%s" % named[0])
    return named[0]


def cli_archive_serves_this_jre():
    # the class path it serves names lib's jars, sorted: not the order this host's file system lists them in
    with open(HOME + "/cli.classpath") as f:
        classpath = f.read().strip()
    jars = sorted(os.path.join(HOME, "lib", n) for n in os.listdir(HOME + "/lib") if n.endswith(".jar"))
    assert classpath.split(":") == jars, "cli.classpath is not lib's jars, sorted: %s" % classpath[:300]
    out = subprocess.run(["java", "-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE, "-cp", classpath,
                          "dev.kiln.magics.cli.Main", "--version"], capture_output=True, text=True)
    assert out.returncode == 0, "-Xshare:on refused %s:\n%s%s" % (ARCHIVE, out.stdout[-2000:], out.stderr[-2000:])
    out = subprocess.run(["kiln", "--version"], capture_output=True, text=True,
                         env=dict(os.environ, KILN_JAVA_OPTS="-Xlog:class+load=info"))
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    shared = [l for l in out.stdout.splitlines() if "dev.kiln." in l and "shared objects file" in l]
    assert shared, "kiln loaded no Kiln class from %s" % ARCHIVE
    print("    kiln --version: %d Kiln classes from %s" % (len(shared), ARCHIVE))


def write_csv(path):
    with open(path, "w") as f:
        f.write("id,name,x\n")
        for i in range(2000):
            f.write("%d,n%d,%d.5\n" % (i, i % 7, i * 3))


def convert_without_temporary_directory(work):
    write_csv(os.path.join(work, "small.csv"))
    out = subprocess.run(["kiln", "parquet", "convert", "small.csv", "--to", "small.parquet", "--codec", "zstd"],
                         cwd=work, capture_output=True, text=True,
                         env=dict(os.environ, KILN_JAVA_OPTS="-Djava.io.tmpdir=/nonexistent"))
    assert out.returncode == 0, "kiln parquet convert with -Djava.io.tmpdir=/nonexistent:\n" + out.stdout[-2000:] + out.stderr[-2000:]
    with open(os.path.join(work, "small.parquet"), "rb") as f:
        data = f.read()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1", "small.parquet is no Parquet file"
    print("    kiln parquet convert --codec zstd with java.io.tmpdir=/nonexistent: %d bytes" % len(data))


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""  # a process that has ended


def children(parent):
    """The processes whose parent is parent (field 4 of /proc/PID/stat, after the command's parentheses)."""
    return [int(p) for p in os.listdir("/proc") if p.isdigit()
            and read("/proc/%s/stat" % p).rpartition(b")")[2].split()[1:2] == [str(parent).encode()]]


def conversion_process_maps(work, library):
    """The kernel's conversion process stays after its conversion: what it mapped shows in /proc."""
    from jupyter_client.manager import KernelManager
    km = KernelManager(kernel_name="kiln")
    km.start_kernel(cwd=work)
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        reply = client.execute_interactive("%parquet convert small.csv --to kernel.parquet", timeout=120,
                                           output_hook=lambda m: None)
        assert reply["content"]["status"] == "ok", reply["content"]
        workers = [pid for pid in children(km.provisioner.pid) if b"-Dkiln.process=parquet-convert" in read("/proc/%d/cmdline" % pid)]
        assert len(workers) == 1, "the kernel runs %d conversion processes" % len(workers)
        maps = read("/proc/%d/maps" % workers[0]).decode()
        assert ARCHIVE in maps, "the conversion process does not use %s" % ARCHIVE
        assert library in maps, "the conversion process did not load %s" % library
        print("    the kernel's conversion process maps %s and %s" % (ARCHIVE, library))
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    library = zstd_library_of_kernelspec()
    cli_archive_serves_this_jre()
    work = tempfile.mkdtemp(prefix="kiln-cli-", dir=os.path.expanduser("~"))  # outside the notebook's project
    convert_without_temporary_directory(work)
    conversion_process_maps(work, library)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        sys.exit("FAILED: %s" % e)
