"""The built-in reader (音声読み上げ) in a real Chromium, against the real site.

window.speechSynthesis is replaced by a recorder (speech_recorder.js) before any script of
the page runs, so the tests see every utterance the reader asks for — its text, language
and rate — and drive the "speaking" of each one (hold/finish) to check the controls.
"""

from pathlib import Path
from tests.conftest import OUTPUT
from tests.e2e.helpers import rest

import json
import pytest


RECORDER = (Path(__file__).parent / "speech_recorder.js").read_text(encoding="utf-8")
EDGE_124 = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
)
LONG = "長い文は区切らずに続きます、" * 30  # 420 characters without a full stop
BODY = f"""
<p>最初の文です。二つ目の文です！三つ目は質問ですか？</p>
<p><img src="missing.png" alt="県庁舎の外観" width="10" height="10"> 画像の後の文です。</p>
<table>
  <caption>日程表</caption>
  <thead><tr><th scope="col">項目</th><th scope="col">日付</th></tr></thead>
  <tbody>
    <tr><th scope="row">申込受付</th><td>5月1日</td></tr>
    <tr><th scope="row">第1次試験</th><td>6月15日</td></tr>
  </tbody>
</table>
<p>{LONG}</p>
<p>最後の文です。</p>
"""
EXPECTED_START = [
    "最初の文です。",
    "二つ目の文です！",
    "三つ目は質問ですか？",
    "画像：県庁舎の外観。",
    "画像の後の文です。",
    "日程表",
    "項目",
    "日付",
    "申込受付",
    "5月1日",
    "第1次試験",
    "6月15日",
]


@pytest.fixture(scope="module")
def reader_page(plone):
    """A published page whose text the tests know, read by an anonymous visitor; removed afterwards,
    so that the other tests of the session find the demo site as it was."""
    response = rest(
        plone,
        "POST",
        "/",
        json={
            "@type": "Document",
            "id": "reader-test",
            "title": "読み上げの確認",
            "description": "読み上げ機能の試験に使うページです。",
            "exclude_from_nav": True,
            "text": {"content-type": "text/html", "encoding": "utf-8", "data": BODY},
        },
    )
    assert response.status_code == 201, response.text
    assert rest(plone, "POST", "/reader-test/@workflow/publish").status_code == 200
    yield f"{plone.url}/reader-test"
    assert rest(plone, "DELETE", "/reader-test").status_code == 204


def open_page(chromium, url, user_agent=None, voices=None, speech=True):
    # bypass_csp: Playwright's own helpers (wait_for_function) evaluate strings, which the site's
    # Content-Security-Policy forbids; the reader itself is an external script the policy allows.
    context = chromium.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", user_agent=user_agent, bypass_csp=True
    )
    if speech:
        context.add_init_script(RECORDER)
        if voices is not None:
            context.add_init_script(f"window.__speech.voices = {json.dumps(voices)};")
    else:
        context.add_init_script("delete window.speechSynthesis; delete Window.prototype.speechSynthesis;")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url, wait_until="networkidle")
    return page


@pytest.fixture(params=["chromium", "edge124"])
def visitor(request, chromium, reader_page):
    page = open_page(chromium, reader_page, user_agent=EDGE_124 if request.param == "edge124" else None)
    yield page
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{request.node.name}.png"))  # the highlighted sentence, if any
    page.context.close()


def spoken(page) -> list[dict]:
    return page.evaluate("window.__speech.log")


def status(page) -> str:
    return page.locator("#saiyo-reader .saiyo-reader-status").inner_text()


def wait_status(page, text: str) -> None:
    page.wait_for_function(
        "text => document.querySelector('#saiyo-reader .saiyo-reader-status').textContent.includes(text)",
        arg=text,
    )


def test_reads_the_main_content_in_order(visitor):
    toggle = visitor.get_by_role("button", name="読み上げる")
    assert visitor.locator("#saiyo-reader").is_visible()
    toggle.click()
    wait_status(visitor, "最後まで読み上げました")
    log = spoken(visitor)
    texts = [entry["text"] for entry in log]
    # the title and description come first, then the body in document order
    assert texts[0] == "読み上げの確認"
    assert texts[1] == "読み上げ機能の試験に使うページです。"
    body = texts[texts.index("最初の文です。") :]
    assert body[: len(EXPECTED_START)] == EXPECTED_START
    assert body[-1] == "最後の文です。"
    # the long sentence is cut into pieces of at most 200 characters, nothing lost
    long_pieces = body[len(EXPECTED_START) : -1]
    assert len(long_pieces) >= 3 and all(len(piece) <= 200 for piece in long_pieces)
    assert "".join(long_pieces) == LONG
    assert {entry["lang"] for entry in log} == {"ja-JP"}
    assert {entry["rate"] for entry in log} == {1}
    assert {entry["voice"] for entry in log} == {"Recorder Japanese"}
    assert visitor.get_by_role("button", name="読み上げる").is_visible()
    assert not visitor.errors


def test_skips_navigation_footer_and_the_reader_itself(visitor):
    outside = visitor.evaluate(
        """() => {
          const content = document.querySelector('#content').innerText;
          const lines = [];
          for (const el of document.querySelectorAll('nav, footer, #portal-footer-wrapper, #saiyo-reader')) {
            for (const line of el.innerText.split('\\n')) {
              const text = line.trim();
              if (text.length > 1 && (el.id === 'saiyo-reader' || !content.includes(text))) lines.push(text);
            }
          }
          return lines;
        }"""
    )
    assert any("停止" in line for line in outside)  # the reader's own buttons
    visitor.get_by_role("button", name="読み上げる").click()
    wait_status(visitor, "最後まで読み上げました")
    texts = [entry["text"] for entry in spoken(visitor)]
    for line in outside:
        assert not any(line in text for text in texts), line


def test_highlights_and_announces_and_pauses_resumes_stops(visitor):
    visitor.evaluate("window.__speech.hold = true")
    toggle = visitor.locator("#saiyo-reader .saiyo-reader-toggle")
    toggle.click()
    visitor.wait_for_function("window.__speech.log.length === 1")
    wait_status(visitor, "読み上げを開始します")
    assert toggle.inner_text() == "一時停止"
    # the sentence being read is marked, and drawn with the CSS highlight
    visitor.evaluate("window.__speech.finish(); window.__speech.finish()")
    visitor.wait_for_function("window.__speech.log.length === 3")
    visitor.wait_for_function(
        "document.querySelector('.saiyo-reader-current') && "
        "document.querySelector('.saiyo-reader-current').textContent.includes('最初の文です')"
    )
    assert visitor.evaluate("CSS.highlights.get('saiyo-reader').size") == 1
    visitor.wait_for_function("[...CSS.highlights.get('saiyo-reader')][0].toString() === '最初の文です。'")
    visitor.evaluate("window.__speech.finish()")
    visitor.wait_for_function("[...CSS.highlights.get('saiyo-reader')][0].toString() === '二つ目の文です！'")

    OUTPUT.mkdir(exist_ok=True)
    visitor.screenshot(path=str(OUTPUT / "reader-highlight.png"))
    toggle.click()  # 一時停止
    wait_status(visitor, "一時停止しました")
    assert toggle.inner_text() == "再開"
    count = len(spoken(visitor))
    visitor.wait_for_timeout(200)
    assert len(spoken(visitor)) == count  # nothing more is said while paused

    toggle.click()  # 再開: the interrupted sentence again
    wait_status(visitor, "再開します")
    visitor.wait_for_function(f"window.__speech.log.length === {count + 1}")
    assert spoken(visitor)[-1]["text"] == "二つ目の文です！"
    assert toggle.inner_text() == "一時停止"

    visitor.get_by_role("button", name="停止", exact=True).click()
    wait_status(visitor, "読み上げを停止しました")
    assert toggle.inner_text() == "読み上げる"
    assert visitor.locator(".saiyo-reader-current").count() == 0
    assert visitor.evaluate("window.__speech.events.slice(-1)[0]") == "cancel"
    status_box = visitor.locator("#saiyo-reader [role=status]")
    assert status_box.get_attribute("aria-live") == "polite"


def test_speed_changes_the_rate(visitor):
    visitor.evaluate("window.__speech.hold = true")
    visitor.locator("#saiyo-reader select").select_option("1.5")
    wait_status(visitor, "1.5倍")
    visitor.get_by_role("button", name="読み上げる").click()
    visitor.wait_for_function("window.__speech.log.length === 1")
    assert spoken(visitor)[0]["rate"] == 1.5
    visitor.locator("#saiyo-reader select").select_option("0.75")  # while speaking: restarts the sentence
    visitor.wait_for_function("window.__speech.log.length === 2")
    assert spoken(visitor)[1] == {**spoken(visitor)[0], "rate": 0.75}
    options = visitor.locator("#saiyo-reader select option").evaluate_all("o => o.map(x => x.value)")
    assert options == ["0.75", "1", "1.25", "1.5"]


def test_keyboard_only(visitor):
    """The reader is reached with Tab and driven with Enter and Space, with a visible focus."""
    visitor.evaluate("window.__speech.hold = true")
    for _ in range(60):
        visitor.keyboard.press("Tab")
        if visitor.evaluate("document.activeElement.classList.contains('saiyo-reader-toggle')"):
            break
    else:
        pytest.fail("Tab never reached the reader's button")
    outline = visitor.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    visitor.keyboard.press("Enter")
    visitor.wait_for_function("window.__speech.log.length === 1")
    visitor.keyboard.press("Space")  # 一時停止: focus stays on the same button
    wait_status(visitor, "一時停止しました")
    visitor.keyboard.press("Tab")
    assert visitor.evaluate("document.activeElement.textContent") == "停止"
    visitor.keyboard.press("Enter")
    wait_status(visitor, "読み上げを停止しました")


def test_utility_bar_link_opens_the_reader(visitor):
    utility_bar = visitor.get_by_role("group", name="表示の設定と読み上げ")
    utility_bar.get_by_role("link", name="読み上げ", exact=True).click()
    assert visitor.evaluate("document.activeElement.classList.contains('saiyo-reader-toggle')")


def test_no_japanese_voice_is_said_in_japanese(chromium, reader_page):
    page = open_page(
        chromium, reader_page, voices=[{"name": "English", "lang": "en-US", "localService": True}]
    )
    page.get_by_role("button", name="読み上げる").click()
    wait_status(page, "日本語の音声がない")
    assert spoken(page) == []
    page.context.close()


def test_no_speech_synthesis_is_said_in_japanese(chromium, reader_page):
    page = open_page(chromium, reader_page, speech=False)
    assert "対応していません" in status(page)
    page.get_by_role("button", name="読み上げる").click()
    wait_status(page, "Web Speech API")
    assert not page.errors
    page.context.close()


def test_reader_bundle_is_small_and_deferred(plone, chromium, reader_page):
    page = open_page(chromium, reader_page)
    script = page.locator("script[src*='kagoshima.saiyo.reader/reader.js']")
    assert script.count() == 1
    assert script.get_attribute("defer") is not None
    sizes = page.evaluate(
        """() => performance.getEntriesByType('resource')
            .filter(e => e.name.includes('kagoshima.saiyo.reader'))
            .map(e => [e.name, e.decodedBodySize])"""
    )
    assert sizes and all(size < 16_000 for _, size in sizes), sizes
    external = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))"
    )
    assert external == []
    page.context.close()


def test_reads_a_landing_page_tile_by_tile(plone, chromium):
    """A Mosaic landing page (/tokushu/gijutsu) is read like any page: the title first, then each
    tile's heading before its content, in the order of the page, and nothing outside the content."""
    page = open_page(chromium, f"{plone.url}/tokushu/gijutsu")
    try:
        headings = [
            " ".join(text.split()) for text in page.locator("#content .saiyo-tile h2").all_text_contents()
        ]
        assert len(headings) >= 4, f"the landing page shows too few tiles: {headings}"
        exam = (
            page.locator("#content .saiyo-tile--exams .saiyo-exam-card__title").first.text_content().strip()
        )
        page.get_by_role("button", name="読み上げる").click()
        wait_status(page, "最後まで読み上げました")
        texts = [" ".join(entry["text"].split()) for entry in spoken(page)]
        assert texts[0] == page.locator("h1").first.text_content().strip()
        positions = [texts.index(heading) for heading in headings]
        assert positions == sorted(positions), "the tiles are not read in the order of the page"
        exam_heading = page.locator("#content .saiyo-tile--exams h2").first.text_content().strip()
        assert texts.index(exam) > texts.index(exam_heading)
        assert not any("ログイン" in text for text in texts)
        assert not page.errors
    finally:
        page.context.close()
