"""Render this site's tiles inside the page's own request instead of one subrequest each.

plone.app.blocks resolves every ``data-tile`` URL of a layout with a subrequest (a full
publish: traversal, security, transforms) but first looks in a per-request cache keyed by
the tile's URL (``plone.app.blocks.utils.resolveResource``). Just before it resolves a tile
it sends ``BeforeTileRenderEvent``; for a tile of ours on the page being shown, this
subscriber renders the tile directly (same context, same request, its settings decoded from
the URL exactly as plone.tiles decodes them) and puts the HTML in that cache. Other tiles
(rich text, images, listings of plone.app.standardtiles) take Plone's usual path.
"""

from AccessControl.security import checkPermission
from kagoshima.saiyo.landing import cost
from kagoshima.saiyo.landing.cost import published_context
from plone.app.blocks.utils import _get_request_cache
from plone.app.blocks.utils import TILE_RESOLVE_CACHE_KEY
from plone.tiles.data import decode
from plone.tiles.interfaces import ITileType
from urllib import parse
from zope.component import queryMultiAdapter
from zope.component import queryUtility
from zope.globalrequest import getRequest

import logging


logger = logging.getLogger("kagoshima.saiyo.landing")

PREFIX = "kagoshima.saiyo."


def form_of(query: str) -> dict:
    """A query string as Zope would put it in request.form (``name:list``, ``name:int`` markers)."""
    form = {}
    for key, value in parse.parse_qsl(query, keep_blank_values=True):
        name, _, markers = key.partition(":")
        if "list" in markers.split(":"):
            form.setdefault(name, []).append(value)
        else:
            form[name] = value
    return form


def render_directly(href: str, request):
    """The tile's HTML, or None to leave the tile to plone.app.blocks."""
    url = parse.urlparse(href)
    segments = url.path.split("/")
    if len(segments) < 3 or not segments[-2].startswith("@@" + PREFIX):
        return None
    name, tile_id = segments[-2][2:], segments[-1]
    context = published_context(request)
    if context is None or not hasattr(context, "absolute_url"):
        return None
    # Only tiles of the page being shown (the href's folder is the page's URL).
    if parse.urlparse(context.absolute_url()).path.rstrip("/") != "/".join(segments[:-2]).rstrip("/"):
        return None
    tile_type = queryUtility(ITileType, name=name)
    if tile_type is None or not checkPermission(tile_type.view_permission or "zope2.View", context):
        return None
    tile = queryMultiAdapter((context, request), name=name)
    if tile is None:
        return None
    tile = tile[tile_id]
    if url.query:
        # Settings in the URL (layouts kept as files, the demo's pages), decoded as plone.tiles
        # decodes them. A tile added in the editor has none there: it keeps them on the page
        # (plone.app.blocks' tile storage), where its data manager finds them.
        schema = tile_type.schema
        tile._Tile__cachedData = (
            decode(form_of(url.query), schema, missing=True, primary=True) if schema else {}
        )
    return tile()


def before_tile_render(event) -> None:
    """Subscriber of plone.app.blocks' IBeforeTileRenderEvent."""
    request = getRequest()
    href = event.tile_href
    if request is None or cost.cached_tile(href, request) or f"@@{PREFIX}" not in href:
        return
    try:
        html = render_directly(href, request)
    except Exception:
        # Plone's own path (a subrequest) then renders it, or shows its error box.
        logger.exception("kagoshima.saiyo: could not render tile %s directly", href)
        return
    if html is None:
        return
    key = parse.unquote(href)
    if key.startswith("/"):
        return  # a path relative to the site: leave it to plone.app.blocks
    _get_request_cache(request, TILE_RESOLVE_CACHE_KEY)[key] = html
