"""What the add-on gives the deployment (issue 8): @@health and the caching profile."""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import json
import transaction
import unittest


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
