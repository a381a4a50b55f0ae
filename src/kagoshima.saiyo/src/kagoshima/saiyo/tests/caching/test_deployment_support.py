"""What the add-on gives the deployment: @@health and the caching profile."""

from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone.registry.interfaces import IRegistry
from zoneinfo import ZoneInfo
from zope.component import getUtility

import json
import time_machine
import transaction
import unittest


# Pages' ETags change with the minute: the revalidation tests stop the clock inside one.
A_MINUTE = datetime(2027, 4, 1, 9, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))


class TestHealth(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_health_answers_json_and_writes_nothing(self):
        portal, request = self.layer["portal"], self.layer["request"]
        transaction.savepoint()
        view = portal.restrictedTraverse("@@health")
        answer = json.loads(view())
        self.assertEqual(answer["status"], "ok")
        self.assertIsInstance(answer["database_bytes"], int)
        self.assertEqual(request.response.getHeader("Cache-Control"), "no-store")
        self.assertFalse(portal._p_jar._registered_objects, "@@health must not change the database")


class TestCachingProfile(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_caching_profile_caches_public_pages_briefly(self):
        portal = self.layer["portal"]
        portal.portal_setup.runAllImportStepsFromProfile("profile-kagoshima.saiyo:caching", purge_old=False)
        registry = getUtility(IRegistry)
        self.assertTrue(registry["plone.caching.interfaces.ICacheSettings.enabled"])
        mapping = registry["plone.caching.interfaces.ICacheSettings.operationMapping"]
        self.assertEqual(mapping["plone.content.itemView"], "plone.app.caching.moderateCaching")
        self.assertEqual(registry["plone.app.caching.moderateCaching.plone.content.itemView.smaxage"], 10)
        self.assertTrue(registry["plone.app.caching.moderateCaching.plone.content.itemView.anonOnly"])
        self.assertIn(
            "ExamNotice", registry["plone.app.caching.interfaces.IPloneCacheSettings.purgedContentTypes"]
        )
        types = registry["plone.app.caching.interfaces.IPloneCacheSettings.contentTypeRulesetMapping"]
        self.assertEqual(types["ExamNotice"], "plone.content.itemView")


class TestRevalidation(unittest.TestCase):
    """nginx (proxy_cache_revalidate) and browsers (max-age=0) ask "changed since this ETag?";
    a page that changed must answer 200 with the new page, one that did not 304."""

    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        from plone import api
        from plone.app.testing import setRoles
        from plone.app.testing import TEST_USER_ID

        self.portal = self.layer["portal"]
        self.portal.portal_setup.runAllImportStepsFromProfile(
            "profile-kagoshima.saiyo:caching", purge_old=False
        )
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.page = api.content.create(self.portal, "Document", id="annai", title="受験案内")
        api.content.transition(self.page, to_state="published")
        transaction.commit()

    def visit(self, etag=None):
        from plone.testing.zope import Browser

        browser = Browser(self.layer["app"])
        browser.raiseHttpErrors = False
        if etag:
            browser.addHeader("If-None-Match", etag)
        browser.open(self.page.absolute_url())
        return browser

    @time_machine.travel(A_MINUTE, tick=False)
    def test_an_unchanged_page_is_not_modified_a_changed_one_is_sent_again(self):
        first = self.visit()
        self.assertEqual(first.headers["status"].split()[0], "200")
        self.assertIn("s-maxage=10", first.headers["Cache-Control"])
        etag = first.headers["ETag"]
        self.assertNotEqual(etag.strip('"'), "|", "every anonymous page would share one ETag")

        again = self.visit(etag)
        self.assertEqual(again.headers["ETag"], etag)
        self.assertEqual(again.headers["status"].split()[0], "304")

        self.page.title = "受験案内（改訂）"
        self.page.reindexObject()
        transaction.commit()
        changed = self.visit(etag)
        self.assertEqual(changed.headers["status"].split()[0], "200")
        self.assertIn("受験案内（改訂）", changed.contents)
        self.assertNotEqual(changed.headers["ETag"], etag)

    def test_the_etag_changes_with_the_minute(self):
        from kagoshima.saiyo.caching import etags

        component = etags.Clock(self.page, self.layer["request"])
        with time_machine.travel(A_MINUTE - timedelta(seconds=31), tick=False):
            before = component()
        with time_machine.travel(A_MINUTE, tick=False):
            after = component()
            page_etag = self.visit().headers["ETag"]
        self.assertEqual((before, after), ("202704010859", "202704010900"))
        self.assertIn("202704010900", page_etag)
