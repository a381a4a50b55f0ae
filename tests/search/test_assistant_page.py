"""The assistant (質問する) on the demo site, in Chromium and over REST: the plain form without
JavaScript, the enhanced form under the site's real Content-Security-Policy, axe-core at 375 and
1280 px, and a set of visitors' questions answered from the right pages (or honestly not)."""

from collections import deque
from tests.visitor.pages import run_axe
from tests.visitor.pages import visitor

import pytest
import requests
import time


# (question, the path the first source must end with, or None when it must not answer).
# Exam ids carry the fiscal year, so exam answers are checked by their path's start.
QUESTIONS = [
    ("大学卒業程度の申込締切はいつ？", "/shiken/annai/daigaku-"),
    ("高校卒業程度の第1次試験日はいつですか", "/shiken/annai/koukou-"),
    ("民間企業等職務経験者の試験の受付期間を教えてください", "/shiken/annai/keiken-"),
    ("試験案内はいつごろ掲載されますか", "/faq/moushikomi-jiki"),
    ("郵送で申し込むことはできますか", "/faq/moushikomi-yuusou"),
    ("男性も育児休業を取れますか", "/faq/"),
    ("残業は多いですか", "/faq/"),
    ("年齢の上限はありますか", "/faq/"),
    ("日本国籍がなくても受験できますか", "/faq/"),
    ("副業はできますか", "/faq/"),
    ("宇宙飛行士になるにはどうすればよいですか", None),
    ("好きな食べ物は何ですか", None),
]


# The site allows RATE_LIMIT questions a minute per client, and every question of these
# tests comes from this machine: the tests keep to the limit instead of switching it off.
RATE_LIMIT = 10
_asked = deque()


def keep_to_rate_limit(questions=1):
    """Wait until ``questions`` more questions fit into the site's minute."""
    while True:
        now = time.monotonic()
        while _asked and _asked[0] <= now - 61:
            _asked.popleft()
        if len(_asked) + questions <= RATE_LIMIT:
            _asked.extend([now] * questions)
            return
        time.sleep(_asked[0] + 61 - now)


def ask(plone, question):
    keep_to_rate_limit()
    return requests.post(
        f"{plone.url}/++api++/@assistant",
        json={"question": question},
        headers={"Accept": "application/json"},
        timeout=60,
    )


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
def test_questions_on_demo_content(plone, question, expected):
    response = ask(plone, question)
    assert response.status_code == 200, response.text
    data = response.json()
    if expected is None:
        assert data["found"] is False, data
        assert data["sources"] == []
        assert data["answer"].startswith("申し訳ありません。")
        return
    assert data["found"] is True, data
    assert 1 <= len(data["sources"]) <= 3
    first = data["sources"][0]["@id"].removeprefix(plone.url)
    assert first.startswith(expected), (question, data)
    assert data["answer"].strip()


def test_rest_refuses_bad_input(plone):
    response = ask(plone, "")
    assert response.status_code == 400
    assert response.json()["message"] == "質問を入力してください。"


def test_form_without_javascript(chromium, plone):
    context = chromium.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{plone.url}/@@saiyo-assistant")
        page.get_by_label("質問（200文字以内）").fill("大学卒業程度の申込締切はいつ？")
        keep_to_rate_limit()
        page.get_by_role("button", name="質問する").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/@@saiyo-assistant")
        answer = page.locator(".saiyo-assistant__answer")
        assert "申込受付" in answer.inner_text()
        source = page.locator(".saiyo-assistant__sources a").first
        assert "/shiken/annai/daigaku-" in source.get_attribute("href")
    finally:
        context.close()


def test_form_with_javascript_under_the_sites_csp(page, plone):
    """The box on the FAQ page answers in place (no page load), with the site's CSP in force."""
    page.goto(f"{plone.url}/faq")
    box = page.locator("section.saiyo-assistant")
    box.get_by_label("質問（200文字以内）").fill("<b>残業</b>は多いですか")
    keep_to_rate_limit()
    with page.expect_response(lambda r: r.url.endswith("/++api++/@assistant")) as response_info:
        box.get_by_role("button", name="質問する").click()
    assert response_info.value.status == 200
    region = box.locator("[aria-live=polite]")
    region.locator(".saiyo-assistant__answer").wait_for()
    assert page.url == f"{plone.url}/faq"
    assert region.locator(".saiyo-assistant__sources a").count() >= 1
    assert region.locator("b").count() == 0  # the question's markup stayed text
    assert page.errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_axe_no_violations(chromium, plone, width):
    with visitor(chromium, width, 900) as page:
        page.goto(f"{plone.url}/@@saiyo-assistant")
        page.get_by_label("質問（200文字以内）").fill("好きな食べ物は何ですか")
        keep_to_rate_limit()
        page.get_by_role("button", name="質問する").click()
        page.locator(".saiyo-assistant__answer").wait_for()
        assert run_axe(page) == []
        page.goto(f"{plone.url}/")
        assert page.locator("section.saiyo-assistant form").count() == 1
        assert run_axe(page) == []
