"""The sidecar under Jupyter's URL: /kiln/ (pages) and /kiln/api/ (JSON), behind Jupyter's login.

Jupyter's own handler classes decide who gets through: without the server's login a page redirects
to the login page and the API answers 403; a write (POST, PUT, PATCH, DELETE) from a browser session
also needs Jupyter's XSRF token. What passes is forwarded with the sidecar's token, which the browser
never sees.
"""

from urllib.parse import parse_qsl, urlencode

import tornado.web
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

# Headers worth passing back to the browser; everything else is the sidecar's business.
_PASS_BACK = ("Content-Type", "Cache-Control", "Location", "Content-Disposition",
              "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def _jupyter_bases(classic_notebook):
    """Jupyter's own request handler classes (pages, API), so its login, XSRF check and settings apply."""
    if classic_notebook:
        from notebook.base.handlers import APIHandler, IPythonHandler
        return IPythonHandler, APIHandler
    from jupyter_server.base.handlers import APIHandler, JupyterHandler
    return JupyterHandler, APIHandler


def _forwarding(base):
    class KilnForwardingHandler(base):
        """Forwards <base url>/kiln/<path> to the sidecar's /<path>, after Jupyter's login."""

        @tornado.web.authenticated
        async def get(self, path):
            await self._forward(path)

        @tornado.web.authenticated
        async def post(self, path):
            await self._forward(path)

        @tornado.web.authenticated
        async def put(self, path):
            await self._forward(path)

        @tornado.web.authenticated
        async def patch(self, path):
            await self._forward(path)

        @tornado.web.authenticated
        async def delete(self, path):
            await self._forward(path)

        def sidecar_path(self, path):
            return path

        async def _forward(self, path):
            sidecar = self.settings["kiln_sidecar"]
            url = await sidecar.endpoint()
            if url is None:
                raise tornado.web.HTTPError(503, "The Kiln sidecar is not running; see Jupyter's log")
            # Jupyter's own token and XSRF field may be in the query: they are Jupyter's, not the sidecar's
            query = urlencode([(k, v) for k, v in parse_qsl(self.request.query, keep_blank_values=True)
                               if k not in ("token", "_xsrf")])
            target = url.rstrip("/") + "/" + self.sidecar_path(path) + ("?" + query if query else "")
            prefix = self.settings.get("base_url", "/").rstrip("/") + "/kiln"
            headers = {"Authorization": "Bearer " + sidecar.token,
                       "X-Forwarded-Prefix": prefix,
                       "Accept": self.request.headers.get("Accept", "*/*")}
            body = None
            if self.request.method != "GET":
                body = self.request.body
                headers["Content-Type"] = self.request.headers.get("Content-Type", "application/octet-stream")
            request = HTTPRequest(target, method=self.request.method, headers=headers, body=body,
                                  allow_nonstandard_methods=True, follow_redirects=False, request_timeout=60)
            try:
                response = await AsyncHTTPClient().fetch(request, raise_error=False)
            except OSError:  # refused or reset: raise_error=False covers HTTP statuses only
                raise tornado.web.HTTPError(502, "The Kiln sidecar did not answer")
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

    return KilnForwardingHandler


def handlers(app, classic_notebook):
    """Tornado routes for <base url>/kiln/api/... and <base url>/kiln/..., the API first."""
    page_base, api_base = _jupyter_bases(classic_notebook)

    class KilnApiHandler(_forwarding(api_base)):
        def sidecar_path(self, path):
            return "api/" + path

    base_url = app.web_app.settings.get("base_url", "/").rstrip("/")
    from .commands import handlers as command_handlers
    return command_handlers(base_url, api_base) + [(base_url + "/kiln/api/(.*)", KilnApiHandler),
                                                   (base_url + "/kiln/(.*)", _forwarding(page_base))]
