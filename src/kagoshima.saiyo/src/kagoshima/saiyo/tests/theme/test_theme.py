"""The theme: its bundle, the top page and its blocks, titles and sharing tags, the 1004 upgrade."""

from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from kagoshima.saiyo.theme import seo
from kagoshima.saiyo.theme import settings
from kagoshima.saiyo.theme import top
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from types import SimpleNamespace

import pytz
import unittest


# pytz, as the content stores it: versioning (CMFEditions) pickles the dates, zoneinfo ones do not pickle there.
TOKYO = pytz.timezone("Asia/Tokyo")


class TestPureHelpers(unittest.TestCase):
    def test_full_title(self):
        self.assertEqual(seo.full_title("試験案内", "鹿児島県職員採用"), "試験案内 | 鹿児島県職員採用")
        self.assertEqual(seo.full_title("鹿児島県職員採用", "鹿児島県職員採用"), "鹿児島県職員採用")

    def test_parse_links_keeps_only_named_web_links(self):
        links = settings.parse_links(
            ["X（旧Twitter）|https://x.com/example", "壊れた行", "名前|javascript:alert(1)", ""]
        )
        self.assertEqual(links, [{"title": "X（旧Twitter）", "url": "https://x.com/example"}])

    def test_open_exams_come_first_then_by_application_start(self):
        now = TOKYO.localize(datetime(2026, 12, 1, 12))
        notices = [
            SimpleNamespace(name="later", status="upcoming", application_start=now + timedelta(days=30)),
            SimpleNamespace(name="finished", status="finished", application_start=now - timedelta(days=90)),
            SimpleNamespace(name="open", status="open", application_start=now - timedelta(days=2)),
            SimpleNamespace(name="sooner", status="upcoming", application_start=now + timedelta(days=3)),
            SimpleNamespace(name="closed", status="closed", application_start=now - timedelta(days=40)),
        ]
        self.assertEqual([n.name for n in top.open_and_upcoming(notices)], ["open", "sooner", "later"])


class TestThemeInstalled(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]

    def test_bundle_is_registered_after_the_theme(self):
        prefix = "plone.bundles/kagoshima-saiyo"
        self.assertTrue(api.portal.get_registry_record(f"{prefix}.enabled"))
        self.assertEqual(api.portal.get_registry_record(f"{prefix}.depends"), "all")
        self.assertEqual(
            api.portal.get_registry_record(f"{prefix}.csscompilation"), "++plone++kagoshima.saiyo/saiyo.css"
        )

    def test_static_resources_are_served(self):
        for name in (
            "saiyo.css",
            "saiyo.js",
            "brand.svg",
            "favicon-48.png",
            "apple-touch-icon.png",
            "ogp-default.png",
        ):
            self.assertIsNotNone(
                self.portal.restrictedTraverse(f"++plone++kagoshima.saiyo/{name}", None), name
            )

    def test_top_page_is_the_site_view(self):
        self.assertEqual(self.portal.getLayout(), "saiyo-top")

    def test_sitemap_on_and_navigation_flat(self):
        self.assertTrue(api.portal.get_registry_record("plone.enable_sitemap"))
        self.assertEqual(api.portal.get_registry_record("plone.navigation_depth"), 1)

    def test_top_page_shows_open_exams_only(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        now = datetime.now(TOKYO)
        api.content.create(
            container=self.portal,
            type="ExamNotice",
            id="open-exam",
            title="受付中の試験",
            fiscal_year=2026,
            application_start=now - timedelta(days=1),
            application_end=now + timedelta(days=5),
        )
        api.content.create(
            container=self.portal,
            type="ExamNotice",
            id="old-exam",
            title="終わった試験",
            fiscal_year=2026,
            application_start=now - timedelta(days=90),
            application_end=now - timedelta(days=60),
            first_exam_date=(now - timedelta(days=45)).date(),
        )
        html = self.portal.restrictedTraverse("@@saiyo-top")()
        self.assertIn("受付中・受付予定の試験", html)
        self.assertIn("受付中の試験", html)
        self.assertNotIn("終わった試験", html)
        for heading in ("あなたに合った情報を探す", "お知らせ", "先輩職員の声", "県職員の仕事と働き方"):
            self.assertIn(heading, html)
        self.assertIn('href="#saiyo-reader"', html)

    def test_sharing_tags_use_the_default_image_without_a_lead_image(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        page = api.content.create(
            container=self.portal, type="Document", id="p", title="給与・手当", description="初任給など"
        )
        viewlet = seo.SocialTagsViewlet(page, self.request, None)
        viewlet.update()
        tags = {key: value for _, key, value in viewlet.tags()}
        self.assertEqual(tags["og:title"], "給与・手当")
        self.assertEqual(tags["description"], "初任給など")
        self.assertEqual(tags["twitter:card"], "summary_large_image")
        self.assertTrue(tags["og:image"].endswith("++plone++kagoshima.saiyo/ogp-default.png"))
        title = seo.TitleViewlet(page, self.request, None)
        title.update()
        self.assertEqual(title.site_title, f"給与・手当 | {title.site_title_setting}")


class TestUpgrade1004(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_upgrade_from_1002_sets_the_top_page_and_the_bundle(self):
        portal = self.layer["portal"]
        setup = api.portal.get_tool("portal_setup")
        portal.setLayout("listing_view")
        api.portal.set_registry_record("plone.bundles/kagoshima-saiyo.enabled", False)
        setup.setLastVersionForProfile("kagoshima.saiyo:default", "1002")

        setup.upgradeProfile("kagoshima.saiyo:default")

        self.assertEqual(
            setup.getLastVersionForProfile("kagoshima.saiyo:default"),
            (setup.getVersionForProfile("kagoshima.saiyo:default"),),
        )
        self.assertEqual(portal.getLayout(), "saiyo-top")
        self.assertTrue(api.portal.get_registry_record("plone.bundles/kagoshima-saiyo.enabled"))
