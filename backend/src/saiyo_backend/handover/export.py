"""Handover export: everything in the site as collective.exportimport JSON, plus blobs and CSV.

    make export                      (server stopped; writes instance/var/export/saiyo-export-<date>/ and .zip)
    saiyo export [--etc instance/etc] OUT_DIR

What is written (see the Japanese README.md the export carries, ``handover/README.ja.md``):

- ``content.json``: every content object (collective.exportimport's export_content: restapi
  JSON, blobs base64-encoded, rich text with resolveuid links, review_state and workflow_history);
- ``relations.json``, ``localroles.json``, ``ordering.json``, ``defaultpages.json``, ``redirects.json``;
- ``members.json``: groups and users with their roles and properties, **without password hashes**;
- ``workflow_states.json``: UID → path, type and review_state, for a quick look;
- ``blobs/<path>/<field>/<file name>``: every file and image, as plain files;
- ``csv/<type>.csv``: one table per content type (UTF-8 with BOM, opens in Excel);
- ``settings.json``: the site's own settings (registry records ``kagoshima.saiyo.*``: display
  settings, editable choice lists, security and analytics settings) and the site's title and
  mail sender;
- ``pageviews.csv``: the page views per day, page and device; ``audit.csv``: the audit trail.

The folder is also zipped next to it. With a passphrase configured (``SAIYO_ARCHIVE_PASSPHRASE_FILE``,
see ``saiyo_backend.deploy.encryption``) the zip is AES-256 encrypted and the folder removed. Import it into another Plone with
``saiyo import`` (``handover/importer.py``) (or collective.exportimport's @@import_* forms).
"""

from pathlib import Path
from saiyo_backend import handover
from saiyo_backend.deploy import encryption
from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site

import base64
import csv
import json
import shutil
import sys


README = Path(handover.__file__).with_name("README.ja.md")  # the module's __file__ is unset under zconsole
FILES = ("relations", "localroles", "ordering", "defaultpages", "redirects", "members")


def export_content(site, request) -> list[dict]:
    from collective.exportimport.export_content import ExportContent
    from collective.exportimport.interfaces import IBase64BlobsMarker
    from collective.exportimport.interfaces import IMigrationMarker
    from zope.interface import alsoProvides

    view = ExportContent(site, request)
    types = sorted(site.portal_types.listContentTypes())
    view.portal_type = types
    view.path = "/".join(site.getPhysicalPath())
    view.depth = -1
    view.include_blobs = 1
    view.include_revisions = False
    view.migration = True
    view.write_errors = True
    view.errors = []
    alsoProvides(request, IBase64BlobsMarker)
    alsoProvides(request, IMigrationMarker)
    items = [item for item in view.export_content() if item]
    if view.errors:
        raise RuntimeError(f"some content could not be exported: {view.errors}")
    return items


def export_other(site, request) -> dict:
    from collective.exportimport import export_other as other

    members = other.ExportMembers(site, request)
    users = [dict(member) for member in members.export_members()]
    for user in users:
        user.pop("password", None)  # never hand over password hashes
    return {
        "relations": other.ExportRelations(site, request).get_all_references(),
        "localroles": other.ExportLocalRoles(site, request).all_localroles(),
        "ordering": other.ExportOrdering(site, request).all_orders(),
        "defaultpages": other.ExportDefaultPages(site, request).all_default_pages(),
        "redirects": other.export_plone_redirects(),
        "members": {"groups": members.export_groups(), "members": users},
    }


# Registry records handed over besides the add-on's own (kagoshima.saiyo.*).
PLONE_SETTINGS = ("plone.site_title", "plone.email_from_address", "plone.email_from_name")


def export_settings() -> dict:
    """The registry records of the site's settings, as JSON values (tuples and sets as lists)."""
    from plone.registry.interfaces import IRegistry
    from plone.restapi.serializer.converters import json_compatible
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    names = sorted(
        name
        for name in registry.records.keys()
        if name.startswith("kagoshima.saiyo.") or name in PLONE_SETTINGS
    )
    return {name: json_compatible(registry[name]) for name in names}


def write_pageviews_and_audit(items: list[dict], out: Path, site_url: str) -> dict:
    """pageviews.csv (day, page, device, views) and audit.csv, from the stores beside the ZODB (SQLite or PostgreSQL)."""
    from kagoshima.saiyo.analytics.store import get_store as pageview_store
    from kagoshima.saiyo.security import audit

    pages = {item["UID"]: (relative_path(item, site_url), item.get("title") or "") for item in items}
    rows = pageview_store().rows()
    with (out / "pageviews.csv").open("w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(["day", "uid", "path", "title", "device", "views"])
        for day, uid, device, views in rows:
            path, title = pages.get(uid, ("", ""))
            writer.writerow([day, uid, path, title, device, views])
    events = audit.get_store().search()
    (out / "audit.csv").write_text(audit.to_csv(events), encoding="utf-8")
    return {"pageview_rows": len(rows), "audit_events": len(events)}


def relative_path(item: dict, site_url: str) -> str:
    return item["@id"][len(site_url) :].lstrip("/")


def is_blob(value) -> bool:
    return (
        isinstance(value, dict)
        and value.get("encoding") == "base64"
        and "data" in value
        and "filename" in value
    )


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        if "data" in value and "content-type" in value and not is_blob(value):
            return value["data"]  # rich text
        if "token" in value:
            return value["token"]
        if "@id" in value:
            return value["@id"]
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_blobs_and_csv(items: list[dict], out: Path, site_url: str) -> dict:
    by_type: dict[str, list[dict]] = {}
    blob_count = 0
    for item in items:
        path = relative_path(item, site_url)
        row = {"path": path}
        for key, value in item.items():
            if is_blob(value):
                target = out / "blobs" / path / key / value["filename"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(value["data"]))
                blob_count += 1
                row[key] = f"blobs/{path}/{key}/{value['filename']}"
            elif key not in (
                "parent",
                "@components",
                "workflow_history",
                "items",
                "previous_item",
                "next_item",
            ):
                row[key] = cell(value)
        by_type.setdefault(item["@type"], []).append(row)
    (out / "csv").mkdir(exist_ok=True)
    for portal_type, rows in by_type.items():
        columns = ["path", "UID", "@type", "id", "title", "review_state"]
        columns += sorted({key for row in rows for key in row} - set(columns))
        name = portal_type.replace(" ", "_")
        with (out / "csv" / f"{name}.csv").open("w", newline="", encoding="utf-8-sig") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    return {"types": {t: len(r) for t, r in sorted(by_type.items())}, "blobs": blob_count}


def main(app, argv) -> int:
    if len(argv) != 1:
        print("usage: saiyo export [--etc ETC] OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    try:
        secret = encryption.passphrase()  # a wrong setting stops before any work
    except encryption.ArchiveError as error:
        print(f"エラー: {error.japanese}\nError: {error}", file=sys.stderr)
        return 2
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    site, request = open_site(app)
    items = export_content(site, request)
    site_url = site.absolute_url()
    (out / "content.json").write_text(
        json.dumps(items, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    for name, data in export_other(site, request).items():
        (out / f"{name}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
    states = {
        item["UID"]: {
            "path": relative_path(item, site_url),
            "@type": item["@type"],
            "review_state": item.get("review_state"),
        }
        for item in items
    }
    (out / "workflow_states.json").write_text(
        json.dumps(states, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (out / "settings.json").write_text(
        json.dumps(export_settings(), ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    summary = write_blobs_and_csv(items, out, site_url)
    summary.update(write_pageviews_and_audit(items, out, site_url))
    summary["site_url"] = site_url
    summary["site_path"] = "/".join(site.getPhysicalPath())
    (out / "manifest.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.copyfile(README, out / "README.md")
    archive = encryption.write(out, out.with_name(out.name + ".zip"), secret)
    if secret:
        shutil.rmtree(out)  # names, e-mail and client addresses stay only in the encrypted zip
        print("the zip is encrypted (AES-256); the unencrypted folder was removed", flush=True)
    print(f"export: {len(items)} objects, {summary['blobs']} files -> {out} ({archive})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "export.py"))
