"""gzip for text responses (HTML, CSS, JavaScript, JSON, SVG, XML), as a PasteDeploy filter.

Barceloneta's stylesheet alone is 250 KB; compressed, the first view of the top page stays
far below 500 KB. Only compressible types are buffered and compressed; images, PDFs and other
files stream through untouched. A front proxy that compresses itself may take over: responses
that already carry a Content-Encoding are left alone.
"""

import gzip


COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/ld+json",
    "application/xml",
    "image/svg+xml",
)
MINIMUM_BYTES = 512


def make_filter(global_conf, level="6"):
    """``use = call:kagoshima.saiyo.wsgi.compress:make_filter``"""
    return lambda app: Compress(app, int(level))


def _header(headers, name):
    name = name.lower()
    return next((value for key, value in headers if key.lower() == name), None)


class Compress:
    def __init__(self, app, level: int = 6):
        self.app = app
        self.level = level

    def __call__(self, environ, start_response):
        if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", "") or environ.get("REQUEST_METHOD") == "HEAD":
            return self.app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            content_type = (_header(headers, "Content-Type") or "").lower()
            captured["compress"] = (
                content_type.startswith(COMPRESSIBLE)
                and not _header(headers, "Content-Encoding")
                and status[:3] not in ("206", "304")
            )
            if not captured["compress"]:
                return start_response(status, headers, exc_info)
            captured["status"], captured["headers"], captured["exc_info"] = status, headers, exc_info
            return captured.setdefault("parts", []).append

        body = self.app(environ, capture)
        if not captured.get("compress"):
            return body
        try:
            data = b"".join([*captured.get("parts", []), *body])
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        vary = _header(headers, "Vary")
        headers = [(k, v) for k, v in headers if k.lower() != "vary"]
        headers.append(("Vary", f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"))
        if len(data) >= MINIMUM_BYTES:
            data = gzip.compress(data, compresslevel=self.level, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(data))))
        start_response(captured["status"], headers, captured["exc_info"])
        return [data]
