"""What a landing page costs to render, brought down to one page render plus its tiles.

plone.app.blocks builds a Mosaic page in three steps, each more expensive than it needs to be:

1. ``layout_view`` runs every output filter of Plone (resolveuid, picture variants; BeautifulSoup
   parses) over the whole content layout on every request, although it only changes when the
   page or the site changes. :class:`ContentLayoutView` keeps the filtered layout for anonymous
   visitors (10 % of the page).
2. ``MergePanels`` fetches the site layout (``./@@page-site-layout``) with a subrequest: a second
   publish of the page with traversal, authentication and events, only to render the main
   template in the parent request (``DefaultSiteLayout.__call__`` does exactly that).
   :class:`SiteLayoutInRequest` renders the same view in the page's own request and hands its
   HTML to plone.app.blocks through the per-request cache that ``resolveResource`` reads first.
3. ``IncludeTiles`` renders each tile (ours directly, see rendering.py; Plone's own field tiles
   through a subrequest each). For anonymous visitors :func:`cached_tile` and :func:`keep_tile`
   keep every tile's HTML in Plone's RAM cache (plone.memoize).

Everything kept is keyed so that an edit shows at once: the catalog counter (any content change
of the site, including the page's own layout and tile settings, a new exam, a moved page), the
tile's URL with its settings, the page's URL and query string, the portal URL (virtual host),
the language, and the minute (an exam's 受付中 changes with the clock, not with the catalog).
Logged-in staff always get a fresh render, and nothing is kept in debug mode.
"""

from App.config import getConfiguration
from plone.app.blocks import layoutviews
from plone.app.blocks import utils as blocks_utils
from plone.app.blocks.utils import _get_request_cache
from plone.app.blocks.utils import TILE_RESOLVE_CACHE_KEY
from plone.memoize import ram
from plone.transformchain.interfaces import ITransform
from Products.CMFCore.utils import getToolByName
from repoze.xmliter.serializer import XMLSerializer
from urllib import parse
from zope.component import getMultiAdapter
from zope.component import queryMultiAdapter
from zope.globalrequest import getRequest
from zope.interface import implementer

import logging
import time


logger = logging.getLogger("kagoshima.saiyo.landing")

# The indirection views of plone.app.blocks that render the site layout for their context.
SITE_LAYOUT_VIEWS = ("@@page-site-layout", "@@default-site-layout")

# Marks the tiles of this request that are to be kept once plone.app.blocks resolved them.
_TO_KEEP = "kagoshima.saiyo.landing.keep"


def published_context(request):
    """The content item whose page is being rendered (the published view's context)."""
    published = request.get("PUBLISHED")
    return getattr(published, "context", published)


def visitor_key(request, *parts):
    """A cache key for what an anonymous visitor sees on this page now, or None (do not keep)."""
    if getConfiguration().debug_mode:
        return None
    context = published_context(request)
    if context is None or not hasattr(context, "getPhysicalPath"):
        return None
    portal_state = queryMultiAdapter((context, request), name="plone_portal_state")
    if portal_state is None or not portal_state.anonymous():
        return None
    catalog = getToolByName(context, "portal_catalog")
    return repr(
        (
            *parts,
            catalog.getCounter(),
            "/".join(context.getPhysicalPath()),
            request.get("QUERY_STRING", ""),
            portal_state.portal_url(),
            portal_state.language(),
            int(time.time() // 60),
        )
    )


class ContentLayoutView(layoutviews.ContentLayoutView):
    """``layout_view`` whose filtered content layout is kept for anonymous visitors."""

    def __call__(self):
        key = visitor_key(self.request, "layout", getattr(self.context, "_p_mtime", None))
        if key is None:
            return super().__call__()
        cache = ram.choose_cache(f"{__name__}.layout")
        html = cache.get(key)
        if html is None:
            html = super().__call__()
            cache[key] = html
        elif not self.request.response.getHeader("Content-Type"):
            self.request.response.setHeader("Content-Type", "text/html")
        return html


def _cache_key_of(href):
    """The key under which ``plone.app.blocks.utils.resolveResource`` looks a URL up, or None."""
    key = parse.unquote(href)
    return None if key.startswith("/") else key


def cached_tile(href, request) -> bool:
    """Put a kept tile's HTML where plone.app.blocks looks first; mark it to keep otherwise."""
    key = _cache_key_of(href)
    visitor = visitor_key(request, "tile", href) if key else None
    if visitor is None:
        return False
    html = ram.choose_cache(f"{__name__}.tile").get(visitor)
    if html is not None:
        _get_request_cache(request, TILE_RESOLVE_CACHE_KEY)[key] = html
        return True
    _get_request_cache(request, _TO_KEEP)[key] = visitor
    return False


def keep_tile(event) -> None:
    """Subscriber of IAfterTileRenderEvent: keep the HTML plone.app.blocks just resolved."""
    request = getRequest()
    if request is None:
        return
    key = _cache_key_of(event.tile_href)
    visitor = _get_request_cache(request, _TO_KEEP).pop(key, None) if key else None
    if visitor is None:
        return
    html = _get_request_cache(request, TILE_RESOLVE_CACHE_KEY).get(key)
    if html is not None:
        ram.choose_cache(f"{__name__}.tile")[visitor] = html


def site_layout_href(request, tree):
    """The site layout's URL exactly as ``plone.app.blocks.panel.merge`` will resolve it, or None."""
    href = blocks_utils.xpath1(blocks_utils.layoutXPath, tree)
    if href is None or request.form.get("ajax_load"):
        return None
    base = "" if request.getVirtualRoot() else request.getURL()
    return parse.urljoin(base, href), parse.urljoin(request.getURL(), href)


@implementer(ITransform)
class SiteLayoutInRequest:
    """Render the page's site layout in its own request, just before MergePanels (8100) asks for it."""

    order = 8090

    def __init__(self, published, request):
        self.published = published
        self.request = request

    def transformBytes(self, result, encoding):
        return None

    def transformUnicode(self, result, encoding):
        return None

    def transformIterable(self, result, encoding):
        request = self.request
        if not request.get("plone.app.blocks.enabled", False) or not isinstance(result, XMLSerializer):
            return None
        try:
            self.prepare(result.tree)
        except Exception:
            # plone.app.blocks then fetches it with its subrequest, as without this step.
            logger.exception("kagoshima.saiyo: could not render the site layout in the request")
        return None

    def prepare(self, tree) -> None:
        request = self.request
        hrefs = site_layout_href(request, tree)
        if hrefs is None:
            return
        href, absolute = hrefs
        key = _cache_key_of(href)
        path, _, name = parse.urlparse(absolute).path.rpartition("/")
        context = published_context(request)
        if key is None or name not in SITE_LAYOUT_VIEWS or context is None:
            return
        if parse.urlparse(context.absolute_url()).path.rstrip("/") != path.rstrip("/"):
            return
        cache = _get_request_cache(request, TILE_RESOLVE_CACHE_KEY)
        if key in cache:
            return
        view = getMultiAdapter((context, request), name=name[2:])
        html = view()
        if isinstance(html, bytes):
            html = html.decode("utf-8")
        cache[key] = html
