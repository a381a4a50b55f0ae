"""plone.app.event's events portlet, its rendered HTML kept until an upcoming event or the site changes.

The stock renderer caches the catalog query (``events``) but renders the list on every page:
for each event the ``formatted_date`` content provider localises both dates through
``ulocalized_time`` and a page template, about a tenth of a content page's time. The HTML only
depends on the events shown (plone.app.event's own cache key: their UIDs and modification
dates), the catalog (any change of the site, e.g. a moved event), the assignment's settings,
the navigation root's URL (links, virtual host), the language and whether the visitor is
logged in; it is kept in Plone's RAM cache (plone.memoize) under exactly those.

plone.app.event's key is itself a catalog query (the next upcoming events), made again each
time the portlet is asked whether it is shown (by the column, twice) and for its HTML: three or
four queries per page. For anonymous visitors, in production mode, whether it is shown and its
HTML are kept under the catalog counter and the minute instead of that query (an event that
starts or ends changes what is upcoming without any change of the site: the same bound as the
navigation portlet and the cache's ``saiyoClock`` ETag), with the assignment's settings, the
navigation root's URL and the language.
"""

from App.config import getConfiguration
from kagoshima.saiyo.browser.event_dates import EventsPortletDates
from plone.app.event.portlets.portlet_events import _render_events_cachekey
from plone.app.event.portlets.portlet_events import Renderer as StockRenderer
from plone.memoize import ram
from plone.memoize.compress import xhtml_compress
from Products.CMFCore.utils import getToolByName
from zope.component import getMultiAdapter

import time


def _render_cachekey(method, self):
    portal_state = getMultiAdapter((self.context, self.request), name="plone_portal_state")
    catalog = getToolByName(self.context, "portal_catalog")
    data = self.data
    return (
        _render_events_cachekey(method, self),
        catalog.getCounter(),
        "/".join(data.getPhysicalPath())
        if hasattr(data, "getPhysicalPath")
        else getattr(data, "__name__", ""),
        getattr(data, "_p_mtime", None),
        tuple(sorted((name, repr(value)) for name, value in vars(data).items() if not name.startswith("_"))),
        getattr(self.manager, "__name__", ""),
        portal_state.navigation_root_url(),
        portal_state.language(),
        portal_state.anonymous(),
    )


def _visitor(renderer) -> bool:
    if getConfiguration().debug_mode:
        return False
    return getMultiAdapter((renderer.context, renderer.request), name="plone_portal_state").anonymous()


def _visitor_cachekey(method, self):
    portal_state = getMultiAdapter((self.context, self.request), name="plone_portal_state")
    catalog = getToolByName(self.context, "portal_catalog")
    data = self.data
    return (
        method.__name__,
        catalog.getCounter(),
        int(time.time() // 60),
        "/".join(data.getPhysicalPath())
        if hasattr(data, "getPhysicalPath")
        else getattr(data, "__name__", ""),
        getattr(data, "_p_mtime", None),
        tuple(sorted((name, repr(value)) for name, value in vars(data).items() if not name.startswith("_"))),
        getattr(self.manager, "__name__", ""),
        repr(self.request.get("contentFilter", {})),
        portal_state.navigation_root_url(),
        portal_state.language(),
    )


class Renderer(EventsPortletDates, StockRenderer):
    """EventsPortletDates (browser/event_dates.py): the template without 「(Asia/Tokyo)」."""

    @property
    def available(self):
        if _visitor(self):
            return self._visitor_available()
        return StockRenderer.available.fget(self)

    @ram.cache(_visitor_cachekey)
    def _visitor_available(self):
        return bool(StockRenderer.available.fget(self))

    def render(self):
        if _visitor(self):
            return self._visitor_render()
        return self._render()

    @ram.cache(_visitor_cachekey)
    def _visitor_render(self):
        return xhtml_compress(self._template())

    @ram.cache(_render_cachekey)
    def _render(self):
        return xhtml_compress(self._template())
