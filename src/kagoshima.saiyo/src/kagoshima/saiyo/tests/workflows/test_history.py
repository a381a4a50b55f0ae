"""History: versions with diff and revert on every page type, locking, link-integrity
warning on delete, redirects after a move or rename."""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.linkintegrity.utils import getIncomingLinks
from plone.app.redirector.interfaces import IRedirectionStorage
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.locking.interfaces import ILockable
from zope.component import getMultiAdapter
from zope.component import getUtility
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import unittest


PAGE_TYPES = ("Document", "News Item", "Event", "ExamNotice", "JobCategory", "StaffProfile", "FAQ")


class TestHistory(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.repository = api.portal.get_tool("portal_repository")

    def test_every_page_type_is_versioned_on_save_and_revert(self):
        for portal_type in PAGE_TYPES:
            item = api.content.create(self.portal, portal_type, title=f"{portal_type} の履歴")
            self.assertTrue(self.repository.isVersionable(item), portal_type)
            self.assertTrue(self.repository.supportsPolicy(item, "at_edit_autoversion"), portal_type)
            self.assertTrue(self.repository.supportsPolicy(item, "version_on_revert"), portal_type)

    def test_versions_diff_and_revert(self):
        page = api.content.create(self.portal, "Document", id="rekishi", title="第1版")
        self.repository.save(page, comment="初版")
        first = self.repository.getHistoryMetadata(page).getLength(countPurged=False) - 1
        page.title = "第2版"
        self.repository.save(page, comment="タイトル変更")
        last = self.repository.getHistoryMetadata(page).getLength(countPurged=False) - 1
        self.assertGreater(last, first)
        diff = api.portal.get_tool("portal_diff").createChangeSet(
            self.repository.retrieve(page, first).object, self.repository.retrieve(page, last).object
        )
        self.assertFalse(diff.same)
        self.repository.revert(page, first)
        self.assertEqual(page.title, "第1版")
        view = getMultiAdapter((page, self.layer["request"]), name="history")
        html = view()
        self.assertIn('id="versionSelector"', html)  # the diff view between any two revisions
        self.assertIn(f'<option value="{last}"', html)

    def test_locking_while_editing(self):
        page = api.content.create(self.portal, "Document", id="lock", title="編集中")
        lockable = ILockable(page)
        lockable.lock()
        self.assertTrue(lockable.locked())
        self.assertFalse(lockable.can_safely_unlock() is False)
        lockable.unlock()
        self.assertFalse(lockable.locked())

    def test_link_integrity_warns_before_delete(self):
        target = api.content.create(self.portal, "Document", id="target", title="リンク先")
        source = api.content.create(
            self.portal,
            "Document",
            id="source",
            title="リンク元",
            text=RichTextValue(
                f'<p><a href="resolveuid/{target.UID()}">リンク先のページ</a></p>',
                "text/html",
                "text/x-html-safe",
            ),
        )
        notify(ObjectModifiedEvent(source))
        self.assertEqual([rel.from_object for rel in getIncomingLinks(target)], [source])
        info = getMultiAdapter((self.portal, self.layer["request"]), name="delete_confirmation_info")
        html = info(items=[target])
        self.assertIn("リンク元", html)

    def test_redirect_after_rename_and_move(self):
        folder = api.content.create(self.portal, "Folder", id="bunrui", title="分類")
        page = api.content.create(self.portal, "Document", id="old-name", title="移動するページ")
        storage = getUtility(IRedirectionStorage)
        api.content.rename(page, new_id="new-name")
        self.assertEqual(storage.get("/plone/old-name"), "/plone/new-name")
        api.content.move(page, folder)
        self.assertEqual(storage.get("/plone/old-name"), "/plone/bunrui/new-name")
        self.assertEqual(storage.get("/plone/new-name"), "/plone/bunrui/new-name")
