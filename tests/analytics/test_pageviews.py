"""Page views as visitors, staff and crawlers make them, read back as an administrator does.

Real Chromium visits the demo site (with the user agent of an ordinary Edge or iPhone
browser: the headless one says "HeadlessChrome" and is rightly refused as a robot); the
counts are read from サイト設定 → アクセス集計 (its CSV) before and after, so the tests do
not depend on each other or on what else the session did.
"""

from tests.analytics.helpers import beacon
from tests.analytics.helpers import counts
from tests.analytics.helpers import DESKTOP
from tests.analytics.helpers import GOOGLEBOT
from tests.analytics.helpers import IPHONE
from tests.analytics.helpers import this_month
from tests.analytics.helpers import token_of
from tests.analytics.helpers import views
from tests.conftest import OUTPUT
from tests.e2e.helpers import login
from tests.e2e.helpers import rest

import io
import openpyxl
import pytest
import requests


GA_RECORD = "kagoshima.saiyo.analytics.ga4_measurement_id"
GTAG = "googletagmanager.com/gtag/js"


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


@pytest.fixture
def browser_as(chromium):
    """browser_as(user_agent, **context options) -> a page in a fresh context; closed afterwards."""
    contexts = []

    def make(user_agent=DESKTOP, **options):
        context = chromium.new_context(
            locale="ja-JP", timezone_id="Asia/Tokyo", user_agent=user_agent, **options
        )
        contexts.append(context)
        page = context.new_page()
        page.beacons = []
        page.on("request", lambda request: request.url.endswith("/@@pv") and page.beacons.append(request))
        return page

    yield make
    for context in contexts:
        context.close()


def visit(page, url: str) -> str:
    """Open a page as a visitor; return what the collector said of its beacon (X-Pageview)."""
    with page.expect_response(lambda response: response.url.endswith("/@@pv"), timeout=15000) as answer:
        page.goto(url, wait_until="load")
    assert answer.value.status == 204  # counted or not: never an error in the visitor's console
    return answer.value.headers["x-pageview"]


def test_chromium_visits_are_counted_for_the_right_pages_and_month(plone, browser_as):
    month = this_month()
    before = counts(plone.url, plone.admin)
    before_previous = counts(plone.url, plone.admin, previous_month(month))

    desktop = browser_as(DESKTOP)
    for path in ("/", "/faq", "/shiken", "/faq"):
        assert visit(desktop, plone.url + path) == "counted", path
    phone = browser_as(IPHONE, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    assert visit(phone, plone.url + "/faq") == "counted"

    after = counts(plone.url, plone.admin)
    assert views(after, "/") - views(before, "/") == 1
    assert views(after, "/shiken") - views(before, "/shiken") == 1
    assert views(after, "/faq") - views(before, "/faq") == 3
    faq_before = before.get("/faq", {"スマートフォン": "0", "パソコン": "0"})
    assert int(after["/faq"]["スマートフォン"]) - int(faq_before["スマートフォン"]) == 1
    assert int(after["/faq"]["パソコン"]) - int(faq_before["パソコン"]) == 2
    assert after["/faq"]["タイトル"] == "よくある質問"
    assert after["/shiken"]["タイトル"] == "採用試験情報"
    # counted in this month (Asia/Tokyo), not in the one before
    assert counts(plone.url, plone.admin, previous_month(month)) == before_previous

    # what the administrator sees in サイト設定 → アクセス集計
    admin = browser_as(DESKTOP)
    login(admin, plone.url, *plone.admin)
    admin.goto(f"{plone.url}/@@overview-controlpanel", wait_until="load")
    admin.get_by_role("link", name="アクセス集計").click()
    admin.wait_for_load_state("load")
    assert admin.locator("h1").inner_text() == "アクセス集計"
    row = admin.locator("#pv-pages tbody tr", has=admin.locator("td.saiyo-pv-path", has_text="/faq"))
    assert row.locator("th a").inner_text() == "よくある質問"
    assert int(row.locator("td.saiyo-pv-views").inner_text().replace(",", "")) == views(after, "/faq")
    assert admin.locator("svg.saiyo-pv-chart[role=img] title").count() >= 1
    assert admin.locator("#pv-top tbody tr").count() <= 20
    # search by title, then sort by title, without JavaScript doing anything
    admin.fill("#pv-q", "質問")
    admin.get_by_role("button", name="表示").click()
    admin.wait_for_load_state("load")
    assert admin.locator("#pv-pages tbody th").all_inner_texts() == ["よくある質問"]
    admin.locator("#pv-pages thead a", has_text="タイトル").click()
    admin.wait_for_load_state("load")
    assert "sort=title" in admin.url
    OUTPUT.mkdir(exist_ok=True)
    admin.goto(f"{plone.url}/@@saiyo-pageviews", wait_until="load")
    admin.screenshot(path=str(OUTPUT / "test_pageviews_admin_view.png"), full_page=True)


def test_crawlers_staff_prefetches_and_head_requests_add_nothing(plone, browser_as):
    before = counts(plone.url, plone.admin)

    crawler = browser_as(GOOGLEBOT)
    # the browser sends it; the collector refuses it
    assert visit(crawler, plone.url + "/faq") == "refused: crawler or no user agent"

    staff = browser_as(DESKTOP)
    login(staff, plone.url, *plone.admin)
    for path in ("/faq", "/", "/shiken"):
        staff.goto(plone.url + path, wait_until="networkidle")
        assert staff.locator('meta[name="saiyo-pv"]').count() == 0, path
    assert staff.beacons == []

    token = token_of(plone.url, "/faq")
    endpoint = plone.url + "/@@pv"
    with requests.Session() as session, requests.Session() as logged_in:
        assert beacon(session, endpoint, token, method="HEAD").status_code == 405
        assert beacon(session, endpoint, token, method="GET").status_code == 405
        logged_in.auth = plone.admin
        for response in (
            beacon(session, endpoint, token, **{"Sec-Purpose": "prefetch"}),
            beacon(session, endpoint, token, **{"Sec-Fetch-Site": "cross-site"}),
            beacon(session, endpoint, token, agent="python-requests/2.32"),
            beacon(session, endpoint, token[:-1] + "x"),
            beacon(logged_in, endpoint, token),
        ):
            assert response.status_code == 204
            assert response.headers["X-Pageview"].startswith("refused: ")

    after = counts(plone.url, plone.admin)
    for path in ("/faq", "/", "/shiken"):
        assert views(after, path) == views(before, path), path


def test_beacons_never_write_to_zodb(plone):
    data_fs = plone.var / "filestorage" / "Data.fs"
    token = token_of(plone.url, "/faq")
    before = counts(plone.url, plone.admin)
    size = data_fs.stat().st_size
    with requests.Session() as session:
        for _ in range(200):
            assert beacon(session, plone.url + "/@@pv", token).headers["X-Pageview"] == "counted"
    assert data_fs.stat().st_size == size
    assert views(counts(plone.url, plone.admin), "/faq") - views(before, "/faq") == 200


def test_downloads_open_with_japanese_intact(plone):
    token = token_of(plone.url, "/policy")
    with requests.Session() as session:
        assert beacon(session, plone.url + "/@@pv", token).headers["X-Pageview"] == "counted"
    table = counts(plone.url, plone.admin)  # the CSV: BOM, then UTF-8
    assert list(next(iter(table.values())))[:4] == ["順位", "タイトル", "パス", "閲覧数"]
    assert table["/policy"]["タイトル"] == "サイトポリシー・プライバシーポリシー"
    response = requests.get(
        f"{plone.url}/@@saiyo-pageviews", params={"month": this_month(), "format": "xlsx"}, auth=plone.admin
    )
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    titles = [row[1] for row in book["ページ別"].iter_rows(min_row=2, values_only=True)]
    assert "サイトポリシー・プライバシーポリシー" in titles
    assert book["概要"]["A1"].value == "鹿児島県職員採用ウェブサイト アクセス集計"


def test_google_analytics_only_when_configured(plone, browser_as):
    assert GTAG not in requests.get(plone.url + "/faq").text
    try:
        assert rest(plone, "PATCH", "/@registry", json={GA_RECORD: "G-E2ETEST123"}).status_code == 204
        for path in ("/", "/faq", "/policy"):
            assert f"{GTAG}?id=G-E2ETEST123" in requests.get(plone.url + path).text, path
        for path in ("/faq", "/faq/edit", "/folder_contents", "/@@saiyo-pageviews"):
            assert GTAG not in requests.get(plone.url + path, auth=plone.admin).text, path

        # the settings form refuses an ID that is not a GA4 measurement ID, in Japanese
        admin = browser_as(DESKTOP)
        login(admin, plone.url, *plone.admin)
        admin.goto(f"{plone.url}/@@saiyo-analytics-settings", wait_until="load")
        admin.fill("#form-widgets-ga4_measurement_id", "UA-1234567-1")
        admin.click("#form-buttons-save")
        admin.wait_for_load_state("load")
        assert "「G-」で始まり" in admin.locator("#content").inner_text()
        assert f"{GTAG}?id=G-E2ETEST123" in requests.get(plone.url + "/faq").text
    finally:
        rest(plone, "PATCH", "/@registry", json={GA_RECORD: ""})
    assert GTAG not in requests.get(plone.url + "/faq").text


def test_external_transmission_notice_is_reachable_from_every_page(plone, browser_as):
    for path in ("/", "/faq", "/shiken", "/contact", "/@@search"):
        html = requests.get(plone.url + path).text
        assert 'href="' + plone.url + '/policy#gaibu-soshin"' in html, path
    page = browser_as(DESKTOP)
    page.goto(plone.url + "/faq", wait_until="load")
    page.get_by_role("link", name="外部送信について").click()
    page.wait_for_load_state("load")
    heading = page.locator("h2#gaibu-soshin")
    assert heading.inner_text() == "外部送信に関する公表事項"
    notice = page.locator("#content-core").inner_text()
    for words in (
        "Google LLC",
        "Google アナリティクス 4",
        "利用目的",
        "オプトアウト アドオン",
        "外部の事業者には送信しません",
    ):
        assert words in notice, words
