"""Install, rebuild and uninstall the site search's ``SearchableText`` index.

- ``install_index(portal)``: new sites (default profile) and the 1010 upgrade put
  ``SaiyoTextIndex`` in place of the stock ZCTextIndex and index every page;
- ``rebuild(portal)``: reindexes that index alone (terms, stored text, meaning vectors),
  for a command (``rebuild_sites(app)``) and for ``@@saiyo-search-rebuild`` (Manager, POST);
- ``uninstall(portal)``: puts back the stock ZCTextIndex on ``plone_lexicon``.
"""

from kagoshima.saiyo.search.index import ISaiyoTextIndex
from kagoshima.saiyo.search.index import SaiyoTextIndex
from plone.protect import CheckAuthenticator
from plone.protect.authenticator import createToken
from Products.CMFCore.indexing import processQueue
from Products.CMFCore.utils import getToolByName
from Products.Five.browser import BrowserView
from zExceptions import MethodNotAllowed

import logging
import time
import transaction


logger = logging.getLogger(__name__)

INDEX = "SearchableText"

__all__ = ["INDEX", "install_index", "rebuild", "rebuild_sites", "uninstall"]


def _catalog(portal):
    return getToolByName(portal, "portal_catalog")


def install_index(portal, reindex: bool = True) -> bool:
    """Replace the stock SearchableText index by SaiyoTextIndex; True when it was replaced."""
    catalog = _catalog(portal)
    existing = catalog._catalog.indexes.get(INDEX)
    if ISaiyoTextIndex.providedBy(existing):
        return False
    if existing is not None:
        catalog.delIndex(INDEX)
    catalog.addIndex(INDEX, SaiyoTextIndex(INDEX))
    logger.info("Site search: %s is now a SaiyoTextIndex", INDEX)
    if reindex:
        rebuild(portal)
    return True


def rebuild(portal) -> dict:
    """Reindex the SearchableText index alone for every catalogued page; returns counts and seconds."""
    catalog = _catalog(portal)
    index = catalog._catalog.indexes.get(INDEX)
    if not ISaiyoTextIndex.providedBy(index):
        install_index(portal, reindex=False)
        index = catalog._catalog.indexes[INDEX]
    processQueue()  # pages added or edited earlier in this transaction first
    started = time.perf_counter()
    index.clear()
    paths = list(catalog._catalog.uids.keys())
    done = 0
    for number, path in enumerate(paths, start=1):
        obj = catalog.resolve_path(path)
        if obj is None:
            logger.warning("Site search rebuild: no object at %s; left out", path)
            continue
        catalog.catalog_object(obj, path, idxs=[INDEX], update_metadata=0)
        done += 1
        if number % 500 == 0:
            logger.info("Site search rebuild: %d of %d pages", number, len(paths))
    seconds = time.perf_counter() - started
    result = {
        "pages": done,
        "terms": index.numObjects(),
        "vectors": len(index._vectors),
        "seconds": round(seconds, 3),
    }
    logger.info(
        "Site search rebuilt: %(pages)d pages, %(terms)d terms, %(vectors)d vectors in %(seconds)s s", result
    )
    return result


def uninstall(portal) -> None:
    """Put back Plone's stock SearchableText (ZCTextIndex, Okapi BM25, plone_lexicon) and reindex it."""
    catalog = _catalog(portal)
    existing = catalog._catalog.indexes.get(INDEX)
    if existing is not None and not ISaiyoTextIndex.providedBy(existing):
        return
    if existing is not None:
        catalog.delIndex(INDEX)

    class extra:
        lexicon_id = "plone_lexicon"
        index_type = "Okapi BM25 Rank"
        doc_attr = INDEX

    catalog.addIndex(INDEX, "ZCTextIndex", extra)
    catalog.manage_reindexIndex(ids=[INDEX])
    logger.info("Site search: stock ZCTextIndex %s restored", INDEX)


def rebuild_sites(app) -> dict:
    """Rebuild the index of every Plone site of a Zope root and commit (for a console command).

    ``zconsole run instance/etc/zope.conf`` with a script calling ``rebuild_sites(app)``.
    """
    from plone.base.interfaces import IPloneSiteRoot
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite
    from zope.globalrequest import setRequest

    if getattr(app, "REQUEST", None) is None or not hasattr(app.REQUEST, "form"):
        app = makerequest(app)
    setRequest(app.REQUEST)
    results = {}
    for site_id, obj in app.objectItems():
        if IPloneSiteRoot.providedBy(obj):
            setSite(obj)
            results[site_id] = rebuild(obj)
            transaction.commit()
    return results


class RebuildView(BrowserView):
    """@@saiyo-search-rebuild: Manager only; POST with the CSRF token rebuilds the index."""

    def __call__(self):
        request = self.request
        response = request.response
        response.setHeader("Content-Type", "text/html; charset=utf-8")
        if request.method == "GET":
            return self._form()
        if request.method != "POST":
            raise MethodNotAllowed("POST only")
        CheckAuthenticator(request)
        result = rebuild(self.context)
        return self._page(
            f"検索インデックスを再構築しました：{result['pages']} ページ、{result['terms']} 語、"
            f"意味ベクトル {result['vectors']} 件（{result['seconds']} 秒）。"
        )

    def _form(self):
        token = createToken()
        url = self.context.absolute_url() + "/@@saiyo-search-rebuild"
        return self._page(
            "サイト内検索のインデックスを作り直します。ページ数によっては数分かかります。"
            f'<form method="post" action="{url}"><input type="hidden" name="_authenticator" value="{token}">'
            '<button type="submit">検索インデックスを再構築する</button></form>'
        )

    @staticmethod
    def _page(body):
        return (
            '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>検索インデックスの再構築</title>'
            f"</head><body><h1>検索インデックスの再構築</h1><p>{body}</p></body></html>"
        )
