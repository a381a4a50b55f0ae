"""The site search's SearchableText index through portal_catalog, plone.restapi and the live search:
readings, variants, compounds, synonyms, relevance, the exam-status boost, permissions, edits,
the upgrade from a stock index and the rebuild view."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.search import index as search_index
from kagoshima.saiyo.search import setup as search_setup
from kagoshima.saiyo.search.index import ISaiyoTextIndex
from kagoshima.saiyo.search.index import parse_query
from kagoshima.saiyo.search.index import required_matches
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.textfield.value import RichTextValue
from Products.CMFCore.indexing import processQueue
from Products.ZCTextIndex.ZCTextIndex import ZCTextIndex

import requests
import transaction
import unittest


def page(container, id, title, text="", description="", publish=True):
    obj = api.content.create(
        container=container,
        type="Document",
        id=id,
        title=title,
        description=description,
        text=RichTextValue(text, "text/html", "text/x-html-safe") if text else None,
    )
    if publish:
        api.content.transition(obj, transition="publish")
    return obj


def notice(container, id, title, start, end, last_exam):
    obj = api.content.create(
        container=container,
        type="ExamNotice",
        id=id,
        title=title,
        fiscal_year=2026,
        exam_type="daisotsu",
        application_start=start,
        application_end=end,
        first_exam_date=last_exam,
    )
    api.content.transition(obj, transition="publish")
    return obj


def ids(brains):
    return [brain.getId for brain in brains]


class IndexTestCase(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.catalog = api.portal.get_tool("portal_catalog")
        self.folder = api.content.create(
            container=self.portal, type="Folder", id="kensaku", title="検索テスト"
        )
        api.content.transition(self.folder, transition="publish")
        page(
            self.folder, "kyuyo", "給与・手当", "<p>初任給や期末・勤勉手当、住居手当について説明します。</p>"
        )
        page(self.folder, "ikuji", "子育て支援", "<p>男性職員の育児休業の取得が増えています。</p>")
        page(self.folder, "moshikomi", "申込方法", "<p>申込みは電子申請で受け付けます。</p>")
        page(
            self.folder,
            "daisotsu",
            "大学卒業程度試験",
            "<p>大学卒業程度の区分です。試験の日程は後日お知らせします。</p>",
        )
        page(self.folder, "zangyo", "働き方", "<p>時間外勤務の縮減とテレワークに取り組んでいます。</p>")
        page(
            self.folder,
            "ichinichi",
            "職員の一日",
            "<p>朝は8時半に登庁します。"
            + "窓口で県民の方の相談を受けます。" * 20
            + "給与の計算も担当しています。</p>",
        )
        page(self.folder, "navi", "就職情報サイト", "<p>かごしまキャリアナビに求人を掲載しています。</p>")
        page(self.folder, "himitsu", "給与改定の下書き", "<p>未公開の給与改定案です。</p>", publish=False)

    def search(self, text, **query):
        return ids(self.catalog(SearchableText=text, path="/".join(self.folder.getPhysicalPath()), **query))


class TestCatalogSearch(IndexTestCase):
    def test_index_is_installed(self):
        index = self.catalog._catalog.getIndex("SearchableText")
        self.assertTrue(ISaiyoTextIndex.providedBy(index))
        self.assertEqual(index.meta_type, "SaiyoTextIndex")

    def test_readings(self):
        self.assertIn("kyuyo", self.search("きゅうよ"))
        self.assertIn("ikuji", self.search("いくじきゅうぎょう"))
        self.assertIn("daisotsu", self.search("にってい"))

    def test_variants(self):
        for query in ("申し込み", "申込み", "申込", "受け付け", "受付"):
            self.assertIn("moshikomi", self.search(query), query)
        self.assertIn("navi", self.search("ｷｬﾘｱﾅﾋﾞ"))

    def test_compounds(self):
        self.assertIn("daisotsu", self.search("大学卒業程度試験の日程"))
        self.assertIn("daisotsu", self.search("試験"))
        self.assertIn("kyuyo", self.search("手当"))

    def test_ngram_fallback(self):
        self.assertIn("navi", self.search("キャリア"))

    def test_synonyms(self):
        self.assertIn("ikuji", self.search("育休"))
        self.assertIn("zangyo", self.search("残業"))
        self.assertIn("kyuyo", self.search("ボーナス"))
        self.assertIn("kyuyo", self.search("家賃補助"))
        self.assertIn("zangyo", self.search("在宅勤務"))

    def test_synonym_changes_need_no_reindex(self):
        self.assertEqual(self.search("リモート勤務"), [])
        record = "kagoshima.saiyo.search.synonyms"
        api.portal.set_registry_record(
            record, list(api.portal.get_registry_record(record)) + ["リモート勤務=テレワーク"]
        )
        self.assertEqual(self.search("リモート勤務"), ["zangyo"])

    def test_natural_question(self):
        self.assertEqual(self.search("給料はいくらですか？")[0], "kyuyo")
        self.assertEqual(self.search("育休について教えてください")[0], "ikuji")
        self.assertEqual(self.search("？"), [])

    def test_title_match_first(self):
        logout()
        found = self.search("給与")
        self.assertEqual(found[:2], ["kyuyo", "ichinichi"])
        found = self.search("給与*")  # what Plone's search page sends
        self.assertEqual(found[:2], ["kyuyo", "ichinichi"])

    def test_plone_query_syntax(self):
        self.assertEqual(self.search("育休* AND 子育て*"), ["ikuji"])
        # Word matches first; pages close in meaning only (給与・手当 for 残業) may follow them.
        self.assertEqual(sorted(self.search("育休 OR 残業")[:2]), ["ikuji", "zangyo"])
        self.assertNotIn("kyuyo", self.search("給与 NOT 手当"))
        self.assertIn("ichinichi", self.search("(給与 NOT 手当)"))
        self.assertEqual(parse_query('"試験 日程" OR 給与*'), [("試験 日程", []), ("給与*", [])])
        self.assertEqual([required_matches(n) for n in range(1, 7)], [1, 2, 2, 3, 3, 4])

    def test_nonsense_finds_nothing(self):
        self.assertEqual(self.search("ぴよぴよぷぅ"), [])
        self.assertEqual(self.search("qwzxv"), [])

    def test_drafts_invisible_to_anonymous(self):
        self.assertIn("himitsu", self.search("給与改定"))
        logout()
        self.assertNotIn("himitsu", self.search("給与改定"))
        self.assertIn("kyuyo", self.search("給与"))
        login(self.portal, TEST_USER_NAME)

    def test_edit_and_delete_update_the_index(self):
        index = self.catalog._catalog.getIndex("SearchableText")
        processQueue()
        size = index.indexSize()
        obj = self.folder["zangyo"]
        obj.text = RichTextValue("<p>フレックスタイム制を導入しました。</p>", "text/html", "text/x-html-safe")
        obj.reindexObject()
        self.assertNotIn("zangyo", self.search("時間外勤務"))
        self.assertEqual(self.search("フレックスタイム")[0], "zangyo")
        api.content.delete(obj)
        self.assertNotIn("zangyo", self.search("フレックスタイム"))
        self.assertEqual(index.indexSize(), size - 1)

    def test_document_text_and_index_api(self):
        brain = self.catalog(SearchableText="育休", path="/".join(self.folder.getPhysicalPath()))[0]
        index = self.catalog._catalog.getIndex("SearchableText")
        self.assertIn("男性職員の育児休業", index.document_text(brain.getRID()))
        self.assertIn("男性職員の育児休業", search_index.document_text(brain.getRID()))
        self.assertEqual(search_index.document_text(-12345), "")
        self.assertIn("育児休業", index.getEntryForObject(brain.getRID()))
        self.assertIsNone(index.getEntryForObject(-12345))
        self.assertEqual(index.uniqueValues(), ())
        self.assertEqual(self.catalog.uniqueValuesFor("SearchableText"), ())
        self.assertGreater(index.numObjects(), 20)
        self.assertIn("索引済みのページ", index.manage_main())
        self.assertIn("SearchableText", self.catalog.getIndexDataForRID(brain.getRID()))

    def test_unchanged_text_is_not_rewritten(self):
        index = self.catalog._catalog.getIndex("SearchableText")
        obj = self.folder["kyuyo"]
        rid = self.catalog(UID=obj.UID())[0].getRID()
        self.assertEqual(index.index_object(rid, _Indexable(obj)), 0)
        obj.title = "給与・諸手当"
        self.assertEqual(index.index_object(rid, _Indexable(obj)), 1)
        self.assertIn("諸手当", index.getEntryForObject(rid))

    def test_analysis_failure_never_fails_a_save(self):
        index = self.catalog._catalog.getIndex("SearchableText")
        obj = self.folder["navi"]
        rid = self.catalog(UID=obj.UID())[0].getRID()
        obj.title = "就職情報サイトの一覧"

        def broken(text):
            raise RuntimeError("analyser down")

        original = search_index.analysis.document_terms
        search_index.analysis.document_terms = broken
        try:
            with self.assertLogs("kagoshima.saiyo.search.index", "ERROR"):
                self.assertEqual(index.index_object(rid, _Indexable(obj)), 1)
        finally:
            search_index.analysis.document_terms = original
        self.assertIn("g:就職", index.getEntryForObject(rid))
        self.assertIn("navi", self.search("就職情報サイト"))


class _Indexable:
    """What the catalog hands to an index: the object's indexers as attributes."""

    def __init__(self, obj):
        from plone.indexer.interfaces import IIndexableObject
        from zope.component import getMultiAdapter

        self._wrapped = getMultiAdapter((obj, api.portal.get_tool("portal_catalog")), IIndexableObject)

    def __getattr__(self, name):
        return getattr(self._wrapped, name)


class TestStatusBoost(IndexTestCase):
    def test_open_notices_before_ended_ones(self):
        now = datetime.now()
        today = date.today()
        notice(
            self.folder,
            "owari",
            "大学卒業程度（行政）試験案内",
            now - timedelta(days=90),
            now - timedelta(days=60),
            today - timedelta(days=30),
        )
        notice(
            self.folder,
            "uketsuke",
            "大学卒業程度（行政）試験案内",
            now - timedelta(days=3),
            now + timedelta(days=10),
            today + timedelta(days=40),
        )
        notice(
            self.folder,
            "mae",
            "大学卒業程度（行政）試験案内",
            now + timedelta(days=5),
            now + timedelta(days=20),
            today + timedelta(days=50),
        )
        found = [i for i in self.search("行政 試験案内") if i in ("owari", "uketsuke", "mae")]
        self.assertEqual(found, ["uketsuke", "mae", "owari"])


class TestSetup(IndexTestCase):
    def test_upgrade_from_stock_index(self):
        search_setup.uninstall(self.portal)
        stock = self.catalog._catalog.getIndex("SearchableText")
        self.assertIsInstance(stock.aq_base, ZCTextIndex)
        self.assertEqual(self.search("きゅうよ"), [])  # the stock splitter knows no readings
        self.assertIn("kyuyo", self.search("給与"))
        from kagoshima.saiyo.upgrades.v20261203010 import upgrade

        upgrade(api.portal.get_tool("portal_setup"))
        self.assertTrue(ISaiyoTextIndex.providedBy(self.catalog._catalog.getIndex("SearchableText")))
        self.assertIn("kyuyo", self.search("きゅうよ"))
        self.assertIn("ikuji", self.search("育休"))

    def test_profile_version(self):
        setup = api.portal.get_tool("portal_setup")
        version = setup.getVersionForProfile("kagoshima.saiyo:default")  # metadata.xml's
        self.assertEqual(setup.getLastVersionForProfile("kagoshima.saiyo:default"), (version,))

    def test_rebuild(self):
        index = self.catalog._catalog.getIndex("SearchableText")
        processQueue()  # the pages of setUp are indexed at the end of the transaction otherwise
        index.clear()
        self.assertEqual(self.search("給与"), [])
        result = search_setup.rebuild(self.portal)
        self.assertGreaterEqual(result["pages"], 9)
        self.assertIn("kyuyo", self.search("給与"))


class TestThroughTheWeb(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        folder = api.content.create(container=self.portal, type="Folder", id="kensaku", title="検索テスト")
        api.content.transition(folder, transition="publish")
        page(folder, "kyuyo", "給与・手当", "<p>初任給や住居手当について説明します。</p>")
        page(folder, "ichinichi", "職員の一日", "<p>窓口で相談を受けます。給与の計算も担当しています。</p>")
        page(folder, "ikuji", "子育て支援", "<p>男性職員の育児休業の取得が増えています。</p>")
        page(folder, "himitsu", "給与改定の下書き", "<p>未公開の給与改定案です。</p>", publish=False)
        transaction.commit()
        self.url = self.portal.absolute_url()
        self.http = requests.Session()
        self.addCleanup(self.http.close)

    def rest(self, text, auth=None):
        response = self.http.get(
            self.url + "/++api++/@search",
            params={"SearchableText": text, "path": "/plone/kensaku"},
            headers={"Accept": "application/json"},
            auth=auth,
        )
        self.assertEqual(response.status_code, 200, response.text)
        return [item["@id"].rsplit("/", 1)[-1] for item in response.json()["items"]]

    def test_restapi_search(self):
        self.assertEqual(self.rest("きゅうよ")[:2], ["kyuyo", "ichinichi"])
        self.assertEqual(self.rest("育休"), ["ikuji"])
        self.assertEqual(self.rest("給料はいくら？")[0], "kyuyo")
        self.assertNotIn("himitsu", self.rest("給与改定"))
        self.assertIn("himitsu", self.rest("給与改定", auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)))
        self.assertEqual(self.rest("ぴよぴよぷぅ"), [])

    def test_live_search(self):
        response = self.http.get(self.url + "/@@ajax-search", params={"SearchableText": "いくきゅう"})
        self.assertEqual(response.status_code, 200)
        titles = [item["title"] for item in response.json()["items"]]
        self.assertIn("子育て支援", titles)
        response = self.http.get(self.url + "/@@ajax-search", params={"SearchableText": "きゅうよ"})
        titles = [item["title"] for item in response.json()["items"]]
        self.assertEqual(titles[0], "給与・手当")
        self.assertNotIn("給与改定の下書き", titles)

    def test_rebuild_view(self):
        view = self.url + "/@@saiyo-search-rebuild"
        response = self.http.post(view, allow_redirects=False)
        self.assertIn(response.status_code, (302, 401, 403))  # anonymous: login
        manager = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        response = self.http.post(view, auth=manager)
        self.assertEqual(response.status_code, 403)  # no CSRF token
        form = self.http.get(view, auth=manager)
        self.assertEqual(form.status_code, 200)
        token = form.text.split('name="_authenticator" value="', 1)[1].split('"', 1)[0]
        response = self.http.post(view, data={"_authenticator": token}, auth=manager)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIn("検索インデックスを再構築しました", response.text)
        self.assertEqual(self.rest("育休"), ["ikuji"])

    def test_zmi(self):
        manager = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        catalog = self.url + "/portal_catalog"
        response = self.http.get(catalog + "/manage_catalogIndexes", auth=manager)
        self.assertEqual(response.status_code, 200)
        self.assertIn("SaiyoTextIndex", response.text)
        response = self.http.get(catalog + "/Indexes/SearchableText/manage_main", auth=manager)
        self.assertEqual(response.status_code, 200)
        self.assertIn("索引済みのページ", response.text)
        response = self.http.get(catalog + "/Indexes/SearchableText/manage_main", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)

    def test_rebuild_command(self):
        results = search_setup.rebuild_sites(self.layer["app"])
        self.assertEqual(list(results), ["plone"])
        self.assertGreaterEqual(results["plone"]["pages"], 5)
        self.assertEqual(self.rest("育休"), ["ikuji"])
