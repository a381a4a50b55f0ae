"""Japanese analysis of the site search: normalisation, readings, compounds, n-grams, queries,
synonyms (the registry record and its control panel)."""

from kagoshima.saiyo.search import analysis
from kagoshima.saiyo.search import synonyms
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser

import transaction
import unittest


def satisfied(alternative, terms):
    """An alternative as the index reads it: all its terms, or after ``~`` all but two."""
    if alternative.startswith(analysis.FUZZY_PREFIX):
        parts = alternative[len(analysis.FUZZY_PREFIX) :].split(" ")
        return sum(part in terms for part in parts) >= analysis.fuzzy_needed(len(parts))
    return all(part in terms for part in alternative.split(" "))


def matches(query, text):
    """True when a page with this text satisfies every group of the query's first reading."""
    terms = set(analysis.document_terms(text))
    groups = analysis.query_groups(query)
    return bool(groups) and all(
        any(satisfied(alternative, terms) for alternative in group) for group in groups
    )


def matches_any_reading(query, text):
    terms = set(analysis.document_terms(text))
    return any(
        groups and all(any(satisfied(alternative, terms) for alternative in group) for group in groups)
        for groups in analysis.query_interpretations(query)
    )


class TestNormalisation(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_width_and_case(self):
        self.assertEqual(analysis.normalize("Ｕターン"), analysis.normalize("uターン"))
        self.assertEqual(analysis.normalize("ＳＰＩ３"), "spi3")
        self.assertEqual(analysis.normalize("ｻｰﾊﾞｰ"), analysis.normalize("サーバ"))

    def test_long_vowel_variants(self):
        self.assertEqual(analysis.normalize("コンピューター"), analysis.normalize("コンピュータ"))
        self.assertEqual(analysis.normalize("ユーザー登録"), "ユーザ登録")
        # Short words keep their long vowel: キー is not キ.
        self.assertEqual(analysis.normalize("キー"), "キー")
        self.assertTrue(matches("コンピュータ", "コンピューターの操作が得意な方"))
        self.assertTrue(matches("サーバー", "サーバの保守"))

    def test_okurigana_variants_meet(self):
        for query in ("申し込み", "申込み", "申込"):
            for text in ("申し込みは電子申請で", "申込みは電子申請で", "申込は電子申請で"):
                self.assertTrue(matches(query, text), (query, text))
        self.assertTrue(matches("受付", "受け付けは5月1日から"))
        self.assertTrue(matches("受け付け", "受付期間"))
        self.assertEqual(analysis.okurigana_free("取り扱い"), "取扱")
        # One kanji is not enough to drop the kana (住む is not 住).
        self.assertEqual(analysis.okurigana_free("住む"), "住む")


class TestReadings(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_hiragana_finds_kanji(self):
        self.assertTrue(matches_any_reading("きゅうよ", "職員の給与について"))
        self.assertTrue(matches_any_reading("いくきゅう", "育休の取得状況"))
        self.assertTrue(matches_any_reading("しけんにってい", "令和8年度の試験日程"))
        self.assertTrue(matches_any_reading("かごしま", "鹿児島県職員採用"))

    def test_reading_terms_are_prefixed(self):
        terms = analysis.document_terms("給与")
        self.assertIn("給与", terms)
        self.assertIn("r:きゅうよ", terms)
        self.assertIn("r:しけんにってい", analysis.document_terms("試験日程"))

    def test_hiragana_sentence_falls_back_to_words(self):
        readings = analysis.query_interpretations("きゅうよはいくら")
        self.assertGreater(len(readings), 1)
        self.assertTrue(any("給与" in group for group in readings[-1]))


class TestCompounds(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_long_compound_matches_words_apart(self):
        text = "大学卒業程度の区分です。試験は年1回。日程は後日お知らせします。"
        self.assertTrue(matches("大学卒業程度試験の日程", text))

    def test_compound_split_apart_in_a_sentence(self):
        # Sudachi reads 道の駅 as one word alone but as 道/の/駅 in this sentence.
        self.assertTrue(matches("道の駅", "県内の道の駅をめぐったりしています。"))
        self.assertTrue(matches("大学卒業", "大学を卒業した方"))

    def test_part_finds_compound(self):
        self.assertTrue(matches("試験", "大学卒業程度試験"))
        self.assertTrue(matches("手当", "勤勉手当"))
        self.assertTrue(matches("受付", "受付中"))
        self.assertTrue(matches("卒業", "大学卒業程度"))


class TestNgramFallback(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_unknown_words_get_bigrams(self):
        terms = analysis.document_terms("ザビエルカゴンマで会いましょう")
        self.assertIn("g:ゴン", terms)
        self.assertTrue(matches("カゴンマ", "ザビエルカゴンマで会いましょう"))

    def test_misspelt_unknown_word_still_matches(self):
        self.assertTrue(matches("インターンシツプ", "夏のインターンシップの募集"))
        self.assertTrue(matches("インタアンシップ", "夏のインターンシップの募集"))
        self.assertFalse(matches("インターナショナル", "夏のインターンシップの募集"))

    def test_katakana_and_latin_runs_match_partially(self):
        self.assertTrue(matches("キャリア", "かごしまキャリアナビに登録"))
        self.assertTrue(matches("SPI", "SPI3方式の試験"))
        self.assertFalse(matches("ナビゲーション", "かごしまキャリアナビに登録"))


class TestQueries(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_question_words_and_particles_are_dropped(self):
        groups = analysis.query_groups("給料はいくらですか？")
        self.assertEqual(len(groups), 1)
        self.assertIn("給料", groups[0])
        # Three concepts; the first matched by a seeded synonym group (大卒=大学卒業程度).
        groups = analysis.query_groups("大学卒業程度試験の日程について")
        self.assertEqual(len(groups), 3)
        self.assertIn("大学卒業 程度", groups[0])
        self.assertIn("大卒", groups[0])
        self.assertEqual(groups[1:], [frozenset({"試験"}), frozenset({"日程"})])
        self.assertEqual(
            analysis.query_groups("経理事務の仕事内容について"),
            # A compound also matches its parts standing apart (経理の事務).
            [frozenset({"経理事務", "経理 事務"}), frozenset({"仕事内容", "仕事 内容"})],
        )
        self.assertEqual(analysis.query_groups("？"), [])
        self.assertEqual(analysis.query_groups("について"), [])

    def test_plone_syntax_is_text(self):
        self.assertEqual(analysis.query_groups("試験* 日程*"), analysis.query_groups("試験 日程"))
        self.assertEqual(analysis.query_groups('"試験日程"'), analysis.query_groups("試験日程"))

    def test_each_concept_is_one_group_of_alternatives(self):
        groups = analysis.query_groups("育休 残業")
        self.assertEqual(len(groups), 2)
        self.assertTrue({"育休", "育児休業", "育児休暇"} <= groups[0])
        self.assertTrue({"残業", "時間外勤務"} <= groups[1])

    def test_highlight_spans(self):
        text = "職員の給与と育児休業、コンピューターの研修"
        spans = analysis.highlight_spans(text, "きゅうよ 育休 コンピュータ")
        marked = [text[start:end] for start, end in spans]
        self.assertEqual(marked, ["給与", "育児休業", "コンピューター"])
        self.assertEqual(analysis.highlight_spans(text, "？"), [])

    def test_suggestions(self):
        self.assertIn("給与", analysis.suggestions("きゅうよ"))
        self.assertIn("育児休業", analysis.suggestions("育休"))
        self.assertIn("時間外勤務", analysis.suggestions("残業"))


class TestSynonyms(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]

    def test_seeded_groups(self):
        lines = api.portal.get_registry_record(synonyms.RECORD)
        self.assertGreaterEqual(len(synonyms.parse(lines)), 25)
        for query, text in (
            ("育休", "育児休業制度"),
            ("給料", "給与月額"),
            ("転勤", "人事異動の考え方"),
            ("残業", "時間外勤務の状況"),
            ("倍率", "競争率の推移"),
            ("家賃補助", "住居手当を支給"),
            ("ボーナス", "期末・勤勉手当は年2回"),
            ("Ｕターン", "UIターン枠"),
            ("社会人", "民間企業等職務経験者を対象"),
            ("説明会", "オンラインセミナー"),
        ):
            self.assertTrue(matches(query, text), (query, text))

    def test_changes_apply_at_query_time_and_are_parsed_once(self):
        self.assertFalse(matches("ふるさと納税", "寄附金の控除"))
        lines = list(api.portal.get_registry_record(synonyms.RECORD))
        api.portal.set_registry_record(synonyms.RECORD, lines + ["ふるさと納税=寄附金"])
        self.assertTrue(matches("ふるさと納税", "寄附金の控除"))
        self.assertIs(synonyms.table(), synonyms.table())

    def test_parse_reports_the_faulty_line(self):
        with self.assertRaises(synonyms.SynonymError) as raised:
            synonyms.parse(["# メモ", "育休=育児休業", "残業"])
        self.assertEqual(raised.exception.number, 3)
        self.assertIn("3行目", raised.exception.message)
        with self.assertRaises(synonyms.SynonymError) as raised:
            synonyms.parse(["育休==育児休業"])
        self.assertIn("1行目", raised.exception.message)
        with self.assertRaises(synonyms.SynonymError):
            synonyms.parse(["の=は"])
        self.assertEqual(
            synonyms.parse(["残業、時間外勤務", "", "倍率,競争率"]),
            [["残業", "時間外勤務"], ["倍率", "競争率"]],
        )


class TestSynonymsControlPanel(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        api.user.create(email="kanri@example.jp", username="kanri", password="kanri-password-1")
        # A member of the 管理者 group (Site Administrator), not a Manager.
        api.group.add_user(groupname="administrators", username="kanri")
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        transaction.commit()
        self.browser = Browser(self.layer["app"])
        self.browser.handleErrors = False
        self.browser.addHeader("Authorization", "Basic kanri:kanri-password-1")

    def test_configlet_listed(self):
        self.browser.open(self.portal.absolute_url() + "/@@overview-controlpanel")
        self.assertIn("検索の同義語", self.browser.contents)
        self.assertIn("@@saiyo-search-synonyms", self.browser.contents)

    def test_site_administrator_saves_lines(self):
        self.browser.open(self.portal.absolute_url() + "/@@saiyo-search-synonyms")
        self.assertIn("育休=育児休業=育児休暇", self.browser.contents)
        self.browser.getControl(name="form.widgets.synonyms").value = "育休=育児休業\n残業、時間外勤務"
        self.browser.getControl(name="form.buttons.save").click()
        transaction.begin()
        self.assertEqual(
            api.portal.get_registry_record(synonyms.RECORD), ["育休=育児休業", "残業、時間外勤務"]
        )

    def test_faulty_line_is_reported_and_nothing_saved(self):
        before = api.portal.get_registry_record(synonyms.RECORD)
        self.browser.open(self.portal.absolute_url() + "/@@saiyo-search-synonyms")
        self.browser.getControl(name="form.widgets.synonyms").value = "育休=育児休業\n残業\n倍率=競争率"
        self.browser.getControl(name="form.buttons.save").click()
        self.assertIn("2行目「残業」", self.browser.contents)
        self.assertIn("2語以上", self.browser.contents)
        transaction.begin()
        self.assertEqual(api.portal.get_registry_record(synonyms.RECORD), before)

    def test_anonymous_cannot_open_it(self):
        anonymous = Browser(self.layer["app"])
        anonymous.open(self.portal.absolute_url() + "/@@saiyo-search-synonyms")
        self.assertIn("/login", anonymous.url)
        self.assertNotIn("育休=育児休業", anonymous.contents)
