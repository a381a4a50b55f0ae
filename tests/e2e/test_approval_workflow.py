"""The approval workflow in a real Chromium, with the mail caught by a real SMTP server.

作成者 A submits a page from the workflow menu, the 管理者 gets the mail, sends the page back
from the 差し戻し form (the reason is required: by the browser and, tested separately, by the
server) and later publishes it; A gets both mails. The REST API refuses 差し戻し without a
comment. A change to the published page goes through a working copy that the 管理者 checks in,
and visitors never see the half-done text.
"""

from kagoshima.saiyo.tests.smtp import SmtpSink
from tests.conftest import OUTPUT
from tests.e2e.helpers import JSON
from tests.e2e.helpers import login
from tests.e2e.helpers import rest
from tests.permissions.people import email_of
from tests.permissions.people import ensure_people
from tests.permissions.people import SECTION

import pytest
import requests
import uuid


@pytest.fixture(scope="module")
def smtp(plone):
    """The site's mail goes to an SMTP server of the test's own on a free loopback port."""
    before = rest(plone, "GET", "/@controlpanels/mail").json()["data"]
    with SmtpSink() as sink:
        changed = rest(
            plone, "PATCH", "/@controlpanels/mail", json={"smtp_host": sink.host, "smtp_port": sink.port}
        )
        assert changed.status_code == 204, changed.text
        yield sink
        rest(
            plone,
            "PATCH",
            "/@controlpanels/mail",
            json={"smtp_host": before["smtp_host"], "smtp_port": before["smtp_port"]},
        )


@pytest.fixture(scope="module")
def people(plone):
    return ensure_people(plone)


def call(method, url, auth, **kwargs):
    return requests.request(method, url, headers=JSON, auth=auth, timeout=60, **kwargs)


def one_mail(sink, to):
    (mail,) = [m for m in sink.wait_for(1) if m["to"] == [to]]
    sink.clear()
    return mail


def choose_transition(page, transition):
    page.click("#plone-contentmenu-workflow > a")
    page.click(f"#workflow-transition-{transition}")
    page.wait_for_load_state("networkidle")


def state_label(page):
    return page.locator("#plone-contentmenu-workflow .toolbar-label").inner_text()


def as_person(chromium, plone, auth):
    context = chromium.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    login(page, plone.url, *auth)
    return context, page


def test_submit_reject_publish_in_the_browser(plone, page, chromium, smtp, people):
    author, kanri = people["author-a"], people["kanri"]
    title = f"職員採用説明会のお知らせ {uuid.uuid4().hex[:6]}"
    created = call("POST", f"{plone.url}/{SECTION}", author, json={"@type": "Document", "title": title})
    assert created.status_code == 201, created.text
    url = created.json()["@id"]
    smtp.clear()

    # 作成者: 承認依頼 from the workflow menu.
    login(page, plone.url, *author)
    page.goto(url, wait_until="networkidle")
    assert "下書き" in state_label(page)
    choose_transition(page, "submit")
    assert "承認待ち" in state_label(page)
    mail = one_mail(smtp, email_of("kanri"))
    assert mail["subject"] == f"【承認依頼】{title}"
    assert url in mail["body"] and "鹿児島 花子さんから" in mail["body"]
    assert "鹿児島県職員採用ウェブサイト" in mail["from"] and "saiyo@pref.kagoshima.example" in mail["from"]

    # 管理者: 差し戻し leads to the form; the reason is required.
    context, admin_page = as_person(chromium, plone, kanri)
    admin_page.goto(url, wait_until="networkidle")
    choose_transition(admin_page, "reject")
    assert admin_page.url.startswith(f"{url}/@@saiyo-reject")
    assert admin_page.locator("#saiyo-reject-comment").get_attribute("required") is not None
    # Without the browser's check, the server refuses too.
    admin_page.evaluate("document.querySelector('#saiyo-reject-comment').removeAttribute('required')")
    admin_page.click("button[name='form.buttons.reject']")
    admin_page.wait_for_load_state("networkidle")
    assert (
        "差し戻しの理由（コメント）を入力してください"
        in admin_page.locator("#saiyo-reject-error").inner_text()
    )
    assert call("GET", url, kanri).json()["review_state"] == "pending"
    OUTPUT.mkdir(exist_ok=True)
    admin_page.screenshot(path=str(OUTPUT / "saiyo-reject-form.png"), full_page=True)
    admin_page.fill("#saiyo-reject-comment", "開催日を和暦でも書いてください。")
    admin_page.click("button[name='form.buttons.reject']")
    admin_page.wait_for_load_state("networkidle")
    assert admin_page.url.split("?")[0] in (url, f"{url}/view")
    assert "差し戻しました" in admin_page.content()
    assert "下書き" in state_label(admin_page)
    mail = one_mail(smtp, email_of("author-a"))
    assert mail["subject"] == f"【差し戻し】{title}"
    assert "開催日を和暦でも書いてください。" in mail["body"] and url in mail["body"]

    # 作成者 submits again; 管理者 publishes from the menu.
    page.goto(url, wait_until="networkidle")
    choose_transition(page, "submit")
    smtp.clear()
    admin_page.goto(url, wait_until="networkidle")
    choose_transition(admin_page, "publish")
    assert "公開" in state_label(admin_page)
    mail = one_mail(smtp, email_of("author-a"))
    assert mail["subject"] == f"【公開】{title}"
    assert requests.get(url, timeout=60).status_code == 200
    context.close()
    assert page.errors == []


def test_rest_api_reject_needs_a_comment(plone, smtp, people):
    author, kanri = people["author-a"], people["kanri"]
    created = call(
        "POST", f"{plone.url}/{SECTION}", author, json={"@type": "Document", "title": "差し戻しの確認"}
    )
    url = created.json()["@id"]
    assert call("POST", f"{url}/@workflow/submit", author).status_code == 200
    smtp.clear()
    for body in ({}, {"comment": ""}, {"comment": "  "}):
        refused = call("POST", f"{url}/@workflow/reject", kanri, json=body)
        assert refused.status_code == 400, refused.text
        assert "差し戻しの理由（コメント）を入力してください" in refused.json()["error"]["message"]
    assert call("GET", url, kanri).json()["review_state"] == "pending"
    assert smtp.wait_for(1, timeout=1) == []
    done = call("POST", f"{url}/@workflow/reject", kanri, json={"comment": "表の見出しを付けてください。"})
    assert done.status_code == 200, done.text
    assert done.json()["review_state"] == "private"
    assert "表の見出しを付けてください。" in one_mail(smtp, email_of("author-a"))["body"]


def test_published_page_changes_through_a_working_copy(plone, chromium, smtp, people):
    author, kanri = people["author-a"], people["kanri"]
    created = call(
        "POST",
        f"{plone.url}/{SECTION}",
        author,
        json={
            "@type": "Document",
            "title": "試験会場のご案内",
            "text": {"data": "<p>会場は鹿児島市です。</p>", "content-type": "text/html"},
        },
    )
    url = created.json()["@id"]
    assert call("POST", f"{url}/@workflow/submit", author).status_code == 200
    assert call("POST", f"{url}/@workflow/publish", kanri).status_code == 200
    # The author cannot edit the live page: they make a working copy.
    assert call("PATCH", url, author, json={"title": "勝手に変更"}).status_code in (401, 403)
    checked_out = call("POST", f"{url}/@workingcopy", author)
    assert checked_out.status_code == 201, checked_out.text
    copy = checked_out.json()["@id"]
    changed = call(
        "PATCH",
        copy,
        author,
        json={"text": {"data": "<p>会場は奄美市です。</p>", "content-type": "text/html"}},
    )
    assert changed.status_code == 204, changed.text
    assert call("POST", f"{copy}/@workflow/submit", author).status_code == 200
    assert "会場は鹿児島市です。" in requests.get(url, timeout=60).text
    assert requests.get(copy, timeout=60, allow_redirects=False).status_code != 200
    smtp.clear()

    # 管理者 approves in the browser: no 公開 on a working copy, but 反映（チェックイン）.
    context, admin_page = as_person(chromium, plone, kanri)
    admin_page.goto(copy, wait_until="networkidle")
    admin_page.click("#plone-contentmenu-workflow > a")
    assert admin_page.locator("#workflow-transition-publish").count() == 0
    assert admin_page.locator("#workflow-transition-reject").count() == 1
    admin_page.click("#plone-contentmenu-actions > a")
    checkin = admin_page.locator("#plone-contentmenu-actions-iterate_checkin")
    assert "承認して公開ページに反映" in checkin.inner_text()
    checkin.click()
    admin_page.wait_for_load_state("networkidle")
    admin_page.click("[name='form.button.Checkin']")
    admin_page.wait_for_load_state("networkidle")
    context.close()

    live = requests.get(url, timeout=60).text
    # The body's sentence, not the footer's address (which names 鹿児島市 on every page).
    assert "会場は奄美市です。" in live and "会場は鹿児島市です。" not in live
    assert call("GET", copy, kanri).status_code == 404
    mail = one_mail(smtp, email_of("author-a"))
    assert mail["subject"].startswith("【公開】試験会場のご案内")
