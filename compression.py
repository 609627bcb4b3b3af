"""Compressed responses: HTML, CSS and JavaScript go out gzipped to browsers that accept it (slow phone networks)."""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

COMPRESSIBLE = frozenset({"text/html", "text/css", "text/javascript", "application/javascript"})
# Below this, gzip's own header costs more than it saves.
MIN_SIZE = 500


def compress(response: Response) -> Response:
    """Gzip a successful HTML, CSS or JavaScript response when the browser accepts it; say it varies either way."""
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or "Content-Encoding" in response.headers
        or not request.accept_encodings.quality("gzip")
        or request.method == "HEAD"
    ):
        return response
    response.direct_passthrough = False  # static files arrive as a file wrapper
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        # A different body needs a different validator from the plain one.
        response.set_etag(etag + "-gzip", bool(weak))
    return response


def init_app(app: Flask) -> None:
    """Compress every eligible response the app sends."""
    app.after_request(compress)
