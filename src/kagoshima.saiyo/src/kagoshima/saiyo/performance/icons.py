"""Keep the markup of Plone's inline SVG icons between requests (a patch of Products.CMFPlone 6.2).

``@@iconresolver``'s ``tag()`` (Products.CMFPlone.browser.icons.IconsView) inlines an SVG icon
by traversing from the site to the icon file (``++plone++icons/…``: the resource directory
lookups stat the file system several times), parsing the file with lxml and writing it out
again, on every call. The navigation portlet calls it once per item of the tree, so on this
site's content pages it was about 14 % of the uncached render time (py-spy, issue 15).

The markup only depends on the icon file the registry names (``plone.icon.*``), the CSS class
and the title, and Plone inlines only icons that are files on the file system (one stored in
the ZODB raises ``NotImplementedError`` in the stock method), which cannot change while Zope
runs in production mode. So the result is kept in a dictionary of the process under
(site, icon file, class, title); a registry change names another file and so another key.
Not kept: icons that are not SVG (the stock method writes an ``<img>`` with the site's absolute
URL, which depends on the virtual host) and anything in Zope's debug mode (``make run``).

Applied by collective.monkeypatcher (``configure.zcml`` of this package). To drop it when
Products.CMFPlone keeps the markup itself, delete this module and its ``monkey:patch`` line.
"""

from App.config import getConfiguration
from Products.CMFPlone.browser.icons import IconsView
from zope.component.hooks import getSite

import threading


_TAGS: dict[tuple, str] = {}
_LOCK = threading.Lock()
_MAX_ENTRIES = 2000
_stock_tag = IconsView.tag


def clear() -> None:
    with _LOCK:
        _TAGS.clear()


def tag(self, name, tag_class="", tag_alt=""):
    """``IconsView.tag`` with the SVG markup kept between requests in production mode."""
    if getConfiguration().debug_mode:
        return _stock_tag(self, name, tag_class, tag_alt)
    icon = self.lookup(name)
    if not icon.endswith(".svg"):
        return _stock_tag(self, name, tag_class, tag_alt)
    site = getSite()
    key = ("/".join(site.getPhysicalPath()) if site is not None else "", icon, tag_class, tag_alt)
    markup = _TAGS.get(key)
    if markup is None:
        markup = _stock_tag(self, name, tag_class, tag_alt)
        with _LOCK:
            if len(_TAGS) >= _MAX_ENTRIES:
                _TAGS.clear()
            _TAGS[key] = markup
    return markup
