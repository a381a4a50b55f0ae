"""Install and uninstall handlers of the GenericSetup profiles."""

from plone.base.interfaces import INonInstallable
from zope.interface import implementer

import logging


logger = logging.getLogger("kagoshima.saiyo")


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        """Hide the uninstall and caching profiles from the site-creation form and the Add-ons panel."""
        return ["kagoshima.saiyo:uninstall", "kagoshima.saiyo:caching"]

    def getNonInstallableProducts(self):
        return []


def post_install(context):
    """Post-install step of the default profile."""
    from kagoshima.saiyo.search.setup import install_index as install_search_index
    from kagoshima.saiyo.security.setup import post_install as security_post_install
    from kagoshima.saiyo.theme.portlets import ensure_assignment_settings
    from kagoshima.saiyo.theme.setup import set_top_page
    from kagoshima.saiyo.workflows.setup import post_install as workflows_post_install
    from Products.CMFCore.utils import getToolByName

    portal = getToolByName(context, "portal_url").getPortalObject()
    workflows_post_install(portal)
    security_post_install(portal)
    set_top_page(portal)
    install_search_index(portal)
    ensure_assignment_settings(portal)
    logger.info("kagoshima.saiyo: default profile applied")


# Registry records the add-on defines (its settings, its bundles): all of them go. The Japanese
# labels it gave Mosaic's own records (registry/mosaic_i18n.xml) stay, like the site's language.
OWN_RECORD_PREFIXES = (
    "kagoshima.saiyo.",
    "plone.bundles/kagoshima-saiyo.",
    "plone.bundles/saiyo-reader.",
    "plone.bundles/saiyo-mosaic-i18n.",  # the Mosaic editor's Japanese (mosaic_i18n/)
    "plone.app.mosaic.app_tiles.kagoshima_saiyo_",  # the landing-page tiles in the Mosaic editor
)
# The add-on's permissions that profiles/default/rolemap.xml sets on the site root.
OWN_PERMISSIONS = (
    "kagoshima.saiyo: Add ExamNotice",
    "kagoshima.saiyo: Add JobCategory",
    "kagoshima.saiyo: Add StaffProfile",
    "kagoshima.saiyo: Add FAQ",
    "kagoshima.saiyo: View page views",
    "kagoshima.saiyo: View audit log",
    "kagoshima.saiyo: Use landing page layouts",
)


def remove_records(registry) -> list[str]:
    names = [name for name in registry.records.keys() if name.startswith(OWN_RECORD_PREFIXES)]
    for name in names:
        del registry.records[name]
    return names


def uninstall(context):
    """Post-uninstall step: what the uninstall profile's XML cannot say.

    The XML steps removed the browser layer, catalog indexes and columns, configlets, content
    types and actions. Here: the workflow (content keeps what it showed), groups, versioning,
    the PAS plugin and session settings, the top page, viewlet settings, registry records and
    the permission settings of the site root, and the stock SearchableText index back. Content and its history stay.
    """
    from kagoshima.saiyo.landing.setup import uninstall as landing_uninstall
    from kagoshima.saiyo.search.setup import uninstall as search_uninstall
    from kagoshima.saiyo.security.setup import uninstall as security_uninstall
    from kagoshima.saiyo.theme.setup import uninstall as theme_uninstall
    from kagoshima.saiyo.workflows.setup import uninstall as workflows_uninstall
    from plone.registry.interfaces import IRegistry
    from Products.CMFCore.utils import getToolByName
    from zope.component import getUtility

    portal = getToolByName(context, "portal_url").getPortalObject()
    workflows_uninstall(portal)
    security_uninstall(portal)
    theme_uninstall(portal)
    search_uninstall(portal)
    landing_uninstall(getUtility(IRegistry))
    removed = remove_records(getUtility(IRegistry))
    for permission in OWN_PERMISSIONS:
        portal.manage_permission(permission, roles=[], acquire=1)
    logger.info("kagoshima.saiyo: uninstall profile applied (%d registry records removed)", len(removed))
