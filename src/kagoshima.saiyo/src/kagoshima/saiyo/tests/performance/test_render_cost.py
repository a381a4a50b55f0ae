"""Render-cost cures: work is done once, and an edit is visible at once (over HTTP, real Zope).

Each test counts the expensive call on the server (it runs in this process) while pages are
requested as a visitor: the first view pays, the next one does not, and after an edit the new
content is on the page.
"""

from App.config import getConfiguration
from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.performance import bundle_hash
from kagoshima.saiyo.performance import icons
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone import api
from plone.app.event.browser.formatted_date import FormattedDateProvider
from plone.app.event.portlets.portlet_events import Assignment as EventsAssignment
from plone.app.portlets.portlets import navigation
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.base.interfaces.resources import OVERRIDE_RESOURCE_DIRECTORY_NAME
from plone.portlets.interfaces import IPortletAssignmentMapping
from plone.portlets.interfaces import IPortletManager
from plone.resource.interfaces import IResourceDirectory
from Products.CMFPlone.browser.icons import IconsView
from Products.CMFPlone.resources.browser.resource import update_resource_registry_mtime
from unittest import mock
from zope.component import getMultiAdapter
from zope.component import getUtility

import pytz
import re
import requests
import transaction
import unittest


def html_richtext(html):
    return RichTextValue(html, "text/html", "text/x-html-safe")


class RenderCostTestCase(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        configuration = getConfiguration()
        self._debug_mode = configuration.debug_mode
        configuration.debug_mode = False  # production mode: the caches are on
        bundle_hash.clear()

    def tearDown(self):
        getConfiguration().debug_mode = self._debug_mode

    def publish(self, obj):
        if api.content.get_state(obj, default=None) not in (None, "published"):
            api.content.transition(obj=obj, transition="publish")
        return obj

    def get(self, url):
        response = requests.get(url, timeout=60)
        self.assertEqual(response.status_code, 200, url)
        return response.text


class TestFaqList(RenderCostTestCase):
    def test_answers_transformed_once_for_list_and_json_ld_and_fresh_after_an_edit(self):
        folder = self.publish(
            api.content.create(container=self.portal, type="Folder", id="faq", title="よくある質問")
        )
        folder.setLayout("faq-list")
        faqs = [
            self.publish(
                api.content.create(
                    container=folder,
                    type="FAQ",
                    id=f"q{index}",
                    title=f"質問{index}ですか？",
                    answer=html_richtext(f"<p>回答{index}です。</p>"),
                    faq_category="moushikomi",
                )
            )
            for index in range(3)
        ]
        transaction.commit()
        stock = RichTextValue.output_relative_to
        transformed = []

        def counted(value, context):
            transformed.append(context.getId())
            return stock(value, context)

        with mock.patch.object(
            RichTextValue, "output_relative_to", autospec=True, side_effect=counted
        ) as transform:
            html = self.get(folder.absolute_url())
            first = list(transformed)
            self.assertIn("回答2です。", html)
            self.assertIn('"text":"回答2です。"', html.replace(": ", ":"))
            self.assertEqual(
                sorted(first), ["q0", "q1", "q2"], "each answer once for the list and its JSON-LD"
            )

            transform.reset_mock()
            self.assertIn("回答1です。", self.get(folder.absolute_url()))
            self.assertEqual(transform.call_count, 0, "an unchanged FAQ list transforms nothing again")

            faqs[1].answer = html_richtext("<p>書き直した回答です。</p>")
            faqs[1].reindexObject()
            transaction.commit()
            html = self.get(folder.absolute_url())
            self.assertIn("書き直した回答です。", html)
            self.assertIn('"text":"書き直した回答です。"', html.replace(": ", ":"))
            self.assertNotIn("回答1です。", html)


class TestEventsPortlet(RenderCostTestCase):
    def test_rendered_once_and_fresh_after_an_edit(self):
        manager = getUtility(IPortletManager, name="plone.rightcolumn", context=self.portal)
        mapping = getMultiAdapter((self.portal, manager), IPortletAssignmentMapping)
        if not any(isinstance(assignment, EventsAssignment) for assignment in mapping.values()):
            mapping["saiyo-events"] = EventsAssignment(count=5, state=("published",))
        portlets = sum(isinstance(assignment, EventsAssignment) for assignment in mapping.values())
        now = datetime.now(pytz.timezone("Asia/Tokyo")).replace(minute=0, second=0, microsecond=0)
        start = now + timedelta(days=30)
        event = self.publish(
            api.content.create(
                container=self.portal,
                type="Event",
                id="setsumeikai",
                title="採用説明会（鹿児島会場）",
                start=start,
                end=start + timedelta(hours=2),
            )
        )
        page = self.publish(
            api.content.create(container=self.portal, type="Document", id="page", title="ページ")
        )
        transaction.commit()
        stock = FormattedDateProvider.__call__
        with mock.patch.object(FormattedDateProvider, "__call__", autospec=True, side_effect=stock) as dates:
            html = self.get(page.absolute_url())
            self.assertIn("portletEvents", html)
            self.assertIn("採用説明会（鹿児島会場）", html)
            self.assertEqual(dates.call_count, portlets)

            dates.reset_mock()
            self.assertIn("採用説明会（鹿児島会場）", self.get(page.absolute_url()))
            self.assertEqual(dates.call_count, 0, "the unchanged portlet is not rendered again")

            event.title = "採用説明会（奄美会場）"
            event.reindexObject()
            transaction.commit()
            html = self.get(page.absolute_url())
            self.assertIn("採用説明会（奄美会場）", html)
            self.assertNotIn("採用説明会（鹿児島会場）", html)


# From the navigation portlet's opening tag to the end of its list (the theme keeps the markup)
NAV_PORTLET = re.compile(r'class="[^"]*portletNavigationTree.*?</ul>', re.S)
BUNDLE = re.compile(r'<script data-bundle="kagoshima-saiyo"[^>]*integrity="([^"]+)"')


class TestBundleHash(RenderCostTestCase):
    def test_bundle_files_read_once_and_a_changed_file_gets_a_new_hash(self):
        from Products.CMFPlone.resources import webresource

        stock = webresource.get_resource
        url = self.portal.absolute_url()
        with mock.patch.object(webresource, "get_resource", side_effect=stock) as read:
            first = BUNDLE.search(self.get(url)).group(1)
            self.assertTrue(any(call.args[1].startswith("++plone++") for call in read.call_args_list))

            read.reset_mock()
            self.assertEqual(BUNDLE.search(self.get(url)).group(1), first)
            read_again = [call.args[1] for call in read.call_args_list]
            self.assertEqual([p for p in read_again if p.startswith(("++plone++", "++resource++"))], [])

            # a registry change (profile import, resource registry control panel) reads them again
            update_resource_registry_mtime()
            transaction.commit()
            read.reset_mock()
            self.assertEqual(BUNDLE.search(self.get(url)).group(1), first)
            self.assertIn("++plone++kagoshima.saiyo/saiyo.js", [call.args[1] for call in read.call_args_list])

        # a file customised in the ZODB (portal_resources) is hashed from its new content at once
        persistent = getUtility(IResourceDirectory, name="persistent")
        if OVERRIDE_RESOURCE_DIRECTORY_NAME not in persistent:
            persistent.makeDirectory(OVERRIDE_RESOURCE_DIRECTORY_NAME)
        persistent[OVERRIDE_RESOURCE_DIRECTORY_NAME].writeFile(
            "kagoshima.saiyo/saiyo.js", b"/* customised */ console.log('saiyo');\n"
        )
        transaction.commit()
        self.assertNotEqual(BUNDLE.search(self.get(url)).group(1), first)

    def test_debug_mode_keeps_the_stock_behaviour(self):
        getConfiguration().debug_mode = True
        from Products.CMFPlone.resources import webresource

        stock = webresource.get_resource
        url = self.portal.absolute_url()
        self.get(url)
        with mock.patch.object(webresource, "get_resource", side_effect=stock) as read:
            self.get(url)
            self.assertIn("++plone++kagoshima.saiyo/saiyo.js", [call.args[1] for call in read.call_args_list])


class TestIconMarkup(RenderCostTestCase):
    def setUp(self):
        super().setUp()
        icons.clear()
        self.resolver = getMultiAdapter((self.portal, self.portal.REQUEST), name="iconresolver")

    def tag_reading_files(self, *args):
        with mock.patch.object(
            IconsView, "_iconfile", autospec=True, side_effect=IconsView._iconfile
        ) as read:
            markup = self.resolver.tag(*args)
        return markup, read.call_count

    def test_svg_read_once_same_markup_and_a_registry_change_names_the_new_file(self):
        first, reads = self.tag_reading_files("contenttype/folder", "icon-x", "フォルダー")
        self.assertEqual(reads, 1)
        self.assertTrue(first.startswith("<svg"), first[:80])
        self.assertIn("icon-x", first)
        self.assertIn("<title>&#12501;&#12457;&#12523;&#12480;&#12540;</title>", first)  # フォルダー
        again, reads = self.tag_reading_files("contenttype/folder", "icon-x", "フォルダー")
        self.assertEqual((again, reads), (first, 0))
        self.assertEqual(again, icons._stock_tag(self.resolver, "contenttype/folder", "icon-x", "フォルダー"))
        # another class or title is other markup
        other, reads = self.tag_reading_files("contenttype/folder", "icon-y", "")
        self.assertEqual(reads, 1)
        self.assertNotIn("icon-x", other)

        api.portal.set_registry_record("plone.icon.contenttype/folder", "++plone++icons/file-earmark.svg")
        changed, reads = self.tag_reading_files("contenttype/folder", "icon-x", "フォルダー")
        self.assertEqual(reads, 1)
        self.assertNotEqual(changed, first)
        self.assertEqual(
            changed, icons._stock_tag(self.resolver, "contenttype/folder", "icon-x", "フォルダー")
        )

    def test_pages_show_the_kept_icons(self):
        folder = self.publish(
            api.content.create(container=self.portal, type="Folder", id="f", title="フォルダー")
        )
        self.publish(api.content.create(container=folder, type="Document", id="d", title="ページ"))
        transaction.commit()
        url = folder.absolute_url() + "/d"
        first = self.get(url)
        with mock.patch.object(
            IconsView, "_iconfile", autospec=True, side_effect=IconsView._iconfile
        ) as read:
            self.assertEqual(self.get(url).count("plone-icon"), first.count("plone-icon"))
        self.assertGreater(first.count("plone-icon"), 0)
        self.assertEqual(read.call_count, 0)

    def test_debug_mode_and_images_keep_the_stock_behaviour(self):
        getConfiguration().debug_mode = True
        self.tag_reading_files("contenttype/folder")
        self.assertEqual(self.tag_reading_files("contenttype/folder")[1], 1)
        getConfiguration().debug_mode = False
        api.portal.set_registry_record("plone.icon.contenttype/folder", "logo.png")
        markup, _reads = self.tag_reading_files("contenttype/folder")
        self.assertEqual(markup, f'<img src="{self.portal.absolute_url()}/logo.png" class="" alt="" />')


class TestNavigationPortlet(RenderCostTestCase):
    """The tree is built once per page for visitors; a change of the site shows at once."""

    def setUp(self):
        super().setUp()
        self.folder = self.publish(
            api.content.create(container=self.portal, type="Folder", id="bu", title="部署紹介")
        )
        self.publish(api.content.create(container=self.folder, type="Document", id="a", title="土木部の仕事"))
        transaction.commit()
        self.url = self.folder.absolute_url() + "/a"

    def visit(self, **kwargs):
        """(HTML, how many times the navigation tree was built) of one request of the page."""
        with mock.patch.object(
            navigation, "buildFolderTree", autospec=True, side_effect=navigation.buildFolderTree
        ) as build:
            response = requests.get(self.url, timeout=60, **kwargs)
        self.assertEqual(response.status_code, 200)
        return response.text, build.call_count

    def test_built_once_for_visitors_and_fresh_after_changes(self):
        html, built = self.visit()
        self.assertGreaterEqual(built, 1)
        self.assertIn("土木部の仕事", NAV_PORTLET.search(html).group(0))
        again, built = self.visit()
        self.assertEqual((again, built), (html, 0))

        # a new page, a retitled page and a page hidden from navigation show at once
        self.publish(api.content.create(container=self.folder, type="Document", id="b", title="農政部の仕事"))
        self.folder["a"].title = "土木部の仕事と一日"
        self.folder["a"].reindexObject()
        transaction.commit()
        nav = NAV_PORTLET.search(self.visit()[0]).group(0)
        self.assertIn("農政部の仕事", nav)
        self.assertIn("土木部の仕事と一日", nav)
        self.folder["b"].exclude_from_nav = True
        self.folder["b"].reindexObject()
        transaction.commit()
        self.assertNotIn("農政部の仕事", NAV_PORTLET.search(self.visit()[0]).group(0))

        # a private page is not shown to visitors, and shown once it is published
        api.content.create(container=self.folder, type="Document", id="c", title="下書きの仕事")
        transaction.commit()
        self.assertNotIn("下書きの仕事", NAV_PORTLET.search(self.visit()[0]).group(0))
        api.content.transition(obj=self.folder["c"], transition="publish")
        transaction.commit()
        self.assertIn("下書きの仕事", NAV_PORTLET.search(self.visit()[0]).group(0))

    def test_logged_in_users_get_the_tree_of_their_own_rights(self):
        api.content.create(container=self.folder, type="Document", id="d", title="職員だけの下書き")
        transaction.commit()
        auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        html, built = self.visit(auth=auth)
        self.assertIn("職員だけの下書き", NAV_PORTLET.search(html).group(0))
        self.assertGreaterEqual(self.visit(auth=auth)[1], 1)  # built again: nothing kept for staff
        self.assertNotIn("職員だけの下書き", NAV_PORTLET.search(self.visit()[0]).group(0))
