"""Handover export round trip: demo site → export → fresh empty site → import → same data.

Both sites are throwaway instances; the comparison is made on the export of each site, so
it covers every object (UIDs, fields, review states, workflow history), relations, local
roles, positions, redirects, groups and users.
"""

from pathlib import Path
from tests.support.throwaway import make_demo_site
from tests.support.throwaway import make_instance

import csv
import json
import pytest
import subprocess
import textwrap
import zipfile


ROOT = Path(__file__).resolve().parents[2]
ADD_PEOPLE = textwrap.dedent(
    """
    import transaction
    from AccessControl.SecurityManagement import newSecurityManager
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite
    from plone import api
    app = makerequest(app)  # noqa: F821
    site = app.Plone
    setSite(site)
    newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
    api.user.create(email="tanaka@example.com", username="tanaka", password="a-long-secret-password-1",
                    properties={"fullname": "田中 花子"})
    api.group.create(groupname="authors-jinji", title="人事課の作成者")
    api.group.add_user(groupname="authors-jinji", username="tanaka")
    api.group.grant_roles(groupname="authors-jinji", roles=["Contributor"], obj=site.shiken)
    api.content.move(source=site.kankyo.kyuyo, target=site.kankyo, id="kyuyo-teate")
    # the site's own settings and texts, and page views: handed over too
    site.title = "鹿児島県職員採用（引き継ぎ確認）"
    site.description = "書き出しの確認用の説明文です。"
    api.portal.set_registry_record("kagoshima.saiyo.theme.message_title", "鹿児島で、県民の毎日を支える。")
    api.portal.set_registry_record("kagoshima.saiyo.security.audit_retention_days", 1825)
    api.portal.set_registry_record("plone.email_from_name", "鹿児島県人事委員会事務局")
    from kagoshima.saiyo.analytics.store import get_store
    get_store().add("2026-11-03", site.shiken.UID(), "mobile", 42)
    get_store().add("2026-11-03", site.shiken.UID(), "desktop", 7)
    transaction.commit()
    """
)


# The prefecture's passphrase for the encrypted hand-over (AES-256 zip), only in the environment
PASSPHRASE = "鹿児島-引き継ぎ-2026-テスト用"


def saiyo(instance, command: str, *args, env=None):
    done = instance.saiyo(command, *args, env=env)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    base = tmp_path_factory.mktemp("export")
    demo = make_demo_site(base / "demo")
    people = base / "people.py"
    people.write_text(ADD_PEOPLE, encoding="utf-8")
    added = demo.zconsole(people)
    assert added.returncode == 0, added.stderr[-3000:]
    saiyo(demo, "export", str(base / "first"))
    # The same site exported encrypted; the fresh site is filled from that zip alone.
    secret = {"SAIYO_ARCHIVE_PASSPHRASE": PASSPHRASE}
    saiyo(demo, "export", str(base / "sealed"), env=secret)
    fresh = make_instance(base / "fresh")
    created = fresh.create_site()
    assert created.returncode == 0, created.stdout + created.stderr
    refused = fresh.saiyo("import", str(base / "sealed.zip"))
    assert refused.returncode == 2 and "暗号化されています" in refused.stderr
    refused = fresh.saiyo(
        "import", str(base / "sealed.zip"), env={"SAIYO_ARCHIVE_PASSPHRASE": "a-wrong-passphrase"}
    )
    assert refused.returncode == 2 and "パスフレーズが違います" in refused.stderr
    imported = saiyo(fresh, "import", str(base / "sealed.zip"), env=secret)
    saiyo(fresh, "export", str(base / "second"))
    return base / "first", base / "second", imported


def load(folder, name):
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))


def content(folder):
    url = load(folder, "manifest")["site_url"]
    items = {}
    for item in load(folder, "content"):
        if item["@type"] == "Plone Site":
            continue
        text = json.dumps(item, sort_keys=True, ensure_ascii=False).replace(url, "SITE")
        item = json.loads(text)
        item["parent"].pop("UID", None) if item["parent"].get("@type") == "Plone Site" else None
        items[item["UID"]] = item
    return items


def test_export_folder_shape(exports):
    first, _, _ = exports
    for name in ("content", "relations", "localroles", "ordering", "defaultpages", "redirects", "members"):
        assert (first / f"{name}.json").exists(), name
    readme = (first / "README.md").read_text(encoding="utf-8")
    assert "全データ書き出し" in readme and "パスワードは含みません" in readme
    assert (first.parent / f"{first.name}.zip").exists()
    with zipfile.ZipFile(first.parent / f"{first.name}.zip") as archive:
        assert f"{first.name}/content.json" in archive.namelist()
    with (first / "csv" / "ExamNotice.csv").open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and {"path", "UID", "fiscal_year", "application_start", "review_state"} <= set(rows[0])
    assert any((first / "blobs").rglob("*.png")) or any((first / "blobs").rglob("*.jpg"))


def test_no_password_hashes(exports):
    first, _, _ = exports
    members = load(first, "members")
    tanaka = next(m for m in members["members"] if m["username"] == "tanaka")
    assert "password" not in tanaka and "authors-jinji" in tanaka["groups"]
    assert "a-long-secret" not in (first / "members.json").read_text(encoding="utf-8")
    assert "{SSHA" not in (first / "members.json").read_text(encoding="utf-8")


def test_round_trip_same_objects_fields_and_states(exports):
    first, second, imported = exports
    assert " 0 failed" in imported.stdout
    before, after = content(first), content(second)
    assert set(before) == set(after)
    differences = [
        (before[uid]["@id"], key)
        for uid in before
        for key in before[uid]
        if before[uid][key] != after[uid].get(key)
    ]
    assert differences == []
    states = {uid: s["review_state"] for uid, s in load(second, "workflow_states").items()}
    assert all(states[uid] == item["review_state"] for uid, item in before.items())


def test_round_trip_relations_roles_redirects_people(exports):
    first, second, _ = exports

    def relations(folder):
        return sorted((r["from_uuid"], r["to_uuid"], r["relationship"]) for r in load(folder, "relations"))

    assert relations(first) == relations(second) and relations(first)
    assert load(first, "redirects") == load(second, "redirects")
    assert any(key.endswith("/kankyo/kyuyo") for key in load(second, "redirects"))
    roles = {r["uuid"]: r for r in load(first, "localroles") if r["uuid"] != "<Portal>"}
    roles_after = {r["uuid"]: r for r in load(second, "localroles") if r["uuid"] != "<Portal>"}
    assert roles == roles_after
    assert any("authors-jinji" in r.get("localroles", {}) for r in roles_after.values())
    groups = {g["groupid"]: g for g in load(second, "members")["groups"]}
    assert groups["authors-jinji"]["title"] == "人事課の作成者"
    assert [m["username"] for m in load(second, "members")["members"]] == ["tanaka"]


def test_round_trip_site_settings_title_and_page_views(exports):
    first, second, imported = exports
    settings = load(first, "settings")
    assert settings["kagoshima.saiyo.theme.message_title"] == "鹿児島で、県民の毎日を支える。"
    assert settings["kagoshima.saiyo.security.audit_retention_days"] == 1825
    assert any(name.startswith("kagoshima.saiyo.vocabularies.") for name in settings)
    assert load(second, "settings") == settings
    assert "setting not applied" not in imported.stdout

    def root(folder):
        return next(item for item in load(folder, "content") if item["@type"] == "Plone Site")

    assert root(second)["title"] == root(first)["title"] == "鹿児島県職員採用（引き継ぎ確認）"
    assert root(second)["description"] == "書き出しの確認用の説明文です。"

    def pageviews(folder):
        with (folder / "pageviews.csv").open(encoding="utf-8-sig", newline="") as stream:
            return list(csv.DictReader(stream))

    rows = pageviews(first)
    assert {(r["path"], r["device"], r["views"]) for r in rows} >= {
        ("shiken", "mobile", "42"),
        ("shiken", "desktop", "7"),
    }
    assert pageviews(second) == rows
    audit = (first / "audit.csv").read_text(encoding="utf-8-sig")
    assert audit.startswith("日時,ユーザー,操作")


def test_encrypted_export_opens_with_7zip_and_leaves_no_plain_copy(exports, tmp_path):
    """The encrypted hand-over: AES-256 entries, no unencrypted folder left, and 7-Zip (the tool
    staff use on Windows; Debian's 7zip here) opens it with the passphrase and only with it."""
    first, _, _ = exports
    sealed = first.parent / "sealed.zip"
    assert not (first.parent / "sealed").exists()
    with zipfile.ZipFile(sealed) as archive:
        infos = archive.infolist()
        assert infos and all(info.flag_bits & 0x1 for info in infos)
        assert all(info.compress_type == 99 for info in infos)  # WinZip AES (AE-x)
    listing = subprocess.run(["7zz", "l", "-slt", "-pno", str(sealed)], capture_output=True, text=True)
    assert "AES-256" in listing.stdout
    wrong = subprocess.run(["7zz", "x", "-y", "-pwrong-passphrase", f"-o{tmp_path / 'wrong'}", str(sealed)],
                           capture_output=True, text=True)  # fmt: skip
    assert wrong.returncode != 0
    opened = subprocess.run(["7zz", "x", "-y", f"-p{PASSPHRASE}", f"-o{tmp_path}", str(sealed)],
                            capture_output=True, text=True)  # fmt: skip
    assert opened.returncode == 0, opened.stdout + opened.stderr
    members = json.loads((tmp_path / "sealed" / "members.json").read_text(encoding="utf-8"))
    assert any(member.get("email") == "tanaka@example.com" for member in members["members"])
    assert (tmp_path / "sealed" / "audit.csv").exists()
