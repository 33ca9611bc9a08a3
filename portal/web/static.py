"""Static files through WhiteNoise: the built stylesheet by its hashed name, cached for a year.

WhiteNoise wraps the WSGI app and answers `/static/…` before Flask sees the request. It
sends the `.br` or `.gz` file built beside a stylesheet (portal.web.cssbuild) to a browser
that accepts it, and marks a file whose name carries its content hash as immutable: a new
build has a new name, so a browser never needs to ask again. Other static files (the
favicon) may be cached for an hour only.
"""

from __future__ import annotations

import re

from flask import Flask
from whitenoise import WhiteNoise

from portal.paths import STATIC_FILES
from portal.web import cssbuild

# `/static/build/portal.0123456789ab.css` (and its .gz, .br).
HASHED = re.compile(r"/build/[\w-]+\.[0-9a-f]{12}\.\w+$")
ONE_HOUR = 3600
ENTRY = cssbuild.ENTRY
NOT_BUILT = "{name} is not built: run `python -m portal.web.cssbuild` (scripts/bootstrap.sh does)"


class StylesheetNotBuilt(RuntimeError):
    """The layout links a stylesheet that has not been built."""


def _immutable(_path: str, url: str) -> bool:
    """Whether a static URL names one version of a file for ever."""
    return HASHED.search(url) is not None


def _security_headers(headers, _path: str, _url: str) -> None:
    """The headers of portal.web.security that matter for a stylesheet or an icon."""
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"


def init_static(app: Flask) -> None:
    """Serve static files with WhiteNoise and give templates `asset_url(name)`."""
    development = app.config.get("PORTAL_ENV") == "development"
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(STATIC_FILES),
        prefix=app.static_url_path,
        max_age=ONE_HOUR,
        immutable_file_test=_immutable,
        add_headers_function=_security_headers,
        # WhiteNoise's default `Access-Control-Allow-Origin: *`: no other site needs these.
        allow_all_origins=False,
        # In development a rebuilt stylesheet is found without a restart.
        autorefresh=development,
    )
    manifest = {} if development else (cssbuild.read_manifest() or {})
    if app.config.get("PORTAL_ENV") == "production" and ENTRY not in manifest.get("files", {}):
        # Refuse to start rather than answer every page with an error.
        raise StylesheetNotBuilt(NOT_BUILT.format(name=ENTRY))

    @app.template_global()
    def asset_url(name: str) -> str:
        """The URL of a built file by its logical name (`portal.css`), hashed for caching."""
        files = (cssbuild.read_manifest() or {} if development else manifest).get("files", {})
        if name not in files:
            raise StylesheetNotBuilt(NOT_BUILT.format(name=name))
        return f"{app.static_url_path}/build/{files[name]}"
