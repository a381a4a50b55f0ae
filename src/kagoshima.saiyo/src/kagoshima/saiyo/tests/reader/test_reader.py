"""The built-in reader (音声読み上げ): its bundle, its upgrade step and where its panel appears.

What it says and how its controls behave is tested in Chromium (tests/reader/ of the project).
"""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser

import transaction
import unittest


BUNDLE = "plone.bundles/saiyo-reader"


class TestReaderBundle(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_bundle_is_deferred_and_local(self):
        self.assertTrue(api.portal.get_registry_record(f"{BUNDLE}.enabled"))
        self.assertTrue(api.portal.get_registry_record(f"{BUNDLE}.load_defer"))
        # no dependency: Plone leaves out a bundle whose dependency is disabled
        self.assertFalse(api.portal.get_registry_record(f"{BUNDLE}.depends"))
        js = api.portal.get_registry_record(f"{BUNDLE}.jscompilation")
        css = api.portal.get_registry_record(f"{BUNDLE}.csscompilation")
        self.assertEqual(js, "++resource++kagoshima.saiyo.reader/reader.js")
        self.assertEqual(css, "++resource++kagoshima.saiyo.reader/reader.css")

    def test_upgrade_from_1002_adds_the_bundle(self):
        setup = api.portal.get_tool("portal_setup")
        registry = api.portal.get_tool("portal_registry")
        for key in [key for key in registry.records.keys() if key.startswith(BUNDLE + ".")]:
            del registry.records[key]
        setup.setLastVersionForProfile("kagoshima.saiyo:default", "1002")

        setup.upgradeProfile("kagoshima.saiyo:default")

        self.assertEqual(
            setup.getLastVersionForProfile("kagoshima.saiyo:default"),
            (setup.getVersionForProfile("kagoshima.saiyo:default"),),
        )
        self.assertTrue(api.portal.get_registry_record(f"{BUNDLE}.load_defer"))


class TestReaderPanel(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        setRoles(portal, TEST_USER_ID, ["Manager"])
        page = api.content.create(container=portal, type="Document", id="page", title="ページ")
        api.content.transition(page, transition="publish")
        transaction.commit()
        self.url = page.absolute_url()
        self.browser = Browser(self.layer["app"])

    def test_panel_above_the_title_of_a_page(self):
        self.browser.open(self.url)
        html = self.browser.contents
        self.assertIn('id="saiyo-reader"', html)
        self.assertIn('role="status"', html)
        self.assertIn("++resource++kagoshima.saiyo.reader/reader.js", html)
        self.assertLess(html.index('id="saiyo-reader"'), html.index("<h1"))

    def test_panel_on_search_and_sitemap_too(self):
        # The utility bar's 読み上げ link is on every page; so is the panel it opens.
        for view in ("@@search?SearchableText=%E8%A9%A6%E9%A8%93", "@@sitemap"):
            self.browser.open(f"{self.layer['portal'].absolute_url()}/{view}")
            self.assertIn('id="saiyo-reader"', self.browser.contents, view)
            self.assertIn('class="saiyo-utility-reader', self.browser.contents, view)

    def test_no_panel_on_forms(self):
        self.browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
        self.browser.open(self.url + "/edit")
        self.assertNotIn('id="saiyo-reader"', self.browser.contents)

    def test_script_is_served(self):
        self.browser.open(
            self.layer["portal"].absolute_url() + "/++resource++kagoshima.saiyo.reader/reader.js"
        )
        body = self.browser.contents
        body = body if isinstance(body, bytes) else body.encode()
        self.assertIn(b"speechSynthesis", body)
        self.assertLess(len(body), 16_000)
