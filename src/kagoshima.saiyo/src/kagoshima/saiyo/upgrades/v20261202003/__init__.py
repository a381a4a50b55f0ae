"""2026-12-02: hardening and the audit trail (profile version 1003).

The profile of this folder adds the security settings to the registry, the 操作履歴 control
panel and its permission. The handler adds the PAS plugin saiyo_guard (lockout, password
policy) in first place, sets plone.session's expiry and turns on versioning (履歴) of the page types.
"""

from kagoshima.saiyo.security.setup import post_install
from kagoshima.saiyo.workflows.setup import enable_versioning
from Products.CMFCore.utils import getToolByName

import logging


logger = logging.getLogger("kagoshima.saiyo.upgrades")

PROFILE = "profile-kagoshima.saiyo.upgrades:v20261202003"


def upgrade(setup_tool):
    portal = getToolByName(setup_tool, "portal_url").getPortalObject()
    setup_tool.runAllImportStepsFromProfile(PROFILE, purge_old=False)
    post_install(portal)
    enable_versioning(portal)
    logger.info("v20261202003: lockout, password policy, audit trail in place")
