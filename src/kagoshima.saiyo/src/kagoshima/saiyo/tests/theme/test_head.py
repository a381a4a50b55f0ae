"""The head of pages as a visitor gets them: title, one description, canonical link, robots, feed links."""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from lxml import html as lxml_html
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser
from urllib.parse import quote
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory

import transaction
import unittest


SITE_TITLE = "鹿児島県職員採用"


class TestHead(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        api.portal.set_registry_record("plone.site_title", SITE_TITLE)
        self.portal.setTitle(SITE_TITLE)
        self.portal.setDescription("鹿児島県職員の採用試験、仕事、働き方を紹介するサイトです。")
        page = api.content.create(
            container=self.portal, type="Document", id="kyuyo", title="給与・手当", description="初任給など"
        )
        api.content.transition(page, "publish")
        transaction.commit()
        self.browser = Browser(self.layer["app"])
        self.browser.handleErrors = False

    def head(self, path: str):
        self.browser.open(self.portal.absolute_url() + path)
        return lxml_html.fromstring(self.browser.contents.encode("utf-8")).find("head")

    def assertResultsHead(self, head, title: str):
        self.assertEqual(head.findtext("title"), title)
        self.assertEqual(len(head.xpath("meta[@name='description']")), 1)
        self.assertEqual(head.xpath("link[@rel='canonical']"), [])
        self.assertEqual(head.xpath("meta[@name='robots']/@content"), ["noindex, follow"])

    def test_search_results_page(self):
        head = self.head("/@@search?SearchableText=" + quote("給与"))
        self.assertResultsHead(head, f"『給与』の検索結果 | {SITE_TITLE}")
        self.assertEqual(head.xpath("meta[@property='og:title']/@content"), ["『給与』の検索結果"])

    def test_search_page_without_a_query(self):
        head = self.head("/@@search")
        self.assertEqual(head.findtext("title"), f"サイト内検索 | {SITE_TITLE}")
        self.assertEqual(len(head.xpath("meta[@name='description']")), 1)
        self.assertNotIn(self.portal.absolute_url(), head.xpath("link[@rel='canonical']/@href"))

    def test_search_by_tag(self):
        head = self.head("/@@search?Subject:list=" + quote("説明会"))
        self.assertResultsHead(head, f"タグ『説明会』のページ | {SITE_TITLE}")

    def test_a_query_is_escaped_in_the_title(self):
        head = self.head("/@@search?SearchableText=" + quote("<b>給与</b>"))
        self.assertEqual(head.findtext("title"), f"『<b>給与</b>』の検索結果 | {SITE_TITLE}")
        self.assertNotIn("<b>給与", self.browser.contents.split("</title>")[0])

    def test_assistant_page(self):
        head = self.head("/@@saiyo-assistant")
        self.assertEqual(head.findtext("title"), f"質問する | {SITE_TITLE}")
        self.assertEqual(len(head.xpath("meta[@name='description']")), 1)
        self.assertNotIn(self.portal.absolute_url(), head.xpath("link[@rel='canonical']/@href"))
        head = self.head("/@@saiyo-assistant?question=" + quote("初任給はいくらですか"))
        self.assertResultsHead(head, f"質問する | {SITE_TITLE}")

    def test_content_pages_keep_one_description_and_their_canonical_link(self):
        head = self.head("/kyuyo")
        self.assertEqual(head.xpath("meta[@name='description']/@content"), ["初任給など"])
        self.assertEqual(head.xpath("link[@rel='canonical']/@href"), [self.portal.absolute_url() + "/kyuyo"])
        self.assertEqual(head.xpath("meta[@name='robots']"), [])
        head = self.head("/")
        self.assertEqual(head.findtext("title"), SITE_TITLE)
        self.assertEqual(len(head.xpath("meta[@name='description']")), 1)
        self.assertEqual(head.xpath("link[@rel='canonical']/@href"), [self.portal.absolute_url()])

    def test_feed_links_of_the_top_page_have_readable_titles(self):
        head = self.head("/")
        titles = head.xpath("link[@rel='alternate'][@type='application/rss+xml']/@title")
        self.assertTrue(titles)
        vocabulary = getUtility(IVocabularyFactory, "plone.app.vocabularies.SyndicationFeedTypes")(
            self.portal
        )
        feed_titles = {str(term.title) for term in vocabulary}
        for title in titles:
            self.assertNotIn("b'", title)
            site, _, feed = title.partition(" - ")
            self.assertEqual(site, SITE_TITLE)
            self.assertIn(feed, feed_titles)
        # The results page keeps no feed links at all (search/views.zcml).
        head = self.head("/@@search?SearchableText=" + quote("給与"))
        self.assertEqual(head.xpath("link[@rel='alternate']"), [])
