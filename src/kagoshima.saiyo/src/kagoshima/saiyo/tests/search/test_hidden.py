"""A folder marked IHiddenFromSearch (the migration's /kyu-site) keeps its pages out of the site
search and the assistant; a page moved out of it is found again."""

from kagoshima.saiyo.search import assistant
from kagoshima.saiyo.search.hidden import IHiddenFromSearch
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.testing.zope import Browser
from urllib.parse import quote
from zope.interface import alsoProvides

import transaction
import unittest


QUESTION = "桜島フェリーの旧時刻表はどこにありますか"


class HiddenFromSearchTestCase(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.folder = api.content.create(self.portal, type="Folder", id="kyu-site", title="旧サイトのページ")
        self.page = api.content.create(
            self.folder,
            type="Document",
            id="ferry",
            title="桜島フェリーの旧時刻表",
            text=RichTextValue(
                "<p>桜島フェリーの旧時刻表は、県庁の総合案内で閲覧できます。</p>",
                "text/html",
                "text/x-html-safe",
            ),
        )
        for obj in (self.folder, self.page):
            api.content.transition(obj, to_state="published")
        transaction.commit()

    def search(self, text):
        """The result links of the results page, as an anonymous visitor sees it."""
        browser = Browser(self.layer["app"])
        browser.open(self.portal.absolute_url() + "/@@search?SearchableText=" + quote(text))
        return browser.contents

    def assistant_sources(self):
        found = assistant.answer_pages(self.portal, assistant.content_words(QUESTION))
        return [source["@id"] for source in (found or {}).get("sources", [])]

    def hide(self):
        alsoProvides(self.folder, IHiddenFromSearch)
        self.folder.reindexObject(idxs=["object_provides"])
        transaction.commit()

    def test_found_while_not_hidden(self):
        self.assertIn(self.page.absolute_url(), self.search("桜島フェリー 旧時刻表"))
        self.assertIn(self.page.absolute_url(), self.assistant_sources())

    def test_hidden_folder_keeps_its_pages_out(self):
        self.hide()
        results = self.search("桜島フェリー 旧時刻表")
        self.assertNotIn(self.page.absolute_url(), results)
        self.assertIn("桜島フェリー", results)  # the query is shown: the page rendered, found nothing
        self.assertIn('<span class="saiyo-search__count">0件</span>', self.search("旧サイトのページ"))
        self.assertNotIn(self.page.absolute_url(), self.assistant_sources())
        # the page itself still answers (old URLs redirect to it)
        self.assertEqual(self.portal.unrestrictedTraverse("kyu-site/ferry"), self.page)

    def test_page_moved_out_is_found_again(self):
        self.hide()
        moved = api.content.move(self.page, self.portal)
        transaction.commit()
        self.assertIn(moved.absolute_url(), self.search("桜島フェリー 旧時刻表"))
        self.assertIn(moved.absolute_url(), self.assistant_sources())
