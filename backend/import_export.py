"""Import a handover export (``make export``'s folder) into a site, e.g. a fresh empty one.

    zconsole run instance/etc/zope.conf backend/import_export.py EXPORT_DIR

Order: content (parents first; objects keep their UIDs, fields, review states and workflow
history), then relations, local roles, positions in folders, default pages, redirects (moved
to this site's path) and groups and users. Users come without passwords (the export never
holds password hashes): each gets a random one and must set a new one with 「パスワードを
お忘れですか」. Prints one summary line; exit status 1 when an object could not be imported.
"""

from pathlib import Path

import json
import secrets
import sys
import transaction


def script_args(argv: list) -> list:
    for index, arg in enumerate(argv):
        if Path(arg).name == "import_export.py":
            root = str(Path(arg).resolve().parent.parent)
            if root not in sys.path:
                sys.path.insert(0, root)
            return argv[index + 1 :]
    return argv[1:]


def load(folder: Path, name: str):
    path = folder / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main(app, argv) -> int:
    from backend.zope_request import open_site
    from collective.exportimport import import_other as other
    from collective.exportimport.import_content import ImportContent
    from collective.exportimport.import_content import reset_dates

    if len(argv) != 1:
        print("usage: import_export.py EXPORT_DIR", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    site, request = open_site(app)
    manifest = load(folder, "manifest")
    items = [item for item in load(folder, "content") if item["@type"] != "Plone Site"]
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
    transaction.get().note("backend/import_export.py")
    transaction.commit()
    print(
        f"import: {len(items) - len(failed)} objects, {len(failed)} failed, {len(redirects)} redirects",
        flush=True,
    )
    for path in failed:
        print(f"  failed: {path}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(app, script_args(sys.argv)))  # noqa: F821
