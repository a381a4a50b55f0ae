"""Import a handover export (``make export``'s folder) into a site, e.g. a fresh empty one.

    saiyo import [--etc instance/etc] EXPORT_DIR | EXPORT.zip   (an encrypted zip needs the passphrase)

Order: the site's title and description and its settings (``settings.json``), content
(parents first; objects keep their UIDs, fields, review states and workflow history), then
relations, local roles, positions in folders, default pages, redirects (moved to this site's
path), groups and users, and the page views (``pageviews.csv``, by UID). Users come without passwords (the export never
holds password hashes): each gets a random one and must set a new one with 「パスワードを
お忘れですか」. Prints one summary line; exit status 1 when an object could not be imported.
"""

from pathlib import Path
from saiyo_backend.deploy import encryption
from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site

import csv
import json
import logging
import secrets
import sys
import tempfile
import transaction


logger = logging.getLogger("kagoshima.saiyo.import")


def coerce(field, value):
    """A JSON value in the type the registry field wants (lists for tuples and sets)."""
    from zope.schema.interfaces import IFrozenSet
    from zope.schema.interfaces import ISet
    from zope.schema.interfaces import ITuple

    if ITuple.providedBy(field) and isinstance(value, list):
        return tuple(value)
    if (ISet.providedBy(field) or IFrozenSet.providedBy(field)) and isinstance(value, list):
        return set(value)
    return value


def import_settings(settings: dict) -> list[str]:
    """Apply the exported registry values; the names that could not be applied."""
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    refused = []
    for name, value in sorted(settings.items()):
        if name not in registry.records:
            logger.warning("setting %s is not known to this site: skipped", name)
            refused.append(name)
            continue
        try:
            registry[name] = coerce(registry.records[name].field, value)
        except Exception as error:  # a value this version's field refuses: keep the site's own
            logger.warning("setting %s not applied: %s", name, error)
            refused.append(name)
    return refused


def import_site_root(site, item: dict) -> None:
    """The site's own title and description (the site object itself is not re-created)."""
    site.title = item.get("title") or site.title
    site.description = item.get("description") or ""
    site.reindexObject()


def import_pageviews(folder: Path) -> int:
    from kagoshima.saiyo.analytics.store import get_store

    path = folder / "pageviews.csv"
    if not path.exists():
        return 0
    store = get_store()
    count = 0
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            store.put(row["day"], row["uid"], row["device"], int(row["views"]))
            count += 1
    return count


def load(folder: Path, name: str):
    path = folder / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main(app, argv) -> int:
    if len(argv) != 1:
        print("usage: saiyo import [--etc ETC] EXPORT_DIR|EXPORT.zip", file=sys.stderr)
        return 2
    source = Path(argv[0])
    if source.is_file():  # the export's zip, AES-256 encrypted or not
        with tempfile.TemporaryDirectory(prefix="saiyo-import-") as tmp:
            try:
                folder = encryption.extract(source, Path(tmp), encryption.passphrase())
            except encryption.ArchiveError as error:
                print(f"エラー: {error.japanese}\nError: {error}", file=sys.stderr)
                return 2
            return import_folder(app, folder)
    return import_folder(app, source)


def import_folder(app, folder: Path) -> int:
    from collective.exportimport import import_other as other
    from collective.exportimport.import_content import ImportContent
    from collective.exportimport.import_content import reset_dates

    site, request = open_site(app)
    manifest = load(folder, "manifest")
    everything = load(folder, "content")
    items = [item for item in everything if item["@type"] != "Plone Site"]
    for root in (item for item in everything if item["@type"] == "Plone Site"):
        import_site_root(site, root)
    settings = load(folder, "settings") or {}
    refused = import_settings(settings)
    transaction.commit()
    view = ImportContent(site, request)
    view.portal = site
    view.limit = None
    view.commit = None
    view.import_to_current_folder = False
    view.import_old_revisions = False
    view.handle_existing_content = 2  # a fresh site may already hold some folders: update them
    failed = []
    for item in items:
        path = item["@id"][len(manifest["site_url"]) :]
        item["@id"] = f"http://nohost/{site.getId()}{path}"
        if item.get("parent", {}).get("@id", "").startswith(manifest["site_url"]):
            item["parent"]["@id"] = (
                f"http://nohost/{site.getId()}" + item["parent"]["@id"][len(manifest["site_url"]) :]
            )
        added = view.import_new_content([item])
        if added:
            transaction.commit()
        else:
            transaction.abort()
            failed.append(path)
    other.ImportRelations(site, request).import_relations(load(folder, "relations") or [])
    other.ImportLocalRoles(site, request).import_localroles(load(folder, "localroles") or [])
    other.ImportOrdering(site, request).import_ordering(load(folder, "ordering") or [])
    other.ImportDefaultPages(site, request).import_default_pages(load(folder, "defaultpages") or [])
    old_root, new_root = manifest["site_path"], "/".join(site.getPhysicalPath())
    redirects = {
        new_root + key[len(old_root) :]: new_root + value[len(old_root) :]
        for key, value in (load(folder, "redirects") or {}).items()
        if key.startswith(old_root) and value.startswith(old_root)
    }
    other.import_plone_redirects(redirects)
    members = load(folder, "members") or {"groups": [], "members": []}
    importer = other.ImportMembers(site, request)
    importer.import_groups(members["groups"])
    for member in members["members"]:
        member.setdefault("password", secrets.token_urlsafe(24))
    importer.import_members(members["members"])
    site.ZopeFindAndApply(site, search_sub=True, apply_func=reset_dates)
    transaction.get().note("saiyo import")
    transaction.commit()
    pageviews = import_pageviews(folder)
    print(
        f"import: {len(items) - len(failed)} objects, {len(failed)} failed, {len(redirects)} redirects, "
        f"{len(settings) - len(refused)} settings, "
        f"{pageviews} page-view rows",
        flush=True,
    )
    for name in refused:
        print(f"  setting not applied: {name}", flush=True)
    for path in failed:
        print(f"  failed: {path}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "importer.py"))
