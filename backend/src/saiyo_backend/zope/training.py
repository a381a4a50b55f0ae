"""Prepare the practice site of a CMS training session: numbered trainee accounts, a folder each.

    make training [TRAINEES=10]                 (renders the instance, creates the site with its
                                                 demo content, then runs this)
    saiyo training [--etc instance/etc] [--trainees 10] [--remove]

- Group ``trainees`` (研修受講者), a member of the ``authors`` group (作成者): trainees write pages
  and ask for approval exactly as the prefecture's authors will; the trainer logs in as an
  administrator to review, send back and publish.
- Users ``kenshu01`` … ``kenshuNN`` (研修受講者 01 …) with a new random password on every run, so
  the sheet handed out on the day is the only valid one; the accounts and passwords go to
  ``<var>/training-accounts.csv`` (mode 0600, for printing) and nowhere else.
- Folder ``/kenshu`` (研修用, not in the navigation, private; the trainees may read it) with one
  folder per trainee (``/kenshu/kenshu01`` …), where only that trainee gets Contributor/Editor/Reader:
  each one practises in a folder of their own and cannot change another's pages.
- ``--remove`` deletes the trainees, their group and ``/kenshu`` after the session.

Nothing of the site's other content is touched; running it again keeps the folders and the
pages written in them and only renews the passwords (and adds trainees when ``--trainees`` grew).
"""

from pathlib import Path
from saiyo_backend.config import running_instance
from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site

import argparse
import csv
import secrets
import sys


GROUP = "trainees"
FOLDER = "kenshu"
PREFIX = "kenshu"
ROLES = ["Contributor", "Editor", "Reader"]


def trainee_ids(count: int) -> list[str]:
    return [f"{PREFIX}{number:02d}" for number in range(1, count + 1)]


def password() -> str:
    # 16 characters, never containing the user id (the site's password rule).
    return secrets.token_urlsafe(12)


def prepare(site, count: int) -> list[tuple[str, str, str, str]]:
    from plone import api

    if api.group.get(groupname=GROUP) is None:
        api.group.create(groupname=GROUP, title="研修受講者", description="CMS 研修の練習用アカウント")
    # The trainees' group is a member of 作成者 (authors): the same rights as the real authors.
    if GROUP not in site.acl_users.source_groups.getGroupMembers("authors"):
        site.acl_users.source_groups.addPrincipalToGroup(GROUP, "authors")
    container = site.get(FOLDER)
    if container is None:
        container = api.content.create(
            container=site, type="Folder", id=FOLDER, title="研修用", description="CMS 研修の練習用フォルダー"
        )
        container.exclude_from_nav = True
        container.reindexObject()
    # Every trainee may open /kenshu and look into the others' folders (but write only in their own).
    api.group.grant_roles(groupname=GROUP, obj=container, roles=["Reader"])
    rows = []
    for number, user_id in enumerate(trainee_ids(count), start=1):
        secret = password()
        fullname = f"研修受講者 {number:02d}"
        if api.user.get(userid=user_id) is None:
            api.user.create(
                username=user_id,
                email=f"{user_id}@kenshu.pref.kagoshima.example",
                password=secret,
                properties={"fullname": fullname},
            )
        else:
            site.acl_users.source_users.doChangeUser(user_id, secret)
        api.group.add_user(groupname=GROUP, username=user_id)
        folder = container.get(user_id)
        if folder is None:
            folder = api.content.create(
                container=container, type="Folder", id=user_id, title=f"{fullname} の練習用フォルダー"
            )
        api.user.grant_roles(username=user_id, obj=folder, roles=ROLES)
        rows.append((user_id, secret, fullname, "/" + "/".join(folder.getPhysicalPath()[2:])))
    return rows


def remove(site) -> int:
    from plone import api

    removed = 0
    for user in api.user.get_users(groupname=GROUP) if api.group.get(groupname=GROUP) else []:
        api.user.delete(user=user)
        removed += 1
    if api.group.get(groupname=GROUP) is not None:
        api.group.delete(groupname=GROUP)
    if site.get(FOLDER) is not None:
        api.content.delete(obj=site[FOLDER], check_linkintegrity=False)
    return removed


def main(app, argv) -> int:
    parser = argparse.ArgumentParser(
        prog="saiyo training", description="Prepare the CMS training's practice site"
    )
    parser.add_argument("--trainees", type=int, default=10)
    parser.add_argument(
        "--remove", action="store_true", help="delete the trainees and /kenshu after the session"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.trainees <= 99:
        print("エラー: --trainees は 1 から 99 までです。/ Error: --trainees must be 1..99", file=sys.stderr)
        return 2
    site, _request = open_site(app)
    if args.remove:
        print(f"training removed: {remove(site)} trainees, group {GROUP}, /{FOLDER}", flush=True)
        return 0
    rows = prepare(site, args.trainees)
    target = Path(running_instance()["var"]) / "training-accounts.csv"
    target.touch(mode=0o600, exist_ok=True)
    target.chmod(0o600)
    with target.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["ユーザー名", "パスワード", "氏名", "練習用フォルダー"])
        writer.writerows(rows)
    print(
        f"training ready: {len(rows)} trainees (group {GROUP}), folders /{FOLDER}/{PREFIX}01..; accounts in {target}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "training.py"))
