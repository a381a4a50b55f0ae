"""Make @@saiyo-top the view of the site root (install and upgrade)."""

import logging


logger = logging.getLogger("kagoshima.saiyo.theme")
TOP_VIEW = "saiyo-top"


def set_top_page(portal) -> None:
    """Offer @@saiyo-top in the site's 表示 menu and make it the top page."""
    fti = portal.portal_types.getTypeInfo(portal)
    if fti is not None and TOP_VIEW not in fti.view_methods:
        fti.view_methods = (*fti.view_methods, TOP_VIEW)
    portal.setLayout(TOP_VIEW)
    logger.info("kagoshima.saiyo: the top page is @@%s", TOP_VIEW)
