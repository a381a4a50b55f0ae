"""The Mosaic editor speaks Japanese (issue 20: tiles "configurable in Japanese in the Mosaic editor").

An administrator opens the editor of a new page in /tokushu on the Japanese site and sees every
part of it in Japanese: the layout chooser, the toolbar, the 書式 and 挿入 menus, a block's
buttons and its delete confirmation, the 名前を付けて保存 dialog, the question before changing the
layout, and the レイアウト tab of プロパティ. Labels are read from the page as Chromium shows them
(text and title attributes); no word of Mosaic's English may be left, and the words are those of
the administrator manual (ブロック, 挿入, 設定, 削除, レイアウトの管理).

Where the words come from: the registry (toolbar and menu labels, kagoshima.saiyo's
profiles/default/registry/mosaic_i18n.xml), the catalog of the domain plone.app.mosaic read by
mosaic_i18n/static/mosaic-i18n.js (what Mosaic's script writes itself), and plone.po (the
プロパティ form of plone.app.blocks).
"""

from tests.e2e.helpers import login
from tests.e2e.helpers import rest

import pytest
import re


# Mosaic's English as plone.app.mosaic 4.2 shows it; none may be left on the Japanese site.
ENGLISH = set(
    """
Save
Cancel
Properties
Layout
Preview
Customize
Change
Format
Insert
Tile
Row
Structure
Media
Fields
Applications
Advanced
Rich Text
Navigation
Embed
Discussion
Content listing
Existing Content
Edit
Edit settings
Delete
Delete tile
Confirm delete
Click and drag to move tile
Click and drag to copy tile
Reset
Select Layout
My Layouts
Manage custom layouts
Basic
Default content layout
Document
Save Layout
Global
Name
Center content
Dark background
Fluid
(Remove format)
Content Layout
Custom layout
""".strip().splitlines()
)
# Latin letters that may stay: names and abbreviations, not English words.
ALLOWED_LATIN = {"RSS", "CSS", "Mosaic", "URL"}

# What the editor's own parts say (text, and the title and label attributes), in page order.
EDITOR_TEXTS = """(selector) => {
    const texts = [];
    for (const root of document.querySelectorAll(selector)) {
        for (const element of [root, ...root.querySelectorAll('*')]) {
            if (element.closest('.mosaic-tile-content, textarea, script, style')) continue;
            for (const node of element.childNodes) {
                if (node.nodeType === Node.TEXT_NODE && node.nodeValue.trim()) texts.push(node.nodeValue.trim());
            }
            for (const name of ['title', 'label', 'aria-label', 'placeholder']) {
                const value = element.getAttribute(name);
                if (value && value.trim()) texts.push(value.trim());
            }
        }
    }
    return texts;
}"""
TOOLBAR = ".mosaic-toolbar"
TILE_CONTROLS = ".mosaic-tile-control, .mosaic-tile-side-tools, .mosaic-tile-label"
DIALOG = ".plone-modal-wrapper, .modal"


def english_in(texts: list[str]) -> list[str]:
    """The texts that are Mosaic's English, or hold a Latin word that is no allowed name."""
    left = []
    for text in texts:
        words = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN
        if text in ENGLISH or words:
            left.append(text)
    return left


def texts_of(page, selector: str) -> list[str]:
    return page.evaluate(EDITOR_TEXTS, selector)


@pytest.fixture
def new_landing_page(plone):
    """A new page in /tokushu with Mosaic's layout view and no layout chosen yet; removed afterwards."""
    response = rest(
        plone,
        "POST",
        "/tokushu",
        json={"@type": "Document", "title": "日本語の編集画面（確認用）", "layout": "layout_view"},
    )
    assert response.status_code == 201, response.text
    url = response.json()["@id"]
    yield url
    path = url.removeprefix(plone.url)
    rest(plone, "DELETE", f"{path}/@lock", json={"force": True})  # the editor was left without saving
    assert rest(plone, "DELETE", path).status_code == 204


def test_the_mosaic_editor_is_in_japanese(plone, page, new_landing_page):
    page.set_default_timeout(20000)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    login(page, plone.url, *plone.admin)
    assert page.evaluate("document.documentElement.lang") == "ja"
    page.goto(f"{new_landing_page}/edit", wait_until="networkidle")

    # The layout chooser opens first: Mosaic's own layouts have Japanese titles too.
    chooser = page.locator(DIALOG).filter(has=page.locator(".mosaic-select-layout"))
    chooser.first.wait_for()
    page.wait_for_function("document.body.classList.contains('saiyo-mosaic-i18n')")
    assert chooser.locator(".modal-title").first.inner_text().strip() == "レイアウトを選ぶ"
    layouts = chooser.locator(".mosaic-select-layout a p:first-child").all_inner_texts()
    assert {"特集ページ", "職種別ページ", "基本", "ページ"} <= set(layouts), layouts
    assert not english_in(texts_of(page, ".mosaic-select-layout")), texts_of(page, ".mosaic-select-layout")
    chooser.get_by_role("link", name="特集ページ").click()
    page.locator(".mosaic-tile.mosaic-kagoshima\\.saiyo\\.exams-tile").first.wait_for()

    # The toolbar.
    toolbar = page.locator(TOOLBAR)
    toolbar.locator(".mosaic-button-save").wait_for()
    for label in ("保存", "取り消す", "プロパティ", "プレビュー", "カスタマイズ", "変更"):
        count = toolbar.get_by_role("button", name=label, exact=True).count()
        assert count == 1, f"{count} buttons {label} in {texts_of(page, TOOLBAR)}"
    assert toolbar.locator(".mosaic-button-layout").inner_text().strip() == "レイアウト"
    page.locator(".mosaic-button-customizelayout").click()
    assert toolbar.get_by_role("button", name="名前を付けて保存", exact=True).is_visible()

    # The 挿入 and 書式 menus: their titles, groups and entries.
    insert = page.locator(".mosaic-menu-insert .select2-chosen")
    assert insert.inner_text().strip() == "挿入"
    assert page.locator(".mosaic-menu-format .select2-chosen").inner_text().strip() == "書式"
    groups = page.locator("select.mosaic-menu-insert optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert {"文章・構成", "画像・動画", "ページの項目", "採用情報", "上級者向け"} <= set(groups), groups
    options = page.locator("select.mosaic-menu-insert option").all_inner_texts()
    assert {"テキスト", "試験案内", "キービジュアル", "コンテンツの一覧"} <= set(options), options
    formats = page.locator("select.mosaic-menu-format optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert formats == ["ブロック", "行"], formats
    insert.click()
    shown = page.locator(".select2-drop-active .select2-result-label").all_inner_texts()
    assert "試験案内" in shown and "テキスト" in shown, shown
    assert not english_in(shown), shown
    page.keyboard.press("Escape")

    # A block's buttons, as the manual names them: 設定 and 削除, then 削除する or 取り消す.
    # (the call-to-action block: small enough for its buttons to be on the screen with it)
    tile = page.locator(".mosaic-tile.mosaic-kagoshima\\.saiyo\\.cta-tile").first
    tile.scroll_into_view_if_needed()
    tile.click()  # selects it (Mosaic keeps links in the editor from being followed)
    tile.locator(".mosaic-btn-settings").wait_for()
    assert tile.locator(".mosaic-btn-settings").inner_text().strip() == "設定"
    assert tile.locator(".mosaic-btn-settings").get_attribute("title") == "このブロックの設定を開く"
    assert tile.locator(".mosaic-btn-move").get_attribute("title") == "ドラッグしてブロックを移動"
    tile.locator(".mosaic-btn-delete").click()
    assert tile.locator(".mosaic-btn-confirm").inner_text().strip() == "削除する"
    assert tile.locator(".mosaic-btn-cancel").inner_text().strip() == "取り消す"
    tile.locator(".mosaic-btn-cancel").click()

    editor_texts = texts_of(page, f"{TOOLBAR}, {TILE_CONTROLS}")
    assert "設定" in editor_texts and "削除" in editor_texts
    assert not english_in(editor_texts), f"English left in the editor: {english_in(editor_texts)}"

    # 名前を付けて保存: the dialog that saves the layout for other pages.
    page.locator(".mosaic-button-savelayout").click()
    save_dialog = page.locator(DIALOG).filter(has=page.locator(".mosaic-save-layout"))
    save_dialog.first.wait_for()
    assert save_dialog.locator(".modal-title").first.inner_text().strip() == "レイアウトに名前を付けて保存"
    dialog_texts = texts_of(page, ".mosaic-save-layout")
    assert "名前" in dialog_texts and "サイト全体で使う" in dialog_texts, dialog_texts
    assert not english_in(dialog_texts), dialog_texts
    page.keyboard.press("Escape")
    page.locator(".mosaic-save-layout").wait_for(state="hidden")

    # Changing the layout asks first, in Japanese (the answer here is no).
    page.locator(".mosaic-button-changelayout").click()
    assert dialogs, "changing the layout did not ask first"
    assert dialogs[-1].startswith("レイアウトを変更すると"), dialogs

    # プロパティ: the page's form, with plone.app.blocks' レイアウト tab in Japanese.
    page.locator(".mosaic-button-properties").click()
    form = page.locator(".modal-dialog").filter(has=page.locator("form"))
    form.first.wait_for()
    tab = form.get_by_role("link", name="レイアウト", exact=True)
    assert tab.count() == 1
    tab.click()
    assert form.get_by_text("選んだレイアウト", exact=True).count() == 1
    assert form.get_by_text("カスタマイズしたレイアウト", exact=True).count() == 1
    assert form.get_by_text("Layout", exact=True).count() == 0

    errors = [error for error in page.errors if "beforeunload" not in error]
    assert not errors, f"errors in the editor: {errors}"
