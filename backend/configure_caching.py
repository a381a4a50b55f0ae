"""Point the site's cache purging at the nginx of this deployment.

Run by ``backend/cluster.py start`` through zconsole, after the site exists::

    zconsole run etc/zope.conf backend/configure_caching.py etc/cluster.toml

The caching rules (which page is cached how long) are the add-on's profile
``kagoshima.saiyo:caching`` (``profiles/caching/registry.xml``): imported here, on every
deployment start, because they only make sense with a caching proxy in front (the
development profile has none). The address of the purge endpoint depends on the
deployment and is written here too: ``http://<purge_listen>:<purge_port>``.
"""

from pathlib import Path

import sys
import tomllib
import transaction


def configure(app, layout: dict) -> str:
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility
    from zope.component.hooks import setSite

    site = app[layout["site_id"]]
    setSite(site)
    site.portal_setup.runAllImportStepsFromProfile("profile-kagoshima.saiyo:caching", purge_old=False)
    registry = getUtility(IRegistry)
    proxy = layout["proxy"]
    purge_url = f"http://{proxy['purge_listen']}:{proxy['purge_port']}"
    registry["plone.caching.interfaces.ICacheSettings.enabled"] = True
    registry["plone.cachepurging.interfaces.ICachePurgingSettings.enabled"] = True
    registry["plone.cachepurging.interfaces.ICachePurgingSettings.cachingProxies"] = (purge_url,)
    # Purge paths are the pages' paths without virtual hosting; nginx maps them to its keys.
    registry["plone.cachepurging.interfaces.ICachePurgingSettings.virtualHosting"] = False
    registry["plone.cachepurging.interfaces.ICachePurgingSettings.domains"] = ()
    transaction.get().note("backend/configure_caching.py")
    transaction.commit()
    return purge_url


if __name__ == "__main__":
    layout_file = Path(sys.argv[-1])
    url = configure(app, tomllib.loads(layout_file.read_text(encoding="utf-8")))  # noqa: F821
    print(f"cache purging: PURGE requests go to {url}", flush=True)
