"""JSON-LD structured data in the page head, read over HTTP as a search engine would."""

from datetime import datetime
from datetime import time
from datetime import timedelta
from kagoshima.saiyo.structured_data import jsonld
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from zoneinfo import ZoneInfo

import json
import pytz
import re
import requests
import transaction
import unittest


TOKYO = ZoneInfo("Asia/Tokyo")
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
ANY_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
XSS_TITLE = "</script><script>alert(1)</script>令和7年度 試験"

JOB_POSTING_REQUIRED = (
    "title",
    "description",
    "datePosted",
    "validThrough",
    "hiringOrganization",
    "jobLocation",
    "employmentType",
)


def html_richtext(html):
    return RichTextValue(html, "text/html", "text/x-html-safe")


def graphs_of(html):
    """{@type: [graph, ...]} of every ld+json script of a page."""
    found = {}
    for text in LD_JSON.findall(html):
        graph = json.loads(text)
        found.setdefault(graph["@type"], []).append(graph)
    return found


def tokyo_event_time(day, hour, minute):
    return pytz.timezone("Asia/Tokyo").localize(datetime(day.year, day.month, day.day, hour, minute))


# The recruitment event is always a year ahead, its application closing five days before, so
# it is open ("in stock") whenever the tests run.
EVENT_DAY = datetime.now(TOKYO).date() + timedelta(days=365)


class TestStructuredData(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.portal_url = self.portal.absolute_url()
        setRoles(self.portal, TEST_USER_ID, ["Manager"])

    def publish(self, obj):
        if api.content.get_state(obj, default=None) not in (None, "published"):
            api.content.transition(obj=obj, transition="publish")
        return obj

    def get(self, url, auth=False):
        response = requests.get(
            url,
            auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD) if auth else None,
            timeout=30,
        )
        self.assertEqual(response.status_code, 200, url)
        return response.text

    # ExamNotice -> JobPosting ------------------------------------------------

    def make_notice(self, **kwargs):
        values = {
            "title": "令和7年度 鹿児島県職員採用試験（大学卒業程度）",
            "description": "行政・技術職の採用試験です。",
            "fiscal_year": 2025,
            "exam_type": "daigaku",
            "audiences": ["daigakusei"],
            "divisions": [
                {"name": "行政", "headcount": 15, "job_type": "gyosei", "note": None},
                {"name": "土木", "headcount": 8, "job_type": "doboku", "note": None},
                {"name": "建築", "headcount": None, "job_type": "kenchiku", "note": "若干名"},
            ],
            "eligibility": html_richtext(
                "<p>平成8年4月2日から平成16年4月1日までに生まれた人</p><ul><li>日本国籍を有する人</li></ul>"
            ),
            "application_start": datetime(2025, 5, 1, 9, 0),
            "application_end": datetime(2025, 5, 21, 17, 0),
        }
        values.update(kwargs)
        container = self.portal.get("shiken") or self.publish(
            api.content.create(container=self.portal, type="Folder", id="shiken", title="採用試験情報")
        )
        notice = api.content.create(container=container, type="ExamNotice", **values)
        self.publish(notice)
        transaction.commit()
        return notice

    def test_job_posting_has_google_required_properties(self):
        notice = self.make_notice()
        graphs = graphs_of(self.get(notice.absolute_url()))
        self.assertEqual(len(graphs["JobPosting"]), 1)
        posting = graphs["JobPosting"][0]
        for name in JOB_POSTING_REQUIRED:
            self.assertTrue(posting.get(name), name)
        self.assertEqual(posting["@context"], "https://schema.org")
        self.assertEqual(posting["title"], notice.Title())
        self.assertIn("行政・技術職の採用試験です。", posting["description"])
        self.assertIn("日本国籍を有する人", posting["description"])
        self.assertEqual(posting["employmentType"], "FULL_TIME")
        self.assertIs(posting["directApply"], False)
        self.assertEqual(posting["url"], notice.absolute_url())

    def test_job_posting_dates_are_iso_in_tokyo(self):
        notice = self.make_notice()
        posting = graphs_of(self.get(notice.absolute_url()))["JobPosting"][0]
        # a naive datetime is Tokyo local time
        self.assertEqual(posting["validThrough"], "2025-05-21T17:00:00+09:00")
        self.assertTrue(posting["datePosted"].endswith("+09:00"), posting["datePosted"])
        posted = datetime.fromisoformat(posting["datePosted"])
        expected = (notice.effective_date or notice.creation_date).asdatetime()
        self.assertLess(abs((posted - expected).total_seconds()), 1)

    def test_job_posting_aware_application_end_is_converted(self):
        notice = self.make_notice(application_end=pytz.utc.localize(datetime(2025, 5, 21, 8, 0)))
        posting = graphs_of(self.get(notice.absolute_url()))["JobPosting"][0]
        self.assertEqual(posting["validThrough"], "2025-05-21T17:00:00+09:00")

    def test_job_posting_without_application_end_has_no_valid_through(self):
        notice = self.make_notice(application_end=None, application_start=None)
        posting = graphs_of(self.get(notice.absolute_url()))["JobPosting"][0]
        self.assertNotIn("validThrough", posting)

    def test_job_posting_organization_location_identifier(self):
        notice = self.make_notice()
        posting = graphs_of(self.get(notice.absolute_url()))["JobPosting"][0]
        organization = posting["hiringOrganization"]
        self.assertEqual(organization["@type"], "GovernmentOrganization")
        self.assertEqual(organization["name"], "鹿児島県")
        self.assertEqual(organization["sameAs"], "https://www.pref.kagoshima.jp/")
        self.assertTrue(organization["logo"].startswith(self.portal_url), organization["logo"])
        self.assertEqual(requests.get(organization["logo"], timeout=30).status_code, 200)

        place = posting["jobLocation"]
        self.assertEqual(place["@type"], "Place")
        self.assertEqual(
            place["address"],
            {
                "@type": "PostalAddress",
                "postalCode": "890-8577",
                "addressRegion": "鹿児島県",
                "addressLocality": "鹿児島市",
                "streetAddress": "鴨池新町10番1号",
                "addressCountry": "JP",
            },
        )
        self.assertEqual(
            posting["identifier"],
            {"@type": "PropertyValue", "name": "鹿児島県人事委員会", "value": api.content.get_uuid(notice)},
        )

    def test_job_posting_total_openings_from_known_headcounts(self):
        notice = self.make_notice()
        posting = graphs_of(self.get(notice.absolute_url()))["JobPosting"][0]
        self.assertEqual(posting["totalJobOpenings"], 23)
        self.assertEqual(posting["occupationalCategory"], "行政、土木、建築")
        self.assertIn("若干名", posting["description"])

    def test_job_posting_without_headcounts_has_no_total(self):
        notice = self.make_notice(
            divisions=[{"name": "行政", "headcount": None, "job_type": "gyosei", "note": None}]
        )
        posting = graphs_of(self.get(notice.absolute_url()))["JobPosting"][0]
        self.assertNotIn("totalJobOpenings", posting)

    def test_job_posting_only_on_the_view(self):
        notice = self.make_notice()
        html = self.get(notice.absolute_url() + "/edit", auth=True)
        graphs = graphs_of(html)
        self.assertNotIn("JobPosting", graphs)
        # the breadcrumbs are still there
        self.assertIn("BreadcrumbList", graphs)

    def test_script_in_title_stays_inside_json(self):
        notice = self.make_notice(title=XSS_TITLE, description="説明</script><!--<script>alert(2)</script>")
        html = self.get(notice.absolute_url())
        self.assertNotIn("<script>alert(1)</script>", html)
        self.assertNotIn("<script>alert(2)</script>", html)
        for attributes, body in ANY_SCRIPT.findall(html):
            if "application/ld+json" in attributes:
                json.loads(body)  # every ld+json script is complete, valid JSON
            else:
                self.assertNotIn("alert(", body)
        posting = graphs_of(html)["JobPosting"][0]
        self.assertEqual(posting["title"], XSS_TITLE)
        self.assertIn("説明&lt;/script&gt;", posting["description"])
        crumbs = graphs_of(html)["BreadcrumbList"][0]["itemListElement"]
        self.assertEqual(crumbs[-1]["name"], XSS_TITLE)

    # Event -------------------------------------------------------------------

    def make_event(self, **kwargs):
        values = {
            "title": "県庁職場見学会",
            "description": "県庁の職場を見学できます。",
            "start": tokyo_event_time(EVENT_DAY, 13, 0),
            "end": tokyo_event_time(EVENT_DAY, 16, 30),
            "location": "鹿児島県庁 行政庁舎",
            "event_format": "venue",
            "application_url": "https://shinsei.example.jp/kengaku",
            "capacity": 30,
            "application_deadline": datetime.combine(EVENT_DAY - timedelta(days=5), time(17, 0)),
        }
        values.update(kwargs)
        event = api.content.create(container=self.portal, type="Event", **values)
        self.publish(event)
        transaction.commit()
        return event

    def event_graph(self, event):
        graphs = graphs_of(self.get(event.absolute_url()))
        self.assertEqual(len(graphs["Event"]), 1)
        return graphs["Event"][0]

    def test_event_venue(self):
        event = self.make_event()
        graph = self.event_graph(event)
        self.assertEqual(graph["name"], "県庁職場見学会")
        self.assertEqual(graph["description"], "県庁の職場を見学できます。")
        self.assertEqual(graph["startDate"], f"{EVENT_DAY.isoformat()}T13:00:00+09:00")
        self.assertEqual(graph["endDate"], f"{EVENT_DAY.isoformat()}T16:30:00+09:00")
        self.assertEqual(graph["eventStatus"], "https://schema.org/EventScheduled")
        self.assertEqual(graph["eventAttendanceMode"], "https://schema.org/OfflineEventAttendanceMode")
        self.assertEqual(graph["location"]["@type"], "Place")
        self.assertEqual(graph["location"]["name"], "鹿児島県庁 行政庁舎")
        self.assertEqual(graph["location"]["address"]["addressRegion"], "鹿児島県")
        self.assertEqual(graph["location"]["address"]["addressCountry"], "JP")
        self.assertEqual(
            graph["organizer"],
            {"@type": "GovernmentOrganization", "name": "鹿児島県人事委員会事務局", "url": self.portal_url},
        )
        offers = graph["offers"]
        self.assertEqual(offers["url"], "https://shinsei.example.jp/kengaku")
        self.assertEqual(offers["price"], 0)
        self.assertEqual(offers["priceCurrency"], "JPY")
        self.assertEqual(offers["availability"], "https://schema.org/InStock")
        self.assertEqual(graph["url"], event.absolute_url())

    def test_event_online(self):
        event = self.make_event(
            title="オンライン説明会",
            event_format="online",
            location="",
            event_url="https://meet.example.jp/setsumeikai",
        )
        graph = self.event_graph(event)
        self.assertEqual(graph["eventAttendanceMode"], "https://schema.org/OnlineEventAttendanceMode")
        self.assertEqual(
            graph["location"], {"@type": "VirtualLocation", "url": "https://meet.example.jp/setsumeikai"}
        )

    def test_event_online_without_event_url_uses_a_url(self):
        event = self.make_event(title="オンライン説明会2", event_format="online", location="")
        graph = self.event_graph(event)
        self.assertEqual(graph["location"]["@type"], "VirtualLocation")
        self.assertTrue(graph["location"]["url"].startswith("https://"))

    def test_event_hybrid(self):
        event = self.make_event(
            title="併用説明会", event_format="hybrid", event_url="https://meet.example.jp/x"
        )
        graph = self.event_graph(event)
        self.assertEqual(graph["eventAttendanceMode"], "https://schema.org/MixedEventAttendanceMode")
        types = sorted(location["@type"] for location in graph["location"])
        self.assertEqual(types, ["Place", "VirtualLocation"])

    def test_event_after_deadline_is_not_in_stock(self):
        past = datetime.now(TOKYO).replace(tzinfo=None) - timedelta(days=1)
        event = self.make_event(title="締切済みの説明会", application_deadline=past)
        offers = self.event_graph(event)["offers"]
        self.assertNotEqual(offers["availability"], "https://schema.org/InStock")

    def test_event_without_application_url(self):
        event = self.make_event(title="申込不要の説明会", application_url=None, application_deadline=None)
        offers = self.event_graph(event)["offers"]
        self.assertEqual(offers["url"], event.absolute_url())
        self.assertEqual(offers["availability"], "https://schema.org/InStock")

    # FAQ folder -> FAQPage ---------------------------------------------------

    def test_faq_page(self):
        folder = api.content.create(container=self.portal, type="Folder", id="faq", title="よくある質問")
        folder.setLayout("faq-list")
        self.publish(folder)
        questions = [
            (
                "受験資格に年齢制限はありますか？",
                "<p>試験区分ごとに<strong>生年月日</strong>の範囲があります。</p>",
            ),
            (
                "申込は郵送でもできますか？",
                "<p>電子申請のみです。<a href='https://example.jp'>申込方法</a>をご覧ください。</p>",
            ),
        ]
        for index, (question, answer) in enumerate(questions):
            faq = api.content.create(
                container=folder,
                type="FAQ",
                id=f"q{index}",
                title=question,
                answer=html_richtext(answer),
                faq_category="moushikomi",
            )
            self.publish(faq)
        transaction.commit()

        graphs = graphs_of(self.get(folder.absolute_url()))
        self.assertEqual(len(graphs["FAQPage"]), 1)
        entities = graphs["FAQPage"][0]["mainEntity"]
        self.assertEqual([entity["name"] for entity in entities], [q for q, _a in questions])
        for entity in entities:
            self.assertEqual(entity["@type"], "Question")
            self.assertEqual(entity["acceptedAnswer"]["@type"], "Answer")
            self.assertNotIn("<", entity["acceptedAnswer"]["text"])
        self.assertEqual(entities[0]["acceptedAnswer"]["text"], "試験区分ごとに生年月日の範囲があります。")
        self.assertEqual(entities[1]["acceptedAnswer"]["text"], "電子申請のみです。申込方法をご覧ください。")

        # an ordinary folder has no FAQPage
        other = self.publish(
            api.content.create(container=self.portal, type="Folder", id="news2", title="お知らせ")
        )
        transaction.commit()
        self.assertNotIn("FAQPage", graphs_of(self.get(other.absolute_url())))

    # Breadcrumbs and the site ------------------------------------------------

    def test_breadcrumbs(self):
        folder = self.publish(
            api.content.create(container=self.portal, type="Folder", id="hito", title="人を知る")
        )
        sub = self.publish(
            api.content.create(container=folder, type="Folder", id="interview", title="職員インタビュー")
        )
        page = self.publish(api.content.create(container=sub, type="Document", id="kt", title="K.T.さん"))
        transaction.commit()
        graphs = graphs_of(self.get(page.absolute_url()))
        self.assertEqual(len(graphs["BreadcrumbList"]), 1)
        items = graphs["BreadcrumbList"][0]["itemListElement"]
        self.assertEqual([item["position"] for item in items], [1, 2, 3, 4])
        self.assertEqual(items[0]["item"], self.portal_url)
        self.assertEqual(
            [(item["name"], item["item"]) for item in items[1:]],
            [
                ("人を知る", folder.absolute_url()),
                ("職員インタビュー", sub.absolute_url()),
                ("K.T.さん", page.absolute_url()),
            ],
        )
        for item in items:
            self.assertEqual(item["@type"], "ListItem")
            self.assertTrue(item["name"])
        self.assertNotIn("WebSite", graphs)

    def test_site_root(self):
        graphs = graphs_of(self.get(self.portal_url))
        self.assertNotIn("BreadcrumbList", graphs)
        self.assertEqual(len(graphs["WebSite"]), 1)
        site = graphs["WebSite"][0]
        self.assertEqual(site["name"], "鹿児島県職員採用")
        self.assertEqual(site["url"], self.portal_url)
        self.assertEqual(site["inLanguage"], "ja")
        action = site["potentialAction"]
        self.assertEqual(action["@type"], "SearchAction")
        self.assertEqual(
            action["target"]["urlTemplate"],
            f"{self.portal_url}/@@search?SearchableText={{search_term_string}}",
        )
        self.assertEqual(action["query-input"], "required name=search_term_string")


class TestJsonLdHelpers(unittest.TestCase):
    """The pure functions, without a site."""

    def test_dumps_escapes_script_end(self):
        text = jsonld.dumps({"name": "a</script><script>alert(1)</script><!--b"})
        self.assertNotIn("</", text)
        self.assertNotIn("<!--", text)
        self.assertEqual(json.loads(text)["name"], "a</script><script>alert(1)</script><!--b")

    def test_dumps_keeps_japanese(self):
        self.assertIn("鹿児島県", jsonld.dumps({"name": "鹿児島県"}))

    def test_iso(self):
        self.assertEqual(jsonld.iso(datetime(2025, 5, 1, 9, 0)), "2025-05-01T09:00:00+09:00")
        self.assertEqual(
            jsonld.iso(datetime(2025, 5, 1, 0, 0, tzinfo=ZoneInfo("UTC"))), "2025-05-01T09:00:00+09:00"
        )
        self.assertIsNone(jsonld.iso(None))

    def test_html_to_text(self):
        self.assertEqual(
            jsonld.html_to_text("<p>一行目&amp;</p><ul><li>二行目</li></ul><script>x()</script>"),
            "一行目&\n二行目",
        )
        self.assertEqual(jsonld.html_to_text(""), "")
