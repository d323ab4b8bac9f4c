"""Kiln's Jupyter server extension: starts the Kiln sidecar and shows it under Jupyter's own URL.

The sidecar's history pages and read-only API appear at ``<jupyter base url>/kiln/...`` behind
Jupyter's login; the extension adds the sidecar's token to each forwarded request, so the browser
never sees it. Kernels started by this Jupyter find the sidecar through ``KILN_SIDECAR_FILE``.

Enable it (the folder holding this package must be on ``PYTHONPATH``):
  Notebook 6:        {"NotebookApp": {"nbserver_extensions": {"kiln_jupyter": true}}}
                     in jupyter_notebook_config.json
  Jupyter Server 1/2: {"ServerApp": {"jpserver_extensions": {"kiln_jupyter": true}}}
                     in jupyter_server_config.json

Environment:
  KILN_SIDECAR_COMMAND  the command that runs the sidecar, as a JSON list or a shell line
                        (default: "kiln sidecar"); --port 0 and --info-file are added
  KILN_SIDECAR_FILE     where the sidecar writes its URL and token (default: Kiln's usual place)
  KILN_SIDECAR_URL and KILN_SIDECAR_TOKEN
                        use a sidecar that is already running (a team's) instead of starting one
"""

import asyncio
import ctypes
import json
import os
import secrets
import shlex
import signal
import subprocess
import time
import atexit
from urllib.parse import parse_qsl, urlencode

import tornado.web
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

# Headers worth passing back to the browser; everything else is the sidecar's business.
_PASS_BACK = ("Content-Type", "Cache-Control", "Location", "Content-Disposition",
              "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def _info_file():
    explicit = os.environ.get("KILN_SIDECAR_FILE")
    if explicit:
        return explicit
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return os.path.join(runtime, "kiln", "sidecar.json")
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(data, "kiln", "sidecar.json")


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


def _handler_base(app):
    """Jupyter's own request handler class, so its login and settings apply."""
    if type(app).__module__.startswith("notebook"):
        from notebook.base.handlers import IPythonHandler
        return IPythonHandler
    from jupyter_server.base.handlers import JupyterHandler
    return JupyterHandler


def _proxy_handler(base):
    class KilnProxyHandler(base):
        """Forwards GET /kiln/<path> to the sidecar with its token, after Jupyter's login."""

        @tornado.web.authenticated
        async def get(self, path):
            sidecar = self.settings["kiln_sidecar"]
            url = await sidecar.endpoint()
            if url is None:
                raise tornado.web.HTTPError(503, "The Kiln sidecar is not running; see Jupyter's log")
            # Jupyter's own token may be in the query: it is Jupyter's, not the sidecar's
            query = urlencode([(k, v) for k, v in parse_qsl(self.request.query, keep_blank_values=True) if k != "token"])
            target = url.rstrip("/") + "/" + path + ("?" + query if query else "")
            prefix = self.settings.get("base_url", "/").rstrip("/") + "/kiln"
            request = HTTPRequest(target, method="GET", follow_redirects=False, request_timeout=60,
                                  headers={"Authorization": "Bearer " + sidecar.token,
                                           "X-Forwarded-Prefix": prefix,
                                           "Accept": self.request.headers.get("Accept", "*/*")})
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
            if response.code == 599:
                raise tornado.web.HTTPError(502, "The Kiln sidecar did not answer")
            self.set_status(response.code)
            for name in _PASS_BACK:
                if name in response.headers:
                    value = response.headers[name]
                    if name == "Location" and value.startswith("/"):
                        value = prefix + value
                    self.set_header(name, value)
            self.finish(response.body or b"")

    return KilnProxyHandler


def _load(app):
    sidecar = Sidecar(app.log)
    sidecar.start()
    web_app = app.web_app
    web_app.settings["kiln_sidecar"] = sidecar
    base_url = web_app.settings.get("base_url", "/")
    pattern = base_url.rstrip("/") + "/kiln/(.*)"
    web_app.add_handlers(".*$", [(pattern, _proxy_handler(_handler_base(app)))])
    app.log.info("Kiln: sidecar pages at %skiln/", base_url if base_url.endswith("/") else base_url + "/")


# Notebook 6
def load_jupyter_server_extension(nb_app):
    _load(nb_app)


# Jupyter Server 1.x and 2.x
def _jupyter_server_extension_points():
    return [{"module": "kiln_jupyter"}]


def _load_jupyter_server_extension(server_app):
    _load(server_app)
