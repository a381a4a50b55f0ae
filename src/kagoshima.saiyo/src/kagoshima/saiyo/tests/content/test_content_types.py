"""The recruitment content types: add, validate, index, relate and show."""

from datetime import date
from datetime import datetime
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.testing.zope import Browser

import transaction
import unittest


def make_notice(container, **fields):
    values = {
        "title": "令和7年度 鹿児島県職員採用試験（大学卒業程度）",
        "fiscal_year": 2025,
        "exam_type": "daigaku",
        "audiences": ["daigakusei"],
        "divisions": [
            {"name": "行政", "headcount": 15, "job_type": "gyosei", "note": None},
            {"name": "UIターン枠（農業）", "headcount": 3, "job_type": "nogyo", "note": None},
        ],
        "application_start": datetime(2025, 5, 1, 9, 0),
        "application_end": datetime(2025, 5, 20, 17, 0),
        "first_exam_date": date(2025, 6, 15),
        "first_exam_venues": ["kagoshima", "tokyo"],
        "second_exam_start": date(2025, 7, 20),
        "second_exam_end": date(2025, 7, 31),
        "final_result_note": "8月下旬（予定）",
        "exam_contents": [
            {"stage": "第1次試験", "subject": "教養試験", "duration": "2時間30分", "detail": "択一式40問"},
            {"stage": "第2次試験", "subject": "個別面接", "duration": "", "detail": "人物についての面接"},
        ],
        "application_url": "https://shinsei.example/apply/1",
    }
    values.update(fields)
    return api.content.create(container=container, type="ExamNotice", **values)


class TestTypes(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])

    def test_types_are_installed_with_japanese_titles(self):
        types = api.portal.get_tool("portal_types")
        titles = {name: types[name].Title() for name in ("ExamNotice", "JobCategory", "StaffProfile", "FAQ")}
        self.assertEqual(
            titles,
            {
                "ExamNotice": "試験案内",
                "JobCategory": "職種紹介",
                "StaffProfile": "職員インタビュー",
                "FAQ": "よくある質問",
            },
        )
        self.assertIn("kagoshima.saiyo.recruitment_event", types["Event"].behaviors)

    def test_exam_notice_is_indexed_by_its_structured_fields(self):
        notice = make_notice(self.portal)
        catalog = api.portal.get_tool("portal_catalog")
        for query in (
            {"exam_type": "daigaku"},
            {"fiscal_year": 2025},
            {"audiences": "daigakusei"},
            {"job_types": "nogyo"},
        ):
            self.assertEqual(
                [b.UID for b in catalog(portal_type="ExamNotice", **query)], [notice.UID()], query
            )
        brain = catalog(UID=notice.UID())[0]
        self.assertEqual(brain.application_start, datetime(2025, 5, 1, 9, 0))
        self.assertEqual(brain.job_types, ["gyosei", "nogyo"])

    def test_items_inside_a_notice_do_not_acquire_its_fields(self):
        notice = make_notice(self.portal)
        image = api.content.create(container=notice, type="File", id="guide", title="試験案内")
        catalog = api.portal.get_tool("portal_catalog")
        brain = catalog(UID=image.UID())[0]
        self.assertFalse(brain.fiscal_year)
        self.assertEqual(len(catalog(fiscal_year=2025)), 1)

    def test_job_category_relates_both_ways(self):
        notice = make_notice(self.portal)
        category = api.content.create(
            container=self.portal, type="JobCategory", title="農業", job_type="nogyo"
        )
        person = api.content.create(
            container=self.portal,
            type="StaffProfile",
            title="畑と人をつなぐ仕事",
            display_name="K.T.さん",
            department="農政部",
            job_type="nogyo",
            joined_year=2020,
            career_type="shinsotsu",
        )
        view = category.restrictedTraverse("@@view")
        self.assertEqual([n.uid for n in view.open_exams() + view.past_exams()], [notice.UID()])
        self.assertEqual([p.url for p in view.interviews()], [person.absolute_url()])
        notice_view = notice.restrictedTraverse("@@view")
        rows = notice_view.divisions()
        self.assertEqual(rows[1]["job_url"], category.absolute_url())
        self.assertEqual(rows[0]["job_url"], None)  # no 行政 page yet: plain text
        self.assertEqual(person.restrictedTraverse("@@view").job_category_url(), category.absolute_url())

    def test_vocabulary_labels_follow_the_registry(self):
        notice = make_notice(self.portal)
        record = "kagoshima.saiyo.vocabularies.exam_types"
        lines = api.portal.get_registry_record(record)
        api.portal.set_registry_record(
            record,
            [("daigaku|大学卒業程度（上級）" if line.startswith("daigaku|") else line) for line in lines],
        )
        self.assertEqual(notice.restrictedTraverse("@@view").exam_type_label, "大学卒業程度（上級）")
        self.assertEqual(notice.exam_type, "daigaku")


class TestPages(unittest.TestCase):
    """Pages as a visitor's browser gets them (over the test WSGI server)."""

    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.folder = api.content.create(container=self.portal, type="Folder", id="annai", title="試験案内")
        self.notice = make_notice(self.folder)
        self.folder.setLayout("exam-list")
        api.content.create(
            container=self.portal,
            type="FAQ",
            id="q1",
            title="受験料は必要ですか？",
            answer=RichTextValue("<p>受験料は不要です。</p>", "text/html", "text/x-html-safe"),
            faq_category="moushikomi",
        )
        transaction.commit()
        self.browser = Browser(self.layer["app"])
        self.browser.handleErrors = False
        self.browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")

    def test_exam_notice_page_shows_its_structured_fields(self):
        self.browser.open(self.notice.absolute_url())
        html = self.browser.contents
        for text in (
            "令和7年度（2025年度）",
            "大学卒業程度",
            "UIターン枠（農業）",
            "3人",
            "合計 18人",
            "令和7年5月1日（木）9時00分 ～ 令和7年5月20日（火）17時00分",
            "令和7年6月15日（日） 〔鹿児島市、東京都〕",
            "8月下旬（予定）",
            "択一式40問",
            "試験終了",
        ):
            self.assertIn(text, html)
        self.assertNotIn("電子申請で申し込む", html)  # past exam: no application button

    def test_staff_photo_has_scales_for_dense_screens(self):
        from kagoshima.saiyo.demo.images import staff_photo
        from plone.namedfile.file import NamedBlobImage

        import re

        profile = api.content.create(
            container=self.portal,
            type="StaffProfile",
            id="k-t",
            title="K.T.さんのインタビュー",
            display_name="K.T.さん",
            photo=NamedBlobImage(data=staff_photo(3, size=800), contentType="image/jpeg", filename="kt.jpg"),
        )
        transaction.commit()
        self.browser.open(profile.absolute_url())
        img = re.search(r"<img[^>]*saiyo-profile__photo[^>]*>", self.browser.contents).group(0)
        self.assertIn('alt="K.T.さんの写真"', img)
        self.assertIn('sizes="(min-width: 576px) 400px', img)
        widths = {int(w) for w in re.findall(r" (\d+)w", img)}
        self.assertIn(400, widths)
        self.assertTrue(max(widths) >= 800, widths)  # 400 CSS px on a 2x screen
        self.assertIn('width="400"', img)

    def test_exam_list_filters(self):
        make_notice(self.folder, title="令和7年度 高校卒業程度", exam_type="koukou", audiences=["koukousei"])
        transaction.commit()
        self.browser.open(self.folder.absolute_url() + "/@@exam-list")
        self.assertIn("2件の試験案内があります", self.browser.contents)
        self.browser.open(self.folder.absolute_url() + "/@@exam-list?exam_type=koukou")
        self.assertIn("1件の試験案内があります", self.browser.contents)
        self.assertIn("令和7年度 高校卒業程度", self.browser.contents)
        self.browser.open(self.folder.absolute_url() + "/@@exam-list?status=open")
        self.assertIn("0件の試験案内があります", self.browser.contents)

    def test_faq_page_groups_by_category_with_details(self):
        self.browser.open(self.portal.absolute_url() + "/@@faq-list")
        self.assertIn("<details", self.browser.contents)
        self.assertIn("試験・申込", self.browser.contents)
        self.assertIn("受験料は不要です。", self.browser.contents)

    def test_schedule_and_ics(self):
        import icalendar

        self.browser.open(self.portal.absolute_url() + "/@@exam-schedule")
        self.assertIn("令和7年度（2025年度）", self.browser.contents)
        self.browser.open(self.portal.absolute_url() + "/@@exam-schedule.ics")
        self.assertTrue(self.browser.headers["Content-Type"].startswith("text/calendar"))
        calendar = icalendar.Calendar.from_ical(self.browser.contents)
        summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
        self.assertEqual(len(summaries), 3)  # application, 1st exam, 2nd exam
        self.assertTrue(any(s.startswith("申込受付: ") for s in summaries))

    def test_invalid_period_is_refused_with_a_japanese_message(self):
        self.browser.open(self.folder.absolute_url() + "/++add++ExamNotice")
        self.browser.getControl(name="form.widgets.IDublinCore.title").value = "受付期間の誤り"
        self.browser.getControl(name="form.widgets.fiscal_year").value = "2025"
        self.browser.getControl(name="form.widgets.exam_type:list").value = ["daigaku"]
        self.browser.getControl(name="form.widgets.application_start").value = "2025-05-20T09:00"
        self.browser.getControl(name="form.widgets.application_end").value = "2025-05-01T17:00"
        self.browser.getControl(name="form.widgets.application_url").value = "javascript:alert(1)"
        self.browser.getControl(name="form.buttons.save").click()
        self.assertIn("申込受付終了は、申込受付開始より後の日時にしてください。", self.browser.contents)
        self.assertIn("http:// または https:// で始まるURLを入力してください。", self.browser.contents)
        transaction.begin()
        self.assertEqual(len(api.content.find(portal_type="ExamNotice", Title="受付期間の誤り")), 0)
