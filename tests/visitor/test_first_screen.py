"""A phone's first screen shows the page, not the tools: on a 390 px wide phone the page title
of every page type starts within the first 200 px; the utility bar is one compact row and the
reader panel opens only from its 読み上げ link, which keyboard users reach and which moves the
focus into the panel."""

from PIL import Image
from tests.visitor.pages import open_page
from tests.visitor.pages import PAGES
from tests.visitor.pages import run_axe
from tests.visitor.pages import visitor

import base64
import io
import requests


PHONE = (390, 844)
FIRST_SCREEN = 200
EXTRA = {"video": "/hito/douga/doboku-interview/view"}


def test_page_title_within_the_first_200_px_of_every_page_type(plone, chromium):
    tops = {}
    with visitor(chromium, *PHONE) as page:
        for name in [*PAGES, *EXTRA]:
            if name in EXTRA:
                page.goto(plone.url + EXTRA[name], wait_until="load")
            else:
                open_page(page, plone, name)
            tops[name] = page.evaluate("Math.round(document.querySelector('h1').getBoundingClientRect().top)")
            assert page.locator("h1").first.is_visible(), name
        utility = page.locator(".saiyo-utility").bounding_box()
    late = {name: top for name, top in tops.items() if top > FIRST_SCREEN}
    assert late == {}, tops
    assert utility["height"] <= 56  # one row of 44 px buttons


def test_reader_panel_opens_only_from_its_link_on_a_phone(plone, chromium):
    with visitor(chromium, *PHONE) as page:
        open_page(page, plone, "page")
        panel = page.locator("#saiyo-reader")
        assert panel.count() == 1 and not panel.is_visible()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('saiyo-utility-reader')"):
                break
        assert page.evaluate("document.activeElement.textContent.trim()") == "読み上げ"
        page.keyboard.press("Enter")
        assert panel.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('saiyo-reader-toggle')")
        # the group names of the compact row are still read out by screen readers
        names = page.evaluate(
            "[...document.querySelectorAll('.saiyo-utility [role=group]')].map(g => "
            "document.getElementById(g.getAttribute('aria-labelledby')).textContent)"
        )
        assert names == ["文字サイズ", "配色"]


def test_reader_panel_shown_at_once_on_a_wide_screen(plone, chromium):
    with visitor(chromium, 1280, 900) as page:
        open_page(page, plone, "page")
        assert page.locator("#saiyo-reader").is_visible()


def test_administrators_key_visual_on_a_phone_keeps_its_focal_point(plone, chromium):
    """サイト設定 → トップページのキービジュアル (here through the REST API, the same fields): the photo
    replaces the drawn default with its alt text, cropped on a phone around the chosen 写真の中心."""
    out = io.BytesIO()
    Image.new("RGB", (1600, 1000), (40, 110, 170)).save(out, "JPEG")
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    photo = {
        "data": base64.b64encode(out.getvalue()).decode(),
        "encoding": "base64",
        "filename": "sakurajima.jpg",
        "content-type": "image/jpeg",
    }
    alt = "桜島を背に橋の点検をする職員"
    answer = requests.patch(
        plone.url + "/++api++",
        auth=plone.admin,
        headers=headers,
        timeout=60,
        json={"key_visual_image": photo, "key_visual_alt": alt, "key_visual_focus": "right"},
    )
    assert answer.status_code == 204, answer.text
    try:
        with visitor(chromium, *PHONE) as page:
            page.goto(plone.url + "/", wait_until="load")
            image = page.locator(".saiyo-hero img")
            assert image.get_attribute("alt") == alt
            assert "@@images/key_visual_image" in image.get_attribute("srcset")
            shown = image.evaluate(
                "img => ({position: getComputedStyle(img).objectPosition, fit: getComputedStyle(img).objectFit,"
                " loaded: img.complete && img.naturalWidth > 0, ratio: img.clientWidth / img.clientHeight})"
            )
            assert shown["loaded"] and shown["fit"] == "cover" and shown["position"] == "100% 50%", shown
            assert abs(shown["ratio"] - 16 / 9) < 0.05, shown  # cropped, so the focal point matters
            assert page.locator(".saiyo-hero svg").count() == 0
            assert run_axe(page) == []
            page.emulate_media(media="print")
            assert not image.is_visible()  # the print layout keeps the text, not the photo
            page.emulate_media(media="screen")
            assert (
                page.evaluate("Math.round(document.querySelector('h1').getBoundingClientRect().top)")
                <= FIRST_SCREEN
            )
    finally:
        restored = requests.patch(
            plone.url + "/++api++",
            auth=plone.admin,
            headers=headers,
            timeout=60,
            json={"key_visual_image": None, "key_visual_alt": None},
        )
        assert restored.status_code == 204, restored.text
    with visitor(chromium, *PHONE) as page:
        page.goto(plone.url + "/", wait_until="load")
        assert page.locator(".saiyo-hero img").count() == 0 and page.locator(".saiyo-hero svg").count() == 1
