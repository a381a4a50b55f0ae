"""The demo content profile (kagoshima.saiyo:demo) builds the site tree and the sample pages.

The profile is applied once per test run by DEMO_CONTENT_TESTING, through GenericSetup
as saiyo create-site --demo does, with the creation day frozen at TODAY so that
the statuses of the exam notices are known. A second group of tests resolves the
relative dates of the YAML for many other creation days, without creating content.
"""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from html.parser import HTMLParser
from io import BytesIO
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.demo import images
from kagoshima.saiyo.demo import loader
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FIXTURE
from kagoshima.saiyo.vocabularies import editable_terms
from plone import api
from plone.app.testing import applyProfile
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from unittest import mock
from zoneinfo import ZoneInfo

import re
import unittest


TOKYO = ZoneInfo("Asia/Tokyo")
# A Tuesday in the first quarter of a fiscal year.
TODAY = date(2025, 7, 1)
NOON = datetime.combine(TODAY, time(12, 0), tzinfo=TOKYO)
THIS_FY = 2025

# The site tree of docs/site-map (paths relative to the site) and its navigation order.
TREE = {
    "": ["shiken", "shigoto", "hito", "kankyo", "event", "faq", "news", "contact", "accessibility", "policy"],
    "shiken": [
        "annai",
        "schedule",
        "jisshi",
        "mondai",
        "moushikomi",
        "shokumu-keiken",
        "daigakusei",
        "koukousei",
        "shougaisha",
    ],
    "shigoto": ["shokushu", "soshiki", "career"],
    "hito": ["interview", "zadankai"],
    "kankyo": ["kyuyo", "kyuka", "kenshu", "kosodate", "ritou"],
}

# 機種依存文字 (circled and parenthesised numbers and letters, ㈱-style signs, roman
# numerals, unit signs), half-width kana, full-width ASCII letters and digits.
FORBIDDEN = re.compile(
    r"[\u2460-\u24ff\u2160-\u217f\u3200-\u33ff\uff61-\uff9f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
)


class DemoContentLayer(PloneSandboxLayer):
    """kagoshima.saiyo:default plus the demo profile, applied on TODAY."""

    defaultBases = (KAGOSHIMA_SAIYO_FIXTURE,)

    def setUpPloneSite(self, portal):
        # kagoshima.saiyo:default binds saiyo_workflow, as on a real site.
        setRoles(portal, TEST_USER_ID, ["Manager"])
        with mock.patch.object(loader, "today_in_tokyo", return_value=TODAY):
            applyProfile(portal, "kagoshima.saiyo:demo")
        setRoles(portal, TEST_USER_ID, ["Member"])


DEMO_CONTENT_FIXTURE = DemoContentLayer()
DEMO_CONTENT_TESTING = IntegrationTesting(
    bases=(DEMO_CONTENT_FIXTURE,), name="KagoshimaSaiyoDemoContent:Integration"
)


class HtmlFacts(HTMLParser):
    """Headings, tables and links of a piece of HTML."""

    def __init__(self):
        super().__init__()
        self.headings = []
        self.tables = 0
        self.captions = 0
        self.header_cells = 0
        self.links = []  # (href, text)
        self._link = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th":
            self.header_cells += 1
        elif tag == "a":
            self._link = [dict(attrs).get("href", ""), ""]

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append(tuple(self._link))
            self._link = None


def facts(html: str) -> HtmlFacts:
    parser = HtmlFacts()
    parser.feed(html)
    return parser


class TestDemoContent(unittest.TestCase):
    layer = DEMO_CONTENT_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]

    def find(self, context=None, **query):
        return [brain.getObject() for brain in api.content.find(context=context or self.portal, **query)]

    def test_tree_exists_in_navigation_order(self):
        for path, children in TREE.items():
            folder = self.portal.unrestrictedTraverse(path) if path else self.portal
            ids = [i for i in folder.objectIds() if i in children]
            self.assertEqual(ids, children, path or "(site)")

    def test_no_content_hides_plone_views(self):
        self.assertNotIn("sitemap", self.portal.objectIds())
        self.assertTrue(loader.shadows_view(self.portal, "sitemap"))
        self.assertFalse(any(loader.shadows_view(self.portal, name) for name in TREE[""]))
        self.assertEqual(self.portal.contact.portal_type, "Document")
        self.assertTrue(self.portal.accessibility.exclude_from_nav)

    def test_everything_is_published(self):
        brains = [b for b in api.content.find(context=self.portal) if b.portal_type != "Plone Site"]
        self.assertGreater(len(brains), 120)
        states = {brain.getPath(): brain.review_state for brain in brains}
        self.assertEqual({path for path, state in states.items() if state != "published"}, set())

    def test_exam_notices(self):
        notices = self.find(
            portal_type="ExamNotice", path="/".join(self.portal.shiken.annai.getPhysicalPath())
        )
        self.assertGreaterEqual(len(notices), 8)
        tokens = {token for token, _ in editable_terms("kagoshima.saiyo.ExamTypes")}
        self.assertEqual({n.exam_type for n in notices}, tokens)
        self.assertEqual({n.fiscal_year for n in notices}, {THIS_FY, THIS_FY - 1})
        uiturn_rows = 0
        for notice in notices:
            with self.subTest(notice=notice.getId()):
                self.assertTrue(
                    notice.Title().startswith(loader.nendo(notice.fiscal_year) + " "), notice.Title()
                )
                self.assertTrue(notice.divisions)
                self.assertTrue(all(row["name"] and row["job_type"] for row in notice.divisions))
                self.assertTrue(
                    any(row["headcount"] for row in notice.divisions) or notice.exam_type == "saisaiyo"
                )
                uiturn_rows += sum("UIターン枠" in row["name"] for row in notice.divisions)
                self.assertIn("<li>", notice.eligibility.raw)
                self.assertTrue(
                    notice.guide_release_date and notice.application_start and notice.application_end
                )
                self.assertEqual(notice.application_start.time(), time(9, 0))
                self.assertEqual(notice.application_end.time(), time(17, 0))
                # Stored aware in Asia/Tokyo, as the edit form and the REST API store them.
                self.assertEqual(str(notice.application_start.tzinfo), "Asia/Tokyo")
                self.assertLess(notice.application_end.date(), notice.first_exam_date)
                self.assertTrue(notice.first_exam_venues)
                self.assertTrue(notice.final_result_date or notice.final_result_note)
                stages = {row["stage"] for row in notice.exam_contents}
                self.assertGreaterEqual(len(stages), 2)
                self.assertTrue(notice.application_url.startswith("https://shinsei.pref.kagoshima.example/"))
                self.assertTrue(notice.audiences)
                if notice.exam_type != "saisaiyo":
                    self.assertTrue(
                        notice.first_result_date and notice.second_exam_start and notice.second_exam_end
                    )
                    self.assertLessEqual(notice.first_result_date, notice.second_exam_start)
                    self.assertEqual(notice.first_exam_date.weekday(), 6)  # exams are on Sundays
        self.assertGreaterEqual(uiturn_rows, 1)
        notes = [n.final_result_note for n in notices if n.final_result_note]
        self.assertTrue(all(re.fullmatch(r"令和\d+年\d+月[上中下]旬（予定）", note) for note in notes), notes)

    def test_exam_statuses_relative_to_the_creation_day(self):
        notices = self.find(portal_type="ExamNotice")
        this_year = {exam_status.status_of(n, now=NOON) for n in notices if n.fiscal_year == THIS_FY}
        last_year = {exam_status.status_of(n, now=NOON) for n in notices if n.fiscal_year == THIS_FY - 1}
        self.assertLessEqual({"upcoming", "open", "closed"}, this_year)
        self.assertEqual(last_year, {"finished"})
        # the same holds for the whole creation day
        for hour in (0, 23):
            moment = datetime.combine(TODAY, time(hour, 30), tzinfo=TOKYO)
            statuses = {exam_status.status_of(n, now=moment) for n in notices if n.fiscal_year == THIS_FY}
            self.assertLessEqual({"upcoming", "open", "closed"}, statuses)

    def test_eligibility_birthdays(self):
        notice = self.portal.shiken.annai[f"daigaku-{THIS_FY}"]
        # hired on 2026-04-01: aged 22 to 29 on that day
        self.assertIn("平成8年4月2日から平成16年4月1日までに生まれた人", notice.eligibility.raw)

    def test_job_categories(self):
        categories = self.find(portal_type="JobCategory")
        self.assertGreaterEqual(len(categories), 8)
        tokens = {token for token, _ in editable_terms("kagoshima.saiyo.JobTypes")}
        for category in categories:
            with self.subTest(category=category.getId()):
                self.assertEqual(category.aq_parent.getId(), "shokushu")
                self.assertIn(category.job_type, tokens)
                self.assertIn("<li>", category.main_work.raw)
                self.assertIn("<li>", category.ideal_candidate.raw)
                self.assertGreaterEqual(len(category.workplaces), 2)
                self.assertEqual(category.image.getImageSize(), (1200, 630))
                self.assertTrue(category.image_caption)

    def test_staff_profiles(self):
        people = self.find(portal_type="StaffProfile")
        self.assertGreaterEqual(len(people), 8)
        self.assertGreaterEqual(len({p.career_type for p in people}), 3)
        for person in people:
            with self.subTest(person=person.getId()):
                self.assertEqual(person.aq_parent.getId(), "interview")
                self.assertTrue(person.is_sample)
                self.assertRegex(person.display_name, r"^[A-Z]\.[A-Z]\.さん$")
                self.assertTrue(person.department)
                self.assertGreaterEqual(len(person.questions), 4)
                self.assertGreaterEqual(len(person.day_schedule), 7)
                self.assertTrue(
                    all(re.fullmatch(r"\d{1,2}:\d{2}", row["time"]) for row in person.day_schedule)
                )
                self.assertTrue(person.message)
                self.assertLess(person.joined_year, THIS_FY + 1)
                self.assertEqual(person.photo.contentType, "image/jpeg")
                self.assertEqual(person.photo.getImageSize(), (800, 800))
                target = person.related_exam.to_object
                self.assertEqual(target.portal_type, "ExamNotice")
                self.assertEqual(target.fiscal_year, THIS_FY)
                jobs = {row["job_type"] for row in target.divisions}
                self.assertIn(person.job_type, jobs)

    def test_events(self):
        events = self.find(portal_type="Event")
        self.assertGreaterEqual(len(events), 5)
        starts = [e.start for e in events]
        self.assertTrue(all(s.tzinfo is not None and s.utcoffset() == timedelta(hours=9) for s in starts))
        self.assertTrue(any(s > NOON for s in starts) and any(s < NOON for s in starts))
        for event in events:
            with self.subTest(event=event.getId()):
                self.assertLess(event.start, event.end)
                self.assertTrue(event.audiences)
                self.assertIn(event.event_format, {"venue", "online", "hybrid"})
                self.assertTrue(event.application_url.startswith("https://shinsei.pref.kagoshima.example/"))
                self.assertGreater(event.capacity, 0)
                deadline = event.application_deadline.replace(tzinfo=TOKYO)
                self.assertLess(deadline, event.start)
        self.assertEqual(len(api.content.find(portal_type="Event", start={"query": NOON, "range": "min"})), 5)

    def test_faq(self):
        faqs = self.find(portal_type="FAQ")
        self.assertGreaterEqual(len(faqs), 30)
        self.assertGreaterEqual(len({f.faq_category for f in faqs}), 5)
        self.assertTrue(all(f.Title().endswith("か。") for f in faqs))

    def test_news(self):
        news = self.find(portal_type="News Item", sort_on="effective", sort_order="reverse")
        self.assertGreaterEqual(len(news), 10)
        effective = [n.effective().asdatetime() for n in news]
        self.assertTrue(all(moment <= NOON.replace(hour=23) for moment in effective))
        self.assertEqual(effective, sorted(effective, reverse=True))
        self.assertGreater(len({moment.date() for moment in effective}), 5)

    def test_pages_have_substance(self):
        for path in (
            "kankyo/kyuyo",
            "kankyo/kyuka",
            "kankyo/kenshu",
            "kankyo/kosodate",
            "kankyo/ritou",
            "shiken/mondai",
            "shiken/moushikomi",
            "shiken/shokumu-keiken",
            "shiken/daigakusei",
            "shiken/koukousei",
            "shiken/shougaisha",
            "shigoto/soshiki",
            "shigoto/career",
            "contact",
            "accessibility",
            "policy",
        ):
            with self.subTest(path=path):
                html = self.portal.unrestrictedTraverse(path).text.raw
                self.assertGreater(len(html), 600)
                self.assertGreaterEqual(facts(html).headings.count(2), 2)
        kyuyo = facts(self.portal.kankyo.kyuyo.text.raw)
        self.assertGreaterEqual(kyuyo.tables, 2)
        self.assertIn("初任給", self.portal.kankyo.kyuyo.text.raw)
        jisshi = self.find(self.portal.shiken.jisshi, portal_type="Document")
        self.assertGreaterEqual(len(jisshi), 2)
        for page in jisshi:
            self.assertIn("倍", page.text.raw)
            self.assertGreaterEqual(facts(page.text.raw).tables, 4)
        zadankai = self.find(
            portal_type="Document", path="/".join(self.portal.hito.zadankai.getPhysicalPath())
        )
        self.assertGreaterEqual(len(zadankai), 1)

    def test_rich_text_is_well_formed(self):
        """Headings in order from h2, captioned tables with header cells, meaningful links."""
        count = 0
        for brain in api.content.find(context=self.portal):
            obj = brain.getObject()
            for name in ("text", "answer", "main_work", "ideal_candidate", "eligibility"):
                value = getattr(obj.aq_base, name, None)
                if not isinstance(value, RichTextValue):
                    continue
                count += 1
                where = f"{brain.getPath()} {name}"
                found = facts(value.raw)
                if found.headings:
                    self.assertGreaterEqual(found.headings[0], 2, where)
                    self.assertTrue(
                        all(b <= a + 1 for a, b in zip(found.headings, found.headings[1:], strict=False)),
                        where,
                    )
                self.assertEqual(found.tables, found.captions, where)
                if found.tables:
                    self.assertGreater(found.header_cells, 0, where)
                for href, text in found.links:
                    self.assertNotIn("こちら", text, where)
                    self.assertGreater(len(text.strip()), 2, where)
                    self.assertTrue(href.startswith(("resolveuid/", "https://", "#")), (where, href))
                    if href.startswith("#"):  # an anchor in the same text
                        self.assertIn(f'id="{href[1:]}"', value.raw, (where, href))
                    if href.startswith("resolveuid/"):
                        self.assertIsNotNone(api.content.get(UID=href.split("/")[1]), (where, href))
                self.assertNotIn("{{", value.raw, where)
        self.assertGreater(count, 100)

    def test_texts_use_no_machine_dependent_characters(self):
        for brain in api.content.find(context=self.portal):
            obj = brain.getObject()
            texts = [obj.Title(), obj.Description()]
            for name in ("text", "answer", "main_work", "ideal_candidate", "eligibility"):
                value = getattr(obj.aq_base, name, None)
                if isinstance(value, RichTextValue):
                    texts.append(value.raw)
            for name in ("questions", "day_schedule", "divisions", "exam_contents"):
                for row in getattr(obj.aq_base, name, None) or ():
                    texts.extend(str(v) for v in row.values() if v)
            texts.extend(
                str(getattr(obj.aq_base, n, "") or "")
                for n in ("message", "final_result_note", "schedule_note")
            )
            for text in texts:
                self.assertIsNone(FORBIDDEN.search(text), (brain.getPath(), FORBIDDEN.findall(text)))
                self.assertNotIn("{{", text, brain.getPath())

    def test_running_again_creates_nothing(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        before = len(api.content.find(context=self.portal))
        report = loader.load_into(self.portal, today=TODAY)
        self.assertEqual(report["created"], {})
        self.assertEqual(report["warnings"], [])
        self.assertEqual(len(api.content.find(context=self.portal)), before)

    def test_mistakes_in_the_data_are_reported(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        demo = loader.DemoLoader(self.portal, TODAY)
        item = {
            "id": "check",
            "type": "FAQ",
            "title": "確認のための質問ですか。",
            "faq_category": "no-such-category",
            "answer": "<p>回答</p>",
            "colour": "red",
        }
        self.assertIsNotNone(demo.create_item(self.portal.faq, item, THIS_FY))
        self.assertIsNone(demo.create_item(self.portal, {"id": "sitemap", "type": "Document"}, THIS_FY))
        text = "\n".join(demo.warnings)
        self.assertIn("'faq_category' refuses 'no-such-category'", text)
        self.assertIn("has no field 'colour'", text)
        self.assertIn("sitemap: the id is the name of a page of Plone", text)

    def test_missing_items_are_added_on_a_second_run(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        api.content.delete(self.portal.faq["sonota-gakkou"])
        report = loader.load_into(self.portal, today=TODAY)
        self.assertEqual(report["created"], {"FAQ": 1})
        self.assertEqual(self.portal.faq.objectIds()[-1], "sonota-gakkou")


class TestDemoDataOnAnyDay(unittest.TestCase):
    """The relative dates give the intended statuses whatever the creation day is."""

    DAYS = [date(2025, 4, 1), date(2025, 7, 1), date(2025, 12, 31), date(2026, 3, 31), date(2028, 2, 29)]
    DAYS += [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 365, 17)]

    def statuses(self, today):
        resolver = loader.DemoLoader(site=None, today=today)
        notices = loader.read_data("exam_notices.yaml")["items"]
        result = {0: set(), -1: set()}
        for notice in notices:
            dates = {}
            for name in exam_status.FIELDS:
                spec = notice.get(name)
                if spec is not None:
                    dates[name] = resolver.resolve_date(spec, want_time=name.startswith("application_"))
            now = datetime.combine(today, time(12, 0), tzinfo=TOKYO)
            result[notice["fiscal_year"]["fy"]].add(exam_status.compute_status(now=now, **dates))
        self.assertEqual(resolver.warnings, [])
        return result

    def test_statuses_on_many_days(self):
        for today in self.DAYS:
            with self.subTest(today=today):
                result = self.statuses(today)
                self.assertLessEqual({"upcoming", "open", "closed"}, result[0])
                self.assertEqual(result[-1], {"finished"})

    def test_placeholders(self):
        resolver = loader.DemoLoader(site=None, today=date(2026, 3, 31))
        self.assertEqual(resolver.this_fy, 2025)
        self.assertEqual(
            resolver.expand("{{nendo}}・{{nendo-1}}・{{fy+1}}", 2025), "令和7年度・令和6年度・2026"
        )
        self.assertEqual(
            resolver.expand("{{born_from:29}}〜{{born_to:22}}", 2025), "平成8年4月2日〜平成16年4月1日"
        )
        self.assertEqual(resolver.expand("{{hire_date}}", 2018), "平成31年4月1日")
        self.assertEqual(resolver.expand("{{nendo}}", 2019), "令和元年度")
        self.assertEqual(resolver.expand("{{date:+1}}", 2025), "令和8年4月1日（水）")
        self.assertEqual(resolver.expand("{{date:+1:sunday}}", 2025), "令和8年4月5日（日）")
        self.assertEqual(resolver.expand("{{link:faq}}", 2025), "{{link:faq}}")  # resolved later
        self.assertEqual(resolver.expand("{{nonsense}}", 2025), "{{nonsense}}")
        self.assertEqual(len(resolver.warnings), 1)
        self.assertEqual(
            resolver.date_text({"days": 1, "text": "{period}（予定）"}), "令和8年4月上旬（予定）"
        )
        self.assertEqual(
            resolver.resolve_date({"days": 4, "next": "weekday"}, want_time=False), date(2026, 4, 6)
        )
        resolver.resolve_date({"days": 4, "on": "sunday"}, want_time=False)
        self.assertIn("unknown keys", resolver.warnings[-1])

    def test_fiscal_year_label_matches_wareki(self):
        for year in (2019, 2025, 2030):
            self.assertTrue(wareki.fiscal_year_label(year).startswith(loader.nendo(year)))


class TestImages(unittest.TestCase):
    def test_deterministic_and_small(self):
        from PIL import Image

        for kind, params, size in (
            ("staff", {"seed": 3}, (800, 800)),
            ("landscape", {"motif": "bridge", "colour": "#b5651d", "seed": 1}, (1200, 630)),
            ("hero", {}, (1920, 800)),
        ):
            with self.subTest(kind=kind):
                data = images.draw(kind, **params)
                self.assertEqual(data, images.draw(kind, **params))
                self.assertLess(len(data), 100_000)
                picture = Image.open(BytesIO(data))
                self.assertEqual((picture.format, picture.size), ("JPEG", size))
        self.assertNotEqual(images.draw("staff", seed=1), images.draw("staff", seed=2))

    def test_unknown_kind(self):
        with self.assertRaises(ValueError):
            images.draw("portrait")
