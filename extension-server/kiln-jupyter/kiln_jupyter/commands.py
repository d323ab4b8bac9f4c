"""``kiln export`` and ``kiln reproduce`` for Kiln's JupyterLab extension: POST <base url>/kiln/lab/run.

They read a saved notebook and write files beside it, in a process of their own (reproduce runs the
notebook again with a fresh kernel), so they run here, not in the notebook's kernel: in the
notebook's folder (its project), with Jupyter's login and XSRF check, one at a time per notebook.
"""

import asyncio
import json
import os
import shlex

import tornado.web

# How long a command may take before it is stopped (reproduce runs a whole notebook).
_TIMEOUT = {"export": 300, "reproduce": 3600}
_FORMATS = ("html", "ipynb", "md")


def kiln_command():
    """The Kiln CLI: the sidecar's command without its last word ("sidecar"), else ``kiln`` on PATH."""
    command = os.environ.get("KILN_SIDECAR_COMMAND", "")
    if command:
        argv = json.loads(command) if command.lstrip().startswith("[") else shlex.split(command)
        if argv and argv[-1] == "sidecar":
            return argv[:-1]
    return ["kiln"]


def _argv(command, notebook, fmt):
    name = os.path.basename(notebook)
    if command == "export":
        return ["export", name, "--to", fmt]
    return ["reproduce", name]


def _written(command, notebook, fmt):
    """What the command writes, server-relative (kiln's defaults: beside the notebook)."""
    stem = notebook[:-len(".ipynb")] if notebook.endswith(".ipynb") else notebook
    if command == "export":
        return stem + {"html": ".html", "md": ".md", "ipynb": ".export.ipynb"}[fmt]
    return stem + ".reproduce.html"


def handlers(base_url, api_base):
    running = set()

    class KilnRunHandler(api_base):
        @tornado.web.authenticated
        async def post(self):
            try:
                request = json.loads(self.request.body or b"{}")
            except ValueError:
                raise tornado.web.HTTPError(400, "send a JSON object: {\"command\", \"notebook\", \"format\"}")
            command = request.get("command")
            notebook = request.get("notebook")
            fmt = request.get("format") or "html"
            if command not in _TIMEOUT:
                raise tornado.web.HTTPError(400, "command must be export or reproduce, not %r" % (command,))
            if not isinstance(notebook, str) or not notebook.endswith(".ipynb") or "\x00" in notebook:
                raise tornado.web.HTTPError(400, "notebook must be the server path of a saved .ipynb")
            if fmt not in _FORMATS:
                raise tornado.web.HTTPError(400, "format must be html, ipynb or md, not %r" % (fmt,))
            root = os.path.realpath(self.settings.get("server_root_dir") or os.getcwd())
            path = os.path.realpath(os.path.join(root, notebook.lstrip("/")))
            if os.path.commonpath([root, path]) != root:
                raise tornado.web.HTTPError(403, "%s is outside the folder Jupyter serves" % notebook)
            if not os.path.isfile(path):
                raise tornado.web.HTTPError(404, "%s is not saved yet: save it, then try again" % notebook)
            if path in running:
                raise tornado.web.HTTPError(409, "kiln %s is already running on %s" % (command, notebook))
            running.add(path)
            try:
                code, text = await self._run(kiln_command() + _argv(command, path, fmt), os.path.dirname(path),
                                             _TIMEOUT[command])
            finally:
                running.discard(path)
            written = _written(command, notebook.lstrip("/"), fmt)
            output = written if os.path.isfile(os.path.join(root, written)) else None
            self.finish(json.dumps({"command": command, "exitCode": code, "text": text, "output": output}))

        async def _run(self, argv, cwd, timeout):
            try:
                process = await asyncio.create_subprocess_exec(
                    *argv, cwd=cwd, stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            except OSError as e:
                raise tornado.web.HTTPError(503, "could not run the Kiln CLI (%s): %s. Put 'kiln' on PATH or set "
                                                 "KILN_SIDECAR_COMMAND" % (argv[0], e))
            try:
                out, _ = await asyncio.wait_for(process.communicate(), timeout)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
                return 124, "stopped after %d s" % timeout
            return process.returncode, out.decode("utf-8", "replace")[-100_000:]

    return [(base_url + "/kiln/lab/run", KilnRunHandler)]
