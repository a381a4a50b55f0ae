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
    from kagoshima.saiyo.theme.setup import set_top_page
    from kagoshima.saiyo.workflows.setup import post_install as workflows_post_install
    from Products.CMFCore.utils import getToolByName

    portal = getToolByName(context, "portal_url").getPortalObject()
    workflows_post_install(portal)
    security_post_install(portal)
    set_top_page(portal)
    install_search_index(portal)
    logger.info("kagoshima.saiyo: default profile applied")


def uninstall(context):
    """Post-uninstall step."""
    logger.info("kagoshima.saiyo: uninstall profile applied")
