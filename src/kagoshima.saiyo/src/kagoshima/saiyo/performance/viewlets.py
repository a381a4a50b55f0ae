"""Viewlets every anonymous visitor of a page sees alike, their HTML kept; work nobody sees, skipped.

py-spy and per-viewlet timings of an exam notice and the exam list (issue 15) showed, besides the
content itself and the Diazo transform, these costs on every page:

- ``plone.footer`` (plone.app.portlets): Barceloneta's footer portlets (copyright, colophon, site
  actions), about a tenth of the stock front page. The theme replaced that footer with its own
  (``kagoshima.saiyo.footer``) and hides ``#portal-footer-wrapper`` (saiyo.css), so nobody sees it:
  ``HiddenPortletsFooter`` renders nothing, except on @@manage-portlets where staff manage the
  footer portlets.
- ``plone.toolbar``: the toolbar's viewlets (the content views, the personal bar …) were updated for
  visitors too, who are not shown the toolbar. ``ToolbarViewletManager`` updates and renders them
  only for those who may see it (``Show Toolbar``). Likewise ``plone.membertools`` (the user
  actions of logged-in users without the toolbar) no longer lists the user actions for visitors.
- ``plone.global_sections``, ``plone.path_bar``, the site footer ``kagoshima.saiyo.footer`` and the
  JSON-LD of the page: the same HTML for every anonymous visitor of a page. Their HTML is kept in Plone's RAM cache
  (plone.memoize) under everything it is made from, so that an edit shows at once:

  - always: the viewlet, the site's URL as the visitor asked for it (virtual host, scheme), the
    language, and the catalog counter (any page added, moved, retitled, published, hidden from
    navigation or with changed permissions reindexes and raises it);
  - global sections: the navigation root, the page's path down to the navigation depth (an item
    hidden from navigation still shows on its own path), the navigation settings of the registry,
    the ``portal_tabs`` actions (each one's id and last change) and the minute (a page whose
    publishing date arrives appears without any change of the site, the bound of the cache's
    ``saiyoClock`` ETag);
  - breadcrumbs: the page's path and the last change of the page and of each of its parents
    (titles, default pages), and the types that link to ``/view``;
  - site footer (the same on every page): the ``site_actions`` (each one's id and last change)
    and 採用サイトの表示設定's contact lines and SNS links;
  - the page's JSON-LD (``kagoshima.saiyo.structured_data``): the URL asked for (the view), the
    last change of the page and each parent, the site logo and the choice lists edited in サイト設定
    (labels of 職種 …), and the minute (an exam's application deadline passes by itself).

  Logged-in users (who see their own rights and the toolbar) always get freshly rendered HTML, and
  in Zope's debug mode (``make run``) nothing is kept. Nor is anything made from actions with a
  condition of their own (``available_expr``: it may depend on anything) or a URL made from the
  page (``object_url`` …).
"""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from App.config import getConfiguration
from kagoshima.saiyo.structured_data.viewlet import StructuredDataViewlet as StockStructuredData
from kagoshima.saiyo.theme.interfaces import REGISTRY_PREFIX
from kagoshima.saiyo.theme.viewlets import FooterViewlet as SaiyoFooterViewlet
from kagoshima.saiyo.vocabularies import EDITABLE
from plone.app.layout import viewlets as plone_viewlets
from plone.app.layout.viewlets.common import GlobalSectionsViewlet as StockGlobalSections
from plone.app.layout.viewlets.common import PathBarViewlet as StockPathBar
from plone.app.layout.viewlets.common import PersonalBarViewlet as StockPersonalBar
from plone.app.layout.viewlets.toolbar import ToolbarViewletManager as StockToolbarManager
from plone.app.portlets.browser.interfaces import IManagePortletsView
from plone.app.portlets.browser.viewlets import FooterViewlet as StockPortletsFooter
from plone.base.interfaces import INavigationSchema
from plone.memoize import ram
from plone.registry.interfaces import IRegistry
from Products.CMFCore.interfaces import ISiteRoot
from Products.CMFCore.utils import getToolByName
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter
from zope.component import getUtility

import os
import time


class _Uncacheable(Exception):
    """This request's HTML is not kept (staff, debug mode, a conditional action)."""


def cacheable(viewlet) -> bool:
    """Production mode and an anonymous visitor (staff never share a visitor's HTML)."""
    if getConfiguration().debug_mode:
        return False
    portal_state = getMultiAdapter((viewlet.context, viewlet.request), name="plone_portal_state")
    return portal_state.anonymous()


def _base_key(viewlet) -> tuple:
    portal_state = getMultiAdapter((viewlet.context, viewlet.request), name="plone_portal_state")
    catalog = getToolByName(viewlet.context, "portal_catalog")
    return (
        type(viewlet).__module__,
        type(viewlet).__name__,
        viewlet.__name__,
        getattr(viewlet.manager, "__name__", ""),
        portal_state.portal_url(),
        portal_state.navigation_root_url(),
        portal_state.language(),
        catalog.getCounter(),
    )


# Names of a TALES expression that differ from page to page (the page, its folder, the request).
_PAGE_NAMES = ("object", "folder", "here", "context", "request")


def _actions_key(context, category: str) -> tuple:
    """Id and last change of each action of a category.

    Uncacheable when an action has a condition of its own or a URL made from the page.
    """
    actions = getToolByName(context, "portal_actions")
    folder = getattr(aq_base(actions), category, None)
    if folder is None:
        return ()
    key = []
    for action in folder.objectValues():
        url = action.getProperty("url_expr", "") or ""
        if action.getProperty("available_expr", "") or any(name in url for name in _PAGE_NAMES):
            raise _Uncacheable
        key.append((action.getId(), getattr(action, "_p_mtime", None), getattr(action, "_p_serial", None)))
    return (category, getattr(folder, "_p_serial", None), tuple(key))


def _registry_values(*names) -> tuple:
    registry = getUtility(IRegistry)
    return tuple((name, repr(registry.get(name))) for name in names)


def _chain_key(context) -> tuple:
    """Path of the page and the last change of it and each parent up to the site."""
    key = []
    item = aq_inner(context)
    while item is not None:
        key.append((getattr(item, "getId", lambda: "")(), getattr(aq_base(item), "_p_serial", None)))
        if ISiteRoot.providedBy(item):
            break
        item = aq_parent(item)
    return tuple(key)


def _ram_key(method, self):
    if not cacheable(self):
        raise ram.DontCache
    try:
        return (_base_key(self), self.cache_key())
    except _Uncacheable:
        raise ram.DontCache from None


class CachedForVisitors:
    """Mixin for a viewlet: its HTML kept for anonymous visitors under ``cache_key()``.

    The stock ``update()`` only runs when the HTML is made (or always, for staff).
    """

    def cache_key(self) -> tuple:
        raise NotImplementedError

    def update(self):
        if not cacheable(self):
            super().update()

    def render(self):
        if not cacheable(self):
            return super().render()
        return self._visitor_html()

    @ram.cache(_ram_key)
    def _visitor_html(self):
        super().update()
        return super().render()


class GlobalSectionsViewlet(CachedForVisitors, StockGlobalSections):
    def cache_key(self):
        root = self.navtree_path
        settings = getUtility(IRegistry).forInterface(INavigationSchema, prefix="plone", check=False)
        depth = settings.navigation_depth or 0
        path = "/".join(aq_inner(self.context).getPhysicalPath())
        inside = path[len(root) :].strip("/").split("/") if path.startswith(root) else [path]
        return (
            root,
            "/".join(inside[: max(depth, 1)]),
            self.current_language,
            tuple((name, repr(getattr(settings, name, None))) for name in sorted(INavigationSchema.names())),
            _registry_values("plone.types_use_view_action_in_listings"),
            _actions_key(self.context, "portal_tabs"),
            int(time.time() // 60),
        )


class PathBarViewlet(CachedForVisitors, StockPathBar):
    def cache_key(self):
        return (
            _chain_key(self.context),
            _registry_values("plone.types_use_view_action_in_listings"),
        )


class FooterViewlet(CachedForVisitors, SaiyoFooterViewlet):
    """The site footer (theme/viewlets.py), kept for visitors."""

    def cache_key(self):
        return (
            _actions_key(self.context, "site_actions"),
            _registry_values(f"{REGISTRY_PREFIX}.contact_lines", f"{REGISTRY_PREFIX}.sns_links"),
        )


class StructuredDataViewlet(CachedForVisitors, StockStructuredData):
    """The page's JSON-LD (structured_data/viewlet.py), kept for visitors of that page."""

    def cache_key(self):
        return (
            self.request.get("ACTUAL_URL", ""),
            self.request.get("QUERY_STRING", ""),
            _chain_key(self.context),
            _registry_values("plone.site_logo", *(record for record, _title in EDITABLE.values())),
            int(time.time() // 60),
        )


class HiddenPortletsFooter(StockPortletsFooter):
    """Barceloneta's footer portlets: hidden by the theme, so only rendered to manage them."""

    def update(self):
        if IManagePortletsView.providedBy(self.view):
            super().update()

    def render(self):
        if IManagePortletsView.providedBy(self.view):
            return super().render()
        return ""


class MemberToolsViewlet(StockPersonalBar):
    """``plone.membertools``: shown only to logged-in users without the toolbar; visitors skip its actions."""

    index = ViewPageTemplateFile("membertools.pt", _prefix=os.path.dirname(plone_viewlets.__file__))

    def update(self):
        if self.portal_state_anonymous():
            self.anonymous = True
            return
        super().update()

    def portal_state_anonymous(self):
        return getMultiAdapter((self.context, self.request), name="plone_portal_state").anonymous()

    def render(self):
        if self.portal_state_anonymous():
            return ""
        return super().render()


class ToolbarViewletManager(StockToolbarManager):
    """Plone's toolbar, its viewlets updated only for those who are shown it."""

    def update(self):
        if self.context_state.is_toolbar_visible():
            super().update()
        else:
            self.viewlets = []

    def render(self):
        if not self.context_state.is_toolbar_visible():
            return ""
        return super().render()
