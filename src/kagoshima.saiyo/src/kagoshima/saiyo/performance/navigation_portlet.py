"""Plone's navigation portlet, its tree and HTML kept for anonymous visitors until the site changes.

The stock renderer queries the catalog and builds the tree twice per page (once when the
column asks whether the portlet is shown, ``available``, once to render it) and renders one
list item per node: about a tenth of a content page's uncached time (py-spy, issue 15).

For anonymous visitors both depend only on:

- the catalog (any change of the site: a page added, moved, retitled, published, hidden from
  navigation, or its permissions changed reindexes it and raises ``getCounter()``),
- the page the visitor is on (the current item and its parents are marked),
- the portlet assignment and its settings, and the column it is in,
- the navigation settings of the registry (the types shown, workflow filter, thumbnails),
- the navigation root's URL (links, virtual host) and the language,
- the minute (a page whose publishing date arrives appears without any change of the site;
  the same bound as the cache's ``saiyoClock`` ETag).

They are kept in Plone's RAM cache (plone.memoize) under exactly those. Logged-in users (who
see private pages by their own roles) get the stock behaviour.
"""

from plone.app.portlets.portlets.navigation import Renderer as StockRenderer
from plone.base.interfaces import INavigationSchema
from plone.base.interfaces import ISiteSchema
from plone.memoize import ram
from plone.registry.interfaces import IRegistry
from Products.CMFCore.utils import getToolByName
from zope.component import getMultiAdapter
from zope.component import getUtility

import time


# The site settings the portlet reads (not all of ISiteSchema: the logo is large).
_SITE_FIELDS = ("icon_visibility", "no_thumbs_portlet", "thumb_scale_portlet", "thumb_visibility")


def _settings(schema, names=None):
    registry = getUtility(IRegistry)
    proxy = registry.forInterface(schema, prefix="plone", check=False)
    return tuple((name, repr(getattr(proxy, name, None))) for name in sorted(names or schema.names()))


def _cachekey(method, self):
    portal_state = getMultiAdapter((self.context, self.request), name="plone_portal_state")
    if not portal_state.anonymous():
        raise ram.DontCache
    catalog = getToolByName(self.context, "portal_catalog")
    data = self.data
    return (
        method.__name__,
        catalog.getCounter(),
        "/".join(self.context.getPhysicalPath()),
        "/".join(data.getPhysicalPath())
        if hasattr(data, "getPhysicalPath")
        else getattr(data, "__name__", ""),
        tuple(sorted((name, repr(value)) for name, value in vars(data).items() if not name.startswith("_"))),
        getattr(self.manager, "__name__", ""),
        _settings(INavigationSchema),
        _settings(ISiteSchema, _SITE_FIELDS),
        portal_state.navigation_root_url(),
        portal_state.language(),
        int(time.time() // 60),
    )


class Renderer(StockRenderer):
    @property
    def available(self):
        return self._available()

    @ram.cache(_cachekey)
    def _available(self):
        return StockRenderer.available.fget(self)

    @ram.cache(_cachekey)
    def render(self):
        return StockRenderer.render(self)
