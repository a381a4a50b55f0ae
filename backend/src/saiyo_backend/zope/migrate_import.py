"""Import a migration run (``python -m migration build``'s output folder) into the site.

    saiyo migrate-import [--etc instance/etc] OUT_DIR
    bin/instance run backend/src/saiyo_backend/zope/migrate_import.py OUT_DIR   (the buildout instance)

``make migrate SOURCE=…`` calls it between build and report; the server must be stopped
(FileStorage is locked by a running instance; with ZEO/RelStorage it may run).

Each old page is imported as one group (the page, its FAQ items, its images and files)
through collective.exportimport's import view, in its own transaction: a group that fails
is rolled back completely and the run goes on. Objects are found again by their UID, which
the build derives from the old URL, so a second run updates only pages whose content
changed (a hash kept on the object) and creates nothing twice. An object that the migration
did not create is never overwritten: the migrated one gets another id next to it.
Finally every old path (with and without ``index.html``, ``.html`` and the trailing slash)
is stored in plone.app.redirector, which answers it with a redirect (301, see
kagoshima.saiyo.redirects) to the new page. Results go to ``OUT_DIR/import-result.json``.
"""

from pathlib import Path
from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site

import copy
import json
import logging
import sys
import time
import transaction


log = logging.getLogger("migration.import")
MARKER = "_saiyo_migration"


def old_path_forms(path: str) -> set[str]:
    """The forms under which an old page was reachable: ``/a/b``, ``/a/b.html``, ``/a/b/index.html``
    (and ``/a/b/``, which the redirection storage treats as ``/a/b``). The site root is left out."""
    base = path.rstrip("/")
    for suffix in ("/index.html", "/index.htm", ".html", ".htm"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    forms = {path.rstrip("/")}
    if base:
        forms |= {base, base + ".html", base + "/index.html"}
    else:
        forms |= {"/index.html"}
    return {form for form in forms if form and form != "/"}


class Importer:
    def __init__(self, site, request):
        from collective.exportimport.import_content import ImportContent

        self.site = site
        self.catalog = site.portal_catalog
        self.view = ImportContent(site, request)
        self.view.portal = site
        self.view.limit = None
        self.view.commit = None
        self.view.import_to_current_folder = False
        self.view.import_old_revisions = False
        self.view.handle_existing_content = 0
        self.site_path = "/".join(site.getPhysicalPath())

    def by_uid(self, uid):
        brains = self.catalog.unrestrictedSearchResults(UID=uid)
        return brains[0]._unrestrictedGetObject() if brains else None

    def relative(self, obj) -> str:
        return "/".join(obj.getPhysicalPath())[len(self.site_path) + 1 :]

    def ensure_folder(self, item) -> None:
        path = item["@id"].split("/", 3)[3]
        if self.site.unrestrictedTraverse(path, None) is None:
            self._import(item, update=False)
        if item["_migration"].get("hidden"):
            self.hide(self.site.unrestrictedTraverse(path))

    def hide(self, obj) -> None:
        """Keep obj (and what it holds) out of the site search and the assistant (rules.yaml hidden)."""
        from kagoshima.saiyo.search.hidden import IHiddenFromSearch
        from zope.interface import alsoProvides

        if not IHiddenFromSearch.providedBy(obj):
            alsoProvides(obj, IHiddenFromSearch)
            obj.reindexObject(idxs=["object_provides"])

    def _import(self, item, update: bool):
        data = copy.deepcopy(item)
        data.pop("_migration", None)
        self.view.handle_existing_content = 2 if update else 0
        added = self.view.import_new_content([data])
        if not added:
            raise RuntimeError("collective.exportimport がこの項目を取り込みませんでした（ログを参照）")
        return data

    def import_item(self, item) -> tuple[str, str]:
        """(created / updated / unchanged, path in the site) for one item; raises on failure."""
        from Acquisition import aq_base
        from Acquisition import aq_parent

        marker = item["_migration"]
        existing = self.by_uid(item["UID"])
        if existing is not None:
            if getattr(aq_base(existing), MARKER, {}).get("hash") == marker["hash"]:
                return "unchanged", self.relative(existing)
            item = copy.deepcopy(item)
            path = self.relative(existing)
            parent = self.relative(aq_parent(existing))
            item["@id"] = f"http://site/{path}"
            item["id"] = existing.getId()
            item["parent"] = {"@id": f"http://site/{parent}".rstrip("/"), "@type": "Folder"}
            self._import(item, update=True)
            status = "updated"
        else:
            item = copy.deepcopy(item)
            parent_path = (
                item["parent"]["@id"].split("/", 3)[3] if item["parent"]["@id"].count("/") >= 3 else ""
            )
            container = self.site.unrestrictedTraverse(parent_path) if parent_path else self.site
            wanted, number = item["id"], 2
            while item["id"] in container.objectIds():
                item["id"] = f"{wanted}-{number}"
                number += 1
            item["@id"] = f"http://site/{parent_path}/{item['id']}".replace("site//", "site/")
            self._import(item, update=False)
            status = "created"
        obj = self.by_uid(item["UID"])
        if obj is None:
            raise RuntimeError("取り込んだはずの項目が見つかりません")
        setattr(obj, MARKER, {"source": marker["source"], "hash": marker["hash"]})
        if marker.get("hidden"):
            self.hide(obj)
        return status, self.relative(obj)


def main(app, argv) -> int:
    from plone.app.redirector.interfaces import IRedirectionStorage
    from zope.component import getUtility

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if len(argv) != 1:
        print("usage: saiyo migrate-import [--etc ETC] OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    content_file = out / "content.json"
    if not content_file.exists():
        print(
            f"エラー: {content_file} がありません。先に build を実行してください / Error: no {content_file}",
            file=sys.stderr,
        )
        return 2
    site, request = open_site(app)
    items = json.loads(content_file.read_text(encoding="utf-8"))
    pages = json.loads((out / "pages.json").read_text(encoding="utf-8"))
    redirects = json.loads((out / "redirects.json").read_text(encoding="utf-8"))
    importer = Importer(site, request)
    started = time.perf_counter()
    results: dict[str, dict] = {}

    for item in items:
        if item["_migration"].get("container_only"):
            try:
                importer.ensure_folder(item)
                transaction.commit()
            except Exception as error:
                transaction.abort()
                log.exception("folder %s failed", item["@id"])
                results[item["@id"]] = {"status": "failed", "error": f"{type(error).__name__}: {error}"}
    by_uid = {item["UID"]: item for item in items}
    for old_path, uids in pages["groups"].items():
        statuses, paths = [], []
        try:
            for uid in uids:
                status, path = importer.import_item(by_uid[uid])
                statuses.append(status)
                paths.append(path)
            transaction.get().note(f"migration: {old_path}")
            transaction.commit()
            status = (
                "created" if "created" in statuses else "updated" if "updated" in statuses else "unchanged"
            )
            results[old_path] = {"status": status, "path": paths[0] if paths else ""}
        except Exception as error:
            transaction.abort()
            log.error("page %s failed: %s", old_path, error, exc_info=True)
            results[old_path] = {"status": "failed", "error": f"{type(error).__name__}: {error}"}
    # an image or file is imported with the page that uses it: it shares that page's result
    group_of_source = {
        by_uid[uid]["_migration"]["source"]: old_path
        for old_path, uids in pages["groups"].items()
        for uid in uids
    }
    for page in pages["pages"]:
        owner = group_of_source.get(page["path"])
        if page["kind"] == "asset" and page["path"] not in results and owner in results:
            result = dict(results[owner])
            uid = next(u for u in pages["groups"][owner] if by_uid[u]["_migration"]["source"] == page["path"])
            obj = importer.by_uid(uid)
            result["path"] = importer.relative(obj) if obj is not None else ""
            results[page["path"]] = result

    storage = getUtility(IRedirectionStorage)
    added = 0
    for old_path, target in redirects.items():
        obj = importer.by_uid(target["uid"]) if target["uid"] else None
        if obj is not None:
            new_path = "/".join(obj.getPhysicalPath())
        else:  # a folder the site already had (e.g. /faq), or a fixed target of a rule
            new_path = importer.site_path + ("/" + target["path"] if target["path"] else "")
        for form in old_path_forms(old_path):
            old_full = importer.site_path + form
            if old_full != new_path and storage.get(old_full) != new_path:
                storage.add(old_full, new_path)
                added += 1
    transaction.get().note("migration: redirects")
    transaction.commit()
    seconds = time.perf_counter() - started
    page_count = sum(1 for p in pages["pages"] if p["kind"] == "page")
    (out / "import-result.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (out / "import-speed.json").write_text(
        json.dumps(
            {
                "pages": page_count,
                "seconds": round(seconds, 3),
                "pages_per_second": round(page_count / seconds, 1),
            }
        ),
        encoding="utf-8",
    )
    counts = {}
    for result in results.values():
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    print(
        f"import: {counts}, {added} redirects added, {seconds:.1f} s ({page_count / seconds:.1f} pages/s)",
        flush=True,
    )
    return 1 if counts.get("failed") else 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "migrate_import.py"))
