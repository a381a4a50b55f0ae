"""Page views and Google Analytics inside Plone: viewlets, @@pv, アクセス集計, settings, upgrade."""

from datetime import datetime
from datetime import timezone
from kagoshima.saiyo.analytics import report
from kagoshima.saiyo.analytics import store
from kagoshima.saiyo.analytics import token
from kagoshima.saiyo.analytics import views
from kagoshima.saiyo.analytics.viewlets import GA_RECORD
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser

import csv
import io
import openpyxl
import os
import re
import tempfile
import time_machine
import transaction
import unittest


CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
META = re.compile(r'<meta name="saiyo-pv" content="([^"]+)" data-endpoint="([^"]+)"')
GTAG = "googletagmanager.com/gtag/js"
# 15:30 UTC on 30 November is already 1 December in Tokyo: with the clock stopped there, a count
# filed under the UTC month shows, and no test races the end of a real month.
TOKYO_NEW_MONTH = datetime(2026, 11, 30, 15, 30, tzinfo=timezone.utc)


class StoreInTempDir:
    """Point the page-view store at a temporary folder for the test."""

    def use_temporary_store(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        previous = os.environ.get(store.DIRECTORY_ENV)
        os.environ[store.DIRECTORY_ENV] = tmp.name

        def restore():
            if previous is None:
                os.environ.pop(store.DIRECTORY_ENV, None)
            else:
                os.environ[store.DIRECTORY_ENV] = previous
            views.COLLECTOR._store = None

        self.addCleanup(restore)
        views.COLLECTOR._store = None
        self.store = store.get_store()
        return self.store


class FunctionalBase(StoreInTempDir, unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.use_temporary_store()
        self.app = self.layer["app"]
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.page = api.content.create(self.portal, "Document", id="annai", title="採用試験のご案内")
        api.content.transition(self.page, to_state="published")
        self.draft = api.content.create(self.portal, "Document", id="draft", title="下書きのページ")
        transaction.commit()

    def browser(self, logged_in=False):
        browser = Browser(self.app)
        browser.handleErrors = False
        browser.raiseHttpErrors = False
        if logged_in:
            browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
        return browser


class TestPageViewViewlet(FunctionalBase):
    def test_published_page_viewed_anonymously_carries_a_signed_token(self):
        browser = self.browser()
        browser.open(self.page.absolute_url())
        match = META.search(browser.contents)
        self.assertIsNotNone(match)
        self.assertEqual(token.verify(match.group(1), self.store.secret()), api.content.get_uuid(self.page))
        self.assertEqual(match.group(2), f"{self.portal.absolute_url()}/@@pv")
        self.assertIn("navigator.sendBeacon", browser.contents)
        # the site root (the top page) is counted too
        browser.open(self.portal.absolute_url())
        match = META.search(browser.contents)
        self.assertEqual(token.verify(match.group(1), self.store.secret()), api.content.get_uuid(self.portal))

    def test_no_token_for_staff_drafts_and_other_screens(self):
        browser = self.browser(logged_in=True)
        for url in (self.page.absolute_url(), self.page.absolute_url() + "/edit", self.draft.absolute_url()):
            browser.open(url)
            self.assertNotIn("saiyo-pv", browser.contents, url)
            self.assertNotIn("sendBeacon", browser.contents, url)
        anonymous = self.browser()
        for url in (self.portal.absolute_url() + "/login", self.portal.absolute_url() + "/@@search"):
            anonymous.open(url)
            self.assertNotIn('name="saiyo-pv"', anonymous.contents, url)


class TestBeaconInsideZope(FunctionalBase):
    """``@@pv`` as a Zope view (instances without the middleware): counts, writes no ZODB."""

    def post(self, body, **headers):
        browser = self.browser()
        browser.addHeader("User-Agent", headers.pop("agent", CHROME))
        for name, value in headers.items():
            browser.addHeader(name, value)
        browser.post(
            self.portal.absolute_url() + "/@@pv", body, content_type="application/x-www-form-urlencoded"
        )
        return browser

    @time_machine.travel(TOKYO_NEW_MONTH, tick=False)
    def test_beacons_count_without_touching_zodb(self):
        signed = token.sign(api.content.get_uuid(self.page), self.store.secret())
        database = self.app._p_jar.db()
        before = database.lastTransaction()
        for _ in range(3):
            browser = self.post(f"t={signed}", **{"Sec-Fetch-Site": "same-origin"})
            self.assertEqual(browser.headers["status"].split()[0], "204")
            self.assertEqual(browser.headers["X-Pageview"], "counted")
        refused = (
            self.post(f"t={signed}", **{"Sec-Fetch-Site": "cross-site"}),
            self.post(f"t={signed}", agent="Googlebot/2.1 (+http://www.google.com/bot.html)",
                      **{"Sec-Fetch-Site": "same-origin"}),
            self.post(f"t={forged(signed)}", **{"Sec-Fetch-Site": "same-origin"}),
        )  # fmt: skip
        self.assertEqual(
            [b.headers["X-Pageview"] for b in refused],
            [
                "refused: not sent from a page of this site",
                "refused: crawler or no user agent",
                "refused: missing or invalid page token",
            ],
        )
        transaction.begin()
        self.assertEqual(database.lastTransaction(), before)
        self.assertEqual(
            self.store.month_counts("2026-12"), {api.content.get_uuid(self.page): {"desktop": 3}}
        )
        self.assertEqual(self.store.month_counts("2026-11"), {})


def forged(signed: str) -> str:
    """The token with its last hex digit changed (never equal to the original)."""
    return signed[:-1] + ("1" if signed[-1] == "0" else "0")


class TestGoogleAnalytics(FunctionalBase):
    def test_nothing_without_a_measurement_id(self):
        browser = self.browser()
        browser.open(self.page.absolute_url())
        self.assertNotIn(GTAG, browser.contents)
        self.assertNotIn("gtag(", browser.contents)

    def test_snippet_only_for_anonymous_visitors_on_public_pages(self):
        api.portal.set_registry_record(GA_RECORD, "G-TEST1234")
        transaction.commit()
        anonymous = self.browser()
        for url in (self.portal.absolute_url(), self.page.absolute_url()):
            anonymous.open(url)
            self.assertIn(f"{GTAG}?id=G-TEST1234", anonymous.contents, url)
            self.assertIn('gtag("config", "G-TEST1234"', anonymous.contents, url)
        anonymous.open(self.portal.absolute_url() + "/login")
        self.assertNotIn(GTAG, anonymous.contents)
        # a page whose id only looks like a form is an ordinary public page
        guide = api.content.create(self.portal, "Document", id="login-guide", title="ログインの案内")
        api.content.transition(guide, to_state="published")
        transaction.commit()
        anonymous.open(guide.absolute_url())
        self.assertIn(GTAG, anonymous.contents)
        self.assertIn('name="saiyo-pv"', anonymous.contents)
        staff = self.browser(logged_in=True)
        for url in (
            self.page.absolute_url(),
            self.page.absolute_url() + "/edit",
            self.portal.absolute_url() + "/++add++Document",
            self.portal.absolute_url() + "/folder_contents",
            self.portal.absolute_url() + "/@@overview-controlpanel",
            self.portal.absolute_url() + "/@@saiyo-pageviews",
        ):
            staff.open(url)
            self.assertNotIn(GTAG, staff.contents, url)

    def test_an_invalid_id_in_the_registry_renders_nothing(self):
        api.portal.set_registry_record(GA_RECORD, "UA-12345-1")
        transaction.commit()
        browser = self.browser()
        browser.open(self.page.absolute_url())
        self.assertNotIn(GTAG, browser.contents)

    def test_control_panel_validates_the_measurement_id(self):
        browser = self.browser(logged_in=True)
        browser.open(self.portal.absolute_url() + "/@@saiyo-analytics-settings")
        self.assertIn("アクセス解析の設定", browser.contents)
        field = "form.widgets.ga4_measurement_id"
        for bad in ("UA-12345-1", "g-abc1234", "G-12", "G-ABC 123", "<script>"):
            browser.getControl(name=field).value = bad
            browser.getControl(name="form.buttons.save").click()
            self.assertIn("「G-」で始まり", browser.contents, bad)
            transaction.begin()
            self.assertFalse(api.portal.get_registry_record(GA_RECORD), bad)
        browser.getControl(name=field).value = "G-ABCD1234EF"
        browser.getControl(name="form.buttons.save").click()
        transaction.begin()
        self.assertEqual(api.portal.get_registry_record(GA_RECORD), "G-ABCD1234EF")
        # emptying the field switches it off
        browser.getControl(name=field).value = ""
        browser.getControl(name="form.buttons.save").click()
        transaction.begin()
        self.assertFalse(api.portal.get_registry_record(GA_RECORD))


class TestPageViewsView(StoreInTempDir, unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.use_temporary_store()
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.exam = api.content.create(
            self.portal, "Document", id="exam", title="令和8年度 ＳＰＩ試験のご案内"
        )
        self.faq = api.content.create(self.portal, "Document", id="faq", title="よくある質問")
        self.uids = {
            name: api.content.get_uuid(obj) for name, obj in (("exam", self.exam), ("faq", self.faq))
        }
        for _ in range(5):
            self.store.add("2026-10-03", self.uids["exam"], "mobile")
        self.store.add("2026-10-04", self.uids["exam"], "desktop")
        for _ in range(2):
            self.store.add("2026-10-20", self.uids["faq"], "tablet")
        self.store.add("2026-10-21", "deadbeefdeadbeefdeadbeefdeadbeef", "desktop")  # a deleted page
        self.store.add("2026-09-30", self.uids["faq"], "mobile")
        self.store.add("2026-11-01", self.uids["faq"], "mobile")

    def render(self, **form):
        self.request.form.clear()
        self.request.form.update(form)
        view = api.content.get_view("saiyo-pageviews", self.portal, self.request)
        return view, view()

    def test_month_table_totals_top_and_chart(self):
        view, html = self.render(month="2026-10")
        self.assertEqual([(row.title, row.views, row.rank) for row in view.rows], [
            ("令和8年度 ＳＰＩ試験のご案内", 6, 1), ("よくある質問", 2, 2), (report.DELETED_TITLE, 1, 3),
        ])  # fmt: skip
        self.assertEqual(view.report.total, 9)
        self.assertIn('id="pv-total">9<', html)
        self.assertIn("令和8年（2026年）10月の上位20ページ", html)
        self.assertIn('role="img"', html)
        self.assertIn('<title id="pv-trend-title">月別閲覧数の推移（2025年11月〜2026年10月）</title>', html)
        self.assertEqual(view.report.trend[-2:], [("2026-09", 1), ("2026-10", 9)])
        self.assertIn('<th scope="row">2026年10月</th>', html)

    def test_search_by_title_and_server_side_sort(self):
        view, html = self.render(month="2026-10", q="spi")  # half-width query finds the full-width title
        self.assertEqual([row.uid for row in view.rows], [self.uids["exam"]])
        view, _ = self.render(month="2026-10", sort="title", order="asc")
        self.assertEqual(
            [row.title for row in view.rows][:2], ["よくある質問", "令和8年度 ＳＰＩ試験のご案内"]
        )
        view, html = self.render(month="2026-10", sort="views", order="asc")
        self.assertEqual([row.views for row in view.rows], [1, 2, 6])
        self.assertIn('aria-sort="ascending"', html)

    @time_machine.travel(TOKYO_NEW_MONTH, tick=False)
    def test_bad_month_falls_back_to_this_month(self):
        view, html = self.render(month="2026-13'; --")
        self.assertEqual(view.month, "2026-12")
        self.assertIn("月の指定が正しくない", html)

    def test_csv_has_a_bom_and_japanese(self):
        view, data = self.render(month="2026-10", format="csv")
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(self.request.response.getHeader("Content-Type"), "text/csv; charset=utf-8")
        self.assertEqual(
            self.request.response.getHeader("Content-Disposition"),
            'attachment; filename="2026-10.csv"; '
            "filename*=UTF-8''%E3%82%A2%E3%82%AF%E3%82%BB%E3%82%B9%E9%9B%86%E8%A8%88_2026-10.csv",
        )
        self.assertEqual(self.request.response.getHeader("X-Content-Type-Options"), "nosniff")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(rows[0], list(report.CSV_COLUMNS))
        self.assertEqual(rows[1][:4], ["1", "令和8年度 ＳＰＩ試験のご案内", "/exam", "6"])
        self.assertEqual(rows[1][4:7], ["5", "0", "1"])

    def test_xlsx_opens_with_openpyxl(self):
        view, data = self.render(month="2026-10", format="xlsx")
        book = openpyxl.load_workbook(io.BytesIO(data))
        self.assertEqual(book.sheetnames, ["概要", "ページ別", "月別推移"])
        pages = list(book["ページ別"].iter_rows(values_only=True))
        self.assertEqual(pages[1][:4], (1, "令和8年度 ＳＰＩ試験のご案内", "/exam", 6))
        self.assertEqual(book["概要"]["B2"].value, "令和8年（2026年）10月")
        self.assertEqual(book["概要"]["B3"].value, 9)
        self.assertEqual(list(book["月別推移"].iter_rows(values_only=True))[-1], ("2026年10月", 9))

    def test_formula_like_titles_stay_text(self):
        self.exam.setTitle('=HYPERLINK("http://evil.example")')
        self.exam.reindexObject()
        _, data = self.render(month="2026-10", format="xlsx")
        cell = openpyxl.load_workbook(io.BytesIO(data))["ページ別"]["B2"]
        self.assertEqual((cell.value, cell.data_type), ('=HYPERLINK("http://evil.example")', "s"))
        _, data = self.render(month="2026-10", format="csv")
        self.assertIn("'=HYPERLINK", data.decode("utf-8-sig"))

    def test_renamed_and_moved_pages_keep_their_history(self):
        folder = api.content.create(self.portal, "Folder", id="shiken", title="採用試験情報")
        moved = api.content.move(self.exam, folder)
        api.content.rename(moved, new_id="spi")
        moved.setTitle("SPI方式の試験案内")
        moved.reindexObject()
        view, html = self.render(month="2026-10")
        row = next(row for row in view.rows if row.uid == self.uids["exam"])
        self.assertEqual((row.title, row.path, row.views), ("SPI方式の試験案内", "/shiken/spi", 6))
        self.assertIn("SPI方式の試験案内", html)

    def test_only_administrators_may_see_it(self):
        for role, allowed in (("Manager", True), ("Site Administrator", True), ("Editor", False),
                              ("Reviewer", False), ("Member", False)):  # fmt: skip
            setRoles(self.portal, TEST_USER_ID, [role])
            self.assertEqual(
                api.user.has_permission("kagoshima.saiyo: View page views", obj=self.portal), allowed, role
            )

    def test_configlets_and_footer_link(self):
        configlets = {
            action.getId(): action
            for action in api.portal.get_tool("portal_controlpanel").listActions()
            if action.getId() in ("saiyo-pageviews", "saiyo-analytics-settings")
        }
        self.assertEqual(configlets["saiyo-pageviews"].title, "アクセス集計")
        self.assertEqual(configlets["saiyo-pageviews"].permissions, ("kagoshima.saiyo: View page views",))
        self.assertEqual(configlets["saiyo-analytics-settings"].title, "アクセス解析の設定")
        action = api.portal.get_tool("portal_actions").site_actions["external-transmission"]
        self.assertEqual(action.title, "外部送信について")
        self.assertIn("/policy#gaibu-soshin", action.url_expr)


class TestUpgrade(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_upgrade_from_1000_adds_the_same_settings_and_keeps_values(self):
        portal = self.layer["portal"]
        setRoles(portal, TEST_USER_ID, ["Manager"])
        registry = portal.portal_registry
        controlpanel = api.portal.get_tool("portal_controlpanel")
        actions = api.portal.get_tool("portal_actions")
        # a site made before page views existed
        del registry.records[GA_RECORD]
        controlpanel.unregisterConfiglet("saiyo-pageviews")
        controlpanel.unregisterConfiglet("saiyo-analytics-settings")
        actions.site_actions.manage_delObjects(["external-transmission"])
        portal.manage_permission("kagoshima.saiyo: View page views", ["Manager"], acquire=False)
        setup = api.portal.get_tool("portal_setup")
        setup.setLastVersionForProfile("kagoshima.saiyo:default", "1000")

        setup.upgradeProfile("kagoshima.saiyo:default", dest="1001")

        self.assertEqual(setup.getLastVersionForProfile("kagoshima.saiyo:default"), ("1001",))
        self.assertEqual(api.portal.get_registry_record(GA_RECORD), "")
        ids = {action.getId() for action in controlpanel.listActions()}
        self.assertLessEqual({"saiyo-pageviews", "saiyo-analytics-settings"}, ids)
        self.assertIn("external-transmission", actions.site_actions.objectIds())
        setRoles(portal, TEST_USER_ID, ["Site Administrator"])
        self.assertTrue(api.user.has_permission("kagoshima.saiyo: View page views", obj=portal))

        # running the profile again keeps an administrator's measurement ID
        api.portal.set_registry_record(GA_RECORD, "G-KEEP1234")
        setup.runImportStepFromProfile("profile-kagoshima.saiyo:default", "plone.app.registry")
        self.assertEqual(api.portal.get_registry_record(GA_RECORD), "G-KEEP1234")
