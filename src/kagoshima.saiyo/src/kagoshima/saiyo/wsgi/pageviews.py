"""The page-view collector as WSGI: answers ``POST …/@@pv`` before Zope is entered.

Its place in the pipeline: after ``httpexceptions``, before the access log (see the
package docstring).

Every request whose path ends in ``/@@pv`` (``/@@pv`` itself, or the rewritten
``/VirtualHostBase/https/<host>/Plone/VirtualHostRoot/@@pv`` behind the reverse proxy) is
answered here with an empty response; everything else passes on untouched. Beacons thus
never reach the Zope publisher, ZODB or the access log, and cost about as much as a static
file. ``make_app`` serves the same collector alone, for a dedicated collector process
that the reverse proxy may route ``/@@pv`` to (and for tests of several processes).

Options (both factories): ``directory`` — the store's folder, default
``$SAIYO_PAGEVIEWS_DIR`` or ``<clienthome>/pageviews`` (see ``analytics/store.py``).
"""

from kagoshima.saiyo.analytics.collector import Collector
from kagoshima.saiyo.analytics.collector import ENDPOINT
from kagoshima.saiyo.analytics.collector import STATUS_TEXT


SUFFIX = "/" + ENDPOINT


def make_filter(global_conf, directory=None):
    """PasteDeploy filter factory (``use = call:kagoshima.saiyo.wsgi.pageviews:make_filter``)."""
    return lambda app: PageViewMiddleware(app, directory)


def make_app(global_conf, directory=None):
    """PasteDeploy app factory: the collector alone (404 for every other path)."""
    return PageViewMiddleware(_not_found, directory)


def _not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
    return [b"Not Found"]


class PageViewMiddleware:
    def __init__(self, app, directory=None):
        self.app = app
        self.collector = Collector(directory or None)

    def __call__(self, environ, start_response):
        if not environ.get("PATH_INFO", "").endswith(SUFFIX):
            return self.app(environ, start_response)
        outcome = self.collector.handle_wsgi(environ)
        headers = [("Content-Length", "0"), ("Cache-Control", "no-store"), ("X-Pageview", outcome.note)]
        if outcome.status == 405:
            headers.append(("Allow", "POST"))
        start_response(STATUS_TEXT[outcome.status], headers)
        return [b""]
