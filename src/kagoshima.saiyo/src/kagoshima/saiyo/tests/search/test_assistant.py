"""The assistant (質問する) answers from published content only: live exam dates with their
status, FAQ answers, page passages, or an honest "cannot answer" that is counted without
personal data; its REST service, form pages, rate limit and administrators' list."""

from datetime import datetime
from datetime import time
from datetime import timedelta
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.search import assistant
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from zoneinfo import ZoneInfo

import json
import os
import pytz
import re
import requests
import sqlite3
import tempfile
import transaction
import unittest


TOKYO = ZoneInfo("Asia/Tokyo")
# Stored dates carry pytz's zone: CMFEditions pickles content, and ZoneInfo cannot be pickled.
STORED_TOKYO = pytz.timezone("Asia/Tokyo")


def stored(value):
    return STORED_TOKYO.localize(value.replace(tzinfo=None))


def rich(html):
    return RichTextValue(html, "text/html", "text/x-html-safe")


class AssistantTestCase(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.portal_url = self.portal.absolute_url()
        self.store_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.store_dir.cleanup)
        os.environ[assistant.DIRECTORY_ENV] = self.store_dir.name
        self.addCleanup(os.environ.pop, assistant.DIRECTORY_ENV, None)
        assistant.limiter.reset()
        self.addCleanup(assistant.limiter.reset)
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        now = stored(datetime.now(TOKYO))
        self.now = now
        today = now.date()
        year = wareki.fiscal_year(today)
        shiken = api.content.create(self.portal, type="Folder", id="shiken", title="採用試験情報")
        self.publish(shiken)
        self.daigaku_end = stored(datetime.combine(today + timedelta(days=5), time(17, 0)))
        self.daigaku = self.notice(
            shiken,
            "daigaku",
            f"{wareki.fiscal_year_label(year).split('（')[0]} 鹿児島県職員採用試験（大学卒業程度）",
            exam_type="daigaku",
            divisions=[{"name": "行政", "headcount": 20}, {"name": "土木", "headcount": 8}],
            application_start=now - timedelta(days=2),
            application_end=self.daigaku_end,
            first_exam_date=today + timedelta(days=20),
            first_exam_venues=["kagoshima"],
            second_exam_start=today + timedelta(days=40),
            second_exam_end=today + timedelta(days=42),
            final_result_note="8月下旬（予定）",
        )
        self.senko = self.notice(
            shiken,
            "daigaku-senko",
            "鹿児島県職員採用試験（大学卒業程度・先行実施枠）",
            exam_type="daigaku-senko",
            divisions=[{"name": "行政（先行実施枠）"}],
            application_start=now - timedelta(days=90),
            application_end=now - timedelta(days=80),
            first_exam_date=today - timedelta(days=60),
        )
        self.koukou_start = stored(datetime.combine(today + timedelta(days=10), time(9, 0)))
        self.koukou = self.notice(
            shiken,
            "koukou",
            "鹿児島県職員採用試験（高校卒業程度）",
            exam_type="koukou",
            divisions=[{"name": "一般事務"}],
            application_start=self.koukou_start,
            application_end=self.koukou_start + timedelta(days=14),
            first_exam_date=today + timedelta(days=50),
        )
        # A draft: never answered from, although it matches.
        self.tandai = self.notice(
            shiken,
            "tandai",
            "鹿児島県職員採用試験（短大卒業程度）",
            exam_type="tandai",
            application_start=now - timedelta(days=1),
            application_end=now + timedelta(days=3),
            first_exam_date=today + timedelta(days=30),
            publish=False,
        )
        faq = api.content.create(self.portal, type="Folder", id="faq", title="よくある質問")
        self.publish(faq)
        self.faq_ikukyu = api.content.create(
            faq,
            type="FAQ",
            id="ikukyu",
            title="男性も育児休業を取れますか。",
            answer=rich(
                "<p>取れます。男性職員の育児休業の取得率は年々上がっていて、昨年度は半数を超える男性職員が取得しました。"
                "</p><p>育児休業は子が3歳になるまで取ることができます。</p>"
            ),
            faq_category="fukuri",
        )
        self.publish(self.faq_ikukyu)
        self.faq_kyuyo = api.content.create(
            faq,
            type="FAQ",
            id="shoninkyu",
            title="初任給はいくらですか。",
            answer=rich("<p>大学卒業程度の行政職で、月額およそ21万円です（地域手当などを除きます）。</p>"),
            faq_category="kyuyo",
        )
        self.publish(self.faq_kyuyo)
        draft_faq = api.content.create(
            faq,
            type="FAQ",
            id="fukugyo",
            title="副業はできますか。",
            answer=rich("<p>下書きの回答です。許可があれば副業できます。</p>"),
            faq_category="kyuyo",
        )
        self.assertEqual(api.content.get_state(draft_faq), "private")
        kankyo = api.content.create(self.portal, type="Folder", id="kankyo", title="働く環境")
        self.publish(kankyo)
        self.ritou = api.content.create(
            kankyo,
            type="Document",
            id="ritou",
            title="離島での勤務",
            text=rich(
                "<p>鹿児島県には多くの有人離島があります。</p>"
                "<p>離島の事務所で勤務する職員には、特地勤務手当が支給されます。</p>"
                "<p>官舎も用意しています。</p>"
            ),
        )
        self.publish(self.ritou)
        secret = api.content.create(
            kankyo,
            type="Document",
            id="himitsu",
            title="内部資料",
            text=rich("<p>極秘計画の地下施設は来年完成します。</p>"),
        )
        self.assertEqual(api.content.get_state(secret), "private")
        setRoles(self.portal, TEST_USER_ID, ["Member"])
        transaction.commit()

    def publish(self, obj):
        api.content.transition(obj, to_state="published")

    def notice(self, container, id, title, publish=True, **fields):
        obj = api.content.create(container, type="ExamNotice", id=id, title=title, fiscal_year=2026, **fields)
        if publish:
            self.publish(obj)
        return obj

    def ask(self, question):
        """The answer as an anonymous visitor gets it."""
        from plone.app.testing import logout

        logout()
        return assistant.answer(self.portal, question)

    def source_ids(self, result):
        return [source["@id"] for source in result["sources"]]


class TestExamAnswers(AssistantTestCase):
    def test_deadline_with_current_status(self):
        result = self.ask("大学卒業程度の申込締切はいつ？")
        self.assertTrue(result["found"])
        deadline = wareki.format_date(self.daigaku_end.date(), weekday=True)
        self.assertEqual(
            result["answer"],
            f"{self.daigaku.Title()}の申込受付は{deadline}17時までです（現在受付中）。",
        )
        self.assertEqual(self.source_ids(result), [self.daigaku.absolute_url()])

    def test_the_named_exam_not_its_variant(self):
        # 大学卒業程度 names the exam type exactly; the 先行実施枠 only contains the words.
        result = self.ask("大学卒業程度の第2次試験の日程を教えてください")
        self.assertIn("第2次試験は", result["answer"])
        self.assertNotIn("先行実施枠", result["answer"])
        self.assertEqual(self.source_ids(result), [self.daigaku.absolute_url()])

    def test_upcoming_period(self):
        result = self.ask("高校卒業程度の申込はいつから受け付けますか")
        start = wareki.format_date(self.koukou_start.date(), weekday=True)
        self.assertIn(f"申込受付期間は{start}9時から", result["answer"])
        self.assertIn("（現在受付前）", result["answer"])
        self.assertEqual(self.source_ids(result), [self.koukou.absolute_url()])

    def test_exam_found_by_division_name(self):
        result = self.ask("土木の第1次試験日はいつですか")
        day = wareki.format_date(self.daigaku.first_exam_date, weekday=True)
        self.assertIn(f"第1次試験日は{day}です", result["answer"])
        self.assertEqual(self.source_ids(result), [self.daigaku.absolute_url()])

    def test_several_exams_listed(self):
        result = self.ask("申込締切はいつですか")
        self.assertTrue(result["found"])
        self.assertTrue(result["answer"].startswith("該当する試験が2件あります。"), result["answer"])
        self.assertEqual(
            set(self.source_ids(result)), {self.daigaku.absolute_url(), self.koukou.absolute_url()}
        )
        # open first, then the one that opens later; never the finished one or the draft
        self.assertLess(result["answer"].index("大学卒業程度）"), result["answer"].index("高校卒業程度"))
        self.assertNotIn("先行実施枠", result["answer"])
        self.assertNotIn("短大", result["answer"])

    def test_draft_notice_is_never_answered_from(self):
        result = self.ask("短大卒業程度の申込締切はいつ？")
        self.assertNotIn("短大卒業程度", result["answer"])
        self.assertNotIn(self.tandai.absolute_url(), self.source_ids(result))


class TestFaqAndPages(AssistantTestCase):
    def test_faq_answer(self):
        result = self.ask("男性でも育児休業は取れますか？")
        self.assertTrue(result["found"])
        self.assertTrue(
            result["answer"].startswith("取れます。男性職員の育児休業の取得率は"), result["answer"]
        )
        self.assertLessEqual(len(result["answer"]), assistant.MAX_ANSWER_CHARS + 1)
        self.assertEqual(self.source_ids(result), [self.faq_ikukyu.absolute_url()])

    def test_faq_answer_as_plain_text(self):
        result = self.ask("初任給はいくら？")
        self.assertEqual(
            result["answer"], "大学卒業程度の行政職で、月額およそ21万円です（地域手当などを除きます）。"
        )
        self.assertNotIn("<", result["answer"])

    def test_page_passage(self):
        result = self.ask("離島で勤務すると手当はありますか")
        self.assertTrue(result["found"])
        self.assertIn("離島の事務所で勤務する職員には、特地勤務手当が支給されます。", result["answer"])
        self.assertEqual(self.source_ids(result)[0], self.ritou.absolute_url())

    def test_not_found(self):
        result = self.ask("宇宙飛行士になるにはどうすればよいですか")
        self.assertFalse(result["found"])
        self.assertEqual(result["sources"], [])
        self.assertTrue(result["answer"].startswith("申し訳ありません。この質問にはお答えできませんでした。"))

    def test_private_content_is_never_quoted(self):
        for question in ("極秘計画の地下施設はいつ完成しますか", "副業はできますか"):
            result = self.ask(question)
            self.assertFalse(result["found"], result)
            self.assertNotIn("地下施設", result["answer"])
            self.assertNotIn("下書き", result["answer"])


class TestUnanswered(AssistantTestCase):
    def rows(self):
        return assistant.get_store().rows()

    def test_counted_without_personal_data(self):
        question = "宇宙飛行士の採用はありますか。連絡先は taro@example.jp 090-1234-5678 です"
        self.assertFalse(assistant.ask(self.portal, question)["found"])
        self.assertFalse(assistant.ask(self.portal, question)["found"])
        rows = self.rows()
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["count"], 2)
        self.assertNotIn("taro", row["question"])
        self.assertNotIn("1234", row["question"])
        self.assertIn("［メールアドレス］", row["question"])
        self.assertIn("［電話番号］", row["question"])
        self.assertLessEqual(row["first_seen"], row["last_seen"])
        # only these columns exist: no address, no user agent
        path = os.path.join(self.store_dir.name, assistant.FILE_NAME)
        columns = [c[1] for c in sqlite3.connect(path).execute("PRAGMA table_info(unanswered)")]
        self.assertEqual(columns, ["question", "count", "first_seen", "last_seen"])

    def test_answered_questions_are_not_counted(self):
        self.assertTrue(assistant.ask(self.portal, "初任給はいくらですか")["found"])
        self.assertEqual(self.rows(), [])

    def test_administrators_list_and_csv(self):
        assistant.ask(self.portal, "宇宙飛行士の採用はありますか")
        anonymous = requests.get(f"{self.portal_url}/@@saiyo-assistant-unanswered", allow_redirects=False)
        self.assertIn(anonymous.status_code, (302, 401, 403))
        admin = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        page = requests.get(f"{self.portal_url}/@@saiyo-assistant-unanswered", auth=admin)
        self.assertEqual(page.status_code, 200)
        self.assertIn("回答できなかった質問", page.text)
        self.assertIn("宇宙飛行士の採用はありますか", page.text)
        data = requests.get(f"{self.portal_url}/@@saiyo-assistant-unanswered?format=csv", auth=admin)
        self.assertTrue(data.headers["Content-Type"].startswith("text/csv"))
        lines = data.content.decode("utf-8-sig").splitlines()
        self.assertEqual(lines[0], "質問,回数,最初,最後")
        self.assertTrue(lines[1].startswith("宇宙飛行士の採用はありますか,1,"))
        # once a FAQ is written, the question is taken off the list (a form with plone.protect's token)
        token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
        form = {"questions:list": "宇宙飛行士の採用はありますか", "delete": "1"}
        forged = requests.post(f"{self.portal_url}/@@saiyo-assistant-unanswered", data=form, auth=admin)
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(len(assistant.get_store().rows()), 1)
        deleted = requests.post(
            f"{self.portal_url}/@@saiyo-assistant-unanswered",
            data={**form, "_authenticator": token},
            auth=admin,
        )
        self.assertIn("1件の質問を一覧から削除しました。", deleted.text)
        self.assertEqual(assistant.get_store().rows(), [])


class TestRestService(AssistantTestCase):
    def post(self, body, **kwargs):
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        return requests.post(f"{self.portal_url}/++api++/@assistant", data=body, headers=headers, **kwargs)

    def ask_json(self, question):
        return self.post(json.dumps({"question": question}))

    def test_answer_shape(self):
        db = self.portal._p_jar.db()
        before = db.lastTransaction()
        response = self.ask_json("大学卒業程度の申込締切はいつ？")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")
        data = response.json()
        self.assertTrue(data["found"])
        self.assertIn("現在受付中", data["answer"])
        self.assertEqual(
            data["sources"], [{"@id": self.daigaku.absolute_url(), "title": self.daigaku.Title()}]
        )
        not_found = self.ask_json("宇宙飛行士になりたい").json()
        self.assertFalse(not_found["found"])
        self.assertEqual([link["title"] for link in not_found["links"]], ["よくある質問", "お問い合わせ"])
        # anonymous questions write nothing to the ZODB
        self.assertEqual(db.lastTransaction(), before)

    def test_bad_requests(self):
        cases = [
            ("{not json", assistant.INVALID_MESSAGE),
            (json.dumps({"question": ""}), assistant.EMPTY_MESSAGE),
            (json.dumps({"question": "  \n "}), assistant.EMPTY_MESSAGE),
            (json.dumps({"question": 42}), assistant.INVALID_MESSAGE),
            (json.dumps(["question"]), assistant.INVALID_MESSAGE),
            (json.dumps({"question": "あ" * 201}), assistant.TOO_LONG_MESSAGE),
        ]
        for body, message in cases:
            response = self.post(body)
            self.assertEqual(response.status_code, 400, body)
            self.assertEqual(response.json()["message"], message)
        self.assertEqual(self.ask_json("あ" * 200).status_code, 200)

    def test_rate_limit(self):
        for _number in range(assistant.RATE_LIMIT):
            self.assertEqual(self.ask_json("初任給はいくら？").status_code, 200)
        refused = self.ask_json("初任給はいくら？")
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused.json()["message"], assistant.RATE_LIMIT_MESSAGE)
        self.assertGreaterEqual(int(refused.headers["Retry-After"]), 1)

    def test_markup_stays_text(self):
        question = '<img src=x onerror="alert(1)">初任給はいくら？'
        data = self.ask_json(question).json()
        self.assertNotIn("<img", data["answer"])
        page = requests.post(f"{self.portal_url}/@@saiyo-assistant", data={"question": question})
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('<img src=x onerror="alert(1)">', page.text)
        self.assertIn("&lt;img src=x onerror=", page.text)


class TestPages(AssistantTestCase):
    def test_form_without_javascript(self):
        # The first page a fresh test site renders stores something of its own (any page does,
        # /faq as well); what counts is that questions write nothing.
        self.assertEqual(requests.get(f"{self.portal_url}/@@saiyo-assistant").status_code, 200)
        db = self.portal._p_jar.db()
        before = db.lastTransaction()
        page = requests.post(
            f"{self.portal_url}/@@saiyo-assistant", data={"question": "離島で勤務すると手当はありますか"}
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("特地勤務手当が支給されます。", page.text)
        self.assertIn(f'href="{self.ritou.absolute_url()}"', page.text)
        by_get = requests.get(f"{self.portal_url}/@@saiyo-assistant", params={"question": "初任給はいくら？"})
        self.assertIn("月額およそ21万円", by_get.text)
        self.assertEqual(by_get.headers.get("Cache-Control"), "no-store")
        empty = requests.post(f"{self.portal_url}/@@saiyo-assistant", data={"question": " "})
        self.assertEqual(empty.status_code, 400)
        self.assertIn(assistant.EMPTY_MESSAGE, empty.text)
        self.assertEqual(db.lastTransaction(), before)  # anonymous questions write nothing to the ZODB

    def test_box_renders_empty(self):
        box = requests.get(f"{self.portal_url}/faq/@@saiyo-assistant-box")
        self.assertEqual(box.status_code, 200)
        self.assertIn('class="saiyo-assistant__form"', box.text)
        self.assertIn(f'action="{self.portal_url}/@@saiyo-assistant"', box.text)
        self.assertIn('aria-live="polite"', box.text)
        self.assertNotIn("saiyo-assistant__answer", box.text)
        self.assertNotIn("<script>", box.text)  # the script is a file: the CSP forbids inline ones

    def test_top_page_block(self):
        top = requests.get(f"{self.portal_url}/@@saiyo-top")
        self.assertEqual(top.status_code, 200)
        self.assertIn('class="saiyo-assistant__form"', top.text)


class TestHelpers(unittest.TestCase):
    """The pieces that need no site: rate limit window, anonymising, HTML to answer text."""

    def test_rate_limit_window(self):
        limiter = assistant.RateLimiter(limit=2, window=60)
        self.assertEqual(limiter.check("192.0.2.1", now=0), 0)
        self.assertEqual(limiter.check("192.0.2.1", now=1), 0)
        self.assertEqual(limiter.check("192.0.2.1", now=2), 58)
        self.assertEqual(limiter.check("192.0.2.2", now=2), 0)  # another client is not affected
        self.assertEqual(limiter.check("192.0.2.1", now=61), 0)  # the first question left the window

    def test_anonymise(self):
        text = assistant.anonymise("ｔａｒｏ@example.com か 099-286-0000 、会員番号1234567 に連絡ください")
        self.assertEqual(text, "［メールアドレス］ か ［電話番号］ 、会員番号［番号］ に連絡ください")

    def test_html_to_text(self):
        html = (
            "<p>目安は次のとおりです。</p><table><caption>目安</caption><thead><tr><th>試験</th><th>時期</th></tr>"
            "</thead><tbody><tr><th>大学卒業程度</th><td>3月下旬</td></tr></tbody></table><script>x()</script>"
        )
        self.assertEqual(assistant.html_to_text(html), "目安は次のとおりです。\n大学卒業程度：3月下旬")
        self.assertEqual(assistant.first_sentences("あ" * 300), "あ" * 199 + "…")
