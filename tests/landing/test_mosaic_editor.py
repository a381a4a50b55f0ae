"""The Mosaic editor works for staff, under the site's Content-Security-Policy (issue 20, deliverable 5).

An administrator creates a page in /tokushu, gives it the 特集ページ layout, inserts the
試験案内 tile through the editor's Insert menu, ticks 職種 = 土木 in the tile's form, drops the
tile into the layout, saves, and the saved page shows the live exams for 土木 — the same ones,
with the same status, as the exam list filtered by 土木.

The policy is the one Zope itself sends on every response (kagoshima.saiyo.security.headers,
from the registry record ``kagoshima.saiyo.security.content_security_policy``; nginx adds
none), so the browser enforces exactly the production policy; the test checks the header
against the registry record and fails on any violation Chromium reports.
"""

from collections import Counter
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from tests.e2e.helpers import login
from tests.e2e.helpers import rest

import pytest


CSP_RECORD = "kagoshima.saiyo.security.content_security_policy"
AHEAD = ("受付中", "受付前", "準備中")  # the tile's default states (exam_status.AHEAD)


def directives(policy: str) -> dict[str, set[str]]:
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: set(part[1:]) for part in parts}


def fail_unless(condition, what: str, page) -> None:
    if not condition:
        pytest.fail(f"Mosaic editor cannot be used: {what} (page {page.url}; errors: {page.errors})")


def wait_or_fail(locator, what: str, page) -> None:
    try:
        locator.first.wait_for()
    except PlaywrightTimeout:
        fail_unless(False, what, page)


@pytest.fixture
def landing_page(plone):
    """Remove the page the test creates, so the other tests find the demo site as it was."""
    created = []
    yield created
    for url in created:
        rest(plone, "DELETE", url.removeprefix(plone.url))


def expected_doboku_exams(page, plone) -> list[tuple[str, str]]:
    """(title, status) of the exams for 土木 that are 受付中 or 受付前, read from the exam list.

    A list, not a mapping: other tests of the session may add exams with a title the demo has.
    """
    page.goto(f"{plone.url}/shiken/annai?job_type=doboku", wait_until="load")
    cards = page.locator(".saiyo-exam-card").evaluate_all(
        """cards => cards.map(card => [
            card.querySelector('.saiyo-exam-card__title').textContent.trim(),
            card.querySelector('.saiyo-status').textContent.trim()])"""
    )
    return [(title, status) for title, status in cards if status in AHEAD]


def test_administrator_builds_a_landing_page_in_the_mosaic_editor_under_the_csp(plone, page, landing_page):
    violations = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text),
    )
    page.set_default_timeout(20000)
    login(page, plone.url, *plone.admin)

    # The policy the browser enforces is the site's production policy.
    record = rest(plone, "GET", f"/@registry/{CSP_RECORD}")
    assert record.status_code == 200, record.text
    configured = directives(record.json())
    response = page.goto(f"{plone.url}/tokushu/++add++Document", wait_until="networkidle")
    sent = directives(response.headers.get("content-security-policy", ""))
    for name, sources in configured.items():
        assert sources <= sent.get(name, set()), f"{name} of the sent policy is not the configured one"
    assert "'unsafe-inline'" not in sent["script-src"]

    expected = expected_doboku_exams(page, plone)
    assert expected, "the demo site has no open or upcoming exam for 土木 to show"
    others = rest(plone, "GET", "/@search?portal_type=ExamNotice&b_size=100").json()["items"]
    not_expected = {item["title"] for item in others} - {title for title, _status in expected}

    # A new page in 特集, with the Mosaic layout view.
    page.goto(f"{plone.url}/tokushu/++add++Document", wait_until="networkidle")
    page.fill("#form-widgets-IDublinCore-title", "土木職の特集（編集の確認）")
    page.click("#form-buttons-save")
    page.wait_for_load_state("networkidle")
    fail_unless("++add++" not in page.url, "the new page was not saved", page)
    landing_page.append(page.url.removesuffix("/view"))
    page.get_by_role("link", name="表示形式").click()
    page.get_by_role("link", name="Mosaicレイアウト").click()
    page.wait_for_load_state("networkidle")

    # The editor offers the site's layouts; choose 特集ページ.
    page.get_by_role("link", name="編集", exact=True).first.click()
    chooser = page.get_by_role("link", name="特集ページ")
    chooser.wait_for()
    chooser.click()
    wait_or_fail(
        page.locator(".mosaic-tile.mosaic-kagoshima\\.saiyo\\.exams-tile"),
        "the 特集ページ layout did not load into the editor",
        page,
    )
    page.locator(".mosaic-button-customizelayout").click()

    # Insert → 試験案内: the tile's add form, in Japanese, with the 職種 check boxes.
    page.locator(".mosaic-menu-insert .select2-choice").click()
    page.locator(".select2-drop-active li.select2-result-selectable", has_text="試験案内").click()
    form = page.locator(".plone-modal-dialog, .modal-dialog").filter(has_text="試験案内 を追加")
    wait_or_fail(form, "Insert → 試験案内 did not open the tile's form", page)
    form.get_by_label("見出し").fill("土木の試験")
    form.get_by_label("土木", exact=True).check()
    form.get_by_role("button", name="保存").click()
    form.wait_for(state="detached")

    # The new tile follows the pointer: drop it below the title.
    title = page.locator(".mosaic-tile.mosaic-IDublinCore-title-tile")
    box = title.bounding_box()
    fail_unless(box is not None, "the title tile is not shown in the editor", page)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 5, steps=5)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2, steps=5)
    page.mouse.down()
    page.mouse.up()
    new_tile = page.locator(".mosaic-tile", has_text="土木の試験")
    wait_or_fail(new_tile, "the 試験案内 tile was not placed in the layout", page)
    fail_unless(new_tile.count() == 1, "the 試験案内 tile was not placed in the layout", page)

    page.locator(".mosaic-button-save").click()
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/edit"))
    page.wait_for_load_state("networkidle")

    # The saved page shows the live exams for 土木 in the new tile, and the layout's own tiles.
    saved = page.goto(landing_page[0], wait_until="load")
    assert saved.status == 200
    tile = page.locator("section.saiyo-tile--exams").filter(
        has=page.get_by_role("heading", name="土木の試験", exact=True)
    )
    assert tile.count() == 1, "the saved page does not show the tile added in the editor"
    shown = [
        tuple(pair)
        for pair in tile.locator(".saiyo-exam-card").evaluate_all(
            """cards => cards.map(card => [
                card.querySelector('.saiyo-exam-card__title').textContent.trim(),
                card.querySelector('.saiyo-status').textContent.trim()])"""
        )
    ]
    limit = 6  # the tile's default number of exams
    assert len(shown) == min(limit, len(expected))
    missing = Counter(shown) - Counter(expected)
    assert not missing, f"shown in the tile but not in the 土木 list with that status: {dict(missing)}"
    assert not {title for title, _status in shown} & not_expected
    assert page.locator(".saiyo-tile--exams").count() == 2  # the layout's own exam tile stays

    assert not violations, f"Content-Security-Policy violations: {violations}"
    # Chromium's note when a page with a beforeunload handler is left without a click is no error.
    errors = [error for error in page.errors if "beforeunload" not in error]
    assert not errors, f"errors in the editor: {errors}"
