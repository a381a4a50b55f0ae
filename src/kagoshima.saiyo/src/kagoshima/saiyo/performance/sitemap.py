"""Plone's sitemap (``@@sitemap``): the tree's HTML kept for anonymous visitors until the site changes.

The stock view queries the catalog for the whole site down to ``sitemap_depth``, builds the tree
and renders a page template per item, on every request (the slowest visitor page after the
search results, issue 15). For anonymous visitors the tree's HTML depends only on the catalog
(any page added, moved, retitled, published or hidden raises its counter), the page it is shown
on (the current item is marked), the navigation settings of the registry (types, depth, workflow
filter …), the site's URL as asked, the language and the minute (a page whose publishing date
arrives appears without any change of the site). It is kept in Plone's RAM cache under those;
staff and Zope's debug mode get the stock behaviour.
"""

from App.config import getConfiguration
from plone.base.interfaces import INavigationSchema
from plone.memoize import ram
from plone.registry.interfaces import IRegistry
from Products.CMFCore.utils import getToolByName
from Products.CMFPlone import browser as plone_browser
from Products.CMFPlone.browser.sitemap import SitemapView as StockSitemapView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter
from zope.component import getUtility

import os
import time


def _visitor(view) -> bool:
    if getConfiguration().debug_mode:
        return False
    return getMultiAdapter((view.context, view.request), name="plone_portal_state").anonymous()


def _cachekey(method, self):
    portal_state = getMultiAdapter((self.context, self.request), name="plone_portal_state")
    registry = getUtility(IRegistry)
    settings = registry.forInterface(INavigationSchema, prefix="plone", check=False)
    return (
        getToolByName(self.context, "portal_catalog").getCounter(),
        int(time.time() // 60),
        "/".join(self.context.getPhysicalPath()),
        portal_state.portal_url(),
        portal_state.navigation_root_url(),
        portal_state.language(),
        tuple((name, repr(getattr(settings, name, None))) for name in sorted(INavigationSchema.names())),
        tuple(
            (name, repr(registry.get(name)))
            for name in ("plone.parent_types_not_to_query", "plone.types_use_view_action_in_listings")
        ),
    )


class SitemapView(StockSitemapView):
    index = ViewPageTemplateFile("templates/sitemap.pt", _prefix=os.path.dirname(plone_browser.__file__))

    def __call__(self):
        return self.index()

    def createSiteMap(self):
        if _visitor(self):
            return self._visitor_sitemap()
        return super().createSiteMap()

    @ram.cache(_cachekey)
    def _visitor_sitemap(self):
        return super().createSiteMap()
