"""Landing pages built with Mosaic: the site's tiles on the demo's 技術職特集 and UIターン特集,
live data, direct rendering (no subrequest per tile), cache purge paths, the layouts' permission."""

from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.landing import purge
from kagoshima.saiyo.landing import rendering
from kagoshima.saiyo.landing import tiles
from kagoshima.saiyo.tests.demo.test_demo_content import DEMO_CONTENT_FIXTURE
from kagoshima.saiyo.tests.demo.test_demo_content import NOON
from plone import api
from plone.app.blocks import utils as blocks_utils
from plone.app.mosaic.utils import getContentLayoutsForType
from plone.app.testing import FunctionalTesting
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.cachepurging.utils import getPathsToPurge
from plone.testing.zope import Browser
from unittest import mock
from zope.component import getUtility
from zope.interface import Invalid
from zope.ramcache.interfaces.ram import IRAMCache

import re
import transaction
import unittest


LANDING_TESTING = FunctionalTesting(bases=(DEMO_CONTENT_FIXTURE,), name="KagoshimaSaiyoLanding:Functional")


class FrozenDatetime(datetime):
    """``datetime`` whose now() is the demo's creation day at noon (the demo's dates are relative to it)."""

    @classmethod
    def now(cls, tz=None):
        return NOON if tz is None else NOON.astimezone(tz)


def freeze(test):
    from kagoshima.saiyo.content import exam_status

    for module in (exam_status, tiles):
        patcher = mock.patch.object(module, "datetime", FrozenDatetime)
        patcher.start()
        test.addCleanup(patcher.stop)


def anonymous(app):
    browser = Browser(app)
    browser.handleErrors = False
    return browser


def cards(html):
    return re.findall(r'class="saiyo-exam-card__title"><a href="[^"]*">([^<]+)</a>', html)


def open_exam(portal, id, title, division, job_type):
    """A published exam for working people, open for applications since yesterday (demo time)."""
    start = NOON - timedelta(days=1)
    notice = api.content.create(
        container=portal.shiken.annai,
        type="ExamNotice",
        id=id,
        title=title,
        fiscal_year=2025,
        exam_type="daigaku",
        audiences=["shakaijin"],
        divisions=[{"name": division, "headcount": 2, "job_type": job_type, "note": None}],
        application_start=start.replace(tzinfo=None),
        application_end=(start + timedelta(days=20)).replace(tzinfo=None),
    )
    api.content.transition(obj=notice, to_state="published")
    transaction.commit()
    return notice


class TestLandingPages(unittest.TestCase):
    layer = LANDING_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.app = self.layer["app"]
        freeze(self)

    def page(self, path):
        browser = anonymous(self.app)
        browser.open(f"{self.portal.absolute_url()}/{path}")
        return browser.contents

    def test_demo_pages_are_landing_pages_linked_from_the_top(self):
        for name in ("gijutsu", "uiturn"):
            page = self.portal.tokushu[name]
            self.assertTrue(purge.ILandingPage.providedBy(page), name)
            self.assertEqual(page.getLayout(), "layout_view")
        top = self.page("")
        self.assertIn(f'href="{self.portal.absolute_url()}/tokushu/gijutsu"', top)
        self.assertIn(f'href="{self.portal.absolute_url()}/tokushu/uiturn"', top)

    def test_technical_page_shows_its_exams_interviews_events_faq_button_and_visual(self):
        html = self.page("tokushu/gijutsu")
        self.assertIn("<h1", html)
        self.assertIn("技術職特集", html)
        titles = cards(html)
        self.assertTrue(titles, "no exam on the page")
        by_title = {b.Title: b for b in api.content.find(portal_type="ExamNotice")}
        technical = {"doboku", "kenchiku", "denki", "kikai", "nogyo", "chikusan"}
        for title in titles:
            self.assertTrue(technical & set(by_title[title].job_types or ()), title)
        self.assertIn("saiyo-status--", html)
        self.assertRegex(html, r'<details class="saiyo-faq">\s*<summary')
        self.assertIn('class="saiyo-people"', html)
        self.assertRegex(
            html,
            r'<a class="saiyo-button saiyo-button--primary" href="http[^"]+/shiken/annai\?job_type=doboku"',
        )
        self.assertRegex(html, r'<img class="saiyo-hero__visual"[^>]*alt="海にかかるアーチ橋')
        self.assertNotIn("There was an error", html)

    def test_a_new_doboku_exam_appears_on_the_page(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        notice = open_exam(self.portal, "doboku-tokubetsu", "土木職特別選考（テスト）", "土木", "doboku")
        try:
            self.assertIn("土木職特別選考（テスト）", cards(self.page("tokushu/gijutsu")))
            # Not for the UIターン page, whose tile asks for exams open to UIターン applicants.
            self.assertNotIn("土木職特別選考（テスト）", cards(self.page("tokushu/uiturn")))
            paths = getPathsToPurge(notice, self.layer["request"])
            self.assertIn("/plone/tokushu/gijutsu/layout_view", list(paths))
        finally:
            api.content.delete(notice, check_linkintegrity=False)
            transaction.commit()

    def test_site_tiles_are_rendered_without_a_subrequest(self):
        original = blocks_utils.subrequest
        asked = []

        def counting(url, *args, **kwargs):
            asked.append(url)
            return original(url, *args, **kwargs)

        getUtility(IRAMCache).invalidateAll()  # no tile kept for visitors by another test (cost.py)
        with mock.patch.object(blocks_utils, "subrequest", counting):
            html = self.page("tokushu/uiturn")
        self.assertTrue(cards(html) or "いまこの条件に当てはまる試験はありません" in html)
        self.assertFalse([url for url in asked if "@@kagoshima.saiyo." in url], asked)
        # Plone's own tiles (title, text) still take their usual path.
        self.assertTrue([url for url in asked if "plone.app.standardtiles.field" in url], asked)


class TestLayoutsAndTiles(unittest.TestCase):
    layer = LANDING_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]

    def titles(self, context):
        return {layout["title"] for layout in getContentLayoutsForType("Document", context)}

    def test_landing_layouts_only_where_an_administrator_allows(self):
        # (Two users: Plone caches a user's local roles for the request.)
        folder = self.portal.tokushu
        for name in ("sakusha", "tokushu-tantou"):
            api.user.create(email=f"{name}@example.org", username=name, password="sakusha-password-1")
        api.user.grant_roles(username="tokushu-tantou", obj=folder, roles=["LandingPageEditor"])
        with api.env.adopt_user(username="sakusha"):
            self.assertNotIn("特集ページ", self.titles(folder))
            self.assertIn("Basic", self.titles(folder))
        with api.env.adopt_user(username="tokushu-tantou"):
            self.assertIn("特集ページ", self.titles(folder))
            self.assertIn("職種別ページ", self.titles(folder))
            self.assertNotIn("特集ページ", self.titles(self.portal.shiken))
        with api.env.adopt_roles(["Site Administrator"]):
            self.assertIn("特集ページ", self.titles(self.portal.shiken))
            sharing = api.content.get_view("sharing", folder, self.layer["request"])
            self.assertIn("LandingPageEditor", [role["id"] for role in sharing.roles()])

    def test_tiles_are_offered_in_the_mosaic_editor(self):
        registry = api.portal.get_tool("portal_registry")
        for name in ("exams", "interviews", "events", "faq", "cta", "keyvisual"):
            self.assertEqual(
                registry[f"plone.app.mosaic.app_tiles.kagoshima_saiyo_{name}.name"], f"kagoshima.saiyo.{name}"
            )
            self.assertIn(f"kagoshima.saiyo.{name}", registry["plone.app.tiles"])

    def test_call_to_action_refuses_script_links(self):
        data = type("Data", (), {"url": "javascript:alert(1)", "label": "x"})()
        with self.assertRaises(Invalid):
            tiles.ICallToActionTile.validateInvariants(data)
        data.url = "/shiken/annai"
        tiles.ICallToActionTile.validateInvariants(data)

    def test_query_string_is_read_as_zope_reads_it(self):
        self.assertEqual(
            rendering.form_of(
                "heading=%E8%A9%A6%E9%A8%93&job_types:list=doboku&job_types:list=kenchiku&limit:long=3"
            ),
            {"heading": "試験", "job_types": ["doboku", "kenchiku"], "limit": "3"},
        )
