"""Point the site's cache purging at the nginx of this deployment.

Run by ``saiyo cluster start`` after the site exists::

    saiyo configure-caching --etc <base>/etc <base>/etc/cluster.toml

The caching rules (which page is cached how long) are the add-on's profile
``kagoshima.saiyo:caching`` (``profiles/caching/registry.xml``): imported here, on every
deployment start, because they only make sense with a caching proxy in front (the
development profile has none). The address of the purge endpoint depends on the
deployment and is written here too: ``http://<purge_listen>:<purge_port>``, followed by every
address in the profile's ``proxy.purge_proxies`` (a list: the other machines' nginx when each
machine has its own cache, see docs/operations/scale-out.md), so an edit leaves no stale copy in
any of them.
"""

from pathlib import Path
from saiyo_backend.config import read_record
from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site

import sys


def purge_urls(proxy: dict) -> tuple[str, ...]:
    """This deployment's purge endpoint, then ``proxy.purge_proxies`` (duplicates dropped)."""
    own = f"http://{proxy['purge_listen']}:{proxy['purge_port']}"
    others = proxy.get("purge_proxies") or []
    if isinstance(others, str):
        others = [others]
    return tuple(dict.fromkeys([own, *(url.strip().rstrip("/") for url in others if url.strip())]))


def configure(site, layout: dict) -> str:
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    site.portal_setup.runAllImportStepsFromProfile("profile-kagoshima.saiyo:caching", purge_old=False)
    registry = getUtility(IRegistry)
    proxy = layout["proxy"]
    urls = purge_urls(proxy)
    registry["plone.caching.interfaces.ICacheSettings.enabled"] = True
    registry["plone.cachepurging.interfaces.ICachePurgingSettings.enabled"] = True
    registry["plone.cachepurging.interfaces.ICachePurgingSettings.cachingProxies"] = urls
    # Purge paths are the pages' paths without virtual hosting; nginx maps them to its keys.
    registry["plone.cachepurging.interfaces.ICachePurgingSettings.virtualHosting"] = False
    registry["plone.cachepurging.interfaces.ICachePurgingSettings.domains"] = ()
    return ", ".join(urls)


def main(app, argv) -> int:
    if len(argv) != 1:
        print("usage: saiyo configure-caching [--etc ETC] CLUSTER_TOML", file=sys.stderr)
        return 2
    site, _request = open_site(app)
    url = configure(site, read_record(Path(argv[0])))
    print(f"cache purging: PURGE requests go to {url}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "configure_caching.py"))
