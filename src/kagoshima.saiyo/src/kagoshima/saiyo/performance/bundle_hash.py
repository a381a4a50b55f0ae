"""Keep the hash of each resource bundle between requests (a patch of Products.CMFPlone 6.2).

Products.CMFPlone's resource viewlets build new ``webresource`` resource objects on every
request, so webresource's own hash cache (an attribute of the resource object) never hits:
every page reads every bundle file (the Plone bundle is about 1 MB) through traversal and
hashes it with SHA-384, twice per bundle (URL and ``integrity``). This module replaces
``PloneBaseResource.file_hash`` with one that keeps the hash in a dictionary of the process,
under a key that changes whenever the file may have changed:

- the site and the resource's path and hash algorithm;
- the resource registry's modification time (``update_resource_registry_mtime``, set by every
  profile import touching the registry and by the resource registry control panel — the same
  signal plone.app.caching's ``resourceRegistries`` ETag relies on).

Files that can change while Zope runs are never cached: resources stored in the ZODB
(``++plone++`` overrides, a ``++theme++`` or ``++plone++`` directory of ``portal_resources``),
views (``@@custom.css``), and everything in Zope's debug mode (``make run``: files change on disk).

Applied by collective.monkeypatcher (``configure.zcml`` of this package); to drop it when the
upstream change (docs/performance/webresource-bundle-hash.md) is released, delete this module
and its ``monkey:patch`` line.
"""

from App.config import getConfiguration
from plone.base.interfaces.resources import OVERRIDE_RESOURCE_DIRECTORY_NAME
from plone.registry.interfaces import IRegistry
from plone.resource.interfaces import IResourceDirectory
from Products.CMFPlone.resources.browser.resource import _RESOURCE_REGISTRY_MTIME
from webresource import config as webresource_config
from webresource.resources import Resource
from zExceptions import NotFound
from zope.component import queryUtility
from zope.component.hooks import getSite

import logging
import threading


logger = logging.getLogger("kagoshima.saiyo.performance")

_HASHES: dict[tuple, str] = {}
_LOCK = threading.Lock()
_MAX_ENTRIES = 500
_stock_file_hash = Resource.file_hash


def clear() -> None:
    with _LOCK:
        _HASHES.clear()


def _in_zodb(path: str) -> bool:
    """True when ``++plone++``/``++theme++`` ``path`` is served from the ZODB (portal_resources)."""
    kind, _, rest = path[2:].partition("++")
    name, _, filepath = rest.partition("/")
    persistent = queryUtility(IResourceDirectory, name="persistent")
    if persistent is None:
        return False
    try:
        if kind in persistent and persistent[kind].isDirectory(name):
            return True
        if kind == "plone" and OVERRIDE_RESOURCE_DIRECTORY_NAME in persistent:
            return persistent[OVERRIDE_RESOURCE_DIRECTORY_NAME].isFile(f"{name}/{filepath}")
    except (KeyError, NotFound):
        return False
    return False


def cache_key(resource) -> tuple | None:
    """The key the hash of ``resource`` is kept under, or None when it must be computed each time."""
    path = resource.resource
    if not path or getConfiguration().debug_mode:
        return None
    if "?" in path or "@@" in path:
        return None
    if path.startswith(("++plone++", "++theme++")):
        if _in_zodb(path):
            return None
    elif not path.startswith("++resource++"):
        return None  # a page template, an OFS file or anything else that may change
    site = getSite()
    registry = queryUtility(IRegistry)
    return (
        "/".join(site.getPhysicalPath()) if site is not None else "",
        path,
        resource.hash_algorithm,
        getattr(registry, _RESOURCE_REGISTRY_MTIME, None),
    )


def _file_hash(self) -> str:
    if webresource_config.development:
        return _stock_file_hash.fget(self)
    if self._file_hash is not None:
        return self._file_hash
    key = cache_key(self)
    if key is None:
        return _stock_file_hash.fget(self)
    cached = _HASHES.get(key)
    if cached is None:
        cached = _stock_file_hash.fget(self)
        with _LOCK:
            if len(_HASHES) >= _MAX_ENTRIES:
                _HASHES.clear()
            _HASHES[key] = cached
    self._file_hash = cached
    return cached


file_hash = property(_file_hash, _stock_file_hash.fset)
