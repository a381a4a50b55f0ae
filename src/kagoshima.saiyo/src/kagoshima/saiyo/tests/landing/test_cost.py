"""A landing page's render cost (landing/cost.py): the site layout rendered in the page's own
request, the filtered content layout and the tiles' HTML kept for anonymous visitors only, and
every kind of change visible at once."""

from App.config import getConfiguration
from kagoshima.saiyo.landing import cost
from kagoshima.saiyo.tests.landing.test_landing import anonymous
from kagoshima.saiyo.tests.landing.test_landing import cards
from kagoshima.saiyo.tests.landing.test_landing import freeze
from kagoshima.saiyo.tests.landing.test_landing import LANDING_TESTING
from kagoshima.saiyo.tests.landing.test_landing import open_exam
from plone import api
from plone.app.blocks import layoutviews
from plone.app.blocks import utils as blocks_utils
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser
from unittest import mock
from zope.component import getUtility
from zope.ramcache.interfaces.ram import IRAMCache

import time
import transaction
import unittest


class TestLandingPageCost(unittest.TestCase):
    layer = LANDING_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.app = self.layer["app"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        freeze(self)
        configuration = getConfiguration()
        self.addCleanup(setattr, configuration, "debug_mode", configuration.debug_mode)
        configuration.debug_mode = False  # production mode: the caches are on
        getUtility(IRAMCache).invalidateAll()
        self.url = f"{self.portal.absolute_url()}/tokushu/gijutsu"

    def view(self, browser=None):
        """The page's HTML, the URLs plone.app.blocks fetched with a subrequest, and the filter runs."""
        fetched, filtered = [], []
        subrequest, apply_filters = blocks_utils.subrequest, layoutviews.apply_filters

        def counting_subrequest(url, *args, **kwargs):
            fetched.append(url)
            return subrequest(url, *args, **kwargs)

        def counting_filters(*args, **kwargs):
            filtered.append(1)
            return apply_filters(*args, **kwargs)

        browser = browser or anonymous(self.app)
        with (
            mock.patch.object(blocks_utils, "subrequest", counting_subrequest),
            mock.patch.object(layoutviews, "apply_filters", counting_filters),
        ):
            browser.open(self.url)
        return browser.contents, fetched, len(filtered)

    def owner(self):
        browser = Browser(self.app)
        browser.handleErrors = False
        browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
        return browser

    def test_site_layout_is_rendered_in_the_request_with_the_whole_page(self):
        html, fetched, _ = self.view()
        self.assertFalse([url for url in fetched if "site-layout" in url], fetched)
        for part in ('id="portal-globalnav"', 'id="portal-breadcrumbs"', 'id="portal-footer"', "<h1"):
            self.assertIn(part, html)
        self.assertIn("技術職特集", html)
        self.assertTrue(cards(html))
        self.assertNotIn("There was an error", html)
        # Staff get the same page, rendered the same way.
        html, fetched, _ = self.view(self.owner())
        self.assertFalse([url for url in fetched if "site-layout" in url], fetched)
        self.assertIn('id="portal-footer"', html)

    def test_visitors_get_kept_tiles_and_layout_until_the_site_changes(self):
        first, fetched, filtered = self.view()
        self.assertTrue([url for url in fetched if "standardtiles.field" in url], fetched)
        self.assertEqual(filtered, 1)
        again, fetched, filtered = self.view()
        self.assertEqual(fetched, [])
        self.assertEqual(filtered, 0)
        self.assertEqual(cards(again), cards(first))
        # An edit of the page itself: its title (a Plone field tile, fetched again).
        page = self.portal.tokushu.gijutsu
        page.title = "技術職特集（改訂）"
        page.reindexObject()
        transaction.commit()
        html, fetched, filtered = self.view()
        self.assertIn("技術職特集（改訂）", html)
        self.assertTrue(fetched)
        self.assertEqual(filtered, 1)

    def test_a_new_exam_appears_at_once_on_a_kept_page(self):
        self.view()
        notice = open_exam(self.portal, "kikai-tokubetsu", "機械職特別選考（テスト）", "機械", "kikai")
        try:
            self.assertIn("機械職特別選考（テスト）", cards(self.view()[0]))
        finally:
            api.content.delete(notice, check_linkintegrity=False)
            transaction.commit()
        self.assertNotIn("機械職特別選考（テスト）", cards(self.view()[0]))

    def test_kept_for_a_minute_at_most(self):
        self.view()
        later = time.time() + 61
        with mock.patch.object(cost.time, "time", return_value=later):
            _html, fetched, filtered = self.view()
        self.assertTrue(fetched)
        self.assertEqual(filtered, 1)

    def test_staff_never_get_kept_html_and_visitors_never_get_staff_html(self):
        for _ in range(2):
            html, fetched, filtered = self.view(self.owner())
            self.assertTrue([url for url in fetched if "standardtiles.field" in url], fetched)
            self.assertEqual(filtered, 1)
        _html, fetched, filtered = self.view()
        self.assertTrue(fetched)  # nothing the staff saw was kept for visitors
        self.assertEqual(filtered, 1)
        self.view(self.owner())
        self.assertEqual(self.view()[1], [])  # and the visitors' kept tiles stay theirs

    def test_debug_mode_keeps_nothing(self):
        getConfiguration().debug_mode = True
        for _ in range(2):
            _html, fetched, filtered = self.view()
            self.assertTrue([url for url in fetched if "standardtiles.field" in url], fetched)
            self.assertEqual(filtered, 1)
