"""Scripted journeys through a live site in Chromium; every step is a figure of the manuals.

A journey is what one person does on the site: an author writes an exam notice and asks for
approval, an administrator reviews and publishes, a visitor finds a page on a phone or a PC.
Each step opens or changes a screen, outlines the control the person presses (red frame), takes
a screenshot and then, if the step says so, presses it. The screenshot is a figure: its id is
placed in a manual as ``<!-- figure: ID -->`` next to the step's text, and the manuals build
(``saiyo manuals``) puts the picture, its number, its caption and its alt text there.

A step that cannot be performed any more (a control is gone, a page does not answer) raises
``JourneyFailed`` naming the journey, the step number and its caption: ``make manuals`` stops
with a nonzero exit instead of shipping a manual that describes a screen the site no longer has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import json
import os
import requests
import time


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
VIEWPORTS = {
    # A common Android phone and the prefecture's standard office PC screen.
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "pc": {"viewport": {"width": 1366, "height": 900}, "device_scale_factor": 1},
}
HIGHLIGHT = "4px solid #d40000"
PASSWORD = "Kenshu-Manual-2026"
SECTION = "shiken"
DEPARTMENT = "authors-jinji"
# The people of the journeys (fictional): user id -> (full name, groups).
PEOPLE = {
    "sakusei": ("霧島 さくら", ["authors", DEPARTMENT]),
    "kanri": ("桜島 健一", ["administrators"]),
}
NOTICE_TITLE = "令和9年度 鹿児島県職員採用試験（短大卒業程度）"
# The smallest well-formed PDF: the journey attaches it as the exam guide.
GUIDE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class JourneyFailed(Exception):
    """A step of a journey could not be performed on the live site."""


@dataclass
class Step:
    id: str
    caption: str
    alt: str
    before: Callable | None = None  # (page, run) -> None: done before the screen is opened
    path: str | None = None  # opened (relative to the site, or to the journey's page with "page:") first
    prepare: Callable | None = None  # (page, run) -> None: brings the screen to the state shown
    highlight: str | None = None  # the control the person presses, outlined in the figure
    press: bool = False  # press the highlighted control after the screenshot
    after: Callable | None = None  # (page, run) -> None: after the screenshot
    full_page: bool = False
    expect: str | None = None  # text the screen must show (in the outlined control, or anywhere)


@dataclass
class Journey:
    name: str
    title: str
    device: str  # "phone" or "pc"
    who: str | None  # a key of PEOPLE, or None for an anonymous visitor
    steps: list[Step]


@dataclass
class Figure:
    id: str
    caption: str
    alt: str
    path: Path
    journey: str
    number: int  # the step's number in its journey


@dataclass
class Run:
    """One capture: the site, the people's passwords, what earlier steps left behind."""

    base_url: str
    admin: tuple[str, str]
    state: dict = field(default_factory=dict)

    def rest(self, method, path, auth=None, **kwargs):
        url = path if path.startswith("http") else self.base_url + path
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        return requests.request(method, url, headers=headers, auth=auth or self.admin, timeout=120, **kwargs)


# -- actions shared by the steps ------------------------------------------------------------


def login_as(user):
    def prepare(page, run):
        page.fill("#__ac_name", user)
        page.fill("#__ac_password", PASSWORD)

    return prepare


def sign_in(user):
    """Log in without a figure (the journey's first figure is on an earlier journey's login)."""

    def before(page, run):
        page.goto(f"{run.base_url}/login", wait_until="networkidle")
        login_as(user)(page, run)
        page.click("button[name='buttons.login']")
        page.wait_for_load_state("networkidle")

    return before


def open_menu(menu):
    def prepare(page, run):
        page.click(f"#{menu} > a")
        page.wait_for_timeout(300)

    return prepare


def open_tab(label):
    def prepare(page, run):
        page.locator(".autotoc-nav a").filter(has_text=label).first.click()
        page.wait_for_timeout(200)

    return prepare


def grid_input(page, field_name, number, name):
    selector = f"#formfield-form-widgets-{field_name} [name$='.widgets.{name}']:not([name*='.TT.'])"
    return page.locator(selector).nth(number)


def wait_for_editor(page):
    """TinyMCE is loaded after the page: wait until the first rich-text editor is ready."""
    page.wait_for_function("() => window.tinymce && tinymce.get().length > 0 && tinymce.get()[0].initialized")


def fill_basic(page, run):
    page.fill("#form-widgets-IDublinCore-title", NOTICE_TITLE)
    page.fill(
        "#form-widgets-IDublinCore-description", "短大卒業程度の試験の区分、日程、申込方法をお知らせします。"
    )
    page.fill("#form-widgets-fiscal_year", "2027")
    page.select_option("#form-widgets-exam_type", "tandai")
    page.check("input[name='form.widgets.audiences:list'][value='daigakusei']")
    rows = [("一般事務", "5", "gyosei", "うち1人は奄美地区"), ("土木", "4", "doboku", "")]
    for number, (name, headcount, job_type, note) in enumerate(rows):
        if number:
            page.locator(
                "#formfield-form-widgets-divisions tr:has(input[name$='.widgets.name']:not([name*='.TT.']))"
            ).nth(number - 1).locator(".dgf--row-add").click()
        grid_input(page, "divisions", number, "name").fill(name)
        grid_input(page, "divisions", number, "headcount").fill(headcount)
        grid_input(page, "divisions", number, "job_type:list").select_option(job_type)
        grid_input(page, "divisions", number, "note").fill(note)
    # The body links with 「こちら」: the accessibility check will point at it.
    wait_for_editor(page)
    page.evaluate(
        "() => tinymce.get()[0].setContent('<h2>受験案内</h2><p>詳しい受験案内は"
        '<a href="https://www.pref.kagoshima.example/annai">こちら</a>をご覧ください。</p>\')'
    )


def fill_schedule(page, run):
    open_tab("日程")(page, run)
    page.fill("#form-widgets-application_start", "2027-08-04T09:00")
    page.fill("#form-widgets-application_end", "2027-08-20T17:00")
    page.fill("#form-widgets-first_exam_date", "2027-09-26")
    page.check("input[name='form.widgets.first_exam_venues:list'][value='kagoshima']")


def attach_guide(page, run):
    open_tab("申込・資料")(page, run)
    page.fill("#form-widgets-application_url", "https://shinsei.pref.kagoshima.example/tandai")
    page.set_input_files(
        "#form-widgets-guide_pdf-input",
        files=[{"name": "shiken-annai-tandai.pdf", "mimeType": "application/pdf", "buffer": GUIDE_PDF}],
    )


def remember_page(page, run):
    page.wait_for_load_state("networkidle")
    run.state["notice"] = page.url.split("?")[0].removesuffix("/view")


def fix_link(page, run):
    wait_for_editor(page)
    page.evaluate(
        "() => tinymce.get()[0].setContent('<h2>受験案内</h2><p>"
        '<a href="https://www.pref.kagoshima.example/annai">受験案内（PDF）</a>をご覧ください。</p>\')'
    )


def resubmit_as_author(page, run):
    """The author corrects the page and asks again (through the REST API: the author's journey shows how)."""
    auth = ("sakusei", PASSWORD)
    url = run.state["notice"]
    submitted = run.rest("POST", f"{url}/@workflow/submit", auth)
    if submitted.status_code != 200:
        raise JourneyFailed(f"the author could not ask again: {submitted.status_code} {submitted.text[:200]}")


def fill_reason(page, run):
    page.fill(
        "#saiyo-reject-comment",
        "リンクの文言を「受験案内（PDF）」のように、行き先が分かる言葉にしてください。",
    )


def search_for(words):
    def prepare(page, run):
        box = page.locator("input[name='SearchableText']:visible").first
        box.fill(words)

    return prepare


def open_phone_menu(page, run):
    page.locator("button.navbar-toggler:visible, .navbar-toggler:visible").first.click()
    page.wait_for_timeout(500)


# -- the journeys ------------------------------------------------------------------------------


AUTHOR = Journey(
    "author",
    "作成者: 試験案内を書いて承認を依頼する",
    "pc",
    "sakusei",
    [
        Step(
            "author-login",
            "ログイン画面。ユーザー名とパスワードを入れて「ログイン」を押す",
            "ログイン画面。ユーザー名とパスワードの欄が入力済みで、ログインボタンが赤枠で囲まれている",
            path="/login",
            prepare=login_as("sakusei"),
            highlight="button[name='buttons.login']",
            press=True,
        ),
        Step(
            "author-add",
            "担当フォルダーで「新規追加」を開き、「試験案内」を選ぶ",
            "採用試験情報フォルダーの画面。ツールバーの新規追加メニューが開き、試験案内の項目が赤枠で囲まれている",
            path="/shiken/annai",
            prepare=open_menu("plone-contentmenu-factories"),
            highlight="#plone-contentmenu-factories a#examnotice",
            press=True,
        ),
        Step(
            "author-rows",
            "「基本」タブ。タイトルなどを入れ、試験区分の表に 1 行ずつ入力する（行の追加は「＋」）",
            "試験案内の入力画面の基本タブ。試験区分の表に一般事務と土木の 2 行が入力され、表が赤枠で囲まれている",
            prepare=fill_basic,
            highlight="#formfield-form-widgets-divisions",
        ),
        Step(
            "author-schedule",
            "「日程」タブ。申込受付の開始と終了を時刻まで入れる",
            "試験案内の入力画面の日程タブ。申込受付開始の欄が赤枠で囲まれている",
            prepare=fill_schedule,
            highlight="#formfield-form-widgets-application_start",
        ),
        Step(
            "author-pdf",
            "「申込・資料」タブ。試験案内の PDF を選び、「保存」を押す",
            "試験案内の入力画面の申込・資料タブ。PDF ファイルを選ぶ欄が赤枠で囲まれ、下に保存ボタンがある",
            prepare=attach_guide,
            highlight="#formfield-form-widgets-guide_pdf",
        ),
        Step(
            "author-save",
            "入力を終えたら「保存」を押す",
            "試験案内の入力画面の下部。保存ボタンが赤枠で囲まれている",
            highlight="button[name='form.buttons.save']",
            press=True,
            after=remember_page,
        ),
        Step(
            "author-a11y",
            "保存するとアクセシビリティの自動チェックの結果が表示される。指摘を読んで直す",
            "保存後の試験案内のページ。上部にアクセシビリティの確認の指摘一覧があり、赤枠で囲まれている",
            highlight="#saiyo-a11y-findings, .saiyo-a11y-findings, [class*='a11y']",
            expect="こちら",
        ),
        Step(
            "author-fix",
            "「編集」で指摘の箇所を直し（例: 「こちら」→「受験案内（PDF）」）、「保存」を押す",
            "試験案内の編集画面。受験資格の欄のリンクの文言が直され、保存ボタンが赤枠で囲まれている",
            path="page:edit",
            prepare=fix_link,
            highlight="button[name='form.buttons.save']",
            press=True,
        ),
        Step(
            "author-history",
            "「履歴」を開くと、保存した版が新しい順に並ぶ。「見る」でその版の内容を表示する",
            "試験案内の履歴の画面。版と状態の変更の一覧があり、最初の版の見るボタンが赤枠で囲まれている",
            path="page:@@historyview",
            highlight="#content a[href*='version_preview']",
            expect="見る",
        ),
        Step(
            "author-submit",
            "ツールバーの「状態: 下書き」を押し、「承認依頼」を選ぶ",
            "ページの画面。状態メニューが開き、承認依頼の項目が赤枠で囲まれている",
            prepare=open_menu("plone-contentmenu-workflow"),
            highlight="#workflow-transition-submit",
            press=True,
        ),
        Step(
            "author-pending",
            "状態が「承認待ち」になり、管理者にメールが届く",
            "承認依頼後のページ。ツールバーの状態の表示が承認待ちになり、赤枠で囲まれている",
            highlight="#plone-contentmenu-workflow",
            expect="承認待ち",
        ),
    ],
)

ADMINISTRATOR = Journey(
    "administrator",
    "管理者: 確認して差し戻し、公開し、設定を変える",
    "pc",
    "kanri",
    [
        Step(
            "admin-login",
            "管理者の ID でログインする",
            "ログイン画面。管理者のユーザー名とパスワードが入力済みで、ログインボタンが赤枠で囲まれている",
            path="/login",
            prepare=login_as("kanri"),
            highlight="button[name='buttons.login']",
            press=True,
        ),
        Step(
            "admin-review",
            "承認待ちのページを開き、「状態: 承認待ち」→「差し戻し」を選ぶ",
            "承認待ちの試験案内のページ。状態メニューが開き、差し戻しの項目が赤枠で囲まれている",
            path="page:",
            prepare=open_menu("plone-contentmenu-workflow"),
            highlight="#workflow-transition-reject",
            press=True,
        ),
        Step(
            "admin-reason",
            "差し戻しの理由を書き、「差し戻す」を押す（理由は必ず書く）",
            "差し戻しの画面。理由の欄に直してほしい点が書かれ、差し戻すボタンが赤枠で囲まれている",
            prepare=fill_reason,
            highlight="button[name='form.buttons.reject']",
            press=True,
        ),
        Step(
            "admin-schedule",
            "作成者が直して再び承認を依頼したら、「編集操作」→「公開予約」で公開日時に公開する",
            "公開予約の画面。公開予約するボタンが赤枠で囲まれている",
            before=resubmit_as_author,
            path="page:@@saiyo-schedule-publish",
            highlight="form button:not([name='form.buttons.cancel'])",
        ),
        Step(
            "admin-publish",
            "すぐに公開するときは「状態: 承認待ち」→「公開」を選ぶ",
            "承認待ちの試験案内のページ。状態メニューが開き、公開の項目が赤枠で囲まれている",
            path="page:",
            prepare=open_menu("plone-contentmenu-workflow"),
            highlight="#workflow-transition-publish",
            press=True,
        ),
        Step(
            "admin-pageviews",
            "「サイト設定」→「アクセス集計」でページごとのページビューを見る",
            "アクセス集計の画面。月を選ぶ欄と表示ボタンがあり、表示ボタンが赤枠で囲まれている",
            path="/@@saiyo-pageviews",
            highlight="#content button",
        ),
        Step(
            "admin-audit",
            "「サイト設定」→「操作履歴」で、誰がいつ何をしたかを絞り込んで見る",
            "操作履歴の画面。利用者・操作・期間で絞り込む欄と、差し戻しや公開の記録の一覧がある",
            path="/@@saiyo-audit",
            highlight="#content button",
        ),
        Step(
            "admin-choices",
            "「サイト設定」→「採用サイトの選択肢」で試験種別や職種の選択肢を編集する",
            "採用サイトの選択肢の画面。試験種別の表が赤枠で囲まれている",
            path="/@@saiyo-vocabularies",
            highlight="#content form .field, #content table",
        ),
        Step(
            "admin-synonyms",
            "「サイト設定」→「検索の同義語」で同じ意味の言葉の組を 1 行に 1 組書き、「保存」を押す",
            "検索の同義語の画面。同義語を書く欄と保存ボタンがあり、保存ボタンが赤枠で囲まれている",
            path="/@@saiyo-search-synonyms",
            highlight="button[name='form.buttons.save']",
        ),
        Step(
            "admin-top",
            "「サイト設定」→「採用サイトの表示設定」でトップページのメッセージやお知らせの件数を変える",
            "採用サイトの表示設定の画面。トップページのメッセージの欄が赤枠で囲まれている",
            path="/@@saiyo-display-settings",
            highlight="#content form .field",
        ),
        Step(
            "admin-top-blocks",
            "トップページのアドレスの末尾に /@@manage-top-blocks を付けて開き、ブロックを矢印で上下に動かすか「隠す」を押す",
            "トップページのブロックの並べ替えの画面。ブロックごとの枠に上下の矢印と「隠す」があり、最初のブロックの枠が赤枠で囲まれている",
            path="/@@manage-top-blocks",
            highlight=".managedViewlets .viewlet",
        ),
    ],
)


REVISION = Journey(
    "author-revise",
    "作成者: 公開中のページを作業コピーで直し、履歴を見る",
    "pc",
    "sakusei",
    [
        Step(
            "author-checkout",
            "公開中のページで「編集操作」→「修正用の作業コピーを作る」を選ぶ",
            "公開中の試験案内のページ。編集操作メニューが開き、修正用の作業コピーを作るの項目が赤枠で囲まれている",
            before=sign_in("sakusei"),
            path="page:",
            prepare=open_menu("plone-contentmenu-actions"),
            highlight="#plone-contentmenu-actions-iterate_checkout",
            expect="修正用の作業コピーを作る",
        ),
    ],
)


def visitor(name, device, title, steps):
    return Journey(name, title, device, None, steps)


# The visitor journeys are the design document's 展開シナリオ (a student, a mid-career applicant,
# a person with a disability, a parent); each one's screens are placed in docs/manuals/design.md.
STUDENT = visitor(
    "scenario-student",
    "phone",
    "大学生（スマートフォン）: メニューから採用試験情報を開く",
    [
        Step(
            "phone-top",
            "スマートフォンでトップページを開く。右上のボタンでメニューを開く",
            "スマートフォンのトップページ。サイト名と検索欄、メニューボタンがあり、メニューボタンが赤枠で囲まれている",
            path="/",
            highlight=".navbar-toggler",
        ),
        Step(
            "phone-menu",
            "メニューから「採用試験情報」を選ぶ",
            "スマートフォンで開いたメニュー。採用試験情報などの項目が並び、採用試験情報が赤枠で囲まれている",
            prepare=open_phone_menu,
            highlight="#portal-globalnav a[href$='/shiken']",
            press=True,
        ),
        Step(
            "phone-notice",
            "採用試験情報のページ。試験案内・日程・対象者別の入口が並ぶ",
            "スマートフォンで表示した採用試験情報のページ",
            expect="採用試験情報",
        ),
    ],
)

CAREER = visitor(
    "scenario-career",
    "pc",
    "社会人経験者（PC）: 検索で自分向けの案内と給与を見つける",
    [
        Step(
            "pc-top",
            "PC でトップページを開き、検索欄に言葉を入れる",
            "PC のトップページ。ヘッダーの検索欄に「給料」と入力され、赤枠で囲まれている",
            path="/",
            prepare=search_for("給料"),
            highlight="input[name='SearchableText']:visible",
        ),
        Step(
            "pc-results",
            "検索結果のページ。タイトル・種類・場所と、言葉が合った部分が表示される",
            "検索語「給料」の検索結果のページ。給与・手当のページが上位に並び、赤枠で囲まれている",
            path="/@@search?SearchableText=給料",
            highlight=".saiyo-search__results a[href$='/kankyo/kyuyo']",
            press=True,
        ),
        Step(
            "pc-page",
            "選んだページが開く。見出しの順に読み進められる",
            "PC で表示した給与・手当のページ。ページの見出しと本文が表示されている",
            expect="給与",
        ),
        Step(
            "career-entry",
            "「社会人経験者の方へ」で受験資格と試験の流れを確かめる",
            "PC で表示した社会人経験者の方へのページ",
            path="/shiken/shokumu-keiken",
            expect="社会人経験者",
        ),
    ],
)

DISABILITY = visitor(
    "scenario-disability",
    "pc",
    "障害のある方（PC）: 文字を大きく、配色を高コントラストにして読む",
    [
        Step(
            "a11y-size",
            "ヘッダーの「文字サイズ」の「特大」を押す",
            "PC のトップページ。ヘッダーの文字サイズの特大ボタンが赤枠で囲まれている",
            path="/",
            highlight="button:has-text('特大')",
            press=True,
        ),
        Step(
            "a11y-contrast",
            "「配色」の「高コントラスト」を押す。選んだ設定はほかのページでも保たれる",
            "文字が特大になったトップページ。配色の高コントラストボタンが赤枠で囲まれている",
            highlight="button:has-text('高コントラスト')",
            press=True,
        ),
        Step(
            "a11y-page",
            "「障害のある方へ」のページを、大きな文字・高コントラストで読む。「読み上げ」で音声でも聞ける",
            "特大の文字と高コントラストの配色で表示した障害のある方へのページ。読み上げボタンが赤枠で囲まれている",
            path="/shiken/shougaisha",
            highlight="button:has-text('読み上げ')",
        ),
    ],
)

PARENT = visitor(
    "scenario-parent",
    "phone",
    "保護者（スマートフォン）: 働く環境とよくある質問を読む",
    [
        Step(
            "parent-kankyo",
            "「働く環境」で給与・休暇・研修・子育て支援の入口を見る",
            "スマートフォンで表示した働く環境のページ",
            path="/kankyo",
            expect="働く環境",
        ),
        Step(
            "parent-faq",
            "「よくある質問」でカテゴリ別の質問と回答を読む",
            "スマートフォンで表示したよくある質問のページ",
            path="/faq",
            expect="よくある質問",
        ),
    ],
)


def first_of(portal_type):
    """The first published item of a content type, found through the REST API (as the design's sample)."""

    def before(page, run):
        found = run.rest(
            "GET", f"/@search?portal_type={portal_type}&review_state=published&sort_on=path&b_size=1"
        )
        items = found.json().get("items", []) if found.status_code == 200 else []
        if not items:
            raise JourneyFailed(f"the site has no published {portal_type}")
        page.goto(items[0]["@id"], wait_until="networkidle")

    return before


PAGE_TYPES = [
    ("top", "トップページ", None),
    ("examnotice", "試験案内", "ExamNotice"),
    ("jobcategory", "職種紹介", "JobCategory"),
    ("staffprofile", "職員インタビュー", "StaffProfile"),
    ("faq", "よくある質問（1 件）", "FAQ"),
    ("news", "ニュース", "News Item"),
    ("event", "イベント", "Event"),
    ("folder", "フォルダー（一覧）", "Folder"),
]


def page_type_journey(device):
    label = "スマートフォン" if device == "phone" else "PC"
    steps = []
    for key, name, portal_type in PAGE_TYPES:
        steps.append(
            Step(
                f"type-{key}-{device}",
                f"{name}（{label}）",
                f"{label}の画面幅で表示した{name}の画面。ヘッダー、パンくず、本文、フッターの配置が分かる",
                path="/" if portal_type is None else None,
                before=None if portal_type is None else first_of(portal_type),
            )
        )
    return Journey(f"page-types-{device}", f"ページの種類ごとの画面（{label}）", device, None, steps)


JOURNEYS = [
    AUTHOR,
    ADMINISTRATOR,
    REVISION,
    STUDENT,
    CAREER,
    DISABILITY,
    PARENT,
    page_type_journey("phone"),
    page_type_journey("pc"),
]


# -- running ----------------------------------------------------------------------------------


def ensure_people(run: Run) -> None:
    """The journeys' people, made through the REST API as the Zope administrator (idempotent)."""
    if run.rest("GET", f"/@groups/{DEPARTMENT}").status_code == 404:
        made = run.rest(
            "POST", "/@groups", json={"groupname": DEPARTMENT, "title": "作成者（人事委員会事務局）"}
        )
        if made.status_code != 201:
            raise JourneyFailed(f"cannot create group {DEPARTMENT}: {made.status_code} {made.text[:200]}")
    for user_id, (fullname, groups) in PEOPLE.items():
        if run.rest("GET", f"/@users/{user_id}").status_code == 404:
            made = run.rest(
                "POST",
                "/@users",
                json={
                    "username": user_id,
                    "fullname": fullname,
                    "password": PASSWORD,
                    "email": f"{user_id}@pref.kagoshima.example",
                },
            )
            if made.status_code != 201:
                raise JourneyFailed(f"cannot create user {user_id}: {made.status_code} {made.text[:200]}")
        for group in groups:
            run.rest("PATCH", f"/@groups/{group}", json={"users": {user_id: True}})
    run.rest(
        "POST",
        f"/{SECTION}/@sharing",
        json={"entries": [{"id": DEPARTMENT, "type": "group", "roles": {"Contributor": True}}]},
    )


def outline(page, selector, on: bool) -> None:
    locator = page.locator(selector).first
    if on:
        locator.scroll_into_view_if_needed(timeout=10000)
        locator.evaluate(
            f"e => {{ e.dataset.saiyoFigure = e.style.outline; e.style.outline = '{HIGHLIGHT}';"
            " e.style.outlineOffset = '2px'; }"
        )
    else:
        locator.evaluate("e => { e.style.outline = e.dataset.saiyoFigure || ''; }")


def target(run: Run, path: str) -> str:
    if path.startswith("page:"):
        return f"{run.state['notice']}/{path[5:]}".rstrip("/")
    return run.base_url + path


def perform(page, run: Run, journey: Journey, number: int, step: Step, folder: Path) -> Figure:
    if step.before is not None:
        step.before(page, run)
    if step.path:
        response = page.goto(target(run, step.path), wait_until="networkidle")
        if response is not None and response.status >= 400:
            raise JourneyFailed(f"{page.url} answered {response.status}")
    if step.prepare is not None:
        step.prepare(page, run)
    if step.expect is not None:
        where = page.locator(step.highlight).first if step.highlight else page.locator("body")
        shown = where.inner_text(timeout=10000)
        if step.expect not in shown:
            raise JourneyFailed(f"the screen does not show {step.expect!r}")
    if step.highlight:
        outline(page, step.highlight, True)
    path = folder / f"{step.id}.png"
    page.screenshot(path=str(path), full_page=step.full_page)
    if step.highlight:
        outline(page, step.highlight, False)
        if step.press:
            page.locator(step.highlight).first.click()
            page.wait_for_load_state("networkidle")
    if step.after is not None:
        step.after(page, run)
    return Figure(step.id, step.caption, step.alt, path, journey.name, number)


def capture(
    base_url: str, admin: tuple[str, str], folder: Path, journeys=None, log=print
) -> dict[str, Figure]:
    """Drive ``journeys`` (default: all) through the site at ``base_url``; return the figures by id."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    run = Run(base_url.rstrip("/"), admin)
    chosen = journeys or JOURNEYS
    if any(journey.who for journey in chosen):
        ensure_people(run)
    figures: dict[str, Figure] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for journey in chosen:
                context = browser.new_context(
                    locale="ja-JP", timezone_id="Asia/Tokyo", **VIEWPORTS[journey.device]
                )
                context.set_default_timeout(30000)
                page = context.new_page()
                started = time.monotonic()
                for number, step in enumerate(journey.steps, start=1):
                    try:
                        figures[step.id] = perform(page, run, journey, number, step, folder)
                    except Exception as error:
                        raise JourneyFailed(
                            f"journey {journey.name!r} step {number} ({step.id}: {step.caption}) failed: "
                            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
                        ) from error
                log(f"{journey.name}: {len(journey.steps)} screens in {time.monotonic() - started:.1f} s")
                context.close()
        finally:
            browser.close()
    return figures


def write_manifest(figures: dict[str, Figure], path: Path, started: float) -> None:
    path.write_text(
        json.dumps(
            {
                "started": started,
                "figures": {
                    key: {
                        "caption": f.caption,
                        "alt": f.alt,
                        "file": f.path.name,
                        "journey": f.journey,
                        "step": f.number,
                    }
                    for key, f in figures.items()
                },
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
