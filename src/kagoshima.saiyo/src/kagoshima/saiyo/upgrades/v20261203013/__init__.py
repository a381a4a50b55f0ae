"""1013: no staff login names or e-mail addresses in the public feeds (Plone's ``show_author_info`` off).

plone.restapi's ``creators`` for anonymous requests need no upgrade (restapi/creators.py is code).
"""

from plone import api

import logging


logger = logging.getLogger("kagoshima.saiyo.upgrades")
RECORD = "plone.base.interfaces.syndication.ISiteSyndicationSettings.show_author_info"


def upgrade(setup_tool=None):
    api.portal.set_registry_record(RECORD, False)
    logger.info("feeds: author information switched off (no staff names or e-mail addresses in feeds)")
