"""2026-11-25: authors and administrators, and the approval workflow (profile version 1002).

The profile of this folder brings saiyo_workflow and its bindings, the actions (削除 where the
item may be deleted, Japanese names for check-out/check-in) and the mail sender. The handler
installs plone.app.iterate, imports that profile, creates the groups 作成者 and 管理者 and gives
every existing item the state it had before (published pages stay published).
"""

from kagoshima.saiyo.workflows.setup import adopt_existing_content
from kagoshima.saiyo.workflows.setup import ensure_groups
from Products.CMFCore.utils import getToolByName

import logging


logger = logging.getLogger("kagoshima.saiyo.upgrades")

PROFILE = "profile-kagoshima.saiyo.upgrades:v20261125002"
ITERATE = "plone.app.iterate:default"


def upgrade(setup_tool):
    portal = getToolByName(setup_tool, "portal_url").getPortalObject()
    if setup_tool.getLastVersionForProfile(ITERATE) == "unknown":
        setup_tool.runAllImportStepsFromProfile(f"profile-{ITERATE}")
    setup_tool.runAllImportStepsFromProfile(PROFILE, purge_old=False)
    ensure_groups(portal)
    counts = adopt_existing_content(portal)
    logger.info("v20261125002: saiyo_workflow in place; existing content: %s", counts or "none")
