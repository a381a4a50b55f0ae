"""1017: the top page's key visual (behavior on the Plone Site type, サイト設定 → トップページのキービジュアル)."""

from plone import api


def upgrade(setup_tool=None):
    setup = setup_tool or api.portal.get_tool("portal_setup")
    for step in ("typeinfo", "controlpanel"):
        setup.runImportStepFromProfile(
            "profile-kagoshima.saiyo.upgrades:v20261204017", step, run_dependencies=False
        )
