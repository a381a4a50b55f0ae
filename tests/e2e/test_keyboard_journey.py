"""A visitor without a mouse: top page → 試験案内 → an exam open for applications → its
application button, with Tab, Shift+Tab and Enter only, seeing where the focus is at each step.

Links are found by their accessible names, as a screen-reader user finds them, so the
journey survives a new header or top page as long as the names stay.
"""

from tests.conftest import OUTPUT

import pytest
import re


MAX_TABS = 150
APPLY = "電子申請で申し込む（外部サイト）"

# Is the focus visible? An outline, or a box-shadow ring (Bootstrap's), that is not transparent.
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
  const shadow = style.boxShadow !== 'none' && !/rgba\\([^)]*,\\s*0\\)/.test(style.boxShadow.split(' 0px')[0]);
  return el.matches(':focus-visible') && (outline || shadow);
}"""


def focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
          return {tag: el.tagName, name: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim(),
                  href: el.getAttribute('href') || ''}; }"""
    )


def tab_to(page, wanted, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies ``wanted``; it must show its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        element = focused(page)
        if wanted(element):
            page.wait_for_timeout(250)  # let a focus transition finish before looking at it
            assert page.evaluate(FOCUS_VISIBLE), f"focus not visible on {element}"
            return element
    pytest.fail(f"{key} never reached the wanted element on {page.url}")


def named(name: str):
    return lambda element: element["tag"] in ("A", "BUTTON") and element["name"] == name


def enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_keyboard_journey_to_an_application_button(plone, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(plone.url + "/", wait_until="networkidle")

    # 試験案内 straight from the top page if it links there, else through 採用試験情報
    has_direct = page.get_by_role("link", name="試験案内", exact=True).count() > 0
    if not has_direct:
        tab_to(page, named("採用試験情報"))
        enter(page)
        assert page.url.rstrip("/").endswith("/shiken")
    tab_to(page, named("試験案内"))
    enter(page)
    assert "/shiken/annai" in page.url

    # an exam whose card says 受付中
    card = page.get_by_role("listitem").filter(has_text="受付中").first
    title = card.get_by_role("heading").inner_text().strip()
    tab_to(page, named(title))
    enter(page)
    assert page.get_by_role("heading", level=1).inner_text().strip() == title
    assert "受付中" in page.locator("#content").inner_text()

    button = tab_to(page, named(APPLY))
    assert re.match(r"https?://", button["href"]), button
    page.screenshot(path=str(OUTPUT / "keyboard-journey-apply.png"))

    # and back: Shift+Tab returns to the title's neighbourhood without a trap
    back = tab_to(page, lambda element: element["tag"] in ("A", "BUTTON", "INPUT", "SELECT"), key="Shift+Tab")
    assert back["name"] != APPLY
    assert not page.errors


def test_skip_link_leads_past_the_navigation(plone, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(plone.url + "/shiken/annai", wait_until="networkidle")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"].startswith("#"), f"the first Tab stop is not a skip link: {first}"
    assert page.evaluate(FOCUS_VISIBLE)
    box = page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect(); return [r.width, r.height, r.top]; })()"
    )
    assert box[0] > 1 and box[1] > 1 and box[2] >= 0, "the skip link must show when focused"
    target = first["href"][1:]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate(
        "id => { const t = document.getElementById(id); return !!t && t.contains(document.activeElement); }",
        target,
    )
    assert inside, f"after the skip link, Tab should continue inside #{target}"
