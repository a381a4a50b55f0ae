"""1016: landing pages built in the Mosaic editor (the site's tiles, the 特集 block, the layouts' permission)."""

from plone import api


def upgrade(setup_tool=None):
    setup = setup_tool or api.portal.get_tool("portal_setup")
    for step in ("plone.app.registry", "rolemap", "viewlets"):
        setup.runImportStepFromProfile(
            "profile-kagoshima.saiyo.upgrades:v20261203016", step, run_dependencies=False
        )
