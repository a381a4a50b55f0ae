"""Landing pages leave the proxy cache as soon as the content of one of their tiles changes.

A landing page (a page whose Mosaic layout holds a tile of this site) carries the marker
``ILandingPage`` (set when it is saved). When an exam notice, interview, event or FAQ is
added, edited, published or removed, plone.app.caching asks every ``IPurgePaths`` adapter
of that item for the URLs to purge; the one here adds the URLs of every landing page, so a
new 土木 exam shows on 技術職特集 at once and not only after the cache's lifetime.
"""

from Acquisition import aq_base
from plone import api
from plone.app.caching.purge import ContentPurgePaths
from z3c.caching.interfaces import IPurgePaths
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import noLongerProvides


TILE_MARK = "@@kagoshima.saiyo."


class ILandingPage(Interface):
    """A page whose layout shows tiles with the site's live data."""


def has_site_tiles(obj) -> bool:
    layout = getattr(aq_base(obj), "customContentLayout", None) or ""
    return TILE_MARK in str(layout)


def mark_landing_page(obj, event=None) -> None:
    """Subscriber (ILayoutBehaviorAdaptable; added / modified): keep the marker in step with the layout."""
    wanted = has_site_tiles(obj)
    if wanted == ILandingPage.providedBy(obj):
        return
    if wanted:
        alsoProvides(obj, ILandingPage)
    else:
        noLongerProvides(obj, ILandingPage)
    obj.reindexObject(idxs=["object_provides"])


def landing_pages():
    catalog = api.portal.get_tool("portal_catalog")
    return [
        brain._unrestrictedGetObject()
        for brain in catalog.unrestrictedSearchResults(object_provides=ILandingPage.__identifier__)
    ]


@implementer(IPurgePaths)
class LandingPagePurgePaths:
    """Adapter (named) of the content types shown in tiles: the landing pages' paths."""

    def __init__(self, context):
        self.context = context

    def getRelativePaths(self):
        paths = []
        for page in landing_pages():
            for path in ContentPurgePaths(page).getRelativePaths():
                if path not in paths:
                    paths.append(path)
        return paths

    def getAbsolutePaths(self):
        return []
