"""The site's search results page (@@search) and the header's live search, on the demo site.

Plain HTTP (requests, no JavaScript) for what must work without a script: heading and count,
snippets with <mark>, type filters and paging as GET links, help when nothing is found, no RSS
link, drafts hidden from visitors, markup in the query shown as text. Chromium for axe-core at
375 and 1280 px, the live search under the header's box, and the screenshot at 375 px.
"""

from lxml import html
from tests.visitor.pages import run_axe
from tests.visitor.pages import SCREENSHOTS
from tests.visitor.pages import visitor

import re
import requests


QUERY = "給与"
HEADING = re.compile(r"^『(?P<query>.+)』の検索結果\s*(?P<count>\d+)件$")


def search(plone, auth=None, **params):
    response = requests.get(plone.url + "/@@search", params=params, auth=auth, timeout=120)
    assert response.status_code == 200, response.text[:2000]
    return response, html.fromstring(response.text)


def text_of(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def heading(tree) -> str:
    headings = tree.xpath("//h1")
    assert len(headings) == 1, [text_of(h) for h in headings]
    return re.sub(r"\s+", "", text_of(headings[0])).replace("の検索結果", "の検索結果 ")


def results(tree) -> list:
    return tree.xpath("//ol[contains(@class, 'saiyo-search__results')]/li")


def result_titles(tree) -> list[str]:
    return [text_of(li.xpath(".//h2")[0]) for li in results(tree)]


def count_of(tree) -> int:
    match = HEADING.match(heading(tree))
    assert match, heading(tree)
    return int(match["count"])


def test_heading_count_and_results_list(plone):
    _response, tree = search(plone, SearchableText=QUERY)
    match = HEADING.match(heading(tree))
    assert match and match["query"] == QUERY, heading(tree)
    total = int(match["count"])
    assert total > 0
    items = results(tree)
    assert len(items) == min(total, 10)
    status = tree.xpath("//*[@role='status' and @id='saiyo-search-status']")
    assert status and text_of(status[0]).startswith(f"{total}件中 1～{len(items)}件目"), text_of(status[0])
    # The query stays in the box, the type of each result is named in Japanese.
    assert tree.xpath("//input[@id='saiyo-search-input']/@value") == [QUERY]
    types = {text_of(li.xpath(".//*[contains(@class, 'saiyo-result__type')]")[0]) for li in items}
    assert types and all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", label) for label in types), types


def test_snippet_marks_the_matched_words(plone):
    _response, tree = search(plone, SearchableText=QUERY)
    marks = [text_of(mark) for mark in tree.xpath("//p[contains(@class, 'saiyo-result__snippet')]/mark")]
    assert QUERY in marks, marks
    # Marks sit inside text taken from the page, not alone.
    snippet = tree.xpath("//p[contains(@class, 'saiyo-result__snippet')][mark]")[0]
    assert len(text_of(snippet)) > len(QUERY) + 10


def test_type_filter_works_without_javascript(plone):
    _response, tree = search(plone, SearchableText=QUERY)
    filters = tree.xpath("//form[@id='saiyo-search-form']//fieldset[legend]")
    assert len(filters) == 1 and text_of(filters[0].xpath("legend")[0]) == "種類で絞り込む"
    boxes = filters[0].xpath(".//input[@type='checkbox' and @name='portal_type:list']")
    assert len(boxes) >= 2
    counts = {}
    for box in boxes:
        label = text_of(filters[0].xpath(f".//label[@for='{box.get('id')}']")[0])
        counts[box.get("value")] = (label.split("（")[0], int(re.search(r"（(\d+)件）", label)[1]))
    assert sum(count for _label, count in counts.values()) == count_of(tree)

    # The form as a browser without JavaScript submits it: one type ticked.
    portal_type, (label, expected) = sorted(counts.items(), key=lambda item: -item[1][1])[0]
    _response, filtered = search(plone, **{"SearchableText": QUERY, "portal_type:list": portal_type})
    assert count_of(filtered) == expected
    labels = {
        text_of(li.xpath(".//*[contains(@class, 'saiyo-result__type')]")[0]) for li in results(filtered)
    }
    assert labels == {label}
    ticked = filtered.xpath("//input[@name='portal_type:list' and @checked]/@value")
    assert ticked == [portal_type]
    assert filtered.xpath("//a[contains(@class, 'saiyo-search__clear')]")


def test_sort_and_paging_are_links(plone):
    _response, tree = search(plone, SearchableText=QUERY)
    sort = {text_of(a): a for a in tree.xpath("//nav[contains(@class, 'saiyo-search__sort')]//a")}
    assert set(sort) == {"関連度順", "新しい順"}
    assert sort["関連度順"].get("aria-current") == "true"
    newest = requests.get(sort["新しい順"].get("href"), timeout=120)
    newest_tree = html.fromstring(newest.text)
    assert count_of(newest_tree) == count_of(tree)
    assert sorted(result_titles(newest_tree)) != [] and newest_tree.xpath(
        "//nav[contains(@class, 'saiyo-search__sort')]//a[@aria-current='true' and normalize-space()='新しい順']"
    )
    total = count_of(tree)
    if total > 10:
        pages = tree.xpath("//nav[contains(@class, 'saiyo-search__pages')]//a[@rel='next']")
        assert pages and text_of(pages[0]) == "次へ"
        second = html.fromstring(requests.get(pages[0].get("href"), timeout=120).text)
        assert text_of(second.xpath("//*[@id='saiyo-search-status']")[0]).startswith(f"{total}件中 11～")
        assert not set(result_titles(second)) & set(result_titles(tree))


def test_nothing_found_offers_suggestions_faq_and_contact(plone):
    query = "宇宙飛行士の育休"  # 育休 has synonyms; nobody writes about astronauts here
    _response, tree = search(plone, SearchableText=query)
    assert count_of(tree) == 0
    assert not results(tree)
    status = text_of(tree.xpath("//*[@id='saiyo-search-status']")[0])
    assert status == f"『{query}』に一致するページは見つかりませんでした。"
    links = {
        text_of(a): a.get("href") for a in tree.xpath("//section[contains(@class, 'saiyo-search__help')]//a")
    }
    assert links.get("よくある質問", "").endswith("/faq")
    assert links.get("お問い合わせ", "").endswith("/contact")
    suggest = tree.xpath("//p[contains(@class, 'saiyo-search__suggest')]")
    assert suggest and text_of(suggest[0]).startswith("もしかして：")
    proposal = suggest[0].xpath(".//a")[0]
    _response, proposed = search(plone, SearchableText=text_of(proposal))
    assert count_of(proposed) > 0


def test_empty_query_gets_a_message_not_the_whole_site(plone):
    _response, tree = search(plone)
    assert heading(tree) == "サイト内検索"
    assert not results(tree)
    assert "調べたい言葉を入力して" in text_of(tree.xpath("//*[@id='saiyo-search-status']")[0])


def test_no_rss_link_for_visitors(plone):
    response, tree = search(plone, SearchableText=QUERY)
    assert "search_rss" not in response.text
    assert not tree.xpath("//link[@type='application/rss+xml']")


def test_markup_in_the_query_is_shown_as_text(plone):
    query = '<script>alert("x")</script><b>給与</b>'
    response, tree = search(plone, SearchableText=query)
    assert '<script>alert("x")' not in response.text
    assert "<b>給与</b>" not in response.text
    assert "&lt;script&gt;" in response.text
    assert tree.xpath("//input[@id='saiyo-search-input']/@value") == [query]
    assert HEADING.match(heading(tree))["query"] == query


def test_drafts_are_never_shown_to_visitors(plone):
    title = "ミツバチ観察会の下書き"
    created = requests.post(
        plone.url + "/news",
        json={
            "@type": "News Item",
            "id": "mitsubachi-draft",
            "title": title,
            "description": "公開前のお知らせです。",
        },
        headers={"Accept": "application/json", "Content-Type": "application/json"},
        auth=plone.admin,
        timeout=120,
    )
    assert created.status_code == 201, created.text
    assert created.json()["review_state"] != "published"
    # The draft is indexed: its author finds it...
    _response, staff = search(plone, auth=plone.admin, SearchableText="ミツバチ観察会")
    assert title in result_titles(staff)
    # ...and a visitor does not, on the page nor in the live search.
    _response, anonymous = search(plone, SearchableText="ミツバチ観察会")
    assert title not in result_titles(anonymous)
    live = requests.get(
        plone.url + "/@@ajax-search", params={"SearchableText": "ミツバチ観察会"}, timeout=120
    )
    assert title not in [item["title"] for item in live.json()["items"]]


def test_live_search_json_has_japanese_labels_and_the_page_ranking(plone):
    data = requests.get(
        plone.url + "/@@ajax-search", params={"SearchableText": QUERY, "perPage": 5}, timeout=120
    ).json()
    _response, tree = search(plone, SearchableText=QUERY)
    assert data["total"] == count_of(tree)
    assert [item["title"] for item in data["items"]] == result_titles(tree)[:5]
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", item["type"]) for item in data["items"])


def test_axe_and_screenshot_at_375_and_1280(plone, chromium):
    found = {}
    for width in (375, 1280):
        with visitor(chromium, width, 900) as page:
            for name, query in (("results", QUERY), ("nothing", "宇宙飛行士の育休")):
                page.goto(
                    plone.url + "/@@search?" + requests.compat.urlencode({"SearchableText": query}),
                    wait_until="load",
                )
                assert page.locator("h1").count() == 1
                violations = run_axe(page)
                if violations:
                    found[f"{name}-{width}"] = violations
                if width == 375:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"search-{name}-375.png"), full_page=True)
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (name, width, overflow)
    assert found == {}


def open_live_search(page, plone, query):
    box = page.locator("#searchGadget")
    box.click()
    box.type(query, delay=30)
    page.wait_for_selector("#saiyo-live-list a", timeout=30_000)
    return box


def test_live_search_in_the_header(plone, page):
    """Under the site's real Content-Security-Policy (``page`` records console errors)."""
    _response, tree = search(plone, SearchableText=QUERY)
    first_title = result_titles(tree)[0]
    page.goto(plone.url + "/kankyo", wait_until="load")
    box = open_live_search(page, plone, QUERY)
    assert page.locator("#saiyo-live").is_visible()
    options = page.locator("#saiyo-live-list a")
    assert page.locator("#saiyo-live-list .saiyo-live__title").first.inner_text() == first_title
    assert options.last.inner_text().startswith(f"『{QUERY}』の検索結果をすべて見る（{count_of(tree)}件）")
    assert "件見つかりました" in page.locator("#portal-searchbox [role=status]").inner_text()
    # Keyboard: ↓ into the list, ↓↑ between links, Enter opens the focused one.
    box.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.closest('#saiyo-live-list li').id") == "saiyo-live-0"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").first.inner_text().strip() == first_title
    # Escape closes the list; the plain form still goes to the results page.
    box = page.locator("#searchGadget")
    box.fill("")
    box.type(QUERY, delay=30)
    page.wait_for_selector("#saiyo-live-list a", timeout=30_000)
    box.press("Escape")
    assert not page.locator("#saiyo-live").is_visible()
    with page.expect_navigation():
        box.press("Enter")
    assert "/@@search" in page.url
    assert page.errors == []


def test_snippet_window_and_text_pieces():
    from kagoshima.saiyo.search.views import _pieces
    from kagoshima.saiyo.search.views import body_text
    from kagoshima.saiyo.search.views import snippet

    text = "あ" * 200 + "給与は毎月支給します。" + "い" * 200
    start = text.index("給与")
    segments = snippet(text, [(start, start + 2)], size=60)
    assert [s["text"] for s in segments if s["mark"]] == ["給与"]
    joined = "".join(s["text"] for s in segments)
    assert joined.startswith("…") and joined.endswith("…") and "給与は毎月支給します。" in joined
    assert len(joined) <= 62
    # Without matches: the start of the text; nothing to cut, no ellipsis.
    assert snippet("短い本文です。", []) == [{"text": "短い本文です。", "mark": False}]
    # Pieces keep offsets, so spans found in a piece point into the whole text.
    long_text = "。".join(f"文{number}" for number in range(2000))
    pieces = list(_pieces(long_text, size=100))
    assert "".join(piece for _offset, piece in pieces) == long_text
    assert all(long_text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    assert body_text("給与・手当 県職員の給与は… kyuyo", "給与・手当", "kyuyo") == "県職員の給与は…"
