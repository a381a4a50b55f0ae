"""1010: the Japanese site search: its index, the synonyms and their control panel."""

from kagoshima.saiyo.search.setup import install_index
from kagoshima.saiyo.search.setup import rebuild
from plone import api


PROFILE = "profile-kagoshima.saiyo.upgrades:v20261203010"


def upgrade(setup_tool=None):
    setup_tool = setup_tool or api.portal.get_tool("portal_setup")
    for step in ("plone.app.registry", "controlpanel"):
        setup_tool.runImportStepFromProfile(PROFILE, step)
    portal = api.portal.get()
    # Reindex even when the index is already ours: the pages' SearchableText now
    # includes every field a visitor reads.
    if not install_index(portal, reindex=True):
        rebuild(portal)
