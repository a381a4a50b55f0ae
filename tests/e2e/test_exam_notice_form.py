"""An ExamNotice written in the browser form (real Chromium) and one written through the
REST API give the same page; invalid input in the form is refused in Japanese and
leaves nothing behind."""

from tests.e2e.helpers import login
from tests.e2e.helpers import rest

import re
import uuid


FIELDS = {
    "title": "令和9年度 鹿児島県職員採用試験（短大卒業程度）",
    "description": "短大卒業程度の試験の概要です。",
    "fiscal_year": 2027,
    "exam_type": "tandai",
    "audiences": ["daigakusei", "uiturn"],
    "divisions": [
        {"name": "一般事務", "headcount": 5, "job_type": "gyosei", "note": "うち1人は奄美地区"},
        {"name": "土木", "headcount": 4, "job_type": "doboku", "note": ""},
    ],
    "application_start": "2027-08-04T09:00",
    "application_end": "2027-08-20T17:00",
    "first_exam_date": "2027-09-26",
    "first_exam_venues": ["kagoshima", "tokyo"],
    "exam_contents": [
        {"stage": "第1次試験", "subject": "教養試験", "duration": "2時間", "detail": "択一式 40問"},
    ],
    "application_url": "https://shinsei.pref.kagoshima.example/tandai",
}


def rest_payload(folder_id):
    payload = dict(FIELDS, **{"@type": "ExamNotice", "id": "rest-notice"})
    payload["application_start"] += ":00+09:00"
    payload["application_end"] += ":00+09:00"
    return payload


def open_tab(page, label):
    page.locator("nav a, .autotoc-nav a").filter(has_text=re.compile(f"^{label}$")).first.click()


def grid_input(page, field, number, name):
    """The input ``name`` of visible row ``number`` of a data grid (not its hidden template row)."""
    selector = f"#formfield-form-widgets-{field} [name$='.widgets.{name}']:not([name*='.TT.'])"
    return page.locator(selector).nth(number)


def fill_form(page, fields):
    page.fill("#form-widgets-IDublinCore-title", fields["title"])
    page.fill("#form-widgets-IDublinCore-description", fields["description"])
    page.fill("#form-widgets-fiscal_year", str(fields["fiscal_year"]))
    page.select_option("#form-widgets-exam_type", fields["exam_type"])
    for token in fields["audiences"]:
        page.check(f"input[name='form.widgets.audiences:list'][value='{token}']")
    for number, row in enumerate(fields["divisions"]):
        if number:
            rows = page.locator(
                "#formfield-form-widgets-divisions tr:has(input[name$='.widgets.name']:not([name*='.TT.']))"
            )
            rows.nth(number - 1).locator(".dgf--row-add").click()
        grid_input(page, "divisions", number, "name").fill(row["name"])
        grid_input(page, "divisions", number, "headcount").fill(str(row["headcount"]))
        grid_input(page, "divisions", number, "job_type:list").select_option(row["job_type"])
        grid_input(page, "divisions", number, "note").fill(row["note"])
    open_tab(page, "日程")
    page.fill("#form-widgets-application_start", fields["application_start"])
    page.fill("#form-widgets-application_end", fields["application_end"])
    page.fill("#form-widgets-first_exam_date", fields["first_exam_date"])
    for token in fields["first_exam_venues"]:
        page.check(f"input[name='form.widgets.first_exam_venues:list'][value='{token}']")
    open_tab(page, "試験内容")
    for name, value in fields["exam_contents"][0].items():
        grid_input(page, "exam_contents", 0, name).fill(value)
    open_tab(page, "申込・資料")
    page.fill("#form-widgets-application_url", fields["application_url"])


def content_text(page, url):
    page.goto(url, wait_until="networkidle")
    return " ".join(page.locator("#content").inner_text().split())


def test_browser_form_and_rest_api_give_the_same_page(plone, page):
    folder_id = f"forms-{uuid.uuid4().hex[:8]}"
    assert (
        rest(
            plone, "POST", "/", json={"@type": "Folder", "id": folder_id, "title": "フォーム確認"}
        ).status_code
        == 201
    )
    created = rest(plone, "POST", f"/{folder_id}", json=rest_payload(folder_id))
    assert created.status_code == 201, created.text

    login(page, plone.url, *plone.admin)
    page.goto(f"{plone.url}/{folder_id}/++add++ExamNotice", wait_until="networkidle")
    fill_form(page, FIELDS)
    page.click("#form-buttons-save")
    page.wait_for_load_state("networkidle")
    # Saved: the browser shows the new notice at a readable id made from its title (令和9年度 -> r9-…).
    form_url = page.url.split("?")[0].removesuffix("/view")
    assert re.fullmatch(rf"{re.escape(plone.url)}/{folder_id}/r9-[a-z0-9-]+", form_url), page.url

    from_api = rest(plone, "GET", f"/{folder_id}/rest-notice").json()
    from_form = rest(plone, "GET", form_url.removeprefix(plone.url)).json()
    for field in (
        "title",
        "fiscal_year",
        "audiences",
        "divisions",
        "exam_contents",
        "application_url",
        "application_start",
        "application_end",
        "first_exam_date",
        "first_exam_venues",
    ):
        left, right = from_api[field], from_form[field]
        if isinstance(left, dict) and "token" in left:
            left, right = left["token"], right["token"]
        if isinstance(left, list) and left and isinstance(left[0], dict) and "token" in left[0]:
            left, right = [t["token"] for t in left], [t["token"] for t in right]
        if isinstance(left, list) and left and isinstance(left[0], dict):
            left = [{k: v or None for k, v in row.items()} for row in left]
            right = [{k: v or None for k, v in row.items()} for row in right]
        assert left == right, field
    assert from_form["exam_type"]["token"] == "tandai"

    api_page = content_text(page, f"{plone.url}/{folder_id}/rest-notice")
    form_page = content_text(page, form_url)
    assert api_page == form_page
    for text in (
        "令和9年度（2027年度）",
        "短大卒業程度",
        "合計 9人",
        "うち1人は奄美地区",
        "〔鹿児島市、東京都〕",
    ):
        assert text in form_page
    assert page.errors == []


def test_invalid_form_input_is_refused_in_japanese_and_nothing_is_saved(plone, page):
    folder_id = f"invalid-{uuid.uuid4().hex[:8]}"
    assert (
        rest(plone, "POST", "/", json={"@type": "Folder", "id": folder_id, "title": "誤入力"}).status_code
        == 201
    )
    login(page, plone.url, *plone.admin)
    page.goto(f"{plone.url}/{folder_id}/++add++ExamNotice", wait_until="networkidle")
    bad = dict(
        FIELDS,
        divisions=[{"name": "一般事務", "headcount": -3, "job_type": "gyosei", "note": ""}],
        application_url="javascript:alert(1)",
    )
    fill_form(page, bad)
    page.click("#form-buttons-save")
    page.wait_for_load_state("networkidle")
    body = page.locator("body").inner_text()
    assert "0以上の数を入力してください。" in body
    open_tab(page, "申込・資料")  # the tab holding the other error
    assert "http:// または https:// で始まるURLを入力してください。" in page.locator("body").inner_text()

    # With the fields right, the period is checked: an end before the start is refused too.
    open_tab(page, "基本")
    grid_input(page, "divisions", 0, "headcount").fill("5")
    open_tab(page, "日程")
    page.fill("#form-widgets-application_start", "2027-08-20T09:00")
    page.fill("#form-widgets-application_end", "2027-08-04T17:00")
    open_tab(page, "申込・資料")
    page.fill("#form-widgets-application_url", FIELDS["application_url"])
    page.click("#form-buttons-save")
    page.wait_for_load_state("networkidle")
    assert "申込受付終了は、申込受付開始より後の日時にしてください。" in page.content()

    listing = rest(plone, "GET", f"/{folder_id}/@search", params={"portal_type": "ExamNotice"}).json()
    assert listing["items_total"] == 0
