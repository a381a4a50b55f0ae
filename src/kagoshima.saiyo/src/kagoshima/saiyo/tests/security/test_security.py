"""Hardening: lockout and password policy (PAS), uploads, headers, audit store, client IP."""

from kagoshima.saiyo.security import audit
from kagoshima.saiyo.security import uploads
from kagoshima.saiyo.security.pas import PLUGIN_ID
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile
from plone.testing.zope import Browser
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin
from zExceptions import BadRequest

import os
import tempfile
import time
import transaction
import unittest


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


class AuditInTempDir:
    def use_temporary_audit(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        previous = os.environ.get(audit.DIRECTORY_ENV)
        os.environ[audit.DIRECTORY_ENV] = tmp.name

        def restore():
            if previous is None:
                os.environ.pop(audit.DIRECTORY_ENV, None)
            else:
                os.environ[audit.DIRECTORY_ENV] = previous

        self.addCleanup(restore)
        return audit.get_store()


class TestUploadRules(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_allowed_types_pass(self):
        self.assertIsNone(uploads.problem("guide.pdf", PDF))
        self.assertIsNone(uploads.problem("photo.png", PNG))
        self.assertIsNone(uploads.problem("form.docx", b"PK\x03\x04rest"))
        self.assertIsNone(uploads.problem("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"))

    def test_svg_refused_by_name_and_by_content(self):
        self.assertIn("SVG", uploads.problem("logo.svg", SVG))
        self.assertIn("SVG", uploads.problem("logo.png", SVG))

    def test_other_types_and_disguises_refused(self):
        self.assertIn("アップロードできない種類", uploads.problem("page.html", b"<script>alert(1)</script>"))
        self.assertIn("アップロードできない種類", uploads.problem("tool.exe", b"MZ"))
        self.assertIn("一致しません", uploads.problem("fake.pdf", b"<html><script>alert(1)</script>"))

    def test_size_limit(self):
        api.portal.set_registry_record("kagoshima.saiyo.security.upload_max_mb", 1)
        message = uploads.problem("big.pdf", PDF + b"0" * (1024 * 1024))
        self.assertIn("大きすぎます", message)
        self.assertIn("1 MB 以下", message)

    def test_content_with_bad_file_refused(self):
        setRoles(self.layer["portal"], TEST_USER_ID, ["Manager"])
        with self.assertRaises(BadRequest) as raised:
            api.content.create(
                self.layer["portal"], "File", id="x", file=NamedBlobFile(data=SVG, filename="x.svg")
            )
        self.assertIn("SVG", str(raised.exception))
        item = api.content.create(
            self.layer["portal"], "File", id="ok", file=NamedBlobFile(data=PDF, filename="ok.pdf")
        )
        self.assertEqual(item.file.filename, "ok.pdf")


class TestPasswordPolicy(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_plugin_installed_first(self):
        pas = self.layer["portal"].acl_users
        self.assertIn(PLUGIN_ID, pas.objectIds())
        self.assertEqual(pas.plugins.listPlugins(IAuthenticationPlugin)[0][0], PLUGIN_ID)

    def test_short_password_refused(self):
        registration = api.portal.get_tool("portal_registration")
        self.assertIn("12文字以上", registration.testPasswordValidity("Short-123"))
        self.assertIsNone(registration.testPasswordValidity("Kagoshima-Sakurajima-2026"))

    def test_password_containing_user_name_refused(self):
        plugin = self.layer["portal"].acl_users[PLUGIN_ID]
        errors = plugin.validateUserInfo(None, "tanaka", {"password": "tanaka-password-2026"})
        self.assertTrue(any("ユーザー名" in error["error"] for error in errors))
        self.assertEqual(plugin.validateUserInfo(None, "tanaka", {"password": "Sakurajima-View-2026"}), [])
        request = self.layer["request"]
        request.form["form.widgets.username"] = "satsuma"
        errors = plugin.validateUserInfo(None, "", {"password": "Satsuma1234567"})
        self.assertTrue(errors)


class TestClientIp(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def request(self, remote, forwarded=None):
        request = self.layer["request"]
        request.environ["REMOTE_ADDR"] = remote
        request.other["REMOTE_ADDR"] = remote
        if forwarded is None:
            request.environ.pop("HTTP_X_FORWARDED_FOR", None)
        else:
            request.environ["HTTP_X_FORWARDED_FOR"] = forwarded
        return request

    def test_forwarded_only_from_trusted_proxies(self):
        trusted = ["10.0.0.0/8"]
        self.assertEqual(audit.client_ip(self.request("10.0.0.5", "203.0.113.7"), trusted), "203.0.113.7")
        # a client cannot pretend: its own X-Forwarded-For is ignored
        self.assertEqual(
            audit.client_ip(self.request("198.51.100.2", "203.0.113.7"), trusted), "198.51.100.2"
        )
        # a forged first entry before the real one appended by our proxy
        self.assertEqual(
            audit.client_ip(self.request("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.9"), trusted),
            "203.0.113.7",
        )


class TestAuditStore(AuditInTempDir, unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_filters_and_csv(self):
        store = self.use_temporary_audit()
        now = time.time()
        store.add("hanako", "created", "/shiken/a", "Document: A", "203.0.113.1", at=now - 86400 * 3)
        store.add("hanako", "edited", "/shiken/a", "A", "203.0.113.1", at=now)
        store.add("taro", "deleted", "/news/b", "News Item: B", "203.0.113.2", at=now)
        self.assertEqual(len(store.search(user="hanako")), 2)
        self.assertEqual([row["action"] for row in store.search(path="/shiken")], ["edited", "created"])
        self.assertEqual(len(store.search(start=now - 3600)), 2)
        self.assertEqual(store.search(path="/shik"), [])
        text = audit.to_csv(store.search())
        self.assertTrue(text.startswith("\ufeff日時,ユーザー,操作"))
        self.assertIn("削除", text)

    def test_retention_deletes_old_events_once_a_day(self):
        store = self.use_temporary_audit()
        now = time.time()
        day = 86400
        store.add("hanako", "edited", "/shiken/a", "", "", at=now - day * 400)
        store.add("hanako", "edited", "/shiken/b", "", "", at=now - day * 100)
        store.add("hanako", "edited", "/shiken/c", "", "", at=now)
        # (today's first write already applied the default, 1095 days: all three are younger)
        self.assertEqual(store.prune_daily(365, now=now + day), 1)
        self.assertEqual([row["path"] for row in store.search()], ["/shiken/c", "/shiken/b"])
        # the same day again: nothing is due, even with a shorter period
        self.assertIsNone(store.prune_daily(90, now=now + day))
        # the next day the shorter period applies; 0 keeps everything
        self.assertEqual(store.prune_daily(90, now=now + day * 2), 1)
        self.assertIsNone(store.prune_daily(0, now=now + day * 3))
        # under 30 days counts as 30: the lockout reads login failures from this table
        store.add("hanako", "login_failed", at=now - day * 10)
        self.assertEqual(store.prune_daily(1, now=now + day * 4), 0)
        self.assertEqual(len(store.search(action="login_failed")), 1)


class TestLockoutAndAudit(AuditInTempDir, unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.store = self.use_temporary_audit()
        self.portal = self.layer["portal"]
        api.portal.set_registry_record("kagoshima.saiyo.security.lockout_attempts", 3)
        api.user.create(email="hanako@example.org", username="hanako", password="Sakurajima-View-2026")
        transaction.commit()

    def browser(self, user=None, password=None):
        browser = Browser(self.layer["app"])
        browser.handleErrors = True
        browser.raiseHttpErrors = False
        if user:
            browser.addHeader("Authorization", f"Basic {user}:{password}")
        return browser

    def test_lockout_after_failures_even_with_the_right_password(self):
        for _ in range(3):
            browser = self.browser("hanako", "wrong-password-123")
            browser.open(self.portal.absolute_url() + "/@@personal-information")
        self.assertEqual(len(self.store.search(user="hanako", action="login_failed")), 3)
        self.assertEqual(len(self.store.search(user="hanako", action="lockout")), 1)
        browser = self.browser("hanako", "Sakurajima-View-2026")
        browser.open(self.portal.absolute_url() + "/@@personal-information")
        self.assertNotIn("hanako", browser.contents)
        self.assertTrue(self.store.search(user="hanako", action="login_refused"))

    def test_unknown_login_is_counted_the_same(self):
        for _ in range(3):
            self.browser("nobody-here", "wrong-password-123").open(self.portal.absolute_url())
        self.assertEqual(len(self.store.search(user="nobody-here", action="lockout")), 1)

    def test_site_owner_is_not_counted(self):
        self.browser(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).open(self.portal.absolute_url())
        self.assertEqual(self.store.search(action="login_failed"), [])

    def test_content_changes_are_recorded_after_commit(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        page = api.content.create(self.portal, "Document", id="audit-me", title="記録されるページ")
        transaction.commit()
        api.content.transition(page, transition="submit")
        transaction.commit()
        api.content.delete(page)
        transaction.commit()
        actions = [row["action"] for row in self.store.search(path="/audit-me")]
        self.assertEqual(actions, ["deleted", "transition", "created"])
        # an aborted change leaves nothing
        api.content.create(self.portal, "Document", id="rolled-back", title="取り消し")
        transaction.abort()
        self.assertEqual(self.store.search(path="/rolled-back"), [])

    def test_writers_apply_the_retention_from_the_settings(self):
        api.portal.set_registry_record("kagoshima.saiyo.security.audit_retention_days", 35)
        transaction.commit()
        self.store.connection().execute(  # an event from before: not written today by add()
            "INSERT INTO events (at, user, action, path, detail, ip) VALUES (?, 'hanako', 'edited', '/old', '', '')",
            (time.time() - 86400 * 40,),
        )
        self.browser(SITE_OWNER_NAME, "wrong-password-123").open(self.portal.absolute_url())
        self.browser("nobody-here", "wrong-password-123").open(self.portal.absolute_url())
        self.assertEqual(self.store.search(path="/old"), [])
        self.assertTrue(self.store.search(user="nobody-here", action="login_failed"))

    def test_audit_view_needs_permission(self):
        anonymous = self.browser()
        anonymous.open(self.portal.absolute_url() + "/@@saiyo-audit")
        self.assertNotIn("操作履歴", anonymous.contents)
        admin = self.browser(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        admin.open(self.portal.absolute_url() + "/@@saiyo-audit?format=csv")
        self.assertEqual(admin.headers["Content-Type"], "text/csv; charset=utf-8")


class TestUpgrade(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_upgrade_from_1002_installs_the_plugin_and_settings(self):
        portal = self.layer["portal"]
        setup = api.portal.get_tool("portal_setup")
        portal.acl_users.manage_delObjects([PLUGIN_ID])
        api.portal.get_tool("portal_registry").records.__delitem__(
            "kagoshima.saiyo.security.lockout_attempts"
        )
        setup.setLastVersionForProfile("kagoshima.saiyo:default", "1002")
        setup.upgradeProfile("kagoshima.saiyo:default")
        self.assertEqual(
            setup.getLastVersionForProfile("kagoshima.saiyo:default"),
            (setup.getVersionForProfile("kagoshima.saiyo:default"),),
        )
        self.assertEqual(portal.acl_users.plugins.listPlugins(IAuthenticationPlugin)[0][0], PLUGIN_ID)
        self.assertEqual(api.portal.get_registry_record("kagoshima.saiyo.security.lockout_attempts"), 5)
        self.assertEqual(portal.acl_users.session.timeout, 7200)

    def test_session_timeout_follows_the_setting(self):
        portal = self.layer["portal"]
        self.assertEqual(portal.acl_users.session.timeout, 7200)
        api.portal.set_registry_record("kagoshima.saiyo.security.session_timeout_minutes", 45)
        self.assertEqual(portal.acl_users.session.timeout, 45 * 60)
        api.portal.set_registry_record("kagoshima.saiyo.security.lockout_minutes", 31)  # others: no effect
        self.assertEqual(portal.acl_users.session.timeout, 45 * 60)

    def test_upgrade_from_1008_adds_the_retention_and_keeps_the_settings(self):
        setup = api.portal.get_tool("portal_setup")
        registry = api.portal.get_tool("portal_registry")
        api.portal.set_registry_record("kagoshima.saiyo.security.lockout_attempts", 7)
        del registry.records["kagoshima.saiyo.security.audit_retention_days"]
        del registry.records["kagoshima.saiyo.security.session_timeout_minutes"]
        setup.setLastVersionForProfile("kagoshima.saiyo:default", "1008")
        setup.upgradeProfile("kagoshima.saiyo:default")
        self.assertEqual(
            api.portal.get_registry_record("kagoshima.saiyo.security.audit_retention_days"), 1095
        )
        self.assertEqual(api.portal.get_registry_record("kagoshima.saiyo.security.lockout_attempts"), 7)


class TestInlineScriptsAllowedByPolicy(unittest.TestCase):
    """Every inline script the site renders is allowed by the Content-Security-Policy's hashes."""

    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def test_inline_scripts_of_the_front_page_are_in_script_src(self):
        import base64
        import hashlib
        import re

        browser = Browser(self.layer["app"])
        browser.open(self.layer["portal"].absolute_url())
        policy = browser.headers["Content-Security-Policy"]
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        # Data blocks (JSON-LD) are not executed, so CSP does not apply to them.
        scripts = re.findall(r"<script((?![^>]*\bsrc=)[^>]*)>(.*?)</script>", browser.contents, flags=re.S)
        executable = [body for attributes, body in scripts if body.strip() and "ld+json" not in attributes]
        self.assertTrue(executable, "the front page has no inline script: the pre-paint script is missing")
        for body in executable:
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
            self.assertIn(f"'sha256-{digest}'", script_src, body[:80])


class TestInlineScriptsWithoutSite(unittest.TestCase):
    """Zope's own error pages get the policy without a site: the features' scripts are still allowed."""

    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_default_policy_allows_the_registered_scripts(self):
        from kagoshima.saiyo.analytics.viewlets import BEACON_SCRIPT
        from kagoshima.saiyo.inline_scripts import allowed_scripts
        from kagoshima.saiyo.inline_scripts import csp_hash
        from kagoshima.saiyo.security.headers import default_policy
        from kagoshima.saiyo.theme.viewlets import PREPAINT_SCRIPT
        from zope.component.hooks import getSite
        from zope.component.hooks import setSite

        site = getSite()
        setSite(None)
        try:
            bodies = allowed_scripts()
            policy = default_policy()
        finally:
            setSite(site)
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        for body in (PREPAINT_SCRIPT, BEACON_SCRIPT):
            self.assertIn(body, bodies)
            self.assertIn(csp_hash(body), script_src)
