"""Readable romaji URLs for content with Japanese titles."""

from kagoshima.saiyo.slugs.normalizer import JapaneseURLNormalizer
from kagoshima.saiyo.slugs.romaji import slugify
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.i18n.normalizer import urlnormalizer
from plone.i18n.normalizer.interfaces import IURLNormalizer
from plone.i18n.normalizer.interfaces import IUserPreferredURLNormalizer
from plone.testing import zca
from plone.testing.zope import Browser
from zope.component import getUtility
from zope.configuration import xmlconfig
from zope.configuration.config import ConfigurationConflictError
from zope.interface.verify import verifyObject

import json
import os
import re
import subprocess
import sys
import transaction
import unittest


SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TITLE = "令和7年度 大学卒業程度試験"
SLUG = "r7-daigaku-sotsugyo-teido-shiken"


class TestSlugify(unittest.TestCase):
    def test_exam_title(self):
        self.assertEqual(slugify(TITLE), SLUG)

    def test_compound_is_cut_into_words(self):
        # pykakasi reads 大学卒業 as one word "daigakusotsugyou".
        self.assertEqual(slugify("大学卒業程度試験"), "daigaku-sotsugyo-teido-shiken")
        self.assertEqual(slugify("高校卒業程度"), "koko-sotsugyo-teido")
        self.assertEqual(slugify("合格発表について"), "gokaku-happyo-nitsuite")
        self.assertEqual(slugify("教育委員会"), "kyoiku-iinkai")
        # A word with one more character after known parts keeps it.
        self.assertEqual(slugify("大学卒業者"), "daigaku-sotsugyosha")
        # Words that are not made of known parts stay whole.
        self.assertEqual(slugify("合格者"), "gokakusha")
        self.assertEqual(slugify("受験者数"), "jukenshasu")

    def test_era_years(self):
        self.assertEqual(slugify("平成30年度"), "h30")
        self.assertEqual(slugify("令和元年度"), "r1")
        self.assertEqual(slugify("令和7年"), "r7")
        self.assertEqual(slugify("令和 7 年度"), "r7")
        self.assertEqual(slugify("令和７年度"), "r7")
        self.assertEqual(slugify("昭和64年"), "s64")
        self.assertEqual(slugify("受験案内（令和7年度）"), "juken-annai-r7")
        # An era name without a year is just a word.
        self.assertEqual(slugify("平成"), "heisei")

    def test_katakana(self):
        self.assertEqual(slugify("職員インタビュー"), "shokuin-intabyu")
        self.assertEqual(slugify("ワーク・ライフ・バランス"), "waaku-raifu-baransu")
        # Half-width katakana is folded to full-width first.
        self.assertEqual(slugify("ｶﾀｶﾅ"), "katakana")

    def test_full_width_ascii(self):
        self.assertEqual(slugify("ＳＰＩ試験について"), "spi-shiken-nitsuite")
        self.assertTrue(slugify("ＳＰＩ試験について").startswith("spi-"))
        self.assertEqual(slugify("ＳＰＩ試験について"), slugify("SPI試験について"))

    def test_mixed_ascii(self):
        self.assertEqual(slugify("UIターン枠"), "ui-taan-waku")
        self.assertEqual(slugify("警察官A"), "keisatsukan-a")
        self.assertEqual(slugify("2nd Stage"), "2nd-stage")
        self.assertEqual(slugify("Q&A"), "q-a")
        self.assertEqual(slugify("Let's 試験"), "lets-shiken")
        self.assertEqual(slugify("Café 鹿児島"), "cafe-kagoshima")

    def test_numbers_and_counters(self):
        self.assertEqual(slugify("第１次試験"), "dai1ji-shiken")
        self.assertEqual(slugify("警察官採用試験・第1回"), "keisatsukan-saiyo-shiken-dai1kai")
        self.assertEqual(slugify("令和7年4月1日"), "r7-4gatsu-1nichi")
        self.assertEqual(slugify("2025年度採用"), "2025nendo-saiyo")
        self.assertEqual(slugify("9時00分"), "9ji-00fun")

    def test_punctuation_separates_words(self):
        self.assertEqual(slugify("試験日程・会場"), "shiken-nittei-kaijo")
        self.assertEqual(slugify("技術職（土木）"), "gijutsushoku-doboku")
        self.assertEqual(slugify("事務(行政)"), "jimu-gyosei")
        self.assertEqual(slugify("「受験案内」について。"), "juken-annai-nitsuite")
        self.assertEqual(slugify("東京、大阪"), "tokyo-osaka")
        self.assertEqual(slugify("--受験--案内--"), "juken-annai")
        self.assertEqual(slugify("受験　　案内"), "juken-annai")

    def test_place_names(self):
        self.assertEqual(
            slugify("令和７年度　鹿児島県職員採用試験（大学卒業程度）"),
            "r7-kagoshima-ken-shokuin-saiyo-shiken-daigaku-sotsugyo-teido",
        )
        self.assertEqual(slugify("鹿児島中央"), "kagoshima-chuo")
        self.assertEqual(slugify("奄美大島"), "amami-oshima")
        self.assertEqual(slugify("霧島市"), "kirishima-shi")
        self.assertEqual(slugify("薩摩川内"), "satsuma-sendai")

    def test_honorific_prefix_stays_with_its_word(self):
        self.assertEqual(slugify("お問い合わせ"), "otoiawase")

    def test_nothing_to_romanise(self):
        for text in ("", "!!!", "・・・", "（）", "ーー", "々", "Москва"):
            self.assertEqual(slugify(text), "", text)

    def test_only_slug_characters(self):
        for text in (
            TITLE,
            "障害者を対象とした選考",
            "社会人経験者",
            "よくあるご質問",
            "申込み方法",
            "𠮷野家",
            "ヴァイオリン",
            "a／b＼c",
            "100%合格!?",
        ):
            slug = slugify(text)
            self.assertRegex(slug, SLUG_RE, text)

    def test_stable(self):
        # Unlike plone.i18n's hashed "ja" ids, the same title always gives the same slug: the one
        # written here, also in a fresh interpreter with another hash seed.
        expected = {TITLE: SLUG, "職員インタビュー": "shokuin-intabyu"}
        for title, slug in expected.items():
            self.assertEqual(slugify(title), slug, title)
        program = "import json, sys; from kagoshima.saiyo.slugs.romaji import slugify; " + (
            "print(json.dumps([slugify(t) for t in json.loads(sys.argv[1])]))"
        )
        fresh = subprocess.run(
            [sys.executable, "-c", program, json.dumps(list(expected))],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "12345"},
        )
        self.assertEqual(json.loads(fresh.stdout), list(expected.values()))

    def test_max_length_cuts_on_a_word_boundary(self):
        long_title = "令和7年度 鹿児島県職員採用試験 大学卒業程度 受験案内 申込方法 よくあるご質問"
        slug = slugify(long_title)
        self.assertLessEqual(len(slug), 60)
        self.assertEqual(slug, "r7-kagoshima-ken-shokuin-saiyo-shiken-daigaku-sotsugyo-teido")
        self.assertEqual(slugify(long_title, max_length=40), "r7-kagoshima-ken-shokuin-saiyo-shiken")
        self.assertEqual(slugify(TITLE, max_length=len(SLUG)), SLUG)
        self.assertEqual(slugify(TITLE, max_length=len(SLUG) - 1), "r7-daigaku-sotsugyo-teido")
        self.assertEqual(slugify(TITLE, max_length=2), "r7")
        # A single word longer than the limit is cut inside the word.
        self.assertEqual(slugify("ワークライフバランス", max_length=5), "waaku")
        self.assertEqual(slugify(TITLE, max_length=1), "r")

    def test_max_length_must_be_positive(self):
        with self.assertRaises(ValueError):
            slugify(TITLE, max_length=0)


class TestNormalizer(unittest.TestCase):
    def setUp(self):
        self.normalizer = JapaneseURLNormalizer()

    def test_interface(self):
        self.assertTrue(verifyObject(IURLNormalizer, self.normalizer))

    def test_japanese(self):
        self.assertEqual(self.normalizer.normalize(TITLE), SLUG)
        self.assertEqual(self.normalizer.normalize(TITLE, locale="ja"), SLUG)

    def test_max_length(self):
        self.assertEqual(self.normalizer.normalize(TITLE, max_length=20), "r7-daigaku-sotsugyo")
        # Nine words of "shiken" would be 62 characters.
        self.assertEqual(self.normalizer.normalize("試験" * 100), "-".join(["shiken"] * 8))

    def test_ascii_uses_plone_normalizer(self):
        for text in ("Exam Guide 2025", "SPI-3 test", "report.PDF", "_private", "a" * 300):
            self.assertEqual(self.normalizer.normalize(text), urlnormalizer.normalize(text), text)
        self.assertEqual(self.normalizer.normalize("Exam Guide 2025"), "exam-guide-2025")
        self.assertEqual(self.normalizer.normalize("Exam Guide 2025", max_length=4), "exam")

    def test_fallback_when_nothing_is_romanised(self):
        self.assertEqual(self.normalizer.normalize("Москва"), urlnormalizer.normalize("Москва"))
        self.assertEqual(self.normalizer.normalize("Москва"), "moskva")
        self.assertEqual(self.normalizer.normalize(""), "")

    def test_file_extension_is_kept(self):
        self.assertEqual(self.normalizer.normalize("令和7年度試験案内.pdf"), "r7-shiken-annai.pdf")
        self.assertEqual(self.normalizer.normalize("受験申込書.DOCX"), "juken-moshikomisho.docx")
        self.assertEqual(self.normalizer.normalize("受験案内．ｐｄｆ"), "juken-annai.pdf")
        # Not an extension: too long, or no letter.
        self.assertEqual(self.normalizer.normalize("受験案内.backup"), "juken-annai-backup")
        self.assertEqual(self.normalizer.normalize("第2.5次"), "dai2-5ji")
        # The extension counts towards the length.
        self.assertEqual(self.normalizer.normalize("令和7年度試験案内.pdf", max_length=13), "r7-shiken.pdf")
        self.assertEqual(self.normalizer.normalize("令和7年度試験案内.pdf", max_length=12), "r7.pdf")


class TestZCMLOverride(unittest.TestCase):
    """slugs/overrides.zcml (included by the add-on's overrides.zcml) replaces plone.i18n's "ja" utility."""

    ZCML = """
    <configure xmlns="http://namespaces.zope.org/zope">
      <include package="zope.component" file="meta.zcml" />
      <include package="zope.security" file="meta.zcml" />
      <include package="plone.i18n.normalizer" />
      <{directive} package="kagoshima.saiyo.slugs" file="overrides.zcml" />
    </configure>
    """

    def setUp(self):
        zca.pushGlobalRegistry()

    def tearDown(self):
        zca.popGlobalRegistry()

    def test_override(self):
        xmlconfig.string(self.ZCML.format(directive="includeOverrides"))
        utility = getUtility(IURLNormalizer, name="ja")
        self.assertIsInstance(utility, JapaneseURLNormalizer)
        # Plone's default normalizer hands Japanese text to the "ja" one.
        self.assertEqual(getUtility(IURLNormalizer).normalize(TITLE, locale="ja"), SLUG)
        self.assertEqual(getUtility(IURLNormalizer).normalize(TITLE, locale="ja-jp"), SLUG)

    def test_a_plain_include_would_conflict(self):
        with self.assertRaises(ConfigurationConflictError):
            xmlconfig.string(self.ZCML.format(directive="include"))


class TestContentIds(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])

    def test_ja_utility_is_ours(self):
        self.assertIsInstance(getUtility(IURLNormalizer, name="ja"), JapaneseURLNormalizer)

    def test_request_normalizer_uses_site_language(self):
        # The name chooser normalizes through the request, in the site language ja.
        self.assertEqual(IUserPreferredURLNormalizer(self.request).normalize(TITLE), SLUG)

    def test_japanese_title_gives_romaji_id(self):
        doc = api.content.create(container=self.portal, type="Document", title=TITLE)
        self.assertEqual(doc.getId(), SLUG)
        self.assertEqual(doc.Title(), TITLE)

    def test_same_title_gets_unique_ids(self):
        first = api.content.create(container=self.portal, type="Document", title=TITLE)
        second = api.content.create(container=self.portal, type="Document", title=TITLE)
        third = api.content.create(container=self.portal, type="Document", title=TITLE)
        self.assertEqual(first.getId(), SLUG)
        self.assertEqual(second.getId(), f"{SLUG}-1")
        self.assertEqual(third.getId(), f"{SLUG}-2")

    def test_same_title_in_another_folder(self):
        folder = api.content.create(container=self.portal, type="Folder", title="職員インタビュー")
        self.assertEqual(folder.getId(), "shokuin-intabyu")
        api.content.create(container=self.portal, type="Document", title=TITLE)
        doc = api.content.create(container=folder, type="Document", title=TITLE)
        self.assertEqual(doc.getId(), SLUG)

    def test_ascii_title_as_in_plone(self):
        doc = api.content.create(container=self.portal, type="Document", title="Exam Guide 2025")
        self.assertEqual(doc.getId(), "exam-guide-2025")

    def test_given_id_is_kept(self):
        doc = api.content.create(container=self.portal, type="Document", id="guide", title=TITLE)
        self.assertEqual(doc.getId(), "guide")

    def test_rename_keeps_the_editors_id(self):
        doc = api.content.create(container=self.portal, type="Document", title=TITLE)
        renamed = api.content.rename(obj=doc, new_id="daigaku-2025")
        self.assertEqual(renamed.getId(), "daigaku-2025")
        self.assertIn("daigaku-2025", self.portal)
        self.assertNotIn(SLUG, self.portal)
        # The title is unchanged and does not rename the item again.
        self.assertEqual(renamed.Title(), TITLE)
        # The freed id is given to the next item with the same title.
        again = api.content.create(container=self.portal, type="Document", title=TITLE)
        self.assertEqual(again.getId(), SLUG)


class TestContentIdsThroughTheWeb(unittest.TestCase):
    """A real request: language negotiation and the REST API's name chooser."""

    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def test_restapi_post_with_english_browser(self):
        portal = self.layer["portal"]
        browser = Browser(self.layer["app"])
        browser.handleErrors = False
        browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
        browser.addHeader("Accept", "application/json")
        # The site only has Japanese, so an English browser still gets romaji ids.
        browser.addHeader("Accept-Language", "en-US,en;q=0.9")
        payload = json.dumps({"@type": "Document", "title": TITLE})
        browser.post(portal.absolute_url(), payload, "application/json")
        self.assertEqual(json.loads(browser.contents)["id"], SLUG)
        browser.post(portal.absolute_url(), payload, "application/json")
        self.assertEqual(json.loads(browser.contents)["id"], f"{SLUG}-1")
        transaction.begin()
        self.assertIn(SLUG, self.layer["portal"])
        self.assertIn(f"{SLUG}-1", self.layer["portal"])
