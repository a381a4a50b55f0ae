"""The search results page: each text is analysed for highlighting once, and an edit shows at once.

The words of a result's text (Sudachi morphemes, their keys and readings) are kept between
requests, keyed by the text itself; the results themselves are searched on every request, so
staff still find the drafts visitors never see.
"""

from App.config import getConfiguration
from kagoshima.saiyo.search import analysis
from kagoshima.saiyo.tests.performance.test_render_cost import RenderCostTestCase
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.textfield.value import RichTextValue
from unittest import mock

import re
import requests
import transaction
import urllib.parse


MARKS = re.compile(r"<mark>([^<]*)</mark>")


class TestSearchHighlighting(RenderCostTestCase):
    def setUp(self):
        super().setUp()  # production mode: the cache is on
        analysis.clear_word_cache()
        self.page = api.content.create(
            container=self.portal,
            type="Document",
            id="shiken-annai",
            title="採用案内",
            text=RichTextValue("<p>本年度の採用試験は六月に行います。</p>", "text/html", "text/x-html-safe"),
        )
        api.content.transition(obj=self.page, transition="publish")
        transaction.commit()
        self.url = self.portal.absolute_url() + "/@@search?SearchableText=" + urllib.parse.quote("試験")

    def tearDown(self):
        super().tearDown()
        analysis.clear_word_cache()

    def visit(self, **kwargs):
        """(HTML, how many texts were analysed for highlighting) of one request of the page."""
        with mock.patch.object(
            analysis, "_analyse_piece", autospec=True, side_effect=analysis._analyse_piece
        ) as analyse:
            response = requests.get(self.url, timeout=60, **kwargs)
        self.assertEqual(response.status_code, 200)
        return response.text, analyse.call_count

    def test_texts_analysed_once_and_fresh_after_an_edit(self):
        html, analysed = self.visit()
        self.assertIn("採用案内", html)
        self.assertIn("試験", MARKS.findall(html))
        self.assertGreaterEqual(analysed, 1)
        again, analysed = self.visit()
        self.assertEqual(analysed, 0)
        self.assertEqual(MARKS.findall(again), MARKS.findall(html))

        # an edited text is highlighted from its new words at once
        self.page.text = RichTextValue(
            "<p>変更：採用試験の日程は七月です。</p>", "text/html", "text/x-html-safe"
        )
        self.page.reindexObject()
        transaction.commit()
        html, analysed = self.visit()
        self.assertGreaterEqual(analysed, 1)
        self.assertIn("七月", html)
        self.assertNotIn("六月", html)
        self.assertIn("試験", MARKS.findall(html))

    def test_debug_mode_keeps_nothing(self):
        getConfiguration().debug_mode = True
        self.assertGreaterEqual(self.visit()[1], 1)
        self.assertGreaterEqual(self.visit()[1], 1)

    def test_staff_are_not_served_the_visitors_results(self):
        api.content.create(
            container=self.portal,
            type="Document",
            id="shiken-draft",
            title="試験の下書き",
            text=RichTextValue("<p>職員だけの試験メモ</p>", "text/html", "text/x-html-safe"),
        )
        transaction.commit()
        visitor = self.visit()[0]
        self.assertNotIn("試験の下書き", visitor)
        staff = self.visit(auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))[0]
        self.assertIn("試験の下書き", staff)
        self.assertIn("採用案内", staff)
        self.assertNotIn("試験の下書き", self.visit()[0])
