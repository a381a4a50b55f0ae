"""plone.protect for the site's tiles: every check, but no protect.js in the tile's HTML.

plone.protect adds ``<script src="++resource++protect.js">`` to the HTML of every page a
logged-in person gets. A tile is not a page: the Mosaic editor fetches its HTML and inserts it
with jQuery, which loads such a script and runs it as an inline script — blocked by the site's
Content-Security-Policy (ten errors in the editor of a landing page). The editor's page has
protect.js already. This transform replaces plone.tiles' one for the site's tiles: the same
CSRF checks (a write without a valid token is still refused), and no script or form tokens
added to the fragment.
"""

from plone.protect.auto import ProtectTransform
from plone.tiles.tile import TileProtectTransform


class FragmentProtect(ProtectTransform):
    def transform(self, result, encoding):
        return None


class SiteTileProtectTransform(TileProtectTransform):
    def __init__(self, published, request):
        super().__init__(published, request)
        self.protect = FragmentProtect(published, request)
