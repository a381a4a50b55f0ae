"""Viewlets kept for visitors (performance/viewlets.py): made once, fresh after an edit, never shown to staff.

Over HTTP against the test's real Zope: the expensive call is counted on the server (same
process) while a page is requested as a visitor and as a logged-in administrator.
"""

from App.config import getConfiguration
from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.structured_data.viewlet import StructuredDataViewlet as StockStructuredData
from kagoshima.saiyo.tests.performance.test_render_cost import RenderCostTestCase
from kagoshima.saiyo.theme.interfaces import REGISTRY_PREFIX
from kagoshima.saiyo.theme.viewlets import FooterViewlet as SaiyoFooterViewlet
from kagoshima.saiyo.vocabularies import EDITABLE
from plone import api
from plone.app.event.portlets.portlet_events import Assignment as EventsAssignment
from plone.app.layout.viewlets.common import ContentViewsViewlet
from plone.app.layout.viewlets.common import GlobalSectionsViewlet
from plone.app.layout.viewlets.common import PathBarViewlet
from plone.app.layout.viewlets.common import PersonalBarViewlet
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.event.interfaces import IEvent
from plone.memoize.ram import global_cache
from plone.portlets.interfaces import IPortletAssignmentMapping
from plone.portlets.interfaces import IPortletManager
from Products.CMFPlone.browser.sitemap import SitemapView as StockSitemapView
from Products.CMFPlone.CatalogTool import CatalogTool
from unittest import mock
from zope.component import getMultiAdapter
from zope.component import getUtility

import pytz
import re
import requests
import transaction


GLOBALNAV = re.compile(r'id="portal-globalnav".*?</nav>', re.S)
BREADCRUMBS = re.compile(r'<nav id="portal-breadcrumbs".*?</nav>', re.S)
FOOTER = re.compile(r'<footer class="saiyo-footer".*?</footer>', re.S)
STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


class VisitorViewletsTestCase(RenderCostTestCase):
    def setUp(self):
        super().setUp()  # production mode: the caches are on
        # Each test's database is rolled back afterwards, so a catalog counter can come back with
        # other content: start every test with an empty RAM cache.
        global_cache.invalidateAll()
        self.section = self.publish(
            api.content.create(container=self.portal, type="Folder", id="bu", title="部署紹介")
        )
        self.page = self.publish(
            api.content.create(container=self.section, type="Document", id="doboku", title="土木部の仕事")
        )
        transaction.commit()
        self.url = self.page.absolute_url()

    def tearDown(self):
        super().tearDown()
        global_cache.invalidateAll()

    def visit(self, patched, auth=None, url=None):
        """(HTML, how many times ``patched`` = (class, method name) ran) of one request."""
        cls, name = patched
        with mock.patch.object(cls, name, autospec=True, side_effect=getattr(cls, name)) as call:
            response = requests.get(url or self.url, timeout=60, auth=auth)
        self.assertEqual(response.status_code, 200)
        return response.text, call.call_count


class TestGlobalSections(VisitorViewletsTestCase):
    built = (GlobalSectionsViewlet, "render_globalnav")

    def test_built_once_for_visitors_and_fresh_after_changes(self):
        html, built = self.visit(self.built)
        self.assertEqual(built, 1)
        self.assertIn("部署紹介", GLOBALNAV.search(html).group(0))
        again, built = self.visit(self.built)
        self.assertEqual(built, 0, "the unchanged global navigation is not built again")
        self.assertEqual(GLOBALNAV.search(again).group(0), GLOBALNAV.search(html).group(0))
        # the same HTML on another page of the section
        self.publish(api.content.create(container=self.section, type="Document", id="nosei", title="農政部"))
        transaction.commit()
        self.assertEqual(self.visit(self.built)[1], 1)
        self.assertEqual(self.visit(self.built, url=self.section["nosei"].absolute_url())[1], 0)

        # a new section, a retitled one and one hidden from navigation show at once
        self.publish(
            api.content.create(container=self.portal, type="Folder", id="kyuyo", title="給与・福利厚生")
        )
        self.section.title = "部署と仕事"
        self.section.reindexObject()
        transaction.commit()
        nav = GLOBALNAV.search(self.visit(self.built)[0]).group(0)
        self.assertIn("給与・福利厚生", nav)
        self.assertIn("部署と仕事", nav)
        self.portal["kyuyo"].exclude_from_nav = True
        self.portal["kyuyo"].reindexObject()
        transaction.commit()
        self.assertNotIn("給与・福利厚生", GLOBALNAV.search(self.visit(self.built)[0]).group(0))

        # a navigation setting of the registry shows at once
        api.portal.set_registry_record("plone.generate_tabs", False)
        transaction.commit()
        self.assertNotIn("部署と仕事", GLOBALNAV.search(self.visit(self.built)[0]).group(0))

    def test_staff_never_get_the_visitors_html(self):
        self.visit(self.built)  # kept for visitors
        api.content.create(container=self.portal, type="Folder", id="shitagaki", title="職員だけの下書き")
        transaction.commit()
        html, built = self.visit(self.built, auth=STAFF)
        self.assertEqual(built, 1)
        self.assertIn("職員だけの下書き", GLOBALNAV.search(html).group(0))
        self.assertIn('id="edit-zone"', html)
        self.assertEqual(self.visit(self.built, auth=STAFF)[1], 1, "nothing is kept for staff")
        visitor = self.visit(self.built)[0]
        self.assertNotIn("職員だけの下書き", visitor)
        self.assertNotIn('id="edit-zone"', visitor)

    def test_debug_mode_renders_every_time(self):
        getConfiguration().debug_mode = True
        self.visit(self.built)
        self.assertEqual(self.visit(self.built)[1], 1)


class TestBreadcrumbs(VisitorViewletsTestCase):
    built = (PathBarViewlet, "update")

    def test_built_once_for_visitors_and_fresh_after_a_parent_changes(self):
        html, built = self.visit(self.built)
        self.assertEqual(built, 1)
        self.assertIn("部署紹介", BREADCRUMBS.search(html).group(0))
        self.assertEqual(self.visit(self.built)[1], 0)

        # a parent's title changed, even without reindexing, shows at once
        self.section.title = "部署と仕事"
        transaction.commit()
        crumbs = BREADCRUMBS.search(self.visit(self.built)[0]).group(0)
        self.assertIn("部署と仕事", crumbs)
        self.assertNotIn("部署紹介", crumbs)

        # the page becomes its folder's default page: the folder's crumb is the last one
        self.section.setDefaultPage("doboku")
        transaction.commit()
        crumbs = BREADCRUMBS.search(self.visit(self.built)[0]).group(0)
        self.assertNotIn("土木部の仕事", crumbs)

    def test_staff_get_them_fresh(self):
        self.visit(self.built)
        html, built = self.visit(self.built, auth=STAFF)
        self.assertEqual(built, 1)
        self.assertIn("土木部の仕事", BREADCRUMBS.search(html).group(0))
        self.assertEqual(self.visit(self.built, auth=STAFF)[1], 1)


class TestSiteFooter(VisitorViewletsTestCase):
    built = (SaiyoFooterViewlet, "update")

    def test_made_once_for_visitors_and_fresh_after_settings_and_actions_change(self):
        html, built = self.visit(self.built)
        self.assertEqual(built, 1)
        self.assertIn("お問い合わせ先", FOOTER.search(html).group(0))
        self.assertEqual(self.visit(self.built)[1], 0)
        # the same footer on every page
        self.assertEqual(self.visit(self.built, url=self.section.absolute_url())[1], 0)

        api.portal.set_registry_record(
            f"{REGISTRY_PREFIX}.contact_lines", ["鹿児島県人事委員会事務局 総務課"]
        )
        transaction.commit()
        self.assertIn("総務課", FOOTER.search(self.visit(self.built)[0]).group(0))

        self.portal.portal_actions.site_actions.policy.manage_changeProperties(title="サイトの利用について")
        transaction.commit()
        footer = FOOTER.search(self.visit(self.built)[0]).group(0)
        self.assertIn("サイトの利用について", footer)
        self.assertIn("総務課", footer)

        # an action with a condition of its own, or a URL made from the page, is evaluated on every page
        policy = self.portal.portal_actions.site_actions.policy
        policy.manage_changeProperties(available_expr="python:True")
        transaction.commit()
        self.assertEqual(self.visit(self.built)[1], 1)
        self.assertEqual(self.visit(self.built)[1], 1)
        policy.manage_changeProperties(available_expr="", url_expr="string:${object_url}/policy")
        transaction.commit()
        self.assertIn(f'href="{self.url}/policy"', FOOTER.search(self.visit(self.built)[0]).group(0))
        section = self.visit(self.built, url=self.section.absolute_url())[0]
        self.assertIn(f'href="{self.section.absolute_url()}/policy"', FOOTER.search(section).group(0))

    def test_staff_get_it_fresh(self):
        self.visit(self.built)
        html, built = self.visit(self.built, auth=STAFF)
        self.assertEqual(built, 1)
        self.assertIn("お問い合わせ先", FOOTER.search(html).group(0))


class TestWorkNobodySees(VisitorViewletsTestCase):
    def test_hidden_footer_portlets_are_not_rendered_but_can_be_managed(self):
        html = requests.get(self.url, timeout=60).text
        self.assertIn('class="saiyo-footer"', html)
        self.assertNotIn("portletActions", html)
        self.assertNotIn("Powered by Plone", html)
        manage = requests.get(self.portal.absolute_url() + "/@@manage-portlets", timeout=60, auth=STAFF)
        self.assertEqual(manage.status_code, 200)
        self.assertIn("plone.footerportlets", manage.text)

    def test_toolbar_viewlets_are_updated_only_for_those_who_see_the_toolbar(self):
        patched = (ContentViewsViewlet, "update")
        html, updated = self.visit(patched)
        self.assertEqual(updated, 0)
        self.assertNotIn('id="edit-zone"', html)
        html, updated = self.visit(patched, auth=STAFF)
        self.assertGreaterEqual(updated, 1)
        self.assertIn('id="edit-zone"', html)

    def test_user_actions_are_listed_only_for_logged_in_users(self):
        patched = (PersonalBarViewlet, "update")
        html, updated = self.visit(patched)
        self.assertEqual(updated, 0)
        self.assertNotIn("portal-membertools-wrapper", html)
        html, updated = self.visit(patched, auth=STAFF)
        self.assertGreaterEqual(updated, 1)
        self.assertIn("personaltools-logout", html)


class TestEventsPortletForVisitors(VisitorViewletsTestCase):
    """The events portlet's upcoming-events query runs once for visitors, not three times a page."""

    def setUp(self):
        super().setUp()
        manager = getUtility(IPortletManager, name="plone.rightcolumn", context=self.portal)
        mapping = getMultiAdapter((self.portal, manager), IPortletAssignmentMapping)
        if not any(isinstance(assignment, EventsAssignment) for assignment in mapping.values()):
            mapping["saiyo-events"] = EventsAssignment(count=5, state=("published",))
        start = datetime.now(pytz.timezone("Asia/Tokyo")).replace(minute=0, second=0, microsecond=0)
        start += timedelta(days=30)
        self.event = self.publish(
            api.content.create(
                container=self.portal,
                type="Event",
                id="setsumeikai",
                title="採用説明会（鹿児島会場）",
                start=start,
                end=start + timedelta(hours=2),
            )
        )
        transaction.commit()

    def visit_counting_queries(self, auth=None):
        queries = []
        stock = CatalogTool.searchResults

        def counted(catalog, *args, **kwargs):
            query = dict(args[0]) if args and isinstance(args[0], dict) else {}
            query.update(kwargs)
            if query.get("object_provides") == IEvent.__identifier__:
                queries.append(query)
            return stock(catalog, *args, **kwargs)

        with mock.patch.object(CatalogTool, "searchResults", autospec=True, side_effect=counted):
            response = requests.get(self.url, timeout=60, auth=auth)
        self.assertEqual(response.status_code, 200)
        return response.text, len(queries)

    def test_kept_for_visitors_fresh_after_an_edit_and_staff_see_their_own(self):
        html, queries = self.visit_counting_queries()
        self.assertIn("採用説明会（鹿児島会場）", html)
        self.assertGreaterEqual(queries, 1)
        html, queries = self.visit_counting_queries()
        self.assertIn("採用説明会（鹿児島会場）", html)
        self.assertEqual(queries, 0, "neither shown-or-not nor the HTML asks the catalog again")

        self.event.title = "採用説明会（奄美会場）"
        self.event.reindexObject()
        api.content.create(
            container=self.portal,
            type="Event",
            id="naibu",
            title="職員向けの下書きイベント",
            start=self.event.start + timedelta(days=1),
            end=self.event.start + timedelta(days=1, hours=1),
        )
        transaction.commit()
        html = self.visit_counting_queries()[0]
        self.assertIn("採用説明会（奄美会場）", html)
        self.assertNotIn("採用説明会（鹿児島会場）", html)
        self.assertNotIn("職員向けの下書きイベント", html)

        staff, queries = self.visit_counting_queries(auth=STAFF)
        self.assertIn("職員向けの下書きイベント", staff)
        self.assertGreaterEqual(queries, 1)
        self.assertNotIn("職員向けの下書きイベント", self.visit_counting_queries()[0])


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


class TestStructuredData(VisitorViewletsTestCase):
    """The JSON-LD of a page is made once for visitors and follows edits at once."""

    built = (StockStructuredData, "graphs")

    def setUp(self):
        super().setUp()
        self.notice = self.publish(
            api.content.create(
                container=self.section,
                type="ExamNotice",
                id="daigaku",
                title="令和7年度 鹿児島県職員採用試験（大学卒業程度）",
                description="行政・技術職の採用試験です。",
                fiscal_year=2025,
                exam_type="daigaku",
                audiences=["daigakusei"],
                divisions=[{"name": "土木", "headcount": 8, "job_type": "doboku", "note": None}],
                application_start=datetime(2025, 5, 1, 9, 0),
                application_end=datetime(2025, 5, 21, 17, 0),
            )
        )
        transaction.commit()
        self.url = self.notice.absolute_url()

    def json_ld(self, html):
        return "".join(JSON_LD.findall(html))

    def test_made_once_for_visitors_and_fresh_after_edits(self):
        html, built = self.visit(self.built)
        self.assertEqual(built, 1)
        self.assertIn('"JobPosting"', self.json_ld(html))
        self.assertIn("土木", self.json_ld(html))
        again, built = self.visit(self.built)
        self.assertEqual(built, 0)
        self.assertEqual(self.json_ld(again), self.json_ld(html))

        # the exam's own fields, a parent's title and a label of サイト設定's choice lists show at once
        self.notice.title = "令和7年度 鹿児島県職員採用試験（大学卒業程度・追加募集）"
        self.section.title = "部署と仕事"
        transaction.commit()
        record = EDITABLE["kagoshima.saiyo.JobTypes"][0]
        lines = [
            line.replace("|土木", "|土木（道路・河川）") for line in api.portal.get_registry_record(record)
        ]
        api.portal.set_registry_record(record, lines)
        transaction.commit()
        json_ld = self.json_ld(self.visit(self.built)[0])
        self.assertIn("追加募集", json_ld)
        self.assertIn("部署と仕事", json_ld)
        self.assertIn("土木（道路・河川）", json_ld)

        # another page has JSON-LD of its own
        other, built = self.visit(self.built, url=self.section.absolute_url())
        self.assertEqual(built, 1)
        self.assertNotIn('"JobPosting"', self.json_ld(other))

    def test_staff_get_it_fresh(self):
        self.visit(self.built)
        self.assertEqual(self.visit(self.built, auth=STAFF)[1], 1)
        self.assertEqual(self.visit(self.built, auth=STAFF)[1], 1)


class TestSitemap(VisitorViewletsTestCase):
    """@@sitemap's tree is built once for visitors and follows the site at once; staff get their own."""

    built = (StockSitemapView, "_renderLevel")

    def setUp(self):
        super().setUp()
        self.url = self.portal.absolute_url() + "/@@sitemap"

    def test_built_once_for_visitors_and_fresh_after_changes(self):
        html, built = self.visit(self.built)
        self.assertGreaterEqual(built, 1)
        self.assertIn("土木部の仕事", html)
        again, built = self.visit(self.built)
        self.assertEqual(built, 0)
        self.assertIn("土木部の仕事", again)

        self.publish(
            api.content.create(container=self.section, type="Document", id="nosei", title="農政部の仕事")
        )
        self.page.title = "土木部の仕事と一日"
        self.page.reindexObject()
        transaction.commit()
        html = self.visit(self.built)[0]
        self.assertIn("農政部の仕事", html)
        self.assertIn("土木部の仕事と一日", html)

        api.portal.set_registry_record("plone.sitemap_depth", 1)
        transaction.commit()
        self.assertNotIn("農政部の仕事", self.visit(self.built)[0])

    def test_staff_never_get_the_visitors_tree(self):
        self.visit(self.built)
        api.content.create(container=self.section, type="Document", id="shitagaki", title="職員だけの下書き")
        transaction.commit()
        html, built = self.visit(self.built, auth=STAFF)
        self.assertGreaterEqual(built, 1)
        self.assertIn("職員だけの下書き", html)
        self.assertGreaterEqual(self.visit(self.built, auth=STAFF)[1], 1)
        self.assertNotIn("職員だけの下書き", self.visit(self.built)[0])
