"""The sidecar a Jupyter server uses: one it starts with itself, or a running one it is told about."""

import asyncio
import atexit
import ctypes
import json
import os
import pwd
import secrets
import shlex
import signal
import stat
import subprocess
import time


def _private(folder):
    """A folder of this user's alone (owner only), as XDG_RUNTIME_DIR must be; not /tmp, not one inherited through su."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and (st.st_mode & 0o077) == 0


def _info_file():
    """Where the sidecar announces itself: the same rule as the kernel's (SidecarEndpoint.infoFile)."""
    explicit = os.environ.get("KILN_SIDECAR_FILE")
    if explicit:
        return explicit
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime) and _private(runtime):
        return os.path.join(runtime, "kiln", "sidecar.json")
    data = os.environ.get("XDG_DATA_HOME")
    if not (data and os.path.isabs(data)):
        data = os.path.join(os.environ.get("HOME") or os.path.expanduser("~"), ".local", "share")
    folder = os.path.join(data, "kiln")
    existing = folder
    while not os.path.lexists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if os.lstat(existing).st_uid != os.getuid():  # another user's home, kept by sudo: never share theirs
        folder = os.path.join(pwd.getpwuid(os.getuid()).pw_dir, ".local", "share", "kiln")
    return os.path.join(folder, "sidecar.json")


def _die_with_parent():
    """Runs in the child before exec: the sidecar ends when this Jupyter ends, even on SIGKILL."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Sidecar:
    """The sidecar this Jupyter uses: one it started, or one named by KILN_SIDECAR_URL/TOKEN."""

    def __init__(self, log):
        self.log = log
        self.process = None
        self.url = os.environ.get("KILN_SIDECAR_URL")
        self.token = os.environ.get("KILN_SIDECAR_TOKEN")
        self.info_file = _info_file()
        self.failed = False

    def start(self):
        if self.url and self.token:
            self.log.info("Kiln: using the sidecar at %s", self.url)
            return
        command = os.environ.get("KILN_SIDECAR_COMMAND", "kiln sidecar")
        argv = json.loads(command) if command.lstrip().startswith("[") else shlex.split(command)
        argv = argv + ["--port", "0", "--info-file", self.info_file]
        self.token = secrets.token_hex(24)
        env = dict(os.environ)
        env["KILN_SIDECAR_TOKEN"] = self.token  # in the environment, not on the command line `ps` shows
        env["KILN_SIDECAR_FILE"] = self.info_file
        # no URL of its own printed: the user opens Lab's one URL, and the history pages from Lab (/kiln/)
        env["KILN_SIDECAR_QUIET"] = "1"
        try:
            self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        except OSError as e:
            self.log.error("Kiln: could not start the sidecar with %r: %s. Put 'kiln' on PATH or set "
                           "KILN_SIDECAR_COMMAND; Jupyter runs on without the Kiln history pages.", argv[0], e)
            self.failed = True
            return
        os.environ["KILN_SIDECAR_FILE"] = self.info_file  # kernels started from here inherit it
        self.log.info("Kiln: started the sidecar (pid %d); it announces itself in %s", self.process.pid, self.info_file)
        atexit.register(self.stop)

    async def endpoint(self, timeout=60.0):
        """The sidecar's URL once it listens; None when it is not coming."""
        if self.url:
            return self.url
        if self.failed:
            return None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                self.log.error("Kiln: the sidecar exited with status %s", self.process.returncode)
                return None
            try:
                with open(self.info_file, encoding="utf-8") as f:
                    info = json.load(f)
                if secrets.compare_digest(info.get("token", ""), self.token):
                    self.url = info["url"]
                    return self.url
            except (OSError, ValueError, KeyError):
                pass  # not written yet, or mid-replace
            await asyncio.sleep(0.1)
        return None

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
