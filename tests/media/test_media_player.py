"""Video on the real site in a real Chromium: the demo interview video (MP4, WebVTT captions,
transcript) as a visitor on a phone sees, plays with the keyboard, and prints it."""

from tests.visitor.pages import AXE_TAGS
from tests.visitor.pages import run_axe
from tests.visitor.pages import visitor

import requests


# Plone serves the file itself at the bare address (its (Default) alias); the page is /view,
# which is where the site's listings link files to.
VIDEO = "/hito/douga/doboku-interview/view"
FILE = "/hito/douga/doboku-interview/@@download/file/interview.mp4"


def test_video_page_headers_and_markup(plone):
    response = requests.get(plone.url + VIDEO, timeout=60)
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["media-src"] == "'self'"
    assert policy["frame-src"] == "'self' https://www.youtube-nocookie.com"
    assert "autoplay" not in response.text


def test_phone_visitor_watches_with_captions_by_keyboard(plone, chromium):
    with visitor(chromium, 390, 844) as page:
        violations = []
        page.on("console", lambda msg: msg.type == "error" and violations.append(msg.text))
        page.goto(plone.url + VIDEO, wait_until="load")
        video = page.locator(".saiyo-media__frame video")
        # metadata loaded (the MP4 is served and decodable), captions parsed, nothing playing
        page.wait_for_function(
            """() => { const v = document.querySelector('.saiyo-media__frame video');
                return v.readyState >= 1 && v.textTracks.length === 1 && v.textTracks[0].cues
                    && v.textTracks[0].cues.length === 3; }""",
            timeout=30000,
        )
        state = video.evaluate(
            """v => ({paused: v.paused, autoplay: v.autoplay, controls: v.controls,
                mode: v.textTracks[0].mode, kind: v.textTracks[0].kind, lang: v.textTracks[0].language,
                first: v.textTracks[0].cues[1].text, poster: v.poster, duration: v.duration})"""
        )
        assert state["paused"] and not state["autoplay"] and state["controls"]
        assert (state["mode"], state["kind"], state["lang"]) == ("showing", "captions", "ja")
        assert state["first"] == "土木職の西田です。道路の計画を担当しています。"
        assert state["poster"] and 5 < state["duration"] < 7
        box = video.bounding_box()
        assert box["width"] <= 390 and abs(box["width"] / box["height"] - 16 / 9) < 0.02
        # keyboard: Tab reaches the player, Space plays it
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement && document.activeElement.tagName") == "VIDEO":
                break
        assert page.evaluate("document.activeElement.tagName") == "VIDEO"
        page.keyboard.press("Space")
        page.wait_for_function(
            "() => !document.querySelector('.saiyo-media__frame video').paused", timeout=10000
        )
        transcript = page.locator(".saiyo-transcript")
        assert transcript.locator("h2").inner_text() == "文字起こし"
        assert "鹿児島の暮らしを支える仕事" in transcript.inner_text()
        assert [text for text in violations if "Content Security Policy" in text] == []


def test_print_shows_transcript_and_address_instead_of_the_player(plone, chromium):
    with visitor(chromium, 1280, 900, media="print") as page:
        page.goto(plone.url + VIDEO, wait_until="load")
        assert not page.locator(".saiyo-media__player").is_visible()
        assert page.locator(".saiyo-transcript").is_visible()
        address = page.locator(".saiyo-media__print-link")
        assert address.is_visible()
        assert plone.url + FILE in address.inner_text()


def test_video_page_passes_axe(plone, chromium):
    with visitor(chromium, 1280, 900) as page:
        page.goto(plone.url + VIDEO, wait_until="load")
        assert AXE_TAGS and run_axe(page) == []
