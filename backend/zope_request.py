"""Request set-up shared by the scripts that run inside Zope outside a web request."""

from urllib.parse import urlsplit


def serve_at(site, url: str) -> None:
    """Make absolute_url() give addresses under ``url``, as the reverse proxy's virtual host does."""
    parts = urlsplit(url.rstrip("/"))
    request = site.REQUEST
    request.setServerURL(protocol=parts.scheme or "https", hostname=parts.hostname, port=parts.port)
    request.setVirtualRoot([part for part in parts.path.split("/") if part])
    request.other["VirtualRootPhysicalPath"] = site.getPhysicalPath()  # after: setVirtualRoot resets it


def site_id() -> str:
    """The id of the Plone site of this instance (recorded by the renderer; "Plone" otherwise)."""
    from App.config import getConfiguration
    from pathlib import Path

    import tomllib

    recorded = Path(getConfiguration().instancehome) / "etc" / "instance.toml"
    if recorded.is_file():
        return tomllib.loads(recorded.read_text(encoding="utf-8")).get("site_id", "Plone")
    return "Plone"


def open_site(app):
    """(site, request) for a script run by zconsole: a request, the site as local site, and the
    Zope administrator ``admin`` as the user. Exits with status 2 when the database has no site."""
    from AccessControl.SecurityManagement import newSecurityManager
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite
    from zope.globalrequest import setRequest

    import sys

    app = makerequest(app)
    setRequest(app.REQUEST)
    site = app.get(site_id())
    if site is None:
        print(f"error: no site {site_id()!r} in this database", file=sys.stderr)
        raise SystemExit(2)
    setSite(site)
    newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
    return site, app.REQUEST
