"""Everything a visitor reads on a page is found by SearchableText (search/text.py).

Searches go through ``portal_catalog(SearchableText=…)``, whichever index serves that name
(Plone's ZCTextIndex with its CJK bigrams, or the search engine's index), so the phrases
searched for are words of two or more kanji or kana that both find.

``search_text_guide.pdf`` is Chromium's print of a two-page Japanese page (口述試験の日程 /
桜島の見える会場で行う); its fonts map 口, 日, 見 and 行 to Kangxi radicals, which is what
a good extractor has to undo.
"""

from datetime import date
from datetime import datetime
from io import BytesIO
from kagoshima.saiyo.search import text
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from pathlib import Path
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from unittest import mock
from zoneinfo import ZoneInfo

import pytz
import transaction
import unittest


GUIDE = (Path(__file__).parent / "search_text_guide.pdf").read_bytes()
# Stored dates carry pytz's zone: CMFEditions pickles content, and ZoneInfo cannot be pickled.
TOKYO = pytz.timezone("Asia/Tokyo")


def tokyo(*args):
    return TOKYO.localize(datetime(*args))


def html(markup):
    return RichTextValue(markup, "text/html", "text/x-html-safe")


def pdf(data=GUIDE, filename="guide.pdf"):
    return NamedBlobFile(data=data, filename=filename, contentType="application/pdf")


def encrypted(data=GUIDE, user_password="himitsu"):
    import pypdf

    reader = pypdf.PdfReader(BytesIO(data))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password=user_password, owner_password="himitsu", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


class SearchCase(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])

    def found(self, phrase):
        """Ids of the pages whose SearchableText matches ``phrase``."""
        catalog = api.portal.get_tool("portal_catalog")
        return {brain.getId for brain in catalog(SearchableText=phrase)}

    def assertFinds(self, phrase, obj):
        self.assertIn(obj.getId(), self.found(phrase), f"「{phrase}」 does not find {obj.getId()}")

    def indexed_text(self, obj):
        catalog = api.portal.get_tool("portal_catalog")
        catalog.indexObject(obj)
        from plone.indexer.interfaces import IIndexableObject
        from zope.component import getMultiAdapter

        wrapper = getMultiAdapter((obj, catalog), IIndexableObject)
        return wrapper.SearchableText


class TestContentTypes(SearchCase):
    def test_faq_answer_and_category_label(self):
        faq = api.content.create(
            container=self.portal,
            type="FAQ",
            id="keisai",
            title="試験案内はいつごろ掲載されますか。",
            faq_category="shikaku",
            answer=html(
                "<p>例年の目安は次のとおりです。</p><table><tr><th>大卒</th><td>4月中旬</td></tr></table>"
                '<p>詳しくは<a href="/shiken">試験日程</a>のページを見てください。</p>'
            ),
        )
        self.assertFinds("例年の目安", faq)
        self.assertFinds("中旬", faq)
        # The category is stored as the token "shikaku" and shown as its label.
        self.assertFinds("受験資格", faq)
        indexed = self.indexed_text(faq)
        self.assertNotIn("shikaku", indexed)
        # Blocks stay apart, an inline link does not split the sentence.
        self.assertIn("例年の目安は次のとおりです。\n", indexed)
        self.assertIn("詳しくは試験日程のページを見てください。", indexed)

    def test_exam_notice_every_field(self):
        notice = api.content.create(
            container=self.portal,
            type="ExamNotice",
            id="daigaku",
            title="大学卒業程度の試験",
            fiscal_year=2025,
            exam_type="keiken",
            audiences=["uiturn"],
            divisions=[
                {"name": "森林土木", "headcount": None, "job_type": "ringyo", "note": "欠員補充のため"},
                {"name": "行政", "headcount": 12, "job_type": "gyosei", "note": None},
            ],
            eligibility=html("<ul><li>普通自動車運転免許を持っている人</li></ul>"),
            guide_release_date=date(2025, 4, 1),
            application_start=tokyo(2025, 5, 1, 9, 0),
            application_end=tokyo(2025, 5, 20, 17, 0),
            first_exam_date=date(2025, 6, 15),
            first_exam_venues=["amami"],
            final_result_note="晩秋（予定）",
            schedule_note="健康診断書は合格者のみ提出します。",
            exam_contents=[
                {
                    "stage": "第2次試験",
                    "subject": "集団討論",
                    "duration": "約45分",
                    "detail": "与えられた課題で議論します",
                },
            ],
        )
        for phrase in (
            "森林土木",  # a division row's name
            "欠員補充",  # its note
            "若干名",  # no headcount is shown as 若干名
            "林業",  # its 職種 label (token ringyo)
            "普通自動車運転免許",  # eligibility (rich text)
            "健康診断書",  # the schedule note
            "晩秋",  # final result note
            "奄美市",  # a venue label (token amami)
            "集団討論",  # an exam-contents row
            "課題で議論",
            "民間企業等職務経験者",  # the exam type label (token keiken)
            "UIターン希望",  # the audience label (token uiturn)
            "令和7年度",  # the fiscal year as on the page
        ):
            self.assertFinds(phrase, notice)
        indexed = self.indexed_text(notice)
        # Dates as visitors read them, 和暦 and 西暦.
        self.assertIn("令和7年5月1日（木）9時00分", indexed)
        self.assertIn("2025年5月20日 17時00分", indexed)
        self.assertIn("令和7年6月15日（日） 2025年6月15日", indexed)
        self.assertIn("2025年度", indexed)
        self.assertIn("12人", indexed)
        for token in ("ringyo", "keiken", "uiturn", "amami"):
            self.assertNotIn(token, indexed)

    def test_staff_profile_interview_and_day(self):
        person = api.content.create(
            container=self.portal,
            type="StaffProfile",
            id="kt",
            title="地域の農業を支える",
            display_name="K.T.さん",
            department="農政部 農業経営課",
            job_type="chikusan",
            joined_year=2020,
            career_type="uiturn",
            questions=[
                {"question": "仕事のやりがいは？", "answer": "生産者の笑顔を間近で見られることです。"}
            ],
            day_schedule=[{"time": "13:30", "activity": "離島の牧場を巡回"}],
            message="一緒に鹿児島の未来をつくりましょう。",
        )
        for phrase in (
            "生産者の笑顔",  # an interview answer
            "やりがい",  # its question
            "牧場を巡回",  # a day-schedule row
            "農業経営課",  # department
            "畜産",  # 職種 label
            "未来",  # the message
            "令和2年",  # joined year as on the page
        ):
            self.assertFinds(phrase, person)
        indexed = self.indexed_text(person)
        self.assertIn("13:30 離島の牧場を巡回", indexed)
        self.assertIn("UIターン", indexed)
        self.assertIn("令和2年（2020年）入庁", indexed)

    def test_job_category_fields(self):
        job = api.content.create(
            container=self.portal,
            type="JobCategory",
            id="suisan",
            title="水産",
            job_type="suisan",
            main_work=html("<p>漁業資源の調査と栽培漁業の振興を担います。</p>"),
            ideal_candidate=html("<p>海が好きで粘り強い人</p>"),
            workplaces=["水産技術開発センター", "大島支庁"],
        )
        for phrase in ("栽培漁業", "粘り強い", "水産技術開発センター", "大島支庁"):
            self.assertFinds(phrase, job)

    def test_event_recruitment_fields(self):
        event = api.content.create(
            container=self.portal,
            type="Event",
            id="setsumeikai",
            title="業務説明会",
            start=tokyo(2025, 3, 10, 13, 0),
            end=tokyo(2025, 3, 10, 16, 0),
            text=html("<p>県庁の各部局が仕事を紹介します。</p>"),
            audiences=["koukousei"],
            event_format="hybrid",
            capacity=80,
            application_deadline=tokyo(2025, 3, 3, 17, 0),
        )
        self.assertFinds("業務説明会", event)  # Plone's part stays
        self.assertFinds("各部局", event)
        self.assertFinds("高校生", event)  # audience label (token koukousei)
        self.assertFinds("併用", event)  # 会場・オンライン併用 (token hybrid)
        indexed = self.indexed_text(event)
        self.assertIn("定員: 80人", indexed)
        self.assertIn("申込締切: 令和7年3月3日（月）17時00分 2025年3月3日 17時00分", indexed)
        self.assertIn("令和7年3月10日（月）13時00分 2025年3月10日 13時00分 ～ 16時00分", indexed)

    def test_document_keeps_plones_indexer(self):
        page = api.content.create(
            container=self.portal,
            type="Document",
            id="page",
            title="働く環境",
            text=html("<p>テレワーク制度</p>"),
        )
        self.assertFinds("テレワーク", page)
        self.assertIn("テレワーク制度", self.indexed_text(page))

    def test_renamed_label_is_found_without_a_manual_reindex(self):
        faq = api.content.create(
            container=self.portal,
            type="FAQ",
            id="kyuka",
            title="休暇の取り方",
            faq_category="fukuri",
            answer=html("<p>年次休暇は20日です。</p>"),
        )
        self.assertFinds("福利厚生", faq)
        record = "kagoshima.saiyo.vocabularies.faq_categories"
        lines = api.portal.get_registry_record(record)
        api.portal.set_registry_record(
            record,
            [line.replace("fukuri|休暇・福利厚生", "fukuri|休暇・ワークライフバランス") for line in lines],
        )
        self.assertFinds("ワークライフバランス", faq)
        self.assertNotIn(faq.getId(), self.found("福利厚生"))


class TestPdfText(SearchCase):
    def test_guide_pdf_of_an_exam_notice(self):
        notice = api.content.create(
            container=self.portal,
            type="ExamNotice",
            id="guide",
            title="試験案内つき",
            fiscal_year=2025,
            exam_type="daigaku",
            guide_pdf=pdf(),
        )
        self.assertFinds("口述試験", notice)  # page 1
        self.assertFinds("見える会場", notice)  # page 2
        self.assertIn("口述試験の日程\n桜島の見える会場で行う", self.indexed_text(notice))

    def test_pdf_file_object(self):
        item = api.content.create(
            container=self.portal, type="File", id="annai.pdf", title="案内", file=pdf()
        )
        self.assertFinds("口述試験", item)
        self.assertFinds("桜島", item)

    def test_non_pdf_file_keeps_plones_indexer(self):
        data = NamedBlobFile(
            data=b"PK\x03\x04" + b"\0" * 100,
            filename="meibo.docx",
            contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        with mock.patch.object(text, "extract_pdf_text", wraps=text.extract_pdf_text) as extract:
            item = api.content.create(
                container=self.portal, type="File", id="meibo.docx", title="受験者名簿", file=data
            )
            self.assertFinds("受験者名簿", item)
        self.assertEqual(extract.call_count, 0)

    def test_pypdf_fallback_gives_the_same_text(self):
        with mock.patch.object(text.shutil, "which", return_value=None):
            outcome, extracted, detail = text.extract_pdf_text(GUIDE)
        self.assertEqual((outcome, detail), (text.OK, "pypdf, 2 pages"))
        # The radicals (⼝ ⽇ ⾒ ⾏) of the PDF's fonts are the ideographs again.
        self.assertEqual(extracted, "口述試験の日程\n桜島の見える会場で行う")

    def test_broken_pdf_is_skipped_and_logged(self):
        with self.assertLogs("kagoshima.saiyo.search.text", "WARNING") as logs:
            item = api.content.create(
                container=self.portal,
                type="File",
                id="broken.pdf",
                title="壊れた資料",
                file=pdf(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "broken.pdf"),
            )
            self.assertFinds("壊れた資料", item)
        self.assertIn("broken PDF", "\n".join(logs.output))
        self.assertIn("/broken.pdf (file: broken.pdf)", "\n".join(logs.output))

    def test_encrypted_pdf_is_skipped_and_logged(self):
        with self.assertLogs("kagoshima.saiyo.search.text", "WARNING") as logs:
            item = api.content.create(
                container=self.portal, type="File", id="locked.pdf", title="鍵つき資料", file=pdf(encrypted())
            )
            self.assertFinds("鍵つき資料", item)
        self.assertIn("encrypted PDF", "\n".join(logs.output))
        self.assertNotIn("口述試験", self.indexed_text(item))

    def test_pdf_with_only_an_owner_password_is_read(self):
        # Anyone may open it (only printing or copying is restricted): its text is public.
        item = api.content.create(
            container=self.portal,
            type="File",
            id="kyoka.pdf",
            title="制限つき",
            file=pdf(encrypted(user_password="")),
        )
        self.assertFinds("口述試験", item)

    def test_oversized_pdf_is_skipped_and_logged(self):
        with (
            mock.patch.object(text, "MAX_PDF_BYTES", len(GUIDE) - 1),
            self.assertLogs("kagoshima.saiyo.search.text", "WARNING") as logs,
        ):
            notice = api.content.create(
                container=self.portal,
                type="ExamNotice",
                id="big",
                title="大きな試験案内",
                fiscal_year=2025,
                exam_type="daigaku",
                guide_pdf=pdf(),
                schedule_note="日程は追って掲載します。",
            )
            self.assertFinds("追って掲載", notice)
            self.assertNotIn("口述試験", self.indexed_text(notice))
        self.assertIn(f"file larger than {len(GUIDE) - 1} bytes ({len(GUIDE)} bytes)", "\n".join(logs.output))

    def test_timeout_is_logged(self):
        with (
            mock.patch.object(text, "PDF_TIMEOUT_SECONDS", 0.001),
            self.assertLogs("kagoshima.saiyo.search.text", "WARNING") as logs,
        ):
            item = api.content.create(
                container=self.portal, type="File", id="slow.pdf", title="遅い資料", file=pdf()
            )
            self.assertFinds("遅い資料", item)
        self.assertIn("extraction took longer than", "\n".join(logs.output))

    def test_not_a_pdf_despite_its_name(self):
        self.assertEqual(text.extract_pdf_text(b"<html>PDF</html>")[0], text.NOT_PDF)

    def test_cache_reindex_does_not_extract_again_a_new_file_does(self):
        notice = api.content.create(
            container=self.portal,
            type="ExamNotice",
            id="cached",
            title="キャッシュの確認",
            fiscal_year=2025,
            exam_type="daigaku",
            guide_pdf=pdf(),
        )
        self.assertFinds("口述試験", notice)
        with mock.patch.object(text, "extract_pdf_text", wraps=text.extract_pdf_text) as extract:
            notice.reindexObject()
            self.assertFinds("口述試験", notice)
            self.assertEqual(extract.call_count, 0)

            # Another file under the same name: extracted again.
            notice.guide_pdf = pdf(encrypted())
            notice.reindexObject()
            self.assertNotIn("口述試験", self.indexed_text(notice))
            self.assertEqual(extract.call_count, 1)

            # The first file back: its hash differs from the cached one, so extracted again.
            notice.guide_pdf = pdf()
            notice.reindexObject()
            self.assertFinds("口述試験", notice)
            self.assertEqual(extract.call_count, 2)


class TestTextHelpers(unittest.TestCase):
    def test_dates_in_wareki_and_western(self):
        self.assertEqual(text.day_text(date(2019, 5, 1)), "令和元年5月1日（水） 2019年5月1日")
        # 15:30 UTC is already the next day in Tokyo.
        moment = datetime(2025, 3, 31, 15, 30, tzinfo=ZoneInfo("UTC"))
        self.assertEqual(text.moment_text(moment), "令和7年4月1日（火）0時30分 2025年4月1日 0時30分")
        self.assertEqual(text.day_text(None), "")

    def test_clean_undoes_radicals_and_squeezes_space(self):
        self.assertEqual(text._clean("⽇程 ‧ 会場\u3000\u3000A\n\n  \nB"), "日程 ・ 会場 A\nB")


class TestNoWriteForVisitors(SearchCase):
    def test_anonymous_gets_the_text_without_a_cache_write(self):
        from plone.app.testing import logout
        from zope.annotation.interfaces import IAnnotations

        notice = api.content.create(
            container=self.portal,
            type="ExamNotice",
            id="n",
            title="案内",
            fiscal_year=2025,
            exam_type="daigaku",
        )
        notice.guide_pdf = pdf()
        transaction.savepoint()
        logout()
        self.assertIn("口述試験の日程", text.pdf_text(notice, "guide_pdf"))
        self.assertNotIn(text.CACHE_KEY, IAnnotations(notice))
