"""2026-12-02: the site theme, the top page and its settings (profile version 1004)."""

from kagoshima.saiyo.theme.setup import set_top_page
from plone import api


PROFILE = "profile-kagoshima.saiyo.upgrades:v20261202004"


def upgrade(setup_tool=None):
    setup_tool = setup_tool or api.portal.get_tool("portal_setup")
    for step in ("plone.app.registry", "controlpanel", "viewlets", "actions"):
        setup_tool.runImportStepFromProfile(PROFILE, step)
    set_top_page(api.portal.get())
