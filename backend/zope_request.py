"""Request set-up shared by the scripts that run inside Zope outside a web request."""

from urllib.parse import urlsplit


def serve_at(site, url: str) -> None:
    """Make absolute_url() give addresses under ``url``, as the reverse proxy's virtual host does."""
    parts = urlsplit(url.rstrip("/"))
    request = site.REQUEST
    request.setServerURL(protocol=parts.scheme or "https", hostname=parts.hostname, port=parts.port)
    request.setVirtualRoot([part for part in parts.path.split("/") if part])
    request.other["VirtualRootPhysicalPath"] = site.getPhysicalPath()  # after: setVirtualRoot resets it
