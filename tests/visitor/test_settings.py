"""文字サイズ and 配色 of the utility bar stay chosen from page to page, applied before the first paint."""

from tests.visitor.pages import open_page
from tests.visitor.pages import visitor


def test_size_and_scheme_persist_across_pages(plone, chromium):
    with visitor(chromium, 1280, 900) as page:
        open_page(page, plone, "top")
        standard = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        page.get_by_role("button", name="特大").click()
        page.get_by_role("button", name="高コントラスト").click()
        assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"

        page.goto(plone.url + "/kankyo/kyuyo", wait_until="domcontentloaded")
        html = page.locator("html")
        assert html.get_attribute("data-saiyo-size") == "xlarge"
        assert html.get_attribute("data-saiyo-scheme") == "contrast"
        assert (
            page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == standard * 1.5
        )
        page.wait_for_load_state("load")
        assert page.get_by_role("button", name="高コントラスト").get_attribute("aria-pressed") == "true"
        assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"

        page.get_by_role("button", name="標準").first.click()
        page.reload()
        assert html.get_attribute("data-saiyo-size") is None
        assert html.get_attribute("data-saiyo-scheme") == "contrast"


def test_settings_are_applied_before_the_first_paint(plone, chromium):
    """An inline, render-blocking script in <head> sets the attributes before <body> is parsed,
    so a page never flashes in the standard look first."""
    with visitor(chromium) as page:
        open_page(page, plone, "page", scheme="contrast", size="large")
        inline = page.evaluate(
            """() => [...document.head.querySelectorAll("script:not([src])")]
                .filter(s => s.textContent.includes('getItem("saiyo.size")'))
                .map(s => [s.defer, s.async, s.type])"""
        )
        assert inline == [[False, False, ""]]
        # what <html> carries at the moment the parser creates <body>, before anything is drawn
        page.add_init_script(
            """new MutationObserver((records, observer) => {
                if (document.body) {
                    window.__atBody = document.documentElement.getAttribute("data-saiyo-scheme");
                    observer.disconnect();
                }
            }).observe(document, {childList: true, subtree: true});"""
        )
        page.reload(wait_until="load")
        assert page.evaluate("window.__atBody") == "contrast"


def test_reader_link_is_in_the_utility_bar(plone, chromium):
    with visitor(chromium) as page:
        open_page(page, plone, "page")
        assert page.locator(".saiyo-utility a.saiyo-utility-reader").get_attribute("href") == "#saiyo-reader"
