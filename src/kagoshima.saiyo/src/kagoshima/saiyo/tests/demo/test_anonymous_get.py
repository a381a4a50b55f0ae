"""Anonymous GET requests never write to the ZODB, not even the first ones after site creation.

The site is built as saiyo create-site --demo builds it (DEMO_CONTENT_FIXTURE); each test
then asks for pages as an anonymous visitor, through the WSGI publisher, and checks that
the database's last transaction is still the one from before the requests.
"""

from io import BytesIO
from kagoshima.saiyo.tests.demo.test_demo_content import DEMO_CONTENT_FIXTURE
from kagoshima.saiyo.upgrades import v20261203011
from PIL import Image
from plone import api
from plone.app.testing import FunctionalTesting
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobImage
from plone.portlets.constants import ASSIGNMENT_SETTINGS_KEY
from plone.portlets.interfaces import IPortletAssignmentMapping
from plone.portlets.interfaces import IPortletManager
from plone.testing.zope import Browser
from plone.testing.zope import WSGI_SERVER_FIXTURE
from urllib.parse import quote
from zope.annotation.interfaces import IAnnotations
from zope.component import getMultiAdapter
from zope.component import getUtility

import unittest


DEMO_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(DEMO_CONTENT_FIXTURE, WSGI_SERVER_FIXTURE), name="KagoshimaSaiyoDemoContent:Functional"
)


class TestAnonymousGetWritesNothing(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.app = self.layer["app"]
        self.portal = self.layer["portal"]
        self.db = self.app._p_jar.db()

    def first_path(self, portal_type: str) -> str:
        brains = self.portal.portal_catalog.unrestrictedSearchResults(portal_type=portal_type)
        self.assertTrue(brains, portal_type)
        return brains[0].getPath().removeprefix("/".join(self.portal.getPhysicalPath()))

    def test_first_visits_leave_the_last_transaction_unchanged(self):
        paths = [
            "/",
            self.first_path("ExamNotice"),
            "/faq",
            "/@@search?SearchableText=" + quote("給与"),
            # A photo in srcset: more image scales.
            self.first_path("StaffProfile"),
        ]
        browser = Browser(self.app)
        browser.handleErrors = False
        for path in paths:
            before = self.db.lastTransaction()
            browser.open(self.portal.absolute_url() + path)
            self.assertEqual(browser.headers["status"].split()[0], "200", path)
            after = self.db.lastTransaction()
            if after != before:
                self.fail(f"GET {path} wrote to the database")

    def test_upgrade_1011_makes_what_older_sites_lack(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        buffer = BytesIO()
        Image.new("RGB", (1600, 900), "#0b4f8a").save(buffer, "JPEG")
        news = api.content.create(
            container=self.portal,
            type="News Item",
            id="shashin",
            title="写真つきのお知らせ",
            image=NamedBlobImage(data=buffer.getvalue(), filename="shashin.jpg"),
        )
        self.assertIn("plone.scale", IAnnotations(news))  # made when it was added
        manager = getUtility(IPortletManager, name="plone.leftcolumn", context=self.portal)
        mapping = getMultiAdapter((self.portal, manager), IPortletAssignmentMapping)
        self.assertTrue(mapping.values())
        # A site from before 1011: nothing made yet.
        del IAnnotations(news)["plone.scale"]
        for assignment in mapping.values():
            IAnnotations(assignment).pop(ASSIGNMENT_SETTINGS_KEY, None)
        v20261203011.upgrade()
        self.assertIn("plone.scale", IAnnotations(news))
        for assignment in mapping.values():
            self.assertIn(ASSIGNMENT_SETTINGS_KEY, IAnnotations(assignment))
