"""The site as 'make run' creates it: the tree of site-map.md, the demo content counts,
every type's page, filters that live in the URL, the exam calendar and structured data."""

from tests.e2e.helpers import rest

import icalendar
import json
import pytest
import re
import requests


TREE = [
    "shiken",
    "shiken/annai",
    "shiken/schedule",
    "shiken/jisshi",
    "shiken/mondai",
    "shiken/moushikomi",
    "shiken/shokumu-keiken",
    "shiken/daigakusei",
    "shiken/koukousei",
    "shiken/shougaisha",
    "shigoto",
    "shigoto/shokushu",
    "shigoto/soshiki",
    "shigoto/career",
    "hito",
    "hito/interview",
    "hito/zadankai",
    "kankyo",
    "kankyo/kyuyo",
    "kankyo/kyuka",
    "kankyo/kenshu",
    "kankyo/kosodate",
    "kankyo/ritou",
    "event",
    "faq",
    "news",
    "contact",
    "sitemap",
    "accessibility",
    "policy",
]
COUNTS = {"ExamNotice": 8, "JobCategory": 8, "StaffProfile": 8, "Event": 5, "FAQ": 30, "News Item": 10}


def token_of(value):
    """Metadata of a vocabulary field comes as {"token", "title"} from the REST API."""
    return value["token"] if isinstance(value, dict) else value


def search(plone, **query):
    query.setdefault("b_size", 200)
    return rest(plone, "GET", "/@search", params={**query, "fullobjects": 0}).json()


@pytest.mark.parametrize("path", TREE)
def test_tree_is_public(plone, path):
    response = requests.get(f"{plone.url}/{path}")
    assert response.status_code == 200, path
    assert 'lang="ja"' in response.text


def test_demo_counts(plone):
    for portal_type, minimum in COUNTS.items():
        found = search(plone, portal_type=portal_type, review_state="published")["items_total"]
        assert found >= minimum, (portal_type, found)
    faq_categories = {
        token_of(item["faq_category"])
        for item in search(plone, portal_type="FAQ", metadata_fields="faq_category")["items"]
    }
    assert len(faq_categories) >= 5


def test_notices_cover_every_exam_type_and_the_three_statuses(plone):
    notices = search(plone, portal_type="ExamNotice", metadata_fields=["exam_type", "fiscal_year"])["items"]
    types = {token_of(item["exam_type"]) for item in notices}
    vocabulary = rest(plone, "GET", "/@vocabularies/kagoshima.saiyo.ExamTypes").json()["items"]
    assert {term["token"] for term in vocabulary} <= types
    assert len({item["fiscal_year"] for item in notices}) == 2
    listing = requests.get(f"{plone.url}/shiken/annai").text
    for label in ("受付前", "受付中", "受付終了"):
        assert f">{label}<" in listing, label


def page_of(plone, portal_type):
    return search(plone, portal_type=portal_type, review_state="published")["items"][0]["@id"]


@pytest.mark.parametrize(
    "portal_type, expected",
    [
        ("ExamNotice", ["試験区分と採用予定人数", "試験日程", "試験内容", "受験資格"]),
        ("JobCategory", ["主な仕事", "求める人物像", "勤務先の例", "受付中・受付予定の試験"]),
        ("StaffProfile", ["1日のスケジュール", "インタビュー", "サンプル", "入庁"]),
        ("FAQ", ["回答", "カテゴリ"]),
        ("Event", ["参加について", "対象", "開催形式"]),
        ("News Item", []),
    ],
)
def test_every_type_page_shows_its_structured_fields(plone, portal_type, expected):
    response = requests.get(page_of(plone, portal_type))
    assert response.status_code == 200
    for text in expected:
        assert text in response.text, (portal_type, text)


def test_staff_day_schedule_is_a_timeline(plone):
    html = requests.get(page_of(plone, "StaffProfile")).text
    assert len(re.findall(r'class="saiyo-timeline__item"', html)) >= 7


def test_exam_calendar_imports(plone):
    response = requests.get(f"{plone.url}/shiken/schedule/@@exam-schedule.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) >= 8 * 3
    assert all(event.get("DTSTART") and event.get("SUMMARY") for event in events)


def test_exam_notice_carries_a_complete_job_posting(plone):
    html = requests.get(page_of(plone, "ExamNotice")).text
    graphs = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    postings = [g for g in graphs if g.get("@type") == "JobPosting"]
    assert len(postings) == 1
    for key in ("title", "description", "datePosted", "hiringOrganization", "jobLocation", "employmentType"):
        assert postings[0].get(key), key
    assert any(g.get("@type") == "BreadcrumbList" for g in graphs)


def test_exam_filters_live_in_the_url_and_survive_a_reload(plone, page):
    page.goto(f"{plone.url}/shiken/annai", wait_until="networkidle")
    total = int(re.search(r"(\d+)件", page.locator(".saiyo-result-count").inner_text()).group(1))
    page.select_option("#filter-exam_type", "koukou")
    page.click(".saiyo-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "exam_type=koukou" in page.url
    narrowed = page.locator(".saiyo-result-count").inner_text()
    count = int(re.search(r"(\d+)件", narrowed).group(1))
    assert 0 < count < total
    page.reload(wait_until="networkidle")
    assert page.locator("#filter-exam_type").input_value() == "koukou"
    assert page.locator(".saiyo-result-count").inner_text() == narrowed
    titles = page.locator(".saiyo-exam-card__title").all_inner_texts()
    assert titles and all("高校卒業程度" in title for title in titles)
    assert page.errors == []


def test_interview_filters(plone, page):
    page.goto(f"{plone.url}/hito/interview", wait_until="networkidle")
    total = page.locator(".saiyo-interview-list > li").count()
    assert total >= 8
    page.select_option("#filter-career", "shakaijin")
    page.click(".saiyo-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "career=shakaijin" in page.url
    narrowed = page.locator(".saiyo-interview-list > li").count()
    assert 0 < narrowed < total


def test_faq_opens_and_closes_without_javascript(plone, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{plone.url}/faq")
    first = page.locator("details.saiyo-faq").first
    assert first.get_attribute("open") is None
    first.locator("summary").click()
    assert first.get_attribute("open") is not None
    context.close()
