"""Hardening over real HTTP against the site 'make run' creates.

Brute-force login → lockout; security headers on every kind of response; a cross-site form
post refused by plone.protect; no member lists or author pages for anonymous visitors;
drafts never in search or the REST API; uploads limited to the allow-list and the size
limit; the password policy; password reset that does not tell which accounts exist.
"""

from tests.e2e.helpers import JSON
from tests.e2e.helpers import rest

import base64
import pytest
import re
import requests
import uuid


PASSWORD = "Sakurajima-Kazan-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def make_user(plone, user_id, password=PASSWORD):
    if rest(plone, "GET", f"/@users/{user_id}").status_code == 404:
        created = rest(
            plone,
            "POST",
            "/@users",
            json={"username": user_id, "email": f"{user_id}@pref.kagoshima.example", "password": password},
        )
        assert created.status_code == 201, created.text
    return user_id


def form_login(session, plone, login, password):
    return session.post(
        f"{plone.url}/login",
        data={"__ac_name": login, "__ac_password": password, "buttons.login": "ログイン", "came_from": ""},
        allow_redirects=True,
        timeout=60,
    )


def logged_in(session, plone) -> bool:
    answer = session.get(f"{plone.url}/@@personal-information", allow_redirects=False, timeout=60)
    return answer.status_code == 200


def audit_rows(plone, **query):
    answer = requests.get(
        f"{plone.url}/@@saiyo-audit", params={**query, "format": "csv"}, auth=plone.admin, timeout=60
    )
    assert answer.status_code == 200, answer.status_code
    return answer.content.decode("utf-8-sig").splitlines()[1:]


# Lockout --------------------------------------------------------------------------------


def test_brute_force_login_locks_the_account(plone):
    user = make_user(plone, f"brute-{uuid.uuid4().hex[:6]}")
    session = requests.Session()
    answers = [form_login(session, plone, user, f"guess-{n:04d}-wrong") for n in range(5)]
    assert all(not logged_in(session, plone) for _ in [0])
    assert "一時的にログインできません" in answers[-1].text
    # Now even the right password is refused, in the form and over basic auth.
    right = requests.Session()
    answer = form_login(right, plone, user, PASSWORD)
    assert "一時的にログインできません" in answer.text
    assert not logged_in(right, plone)
    basic = requests.get(f"{plone.url}/@users/{user}", headers=JSON, auth=(user, PASSWORD), timeout=60)
    assert basic.status_code == 401
    rows = audit_rows(plone, user=user)
    assert sum(",ログイン失敗," in row for row in rows) == 5
    assert sum(",アカウントのロック," in row for row in rows) == 1
    assert any(",ロック中のログイン," in row for row in rows)
    # Every row says where it came from.
    assert all(row.rstrip().split(",")[-1] for row in rows)


def test_lockout_does_not_reveal_which_accounts_exist(plone):
    user = make_user(plone, f"real-{uuid.uuid4().hex[:6]}")
    ghost = f"ghost-{uuid.uuid4().hex[:6]}"

    def messages(login):
        session = requests.Session()
        texts = []
        for n in range(6):
            page = form_login(session, plone, login, f"guess-{n:04d}-wrong").text
            texts.append(sorted(set(re.findall(r'class="[^"]*alert[^"]*"[^>]*>(.*?)</', page, re.S))))
        return texts

    assert messages(user) == messages(ghost)


def test_first_failures_then_success_logs_in(plone):
    user = make_user(plone, f"typo-{uuid.uuid4().hex[:6]}")
    session = requests.Session()
    form_login(session, plone, user, "a-wrong-password-1")
    form_login(session, plone, user, PASSWORD)
    assert logged_in(session, plone)
    rows = audit_rows(plone, user=user, action="login")
    assert rows, "the login is in the audit trail"


def test_client_cannot_choose_its_recorded_address(plone):
    """A client's own X-Forwarded-For is not believed (only a configured proxy's is)."""
    user = f"xff-{uuid.uuid4().hex[:6]}"
    requests.get(
        f"{plone.url}/@users/{user}",
        headers={**JSON, "X-Forwarded-For": "198.51.100.23"},
        auth=(user, "not-the-password-1"),
        timeout=60,
    )
    (row,) = audit_rows(plone, user=user)
    assert row.endswith(",127.0.0.1"), row


# Password policy and reset ---------------------------------------------------------------


@pytest.mark.parametrize(
    "username,password",
    [("shortpw", "Short-pw-1"), ("tanakah", "tanakah-is-my-password"), ("satsuma", "SATSUMA-sakurajima-1")],
)
def test_password_policy(plone, username, password):
    answer = rest(
        plone,
        "POST",
        "/@users",
        json={"username": username, "email": f"{username}@pref.kagoshima.example", "password": password},
    )
    assert answer.status_code == 400, answer.text
    assert "パスワード" in answer.json()["error"]["message"]


def test_password_reset_does_not_tell_who_exists(plone):
    user = make_user(plone, f"reset-{uuid.uuid4().hex[:6]}")
    known = requests.post(f"{plone.url}/@users/{user}/reset-password", headers=JSON, timeout=60)
    unknown = requests.post(
        f"{plone.url}/@users/nobody-{uuid.uuid4().hex[:6]}/reset-password", headers=JSON, timeout=60
    )
    assert known.status_code == unknown.status_code == 204
    a = requests.get(f"{plone.url}/mail_password", params={"userid": user}, timeout=60)
    b = requests.get(f"{plone.url}/mail_password", params={"userid": "nobody-at-all"}, timeout=60)
    assert a.status_code == b.status_code == 200
    assert "登録されていれば" in a.text and "登録されていれば" in b.text
    assert "could not be found" not in b.text


# Headers ----------------------------------------------------------------------------------


def test_security_headers_on_every_response_type(plone):
    created = upload(plone, f"header-check-{uuid.uuid4().hex[:6]}.png", PNG, "image/png", "Image")
    assert created.status_code == 201, created.text
    image = created.json()["@id"]
    urls = {
        "page": (plone.url + "/", {}, None),
        "rest json": (plone.url + "/@search?SearchableText=試験", JSON, None),
        "rest 401": (plone.url + "/@users", JSON, None),
        "not found": (plone.url + "/no-such-page-here", {}, None),
        "login redirect": (plone.url + "/@@overview-controlpanel", {}, None),
        "static resource": (plone.url + "/++plone++static/plone-fontello.css", {}, None),
        "robots": (plone.url + "/robots.txt", {}, None),
        "image": (image + "/@@images/image", {}, plone.admin),
    }
    try:
        for kind, (url, headers, auth) in urls.items():
            answer = requests.get(url, headers=headers, auth=auth, allow_redirects=False, timeout=60)
            if kind == "image":
                assert answer.status_code == 200, (kind, answer.status_code)
                assert answer.headers["Content-Type"] == "image/png", kind
            got = answer.headers
            assert "frame-ancestors 'self'" in got.get("Content-Security-Policy", ""), (
                kind,
                answer.status_code,
                dict(got),
            )
            assert "object-src 'none'" in got["Content-Security-Policy"], kind
            assert got.get("X-Content-Type-Options") == "nosniff", kind
            assert got.get("Referrer-Policy") == "strict-origin-when-cross-origin", kind
    finally:
        rest(plone, "DELETE", image.removeprefix(plone.url))


def test_session_cookie_flags_and_secure_behind_https(plone):
    session = requests.Session()
    answer = session.post(
        f"{plone.url}/login",
        data={
            "__ac_name": make_user(plone, "cookie-user"),
            "__ac_password": PASSWORD,
            "buttons.login": "ログイン",
        },
        allow_redirects=False,
        timeout=60,
    )
    cookie = answer.headers.get("Set-Cookie", "")
    assert "__ac=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in development
    # Behind an HTTPS proxy (its VirtualHostBase rewrite says https): Secure and HSTS.
    https = requests.post(
        f"{plone.url}/VirtualHostBase/https/saiyo.example:443/Plone/VirtualHostRoot/login",
        data={"__ac_name": "cookie-user", "__ac_password": PASSWORD, "buttons.login": "ログイン"},
        allow_redirects=False,
        timeout=60,
    )
    assert "Secure" in https.headers.get("Set-Cookie", ""), https.headers
    assert https.headers.get("Strict-Transport-Security")


# CSRF ---------------------------------------------------------------------------------------


def test_cross_site_form_post_is_refused(plone):
    page_id = f"csrf-{uuid.uuid4().hex[:6]}"
    created = rest(plone, "POST", "/", json={"@type": "Document", "id": page_id, "title": "元のタイトル"})
    assert created.status_code == 201, created.text
    make_user(plone, "csrf-admin")
    rest(plone, "PATCH", "/@groups/administrators", json={"users": {"csrf-admin": True}})
    session = requests.Session()
    form_login(session, plone, "csrf-admin", PASSWORD)
    assert logged_in(session, plone)
    # What a page on another site would send: the victim's cookie, no _authenticator token.
    forged = session.post(
        f"{plone.url}/{page_id}/@@edit",
        data={"form.widgets.IDublinCore.title": "乗っ取られたタイトル", "form.buttons.save": "保存"},
        headers={"Origin": "https://evil.example", "Referer": "https://evil.example/attack.html"},
        allow_redirects=True,
        timeout=60,
    )
    assert forged.status_code in (200, 403)
    title = rest(plone, "GET", f"/{page_id}").json()["title"]
    assert title == "元のタイトル"
    # The same form from the site itself (with its token) works: the refusal was the token.
    form = session.get(f"{plone.url}/{page_id}/@@edit", timeout=60).text
    token = re.search(r'name="_authenticator"[^>]*value="([^"]+)"', form).group(1)
    honest = session.post(
        f"{plone.url}/{page_id}/@@edit",
        data={
            "form.widgets.IDublinCore.title": "正しい変更",
            "form.buttons.save": "保存",
            "_authenticator": token,
        },
        timeout=60,
    )
    assert honest.status_code == 200
    assert rest(plone, "GET", f"/{page_id}").json()["title"] == "正しい変更"


# Anonymous visitors ------------------------------------------------------------------------


def test_anonymous_cannot_list_members_or_see_author_pages(plone):
    make_user(plone, "hidden-author")
    for path in (
        "/@@member-search",
        "/author/hidden-author",
        "/@@author/hidden-author",
        "/@users",
        "/@users/hidden-author",
    ):
        answer = requests.get(
            plone.url + path, allow_redirects=False, timeout=60, headers={"Accept": "text/html"}
        )
        assert answer.status_code in (302, 401, 403, 404), (path, answer.status_code)
        assert "hidden-author@pref" not in answer.text, path
    json_users = requests.get(plone.url + "/@users", headers=JSON, timeout=60)
    assert json_users.status_code == 401


def test_search_and_rest_never_reveal_drafts(plone):
    marker = f"下書き秘密{uuid.uuid4().hex[:8]}"
    created = rest(
        plone,
        "POST",
        "/shiken",
        json={
            "@type": "Document",
            "title": marker,
            "description": marker,
            "text": {"data": f"<p>{marker}</p>"},
        },
    )
    assert created.status_code == 201, created.text
    draft_url = created.json()["@id"]
    # The administrator finds the draft first (other tests' drafts share the words 下書き and 秘密,
    # and the site search also lists pages with most of a query's words, after the full match).
    found = rest(plone, "GET", "/@search", params={"SearchableText": marker}).json()["items"]
    assert found and found[0]["@id"] == draft_url, found
    anonymous = [
        requests.get(plone.url + "/@search", params={"SearchableText": marker}, headers=JSON, timeout=60),
        requests.get(
            plone.url + "/@search",
            params={"Title": marker, "review_state": "private"},
            headers=JSON,
            timeout=60,
        ),
        requests.get(plone.url + "/@@search", params={"SearchableText": marker}, timeout=60),
        requests.get(plone.url + "/@@ajax-search", params={"SearchableText": marker}, timeout=60),
        requests.post(
            plone.url + "/@querystring-search",
            headers=JSON,
            json={
                "query": [
                    {
                        "i": "SearchableText",
                        "o": "plone.app.querystring.operation.string.contains",
                        "v": marker,
                    }
                ]
            },
            timeout=60,
        ),
        requests.get(plone.url + "/shiken", headers=JSON, params={"expand": "items"}, timeout=60),
        requests.get(draft_url, headers=JSON, timeout=60),
        requests.get(draft_url, timeout=60),
        requests.get(plone.url + "/sitemap.xml.gz", timeout=60),
    ]
    uid = created.json()["UID"]
    path = draft_url.split("://", 1)[1].split("/", 1)[1]
    for answer in anonymous:
        # Search pages repeat the words searched for; what must not appear is the draft itself.
        assert uid not in answer.text, answer.url
        if "/login" not in answer.url:  # the login page keeps the address asked for (came_from)
            assert path not in answer.text, answer.url
        else:
            assert marker not in answer.text, answer.url
        if answer.headers.get("Content-Type", "").startswith("application/json"):
            assert marker not in answer.text, answer.url


# Uploads ---------------------------------------------------------------------------------


def upload(plone, filename, data, content_type="application/octet-stream", portal_type="File"):
    field = "image" if portal_type == "Image" else "file"
    return rest(
        plone,
        "POST",
        "/",
        json={
            "@type": portal_type,
            "title": filename,
            field: {
                "data": base64.b64encode(data).decode(),
                "encoding": "base64",
                "filename": filename,
                "content-type": content_type,
            },
        },
    )


def message(response) -> str:
    """The error message of a REST API answer (its JSON escapes non-ASCII text)."""
    try:
        return response.json().get("message", response.text)
    except ValueError:
        return response.text


def test_upload_allow_list_and_size_limit(plone):
    assert upload(plone, "guide.pdf", PDF, "application/pdf").status_code == 201
    assert upload(plone, "dot.png", PNG, "image/png", "Image").status_code == 201
    svg = upload(
        plone,
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "image/svg+xml",
        "Image",
    )
    assert svg.status_code == 400 and "SVG" in message(svg), svg.text
    disguised = upload(plone, "photo.png", b"<svg onload=alert(1)>", "image/png", "Image")
    assert disguised.status_code == 400
    html = upload(plone, "page.html", b"<script>alert(1)</script>", "text/html")
    assert html.status_code == 400 and "アップロードできない種類" in message(html), html.text
    fake_pdf = upload(plone, "fake.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    assert fake_pdf.status_code == 400 and "一致しません" in message(fake_pdf), fake_pdf.text
    changed = rest(plone, "PATCH", "/@registry", json={"kagoshima.saiyo.security.upload_max_mb": 1})
    assert changed.status_code == 204, changed.text
    try:
        big = upload(plone, "big.pdf", PDF + b"0" * (1024 * 1024 + 10), "application/pdf")
        assert big.status_code == 400 and "大きすぎます" in message(big), big.text
    finally:
        rest(plone, "PATCH", "/@registry", json={"kagoshima.saiyo.security.upload_max_mb": 20})
