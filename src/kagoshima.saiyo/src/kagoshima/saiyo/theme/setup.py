"""Make @@saiyo-top the view of the site root (install and upgrade), and undo the theme's
site settings on uninstall."""

from plone.app.viewletmanager.interfaces import IViewletSettingsStorage
from plone.registry.interfaces import IRegistry
from zope.component import queryUtility

import logging


logger = logging.getLogger("kagoshima.saiyo.theme")
TOP_VIEW = "saiyo-top"
PREFIX = "kagoshima.saiyo."
# Plone's bundles profiles/default/registry/theme.xml keeps from visitors (Plone's value: none).
MEMBERS_ONLY = "python: member is not None"
MEMBERS_ONLY_BUNDLES = ("plone", "plone-fullscreen", "mosaic", "mosaic-css", "datagridfield-bundle")
# Plone's viewlets that profiles/default/viewlets.xml hides.
HIDDEN_BY_THEME = {
    "plone.portalheader": ("plone.anontools",),
    "plone.htmlhead.links": ("plone.links.favicon",),
}


def set_top_page(portal) -> None:
    """Offer @@saiyo-top in the site's 表示 menu and make it the top page."""
    fti = portal.portal_types.getTypeInfo(portal)
    if fti is not None and TOP_VIEW not in fti.view_methods:
        fti.view_methods = (*fti.view_methods, TOP_VIEW)
    portal.setLayout(TOP_VIEW)
    logger.info("kagoshima.saiyo: the top page is @@%s", TOP_VIEW)


def unset_top_page(portal) -> None:
    """The site root shows its type's default view again; @@saiyo-top leaves the 表示 menu."""
    fti = portal.portal_types.getTypeInfo(portal)
    if fti is not None and TOP_VIEW in fti.view_methods:
        fti.view_methods = tuple(name for name in fti.view_methods if name != TOP_VIEW)
    if portal.getLayout() == TOP_VIEW:
        portal.setLayout(fti.default_view if fti is not None else "listing_view")


def remove_viewlet_settings() -> None:
    """Forget the order of the add-on's viewlet managers and viewlets; show Plone's again."""
    storage = queryUtility(IViewletSettingsStorage)
    if storage is None:
        return
    for mapping in (storage._order, storage._hidden):
        for skin in mapping.values():
            for manager in list(skin):
                if manager.startswith(PREFIX):
                    del skin[manager]
                    continue
                names = tuple(name for name in skin[manager] if not name.startswith(PREFIX))
                if mapping is storage._hidden:
                    names = tuple(name for name in names if name not in HIDDEN_BY_THEME.get(manager, ()))
                if names != tuple(skin[manager]):
                    skin[manager] = names
    defaults = getattr(storage, "_defaults", {})
    for manager in [name for name in defaults if name.startswith(PREFIX)]:
        del defaults[manager]


def restore_bundles() -> None:
    """Plone's bundles load for visitors again (unless someone set another expression since)."""
    registry = queryUtility(IRegistry)
    if registry is None:
        return
    for bundle in MEMBERS_ONLY_BUNDLES:
        name = f"plone.bundles/{bundle}.expression"
        if registry.get(name) == MEMBERS_ONLY:
            registry[name] = ""


def uninstall(portal) -> None:
    unset_top_page(portal)
    remove_viewlet_settings()
    restore_bundles()
