"""Administrators edit the lists; tokens stay stable, labels follow everywhere."""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from kagoshima.saiyo.vocabularies import parse_lines
from kagoshima.saiyo.vocabularies import term_title
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory

import transaction
import unittest


class TestVocabularies(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_every_list_has_terms(self):
        for name in (
            "kagoshima.saiyo.ExamTypes",
            "kagoshima.saiyo.JobTypes",
            "kagoshima.saiyo.Audiences",
            "kagoshima.saiyo.FaqCategories",
            "kagoshima.saiyo.ExamVenues",
            "kagoshima.saiyo.CareerTypes",
            "kagoshima.saiyo.EventFormats",
            "kagoshima.saiyo.ExamStatuses",
        ):
            vocabulary = getUtility(IVocabularyFactory, name)(self.layer["portal"])
            self.assertGreaterEqual(len(vocabulary), 3, name)
        exam_types = getUtility(IVocabularyFactory, "kagoshima.saiyo.ExamTypes")(None)
        self.assertEqual(exam_types.getTerm("daigaku").title, "大学卒業程度")

    def test_parse_lines_skips_malformed_lines(self):
        self.assertEqual(
            parse_lines(["a|エー", "broken", "|ラベルだけ", "b | ビー ", None]),
            [("a", "エー"), ("b", "ビー")],
        )

    def test_unknown_token_shows_the_token(self):
        self.assertEqual(term_title("kagoshima.saiyo.ExamTypes", "gone"), "gone")
        self.assertEqual(term_title("kagoshima.saiyo.ExamStatuses", "open"), "受付中")


class TestControlPanel(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        api.content.create(container=self.portal, type="FAQ", id="q", title="質問", faq_category="kyuyo")
        transaction.commit()
        self.browser = Browser(self.layer["app"])
        self.browser.handleErrors = False
        self.browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")

    def token_fields(self, field):
        """Names of the token inputs of the visible rows of a list (not the template rows)."""
        return [
            name
            for name in self.browser.contents.split('"')
            if name.startswith(f"form.widgets.{field}.")
            and name.endswith(".widgets.token")
            and ".TT." not in name
            and ".AA." not in name
        ]

    def open_panel(self):
        self.browser.open(self.portal.absolute_url() + "/@@saiyo-vocabularies")

    def test_listed_in_site_setup(self):
        self.browser.open(self.portal.absolute_url() + "/@@overview-controlpanel")
        self.assertIn("採用サイトの選択肢", self.browser.contents)

    def test_rename_a_label(self):
        self.open_panel()
        rows = [
            name
            for name in self.browser.contents.split('"')
            if name.startswith("form.widgets.faq_categories.") and name.endswith(".widgets.title")
        ]
        first = rows[0]
        self.assertIn("試験・申込", self.browser.getControl(name=first).value)
        self.browser.getControl(name=first).value = "試験と申込み"
        self.browser.getControl(name="form.buttons.save").click()
        self.assertIn("選択肢を保存しました。", self.browser.contents)
        transaction.begin()
        self.assertEqual(term_title("kagoshima.saiyo.FaqCategories", "moushikomi"), "試験と申込み")

    def test_a_token_in_use_cannot_be_removed(self):
        before = api.portal.get_registry_record("kagoshima.saiyo.vocabularies.faq_categories")
        self.open_panel()
        token_fields = self.token_fields("faq_categories")
        for name in token_fields:
            if self.browser.getControl(name=name).value == "kyuyo":
                self.browser.getControl(name=name).value = "kyuyo-renamed"
        self.browser.getControl(name="form.buttons.save").click()
        self.assertIn(
            "FAQカテゴリの「kyuyo」は1件のページで使われているため削除できません。", self.browser.contents
        )
        transaction.begin()
        self.assertEqual(
            api.portal.get_registry_record("kagoshima.saiyo.vocabularies.faq_categories"), before
        )

    def test_bad_token_is_refused(self):
        self.open_panel()
        token_fields = self.token_fields("exam_venues")
        self.browser.getControl(name=token_fields[0]).value = "鹿児島"
        self.browser.getControl(name="form.buttons.save").click()
        self.assertIn("トークンは半角の英小文字・数字・ハイフンで書いてください", self.browser.contents)
