"""Authors, administrators and the approval workflow (saiyo_workflow).

Roles come from the groups 作成者 (``authors``: no global role) and 管理者 (``administrators``:
Site Administrator + Reviewer); an author writes only where a section is shared with their
department group (local role Contributor). Published pages change through plone.app.iterate
working copies. 差し戻し needs a comment; submit, publish, reject and check-in send mail.
"""

from AccessControl import Unauthorized
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FIXTURE
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from kagoshima.saiyo.tests.smtp import free_port
from kagoshima.saiyo.tests.smtp import SmtpSink
from kagoshima.saiyo.workflows import setup as workflow_setup
from kagoshima.saiyo.workflows.comments import CommentRequired
from pathlib import Path
from plone import api
from plone.app.iterate.interfaces import ICheckinCheckoutPolicy
from plone.app.testing import FunctionalTesting
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.testing.zope import Browser
from plone.testing.zope import WSGI_SERVER_FIXTURE
from Products.CMFCore.WorkflowCore import WorkflowException
from zExceptions import Unauthorized as HTTPUnauthorized

import kagoshima.saiyo
import requests
import transaction
import unittest


PASSWORD = "secret-password-1234"
STATE_TITLES = {"private": "下書き", "pending": "承認待ち", "published": "公開", "expired": "公開終了"}
TRANSITION_TITLES = {
    "submit": "承認依頼",
    "publish": "公開",
    "reject": "差し戻し",
    "withdraw": "承認依頼の取消し",
    "retract": "公開取り下げ",
    "expire": "公開終了",
}


def create_people(portal):
    """Author A and B in 作成者 and the department group ``authors-jinji`` (Contributor on
    /shiken), author C in 作成者 only, and an administrator. Returns the section."""
    api.group.create(groupname="authors-jinji", title="作成者（人事課）")
    for user_id, fullname, groups in (
        ("author-a", "鹿児島 花子", ["authors", "authors-jinji"]),
        ("author-b", "薩摩 太郎", ["authors", "authors-jinji"]),
        ("author-c", "大隅 次郎", ["authors"]),
        ("kanri", "管理 一郎", ["administrators"]),
    ):
        api.user.create(
            email=f"{user_id}@pref.kagoshima.example",
            username=user_id,
            password=PASSWORD,
            properties={"fullname": fullname},
        )
        for group in groups:
            api.group.add_user(groupname=group, username=user_id)
    with api.env.adopt_roles(["Manager"]):
        section = api.content.create(container=portal, type="Folder", id="shiken", title="採用試験情報")
        api.content.transition(section, to_state="published")
        other = api.content.create(container=portal, type="Folder", id="kankyo", title="働く環境")
        api.content.transition(other, to_state="published")
    api.group.grant_roles(groupname="authors-jinji", roles=["Contributor"], obj=section)
    return section


def html(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def transitions_of(obj):
    workflow = api.portal.get_tool("portal_workflow")
    return {t["id"] for t in workflow.getTransitionsFor(obj)}


def can(permission, obj):
    return bool(api.user.get_permissions(obj=obj).get(permission))


class TestSetup(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.workflow = api.portal.get_tool("portal_workflow")

    def test_every_content_type_follows_saiyo_workflow(self):
        types = [t for t in api.portal.get_tool("portal_types").objectIds() if t != "Plone Site"]
        for type_id in ("Document", "News Item", "Event", "Folder", "File", "Image", "ExamNotice", "FAQ"):
            self.assertIn(type_id, types)
        for type_id in types:
            self.assertEqual(self.workflow.getChainForPortalType(type_id), ("saiyo_workflow",), type_id)

    def test_states_and_transitions_are_japanese(self):
        definition = self.workflow["saiyo_workflow"]
        self.assertEqual(definition.initial_state, "private")
        self.assertEqual({s.getId(): s.title for s in definition.states.objectValues()}, STATE_TITLES)
        self.assertEqual(
            {t.getId(): t.title for t in definition.transitions.objectValues()}, TRANSITION_TITLES
        )
        self.assertEqual(
            {t.getId(): t.actbox_name for t in definition.transitions.objectValues()}, TRANSITION_TITLES
        )

    def test_published_content_cannot_be_deleted_by_owner_or_contributor(self):
        definition = self.workflow["saiyo_workflow"]
        for state in ("pending", "published", "expired"):
            roles = definition.states[state].permission_roles["Delete objects"]
            self.assertEqual(sorted(roles), ["Manager", "Site Administrator"], state)
        self.assertIn("Owner", definition.states["private"].permission_roles["Delete objects"])
        self.assertNotIn("Contributor", definition.states["private"].permission_roles["View"])
        self.assertEqual(definition.states["published"].permission_roles["View"], ("Anonymous",))
        self.assertNotIn("Anonymous", definition.states["expired"].permission_roles["View"])

    def test_groups(self):
        authors = api.group.get(groupname="authors")
        administrators = api.group.get(groupname="administrators")
        self.assertEqual(authors.getProperty("title"), "作成者")
        self.assertEqual(administrators.getProperty("title"), "管理者")
        self.assertTrue(authors.getProperty("description"))
        self.assertEqual({r for r in api.group.get_roles(groupname="authors") if r != "Authenticated"}, set())
        self.assertEqual(
            {r for r in api.group.get_roles(groupname="administrators") if r != "Authenticated"},
            {"Site Administrator", "Reviewer"},
        )

    def test_groups_are_created_once(self):
        self.assertEqual(workflow_setup.ensure_groups(self.portal), [])
        api.group.revoke_roles(groupname="administrators", roles=["Reviewer"])
        workflow_setup.ensure_groups(self.portal)
        self.assertIn("Reviewer", api.group.get_roles(groupname="administrators"))

    def test_iterate_installed(self):
        setup = api.portal.get_tool("portal_setup")
        self.assertNotEqual(setup.getLastVersionForProfile("plone.app.iterate:default"), "unknown")
        actions = api.portal.get_tool("portal_actions").object_buttons
        self.assertEqual(actions.iterate_checkout.title, "修正用の作業コピーを作る")

    def test_mail_sender(self):
        self.assertEqual(
            api.portal.get_registry_record("plone.email_from_address"), "saiyo@pref.kagoshima.example"
        )
        self.assertEqual(
            api.portal.get_registry_record("plone.email_from_name"), "鹿児島県職員採用ウェブサイト"
        )


class TestAuthorsAndAdministrators(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.section = create_people(self.portal)

    def as_user(self, user_id):
        login(self.portal, user_id)

    def draft(self, user_id="author-a", title="説明会のお知らせ"):
        self.as_user(user_id)
        return api.content.create(
            container=self.section, type="Document", title=title, text=html("<p>本文</p>")
        )

    def test_author_writes_only_in_the_sections_of_their_group(self):
        page = self.draft()
        self.assertEqual(api.content.get_state(page), "private")
        self.assertEqual(page.getOwner().getId(), "author-a")
        with self.assertRaises((Unauthorized, HTTPUnauthorized)):
            api.content.create(container=self.portal.kankyo, type="Document", title="勝手なページ")
        with self.assertRaises((Unauthorized, HTTPUnauthorized)):
            api.content.create(container=self.portal, type="Document", title="勝手なページ")
        self.as_user("author-c")  # 作成者, but no department group on /shiken
        with self.assertRaises((Unauthorized, HTTPUnauthorized)):
            api.content.create(container=self.section, type="Document", title="勝手なページ")

    def test_author_has_no_global_role(self):
        self.as_user("author-a")
        self.assertEqual(set(api.user.get_roles()) - {"Authenticated"}, {"Member"})
        self.assertIn("Contributor", api.user.get_roles(obj=self.section))
        self.assertNotIn("Editor", api.user.get_roles(obj=self.section))

    def test_drafts_are_seen_by_their_owner_and_administrators_only(self):
        page = self.draft()
        self.assertTrue(can("View", page))
        self.as_user("author-b")
        self.assertFalse(can("View", page))
        self.assertEqual(len(api.content.find(UID=page.UID())), 0)
        self.as_user("kanri")
        self.assertTrue(can("View", page))
        self.assertTrue(can("Modify portal content", page))
        logout()
        self.assertFalse(can("View", page))
        self.assertEqual(len(api.content.find(UID=page.UID())), 0)

    def test_author_edits_and_deletes_own_draft_only(self):
        page = self.draft()
        self.assertTrue(can("Modify portal content", page))
        self.assertTrue(can("Delete objects", page))
        self.as_user("author-b")
        self.assertFalse(can("Modify portal content", page))
        self.assertFalse(can("Delete objects", page))
        self.as_user("author-a")
        api.content.delete(page)
        self.assertNotIn(page.getId(), self.section)

    def test_submit_and_withdraw(self):
        page = self.draft()
        self.assertEqual(transitions_of(page), {"submit"})
        api.content.transition(page, transition="submit")
        self.assertEqual(api.content.get_state(page), "pending")
        self.assertFalse(can("Modify portal content", page))
        self.assertFalse(can("Delete objects", page))
        self.assertEqual(transitions_of(page), {"withdraw"})
        api.content.transition(page, transition="withdraw")
        self.assertEqual(api.content.get_state(page), "private")
        self.assertTrue(can("Modify portal content", page))

    def test_author_cannot_publish(self):
        page = self.draft()
        workflow = api.portal.get_tool("portal_workflow")
        with self.assertRaises(WorkflowException):
            workflow.doActionFor(page, "publish")
        api.content.transition(page, transition="submit")
        with self.assertRaises(WorkflowException):
            workflow.doActionFor(page, "publish")
        self.assertEqual(api.content.get_state(page), "pending")

    def test_administrator_publishes_retracts_expires_and_deletes(self):
        page = self.draft()
        api.content.transition(page, transition="submit")
        self.as_user("kanri")
        self.assertEqual(transitions_of(page), {"publish", "reject"})
        api.content.transition(page, transition="publish")
        self.assertEqual(transitions_of(page), {"retract", "expire"})
        self.as_user("author-a")
        self.assertFalse(can("Modify portal content", page))
        self.assertFalse(can("Delete objects", page))
        self.assertEqual(transitions_of(page), set())
        logout()
        self.assertTrue(can("View", page))
        self.as_user("kanri")
        self.assertTrue(can("Modify portal content", page))
        api.content.transition(page, transition="expire")
        logout()
        self.assertFalse(can("View", page))
        self.assertEqual(len(api.content.find(UID=page.UID())), 0)
        self.as_user("author-a")
        self.assertTrue(can("View", page))
        self.assertFalse(can("Modify portal content", page))
        self.as_user("kanri")
        self.assertEqual(transitions_of(page), {"publish", "retract"})
        api.content.transition(page, transition="retract")
        self.assertEqual(api.content.get_state(page), "private")
        api.content.delete(page)

    def test_administrator_publishes_a_draft_directly(self):
        self.as_user("kanri")
        page = api.content.create(container=self.portal.kankyo, type="Document", title="給与")
        api.content.transition(page, to_state="published")
        self.assertEqual(api.content.get_state(page), "published")

    def test_users_and_settings_are_for_administrators(self):
        for user_id, allowed in (("author-a", False), ("author-b", False), ("kanri", True)):
            self.as_user(user_id)
            for permission in (
                "Plone Site Setup: Users and Groups",
                "Plone Site Setup: Site",
                "Change local roles",
            ):
                self.assertEqual(can(permission, self.portal), allowed, (user_id, permission))
            self.assertFalse(can("Manage portal", self.portal), user_id)

    def test_contributor_adds_only_into_published_folders(self):
        self.as_user("author-a")
        folder = api.content.create(container=self.section, type="Folder", title="下書きのフォルダー")
        self.as_user("author-b")
        self.assertFalse(can("Add portal content", folder))
        self.assertTrue(can("Add portal content", self.section))


class TestRejectNeedsAComment(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        section = create_people(self.portal)
        login(self.portal, "author-a")
        self.page = api.content.create(container=section, type="Document", title="差し戻されるページ")
        api.content.transition(self.page, transition="submit")
        login(self.portal, "kanri")
        self.workflow = api.portal.get_tool("portal_workflow")

    def test_reject_without_comment_is_refused(self):
        for comment in (None, "", "   \n"):
            kwargs = {} if comment is None else {"comment": comment}
            with self.assertRaises(CommentRequired) as caught:
                self.workflow.doActionFor(self.page, "reject", **kwargs)
            self.assertIn("差し戻しの理由", str(caught.exception))
            self.assertEqual(api.content.get_state(self.page), "pending")

    def test_reject_with_comment(self):
        self.workflow.doActionFor(self.page, "reject", comment="日付を確認してください。")
        self.assertEqual(api.content.get_state(self.page), "private")
        entry = self.workflow.getInfoFor(self.page, "review_history")[-1]
        self.assertEqual((entry["action"], entry["comments"]), ("reject", "日付を確認してください。"))


class TestWorkingCopies(unittest.TestCase):
    """Published pages change through plone.app.iterate working copies."""

    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        section = create_people(self.portal)
        login(self.portal, "author-a")
        self.page = api.content.create(
            container=section,
            type="Document",
            id="setsumeikai",
            title="説明会",
            text=html("<p>公開中の本文</p>"),
        )
        api.content.transition(self.page, transition="submit")
        login(self.portal, "kanri")
        api.content.transition(self.page, transition="publish")

    def control(self, obj):
        return api.content.get_view("iterate_control", obj, self.request)

    def checkout(self, user_id):
        login(self.portal, user_id)
        self.assertTrue(self.control(self.page).checkout_allowed())
        locator = api.content.get_view("content-checkout", self.page, self.request)
        container = next(
            c["locator"] for c in locator.containers() if c["name"] == "plone.app.iterate.parent"
        )
        return ICheckinCheckoutPolicy(self.page).checkout(container())

    def test_author_edits_a_working_copy_and_the_live_page_stays(self):
        copy = self.checkout("author-a")
        self.assertEqual(api.content.get_state(copy), "private")
        self.assertEqual(copy.getOwner().getId(), "author-a")
        copy.text = html("<p>修正した本文</p>")
        api.content.transition(copy, transition="submit")
        self.assertEqual(self.page.text.raw, "<p>公開中の本文</p>")
        logout()
        self.assertFalse(can("View", copy))
        login(self.portal, "author-b")
        self.assertFalse(can("View", copy))

    def test_colleague_in_the_section_may_propose_a_change(self):
        copy = self.checkout("author-b")
        self.assertEqual(copy.getOwner().getId(), "author-b")
        login(self.portal, "author-a")
        self.assertFalse(can("View", copy))

    def test_administrator_approves_by_check_in(self):
        copy = self.checkout("author-a")
        image = api.content.create(
            container=self.page.aq_parent, type="Image", id="kaijo", title="会場の写真"
        )
        copy.text = html(f'<p>修正した本文</p><p><img src="resolveuid/{image.UID()}" alt="会場" /></p>')
        api.content.transition(copy, transition="submit")
        self.assertFalse(self.control(copy).checkin_allowed())
        login(self.portal, "kanri")
        self.assertNotIn("publish", transitions_of(copy))  # not a second page: check in
        self.assertIn("reject", transitions_of(copy))
        self.assertTrue(self.control(copy).checkin_allowed())
        baseline = ICheckinCheckoutPolicy(copy).checkin("承認しました")
        self.assertTrue(baseline.text.raw.startswith("<p>修正した本文</p>"))
        self.assertEqual(api.content.get_state(image), "published")  # published along with the change
        self.assertEqual(api.content.get_state(baseline), "published")
        self.assertNotIn(copy.getId(), self.page.aq_parent)

    def test_authors_cannot_check_out_drafts_or_check_in(self):
        login(self.portal, "author-a")
        draft = api.content.create(container=self.page.aq_parent, type="Document", title="下書き")
        self.assertFalse(self.control(draft).checkout_allowed())
        login(self.portal, "author-c")  # not in the section's group
        self.assertFalse(self.control(self.page).checkout_allowed())


class TestPublishingFollowers(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_publishing_a_page_publishes_its_draft_images(self):
        portal = self.layer["portal"]
        section = create_people(portal)
        login(portal, "author-a")
        image = api.content.create(container=section, type="Image", id="photo", title="写真")
        unrelated = api.content.create(container=section, type="Image", id="other", title="別の写真")
        page = api.content.create(
            container=section,
            type="Document",
            title="職場紹介",
            text=html(f'<p><img src="resolveuid/{image.UID()}/@@images/image/large" alt="職場" /></p>'),
        )
        api.content.transition(page, transition="submit")
        login(portal, "kanri")
        api.content.transition(page, transition="publish")
        self.assertEqual(api.content.get_state(image), "published")
        self.assertEqual(api.content.get_state(unrelated), "private")


class TestUpgrade(unittest.TestCase):
    """v20261125002 brings a site made before the workflow to what a new site has."""

    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_profile_of_the_step_matches_the_default_profile(self):
        # When the default profile changes again, a newer upgrade step carries the change.
        base = Path(kagoshima.saiyo.__file__).parent
        for name in ("workflows.xml", "workflows/saiyo_workflow/definition.xml", "registry/workflows.xml"):
            self.assertEqual(
                (base / "upgrades" / "v20261125002" / name).read_text(),
                (base / "profiles" / "default" / name).read_text(),
                name,
            )

    def test_upgrade_keeps_states_and_visibility(self):
        portal = self.layer["portal"]
        setRoles(portal, TEST_USER_ID, ["Manager"])
        workflow = api.portal.get_tool("portal_workflow")
        setup = api.portal.get_tool("portal_setup")
        # The site as version 1000 left it: simple_publication_workflow, no workflow on images.
        workflow.manage_delObjects(["saiyo_workflow"])
        workflow.setDefaultChain("simple_publication_workflow")
        workflow.setChainForPortalTypes(("File", "Image"), ())
        for group in ("authors", "administrators"):
            api.group.delete(groupname=group)
        folder = api.content.create(container=portal, type="Folder", id="shiken", title="採用試験情報")
        api.content.transition(folder, transition="publish")
        published = api.content.create(container=folder, type="Document", id="a", title="公開")
        api.content.transition(published, transition="publish")
        pending = api.content.create(container=folder, type="Document", id="b", title="承認待ち")
        api.content.transition(pending, transition="submit")
        private = api.content.create(container=folder, type="Document", id="c", title="非公開")
        image = api.content.create(container=folder, type="Image", id="d", title="写真")
        setup.setLastVersionForProfile("kagoshima.saiyo:default", "1001")

        setup.upgradeProfile("kagoshima.saiyo:default", dest="1002")

        self.assertEqual(setup.getLastVersionForProfile("kagoshima.saiyo:default"), ("1002",))
        self.assertEqual(workflow.getChainForPortalType("Image"), ("saiyo_workflow",))
        self.assertEqual(workflow.getDefaultChain(), ("saiyo_workflow",))
        states = {
            obj.getId(): api.content.get_state(obj) for obj in (folder, published, pending, private, image)
        }
        self.assertEqual(
            states,
            {"shiken": "published", "a": "published", "b": "pending", "c": "private", "d": "published"},
        )
        logout()
        self.assertEqual({b.getId for b in api.content.find(context=folder)}, {"shiken", "a", "d"})
        self.assertEqual(api.group.get(groupname="administrators").getProperty("title"), "管理者")
        # Running it again changes nothing.
        self.assertEqual(workflow_setup.adopt_existing_content(portal), {})


# --- through the web: the 差し戻し form, the REST API and the mail -------------------------

WEB_TESTING = FunctionalTesting(
    bases=(KAGOSHIMA_SAIYO_FIXTURE, WSGI_SERVER_FIXTURE),
    name="KagoshimaSaiyoLayer:WorkflowWebTesting",
)


class TestThroughTheWeb(unittest.TestCase):
    """Real HTTP on the test server; mail goes to a real SMTP server (aiosmtpd) on loopback."""

    layer = WEB_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.sink = SmtpSink()
        self.sink.start()
        self.addCleanup(self.sink.stop)
        # Plone's mailer reads the SMTP server from the registry (サイト設定 → メール).
        api.portal.set_registry_record("plone.smtp_host", self.sink.host)
        api.portal.set_registry_record("plone.smtp_port", self.sink.port)
        create_people(self.portal)
        login(self.portal, "author-a")
        self.page = api.content.create(
            container=self.portal.shiken, type="Document", id="setsumeikai", title="職員採用説明会"
        )
        api.content.transition(self.page, transition="submit")
        logout()
        transaction.commit()
        self.sink.clear()

    def mails(self, count=1):
        return self.sink.wait_for(count, timeout=5 if count else 0.5)

    def browser(self, user_id):
        browser = Browser(self.layer["app"])
        browser.handleErrors = False
        browser.raiseHttpErrors = False
        browser.addHeader("Authorization", f"Basic {user_id}:{PASSWORD}")
        browser.addHeader("Accept", "text/html")
        return browser

    def state(self):
        transaction.begin()
        return api.content.get_state(self.portal.shiken.setsumeikai)

    def test_reject_form_needs_a_reason(self):
        browser = self.browser("kanri")
        browser.open(f"{self.page.absolute_url()}/@@saiyo-reject")
        self.assertIn("差し戻しの理由", browser.contents)
        browser.getControl(name="form.buttons.reject").click()
        self.assertEqual(browser.headers["status"], "400 Bad Request")
        self.assertIn("差し戻しの理由（コメント）を入力してください", browser.contents)
        self.assertEqual(self.state(), "pending")
        browser.getControl(name="comment").value = "試験日の表記を和暦にそろえてください。"
        browser.getControl(name="form.buttons.reject").click()
        self.assertEqual(browser.url, self.page.absolute_url())
        self.assertEqual(self.state(), "private")
        (mail,) = self.mails()
        self.assertEqual(mail["to"], ["author-a@pref.kagoshima.example"])
        self.assertEqual(mail["subject"], "【差し戻し】職員採用説明会")
        self.assertIn("試験日の表記を和暦にそろえてください。", mail["body"])
        self.assertIn(self.page.absolute_url(), mail["body"])
        self.assertIn("鹿児島県職員採用ウェブサイト", mail["from"])
        self.assertIn("saiyo@pref.kagoshima.example", mail["from"])

    def test_workflow_menu_links_to_the_form_and_plain_reject_lands_there(self):
        browser = self.browser("kanri")
        browser.handleErrors = True
        browser.open(self.page.absolute_url())
        self.assertIn("/@@saiyo-reject?_authenticator=", browser.contents)
        token = browser.contents.split("/@@saiyo-reject?_authenticator=")[1].split('"')[0]
        browser.open(
            f"{self.page.absolute_url()}/content_status_modify?workflow_action=reject&_authenticator={token}"
        )
        self.assertEqual(browser.url, f"{self.page.absolute_url()}/@@saiyo-reject")
        self.assertIn("差し戻しの理由（コメント）を入力してください", browser.contents)
        self.assertEqual(self.state(), "pending")
        self.assertEqual(self.mails(0), [])

    def test_rest_api_reject(self):
        url = f"{self.page.absolute_url()}/@workflow/reject"
        headers = {"Accept": "application/json"}
        auth = ("kanri", PASSWORD)
        refused = requests.post(url, json={}, headers=headers, auth=auth, timeout=30)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("差し戻しの理由", refused.json()["error"]["message"])
        blank = requests.post(url, json={"comment": " "}, headers=headers, auth=auth, timeout=30)
        self.assertEqual(blank.status_code, 400)
        self.assertEqual(self.state(), "pending")
        self.assertEqual(self.mails(0), [])
        done = requests.post(
            url, json={"comment": "写真を差し替えてください。"}, headers=headers, auth=auth, timeout=30
        )
        self.assertEqual(done.status_code, 200, done.text)
        self.assertEqual(done.json()["review_state"], "private")
        self.assertEqual(self.state(), "private")
        self.assertIn("写真を差し替えてください。", self.mails()[0]["body"])

    def test_submit_mails_administrators_and_publish_mails_the_author(self):
        headers = {"Accept": "application/json"}
        base = self.page.absolute_url()
        withdrawn = requests.post(
            f"{base}/@workflow/withdraw", headers=headers, auth=("author-a", PASSWORD), timeout=30
        )
        self.assertEqual(withdrawn.status_code, 200, withdrawn.text)
        self.assertEqual(self.mails(0), [])
        submitted = requests.post(
            f"{base}/@workflow/submit",
            json={"comment": "ご確認ください"},
            headers=headers,
            auth=("author-a", PASSWORD),
            timeout=30,
        )
        self.assertEqual(submitted.status_code, 200, submitted.text)
        (mail,) = self.mails()
        self.assertEqual(mail["to"], ["kanri@pref.kagoshima.example"])
        self.assertEqual(mail["subject"], "【承認依頼】職員採用説明会")
        self.assertIn("鹿児島 花子さんから", mail["body"])
        self.assertIn(base, mail["body"])
        self.assertIn("ご確認ください", mail["body"])
        self.sink.clear()
        published = requests.post(
            f"{base}/@workflow/publish", headers=headers, auth=("kanri", PASSWORD), timeout=30
        )
        self.assertEqual(published.status_code, 200, published.text)
        (mail,) = self.mails()
        self.assertEqual(mail["to"], ["author-a@pref.kagoshima.example"])
        self.assertEqual(mail["subject"], "【公開】職員採用説明会")

    def test_check_in_mails_the_author_of_the_working_copy(self):
        headers = {"Accept": "application/json"}
        base = self.page.absolute_url()
        requests.post(f"{base}/@workflow/publish", headers=headers, auth=("kanri", PASSWORD), timeout=30)
        self.sink.clear()
        created = requests.post(
            f"{base}/@workingcopy", headers=headers, auth=("author-b", PASSWORD), timeout=30
        )
        self.assertEqual(created.status_code, 201, created.text)
        copy_url = created.json()["@id"]
        refused = requests.patch(
            f"{base}/@workingcopy", headers=headers, auth=("author-b", PASSWORD), timeout=30
        )
        self.assertIn(refused.status_code, (401, 403))
        checked_in = requests.patch(
            f"{base}/@workingcopy", headers=headers, auth=("kanri", PASSWORD), timeout=30
        )
        self.assertEqual(checked_in.status_code, 204, checked_in.text)
        self.assertEqual(
            requests.get(copy_url, headers=headers, auth=("kanri", PASSWORD), timeout=30).status_code, 404
        )
        (mail,) = self.mails()
        self.assertEqual(mail["to"], ["author-b@pref.kagoshima.example"])
        self.assertTrue(mail["subject"].startswith("【公開】職員採用説明会"))

    def test_mail_server_down_does_not_block_publishing(self):
        api.portal.set_registry_record("plone.smtp_port", free_port())  # nothing listens there
        transaction.commit()
        with self.assertLogs("kagoshima.saiyo.workflows", level="ERROR") as logs:
            response = requests.post(
                f"{self.page.absolute_url()}/@workflow/publish",
                headers={"Accept": "application/json"},
                auth=("kanri", PASSWORD),
                timeout=30,
            )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.state(), "published")
        self.assertIn("could not send the mail", logs.output[0])
