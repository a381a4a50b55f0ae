"""Every content type reads and writes its structured fields through plone.restapi,
and invalid input is refused with HTTP 400 without creating or changing anything."""

from datetime import date
from datetime import datetime
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser
from zoneinfo import ZoneInfo

import json
import requests
import transaction
import unittest


TOKYO = ZoneInfo("Asia/Tokyo")

MSG_PERIOD = "申込受付終了は、申込受付開始より後の日時にしてください。"
MSG_SECOND_PERIOD = "第2次試験の終了日は、開始日以降の日付にしてください。"
MSG_NEGATIVE = "0以上の数を入力してください。"
MSG_URL = "http:// または https:// で始まるURLを入力してください。"


def instant(value):
    """An ISO 8601 string as an aware datetime (naive strings are refused: they are ambiguous)."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise AssertionError(f"{value!r} has no time zone")
    return parsed


def tokens(values):
    """Tokens of a serialized Choice / List of Choice (``{"token", "title"}`` objects)."""
    if isinstance(values, dict):
        return values["token"]
    return [value["token"] if isinstance(value, dict) else value for value in values]


def clean_rows(rows):
    """Rows without the keys whose value is null (the API may return missing columns as null)."""
    return [{key: value for key, value in row.items() if value is not None} for row in rows]


NOTICE = {
    "@type": "ExamNotice",
    "id": "daigaku-2025",
    "title": "令和7年度 鹿児島県職員採用試験（大学卒業程度）",
    "description": "行政・技術職の採用試験です。",
    "fiscal_year": 2025,
    "exam_type": "daigaku",
    "audiences": ["daigakusei", "uiturn"],
    "divisions": [
        {"name": "行政", "headcount": 15, "job_type": "gyosei"},
        {"name": "土木", "headcount": 8, "job_type": "doboku", "note": "UIターン枠を含む"},
    ],
    "exam_contents": [
        {"stage": "第1次試験", "subject": "教養試験", "duration": "2時間30分", "detail": "択一式 40題"},
        {"stage": "第2次試験", "subject": "個別面接"},
    ],
    "eligibility": {
        "data": "<p>平成8年4月2日から平成16年4月1日までに生まれた人</p>",
        "content-type": "text/html",
        "encoding": "utf-8",
    },
    "guide_release_date": "2025-03-25",
    "application_start": "2025-05-01T09:00:00+09:00",
    "application_end": "2025-05-21T17:00:00+09:00",
    "first_exam_date": "2025-06-15",
    "first_exam_venues": ["kagoshima", "tokyo"],
    "second_exam_start": "2025-07-22",
    "second_exam_end": "2025-07-31",
    "final_result_note": "8月下旬（予定）",
    "application_url": "https://shinsei.example.jp/daigaku2025",
}


class RestApiTestCase(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.portal_url = self.portal.absolute_url()
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.folder = api.content.create(container=self.portal, type="Folder", id="api-test", title="API")
        transaction.commit()
        self.folder_url = self.folder.absolute_url()
        # plone.restapi.testing needs plone.app.robotframework: a plain session instead.
        self.api = requests.Session()
        self.addCleanup(self.api.close)
        self.api.headers.update({"Accept": "application/json", "Content-Type": "application/json"})
        self.api.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)

    # HTTP helpers

    def post(self, data, container_url=None):
        return self.api.post(container_url or self.folder_url, json=data)

    def created(self, data, container_url=None):
        response = self.post(data, container_url)
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()

    def get(self, url):
        response = self.api.get(url)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def patch(self, url, data):
        return self.api.patch(url, json=data)

    def patched(self, url, data):
        response = self.patch(url, data)
        self.assertEqual(response.status_code, 204, response.text)
        return self.get(url)

    def children(self):
        return [item["@id"].rsplit("/", 1)[-1] for item in self.get(self.folder_url)["items"]]

    def assert_refused(self, response, *messages):
        """HTTP 400 whose body carries the given (Japanese) messages."""
        self.assertEqual(response.status_code, 400, response.text)
        body = json.dumps(response.json(), ensure_ascii=False)
        for message in messages:
            self.assertIn(message, body)

    def assert_not_created(self, data, *messages):
        before = self.children()
        self.assert_refused(self.post(data), *messages)
        self.assertEqual(self.children(), before)


class TestExamNotice(RestApiTestCase):
    def test_create_and_read(self):
        created = self.created(NOTICE)
        self.assertEqual(created["@type"], "ExamNotice")
        notice = self.get(created["@id"])
        self.assertEqual(notice["title"], NOTICE["title"])
        self.assertEqual(notice["fiscal_year"], 2025)
        self.assertEqual(tokens(notice["exam_type"]), "daigaku")
        self.assertEqual(sorted(tokens(notice["audiences"])), ["daigakusei", "uiturn"])
        self.assertEqual(clean_rows(notice["divisions"]), NOTICE["divisions"])
        self.assertEqual(clean_rows(notice["exam_contents"]), NOTICE["exam_contents"])
        self.assertIn("平成8年4月2日", notice["eligibility"]["data"])
        self.assertEqual(notice["guide_release_date"], "2025-03-25")
        self.assertEqual(instant(notice["application_start"]), instant("2025-05-01T09:00:00+09:00"))
        self.assertEqual(instant(notice["application_end"]), instant("2025-05-21T17:00:00+09:00"))
        self.assertEqual(notice["first_exam_date"], "2025-06-15")
        self.assertEqual(sorted(tokens(notice["first_exam_venues"])), ["kagoshima", "tokyo"])
        self.assertEqual(notice["second_exam_start"], "2025-07-22")
        self.assertEqual(notice["second_exam_end"], "2025-07-31")
        self.assertEqual(notice["final_result_note"], "8月下旬（予定）")
        self.assertEqual(notice["application_url"], NOTICE["application_url"])

    def test_stored_values(self):
        """What the API wrote is what the pages read: real dates, int headcounts, tokens."""
        self.created(NOTICE)
        transaction.begin()
        notice = self.portal["api-test"]["daigaku-2025"]
        self.assertEqual(notice.divisions[0]["headcount"], 15)
        self.assertEqual(notice.divisions[0]["job_type"], "gyosei")
        self.assertEqual(notice.first_exam_date, date(2025, 6, 15))
        start = notice.application_start
        start = start.replace(tzinfo=TOKYO) if start.tzinfo is None else start.astimezone(TOKYO)
        self.assertEqual(start, datetime(2025, 5, 1, 9, 0, tzinfo=TOKYO))

    def test_patch_row_and_date(self):
        url = self.created(NOTICE)["@id"]
        divisions = [dict(row) for row in NOTICE["divisions"]]
        divisions[1]["headcount"] = 10
        notice = self.patched(url, {"divisions": divisions, "application_end": "2025-05-23T17:00:00+09:00"})
        self.assertEqual(clean_rows(notice["divisions"]), divisions)
        self.assertEqual(instant(notice["application_end"]), instant("2025-05-23T17:00:00+09:00"))
        self.assertEqual(instant(notice["application_start"]), instant("2025-05-01T09:00:00+09:00"))

    def form_notice(self, **dates):
        """A notice as the edit form saves it: naive datetimes in Tokyo time."""
        notice = api.content.create(
            container=self.folder,
            type="ExamNotice",
            id="form-notice",
            title="フォームで作成した試験案内",
            fiscal_year=2025,
            exam_type="daigaku",
            **dates,
        )
        transaction.commit()
        return notice.absolute_url()

    def stored_in_tokyo(self, name):
        transaction.begin()
        value = getattr(self.portal["api-test"]["form-notice"], name)
        return value.replace(tzinfo=TOKYO) if value.tzinfo is None else value.astimezone(TOKYO)

    def test_patch_end_of_notice_made_in_the_form(self):
        """The form stored a naive start; the API adds an (aware) end: no crash, right time."""
        url = self.form_notice(application_start=datetime(2025, 5, 1, 9, 0))
        response = self.patch(url, {"application_end": "2025-05-21T17:00:00+09:00"})
        self.assertEqual(response.status_code, 204, response.text[:300])
        self.assertEqual(self.stored_in_tokyo("application_end"), datetime(2025, 5, 21, 17, 0, tzinfo=TOKYO))

    def test_patch_date_of_notice_made_in_the_form(self):
        """The form stored naive Tokyo datetimes; the API changes one of them: the time stays right."""
        url = self.form_notice(
            application_start=datetime(2025, 5, 1, 9, 0), application_end=datetime(2025, 5, 21, 17, 0)
        )
        response = self.patch(url, {"application_end": "2025-05-23T17:00:00+09:00"})
        self.assertEqual(response.status_code, 204, response.text[:300])
        self.assertEqual(self.stored_in_tokyo("application_end"), datetime(2025, 5, 23, 17, 0, tzinfo=TOKYO))

    def test_page_shows_the_time_written_through_the_api(self):
        url = self.created(NOTICE)["@id"]
        page = self.api.get(url, headers={"Accept": "text/html"})
        self.assertEqual(page.status_code, 200)
        self.assertIn("2025-05-21T17:00:00+09:00", page.text)  # JSON-LD validThrough

    def test_edit_form_shows_the_time_written_through_the_api(self):
        """The classic edit form must offer 09:00 for a start POSTed as 09:00+09:00."""
        url = self.created(NOTICE)["@id"]
        browser = Browser(self.layer["app"])
        browser.handleErrors = False
        browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
        browser.open(url + "/edit")
        self.assertEqual(browser.getControl(name="form.widgets.application_start").value, "2025-05-01T09:00")
        self.assertEqual(browser.getControl(name="form.widgets.application_end").value, "2025-05-21T17:00")

    # refused input

    def test_end_before_start_is_refused(self):
        data = dict(
            NOTICE, application_start="2025-05-21T17:00:00+09:00", application_end="2025-05-01T09:00:00+09:00"
        )
        self.assert_not_created(data, MSG_PERIOD)

    def test_second_exam_end_before_start_is_refused(self):
        data = dict(NOTICE, second_exam_start="2025-07-31", second_exam_end="2025-07-22")
        self.assert_not_created(data, MSG_SECOND_PERIOD)

    def test_negative_headcount_is_refused(self):
        data = dict(NOTICE, divisions=[{"name": "行政", "headcount": -1, "job_type": "gyosei"}])
        self.assert_not_created(data, MSG_NEGATIVE)

    def test_javascript_url_is_refused(self):
        self.assert_not_created(dict(NOTICE, application_url="javascript:alert(1)"), MSG_URL)

    def test_ftp_url_is_refused(self):
        self.assert_not_created(dict(NOTICE, application_url="ftp://ftp.example.jp/annai.pdf"), MSG_URL)
        self.assert_not_created(dict(NOTICE, audio_version_url="ftp://ftp.example.jp/annai.mp3"), MSG_URL)

    def test_unknown_token_is_refused(self):
        self.assert_not_created(dict(NOTICE, exam_type="no-such-type"))
        self.assert_not_created(
            dict(NOTICE, divisions=[{"name": "行政", "headcount": 1, "job_type": "nope"}])
        )

    def test_invalid_patch_changes_nothing(self):
        url = self.created(NOTICE)["@id"]
        before = self.get(url)
        # the end alone, before the stored start: the invariant sees the stored start
        self.assert_refused(self.patch(url, {"application_end": "2025-04-01T09:00:00+09:00"}), MSG_PERIOD)
        rows = [dict(NOTICE["divisions"][0], headcount=-5)]
        self.assert_refused(self.patch(url, {"divisions": rows, "title": "変更"}), MSG_NEGATIVE)
        self.assert_refused(self.patch(url, {"application_url": "javascript:alert(1)"}), MSG_URL)
        after = self.get(url)
        for name in ("title", "divisions", "application_start", "application_end", "application_url"):
            self.assertEqual(after[name], before[name], name)


class TestJobCategory(RestApiTestCase):
    DATA = {
        "@type": "JobCategory",
        "id": "gyosei",
        "title": "行政",
        "description": "県政のあらゆる分野で働きます。",
        "job_type": "gyosei",
        "main_work": {
            "data": "<p>予算、企画、福祉など</p>",
            "content-type": "text/html",
            "encoding": "utf-8",
        },
        "ideal_candidate": {
            "data": "<p>県民の声を聴ける人</p>",
            "content-type": "text/html",
            "encoding": "utf-8",
        },
        "workplaces": ["県庁 総務部", "大島支庁", "熊毛支庁"],
    }

    def test_create_read_patch(self):
        url = self.created(self.DATA)["@id"]
        category = self.get(url)
        self.assertEqual(tokens(category["job_type"]), "gyosei")
        self.assertEqual(category["workplaces"], ["県庁 総務部", "大島支庁", "熊毛支庁"])
        self.assertIn("予算、企画、福祉など", category["main_work"]["data"])
        self.assertIn("県民の声を聴ける人", category["ideal_candidate"]["data"])
        category = self.patched(url, {"workplaces": ["県庁 農政部"], "job_type": "doboku"})
        self.assertEqual(category["workplaces"], ["県庁 農政部"])
        self.assertEqual(tokens(category["job_type"]), "doboku")

    def test_unknown_job_type_is_refused(self):
        self.assert_not_created(dict(self.DATA, job_type="no-such-job"))


class TestStaffProfile(RestApiTestCase):
    def data(self, exam_uid):
        return {
            "@type": "StaffProfile",
            "id": "kt",
            "title": "K.T.さん（行政）",
            "display_name": "K.T.さん",
            "department": "農政部 農業経営課",
            "job_type": "gyosei",
            "joined_year": 2020,
            "career_type": "uiturn",
            "related_exam": exam_uid,
            "is_sample": True,
            "questions": [
                {"question": "志望動機は？", "answer": "地元に貢献したいと思ったからです。"},
                {"question": "やりがいは？", "answer": "県民の方から感謝されることです。"},
            ],
            "message": "一緒に働きましょう。",
            "day_schedule": [
                {"time": "8:30", "activity": "登庁、メールの確認"},
                {"time": "12:00", "activity": "昼休み"},
            ],
        }

    def test_create_read_patch(self):
        exam = self.created(NOTICE)
        data = self.data(exam["UID"])
        url = self.created(data)["@id"]
        profile = self.get(url)
        self.assertEqual(profile["display_name"], "K.T.さん")
        self.assertEqual(profile["department"], "農政部 農業経営課")
        self.assertEqual(tokens(profile["job_type"]), "gyosei")
        self.assertEqual(profile["joined_year"], 2020)
        self.assertEqual(tokens(profile["career_type"]), "uiturn")
        self.assertIs(profile["is_sample"], True)
        self.assertEqual(profile["related_exam"]["@id"], exam["@id"])
        self.assertEqual(profile["questions"], data["questions"])
        self.assertEqual(profile["day_schedule"], data["day_schedule"])
        self.assertEqual(profile["message"], "一緒に働きましょう。")

        schedule = [dict(row) for row in data["day_schedule"]]
        schedule[1]["activity"] = "昼休み（同僚とランチ）"
        profile = self.patched(url, {"day_schedule": schedule, "related_exam": None})
        self.assertEqual(profile["day_schedule"], schedule)
        self.assertIsNone(profile["related_exam"])

    def test_invalid_input_is_refused(self):
        data = self.data(None)
        del data["related_exam"]
        self.assert_not_created(dict(data, career_type="no-such-career"))
        self.assert_not_created(dict(data, joined_year=1900))
        self.assert_not_created(dict(data, related_exam="0" * 32))  # no such UID
        # a row without its required column
        self.assert_not_created(dict(data, questions=[{"question": "志望動機は？"}]))


class TestFAQ(RestApiTestCase):
    DATA = {
        "@type": "FAQ",
        "id": "nenrei",
        "title": "受験資格に年齢制限はありますか？",
        "answer": {
            "data": "<p>試験区分ごとに生年月日の範囲があります。</p>",
            "content-type": "text/html",
            "encoding": "utf-8",
        },
        "faq_category": "shikaku",
    }

    def test_create_read_patch(self):
        url = self.created(self.DATA)["@id"]
        faq = self.get(url)
        self.assertEqual(faq["title"], self.DATA["title"])
        self.assertIn("生年月日の範囲", faq["answer"]["data"])
        self.assertEqual(tokens(faq["faq_category"]), "shikaku")
        faq = self.patched(url, {"faq_category": "moushikomi"})
        self.assertEqual(tokens(faq["faq_category"]), "moushikomi")

    def test_unknown_category_is_refused(self):
        self.assert_not_created(dict(self.DATA, faq_category="no-such-category"))


class TestRecruitmentEvent(RestApiTestCase):
    DATA = {
        "@type": "Event",
        "id": "setsumeikai",
        "title": "オンライン説明会",
        "start": "2030-08-05T13:00:00+09:00",
        "end": "2030-08-05T15:00:00+09:00",
        "timezone": "Asia/Tokyo",
        "audiences": ["daigakusei", "shakaijin"],
        "event_format": "online",
        "application_url": "https://shinsei.example.jp/setsumeikai",
        "capacity": 100,
        "application_deadline": "2030-08-01T17:00:00+09:00",
    }

    def test_create_read_patch(self):
        url = self.created(self.DATA)["@id"]
        event = self.get(url)
        self.assertEqual(sorted(tokens(event["audiences"])), ["daigakusei", "shakaijin"])
        self.assertEqual(tokens(event["event_format"]), "online")
        self.assertEqual(event["application_url"], self.DATA["application_url"])
        self.assertEqual(event["capacity"], 100)
        self.assertEqual(instant(event["application_deadline"]), instant("2030-08-01T17:00:00+09:00"))
        self.assertEqual(instant(event["start"]), instant("2030-08-05T13:00:00+09:00"))
        event = self.patched(url, {"capacity": 120, "application_deadline": "2030-08-02T12:00:00+09:00"})
        self.assertEqual(event["capacity"], 120)
        self.assertEqual(instant(event["application_deadline"]), instant("2030-08-02T12:00:00+09:00"))

    def test_invalid_input_is_refused(self):
        self.assert_not_created(dict(self.DATA, capacity=-1), MSG_NEGATIVE)
        self.assert_not_created(dict(self.DATA, application_url="javascript:alert(1)"), MSG_URL)
        self.assert_not_created(dict(self.DATA, event_format="no-such-format"))
        url = self.created(self.DATA)["@id"]
        self.assert_refused(self.patch(url, {"capacity": -1}), MSG_NEGATIVE)
        self.assertEqual(self.get(url)["capacity"], 100)
