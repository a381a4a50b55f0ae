"""WSGI glue for serving the Plone site at the root of a host without a front proxy.

In development (and in the buildout and test instances) nobody sits in front of Zope to
add the VirtualHostMonster path, so ``http://localhost:8080/`` would show Zope's root
instead of the site. This PasteDeploy filter rewrites each request path to
``/VirtualHostBase/<scheme>/<host>/<site_id>/VirtualHostRoot/<path>``, the same rewrite
the production reverse proxy does. Paths that already carry ``VirtualHostBase`` pass
untouched; ``/_zope/...`` reaches Zope's root (for the ZMI) under that prefix.
"""

ZOPE_ROOT_PREFIX = "/_zope"


def make_filter(global_conf, site_id="Plone"):
    """PasteDeploy filter factory (``use = call:kagoshima.saiyo.wsgi.site_at_root:make_filter``)."""
    return lambda app: SiteAtRoot(app, site_id)


class SiteAtRoot:
    def __init__(self, app, site_id):
        self.app = app
        self.site_id = site_id

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        if not path.startswith("/VirtualHostBase/"):
            scheme = environ.get("wsgi.url_scheme", "http")
            host = environ.get("HTTP_HOST") or "{}:{}".format(
                environ.get("SERVER_NAME", "localhost"), environ.get("SERVER_PORT", "80")
            )
            if not host.rpartition(":")[2].isdigit():
                host = "{}:{}".format(host, "443" if scheme == "https" else "80")
            if path == ZOPE_ROOT_PREFIX or path.startswith(ZOPE_ROOT_PREFIX + "/"):
                inner = path[len(ZOPE_ROOT_PREFIX) :]
                target = f"/VirtualHostRoot/_vh_{ZOPE_ROOT_PREFIX[1:]}"
            else:
                inner = path
                target = f"/{self.site_id}/VirtualHostRoot"
            environ["PATH_INFO"] = f"/VirtualHostBase/{scheme}/{host}{target}{inner}"
        return self.app(environ, start_response)
