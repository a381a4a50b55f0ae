"""Uninstall: the site's tiles leave Plone's list of tiles (their Mosaic records go with the add-on's prefixes)."""


def uninstall(registry) -> None:
    tiles = registry.get("plone.app.tiles")
    if tiles:
        registry["plone.app.tiles"] = [name for name in tiles if not name.startswith("kagoshima.saiyo.")]
