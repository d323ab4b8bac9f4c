"""Kiln in Jupyter: the server extension that starts Kiln's sidecar and shows it under Jupyter's URL,
and (shipped as shared data of this package) Kiln's JupyterLab extension.

The sidecar's history pages appear at ``<jupyter base url>/kiln/`` and its JSON API at
``<jupyter base url>/kiln/api/``, both behind Jupyter's login; the extension adds the sidecar's
token to each forwarded request, so the browser never sees it. Kernels started by this Jupyter find
the sidecar through ``KILN_SIDECAR_FILE``, and learn which notebook they run for, renames included,
from a file beside their connection file (see sessions.py).

Installed with pip, it is enabled by ``etc/jupyter/jupyter_server_config.d/kiln_jupyter.json`` (Jupyter
Server 1.x and 2.x). The classic Notebook 6 enables it with
``{"NotebookApp": {"nbserver_extensions": {"kiln_jupyter": true}}}``.

Environment:
  KILN_SIDECAR_COMMAND  the command that runs the sidecar, as a JSON list or a shell line
                        (default: "kiln sidecar"); --port 0 and --info-file are added,
                        and KILN_SIDECAR_QUIET=1 keeps its announcement (URLs) off the terminal
  KILN_SIDECAR_FILE     where the sidecar writes its URL and token (default: Kiln's usual place)
  KILN_SIDECAR_URL and KILN_SIDECAR_TOKEN
                        use a sidecar that is already running (a team's) instead of starting one
"""

from .handlers import handlers
from .sessions import KernelNotebooks
from .sidecar import Sidecar


def _load(app, classic_notebook=False):
    sidecar = Sidecar(app.log)
    sidecar.start()
    app.web_app.settings["kiln_sidecar"] = sidecar
    app.web_app.add_handlers(".*$", handlers(app, classic_notebook))
    KernelNotebooks(app).install()
    base_url = app.web_app.settings.get("base_url", "/")
    app.log.info("Kiln: sidecar pages at %skiln/", base_url if base_url.endswith("/") else base_url + "/")


# Jupyter Server 1.x and 2.x
def _jupyter_server_extension_points():
    return [{"module": "kiln_jupyter"}]


def _load_jupyter_server_extension(server_app):
    _load(server_app)


# the classic Notebook (6.x)
def load_jupyter_server_extension(nb_app):
    _load(nb_app, classic_notebook=True)


# JupyterLab: the prebuilt extension in this package's labextension folder (for `jupyter labextension develop`)
def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "kiln-jupyter"}]
