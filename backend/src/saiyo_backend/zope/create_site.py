"""Create the Plone site, or bring an existing one up to date; never wipes anything.

Run inside Zope with the instance's configuration::

    saiyo create-site [--etc instance/etc] [--demo]           (make site)
    bin/instance run backend/src/saiyo_backend/zope/create_site.py [--demo]   (the buildout instance)

- No site yet: create it from Plone's ``classic`` distribution (Japanese, Asia/Tokyo)
  and install kagoshima.saiyo (and, with ``--demo``, the demo content profile when the
  add-on provides one).
- Site already there: keep every object; install the add-on if it is missing and run
  its pending upgrade steps.
- The Zope administrator ``admin`` is created once. Its password comes from
  ``SAIYO_ADMIN_PASSWORD`` or is generated and printed once; development profiles also
  keep it in ``var/admin-password.txt`` (mode 0600).
"""

from pathlib import Path
from saiyo_backend.config import running_instance
from saiyo_backend.zope.runner import act_as
from saiyo_backend.zope.runner import ADMIN_USER
from saiyo_backend.zope.runner import from_console

import os
import secrets
import sys
import transaction


SITE_TITLE = "鹿児島県職員採用"
SITE_DESCRIPTION = (
    "鹿児島県職員の採用試験情報と、県職員の仕事・働く環境・先輩職員の声を紹介する"
    "鹿児島県人事委員会事務局の公式サイトです。"
)
ADDON = "kagoshima.saiyo"
DEMO_PROFILE = "kagoshima.saiyo:demo"


def say(text):
    print(text, flush=True)


def ensure_admin(app, settings) -> None:
    users = app.acl_users
    if users.getUserById(ADMIN_USER) is not None:
        return
    password = os.environ.get("SAIYO_ADMIN_PASSWORD", "")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(15)
    elif len(password) < 12:
        raise SystemExit(
            "エラー: SAIYO_ADMIN_PASSWORD は12文字以上にしてください。\n"
            "Error: SAIYO_ADMIN_PASSWORD must be at least 12 characters long."
        )
    users._doAddUser(ADMIN_USER, password, ["Manager"], [])
    if settings.get("store_admin_password"):
        target = Path(settings["var"]) / "admin-password.txt"
        target.touch(mode=0o600, exist_ok=True)
        target.write_text(f"{ADMIN_USER}:{password}\n", encoding="utf-8")
    if generated:
        say("=" * 72)
        say("管理者アカウントを作成しました / created the Zope administrator:")
        say(f"  user: {ADMIN_USER}")
        say(f"  password: {password}")
        say("このパスワードは一度だけ表示されます / this password is shown only once.")
        say("=" * 72)
    else:
        say(f"created the Zope administrator {ADMIN_USER!r} with the password from SAIYO_ADMIN_PASSWORD")


def create(app, site_id):
    from plone.distribution.api import site as site_api

    answers = {
        "site_id": site_id,
        "title": SITE_TITLE,
        "description": SITE_DESCRIPTION,
        "default_language": "ja",
        "portal_timezone": "Asia/Tokyo",
        "setup_content": False,
    }
    say(f"creating site {site_id!r} (Plone classic distribution, ja, Asia/Tokyo) ...")
    return site_api.create(app, "classic", answers)


def bring_up_to_date(site, demo: bool) -> None:
    from plone.base.utils import get_installer
    from zope.component.hooks import setSite

    setSite(site)
    installer = get_installer(site, site.REQUEST)
    if not installer.is_product_installed(ADDON):
        say(f"installing {ADDON} ...")
        if not installer.install_product(ADDON):
            raise SystemExit(f"Error: installing {ADDON} failed; see the event log")
    elif installer.upgrade_info(ADDON).get("required"):
        say(f"running the pending upgrade steps of {ADDON} ...")
        installer.upgrade_product(ADDON)
    setup = site.portal_setup
    if demo and DEMO_PROFILE in {p["id"] for p in setup.listProfileInfo()}:
        if setup.getLastVersionForProfile(DEMO_PROFILE) == "unknown":
            say("adding the demo content ...")
            setup.runAllImportStepsFromProfile(f"profile-{DEMO_PROFILE}")


def main(app, argv) -> int:
    demo = "--demo" in argv
    settings = running_instance()
    site_id = settings["site_id"]
    site = app.get(site_id)
    if site is None:
        site = create(app, site_id)
        created = True
    else:
        say(f"site {site_id!r} exists: keeping its content, checking the add-on")
        created = False
    # After the site exists: creating it replaces Zope's root user folder with PAS.
    ensure_admin(app, settings)
    # Install, upgrade and add the demo content as the administrator, so the pages'
    # history names a person instead of "anonymous".
    act_as(app)
    bring_up_to_date(site, demo)
    # Committed here rather than by the runner, so "ready" is only said of a stored site.
    transaction.get().note(f"saiyo create-site ({'created' if created else 'updated'})")
    transaction.commit()
    say(f"site {site_id!r} is ready")
    return 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "create_site.py"))
