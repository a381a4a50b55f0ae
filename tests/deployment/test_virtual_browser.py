"""Staff through the prefecture's virtual browser, through the whole stack (nginx, two Zope clients, ZEO).

The virtual browser's egress addresses are 127.0.0.4 and 127.0.0.5 here
(``proxy.virtual_browser_networks``); it reaches the editing host directly or through the
prefecture's proxy (127.0.0.1, X-Forwarded-For), and its address changes between the
requests of one session. Login, session, CSRF protection, downloads and uploads must hold.
"""

from email.message import Message
from email.utils import collapse_rfc2231_value
from http.cookies import SimpleCookie
from saiyo_backend.cluster import loopback
from tests.deployment.conftest import EDIT
from tests.deployment.conftest import STRANGER
from tests.deployment.conftest import VIRTUAL_BROWSER

import base64
import io
import json
import re
import urllib.parse


FIRST, SECOND = VIRTUAL_BROWSER


def through(zeo_cluster, path, address, via_proxy=False, **kwargs):
    """A request to the editing host from ``address`` (or from the proxy on its behalf)."""
    if via_proxy:
        headers = {**kwargs.pop("headers", {}), "X-Forwarded-For": address}
        return zeo_cluster.edit(path, source="127.0.0.1", headers=headers, **kwargs)
    return zeo_cluster.edit(path, source=address, **kwargs)


def login(zeo_cluster, address) -> str:
    """Log in through the form from ``address``; the session cookie header value."""
    body = urllib.parse.urlencode(
        {"__ac_name": "admin", "__ac_password": zeo_cluster.admin_password, "buttons.login": "ログイン"}
    ).encode()
    # Every Set-Cookie header (Plone sends the status message's cookie too): the connection itself.
    connection = loopback._Connection("127.0.0.1", zeo_cluster.https_port, EDIT, address, 60, True)
    try:
        connection.request(
            "POST",
            "/login",
            body=body,
            headers={"Host": EDIT, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        response.read()
        cookies = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookies.load(header)
    finally:
        connection.close()
    assert response.status in (200, 302), response.status
    assert "__ac" in cookies, response.msg
    return f"__ac={cookies['__ac'].value}"


def test_editing_host_takes_the_virtual_browsers_addresses(zeo_cluster):
    for address in VIRTUAL_BROWSER:
        assert through(zeo_cluster, "/login", address).status == 200
        assert through(zeo_cluster, "/login", address, via_proxy=True).status == 200
    assert through(zeo_cluster, "/login", STRANGER).status == 403
    assert through(zeo_cluster, "/login", "127.0.0.9", via_proxy=True).status == 403
    # A forged X-Forwarded-For from an untrusted peer does not help.
    assert zeo_cluster.edit("/login", source=STRANGER, headers={"X-Forwarded-For": FIRST}).status == 403


def test_session_and_csrf_hold_when_the_address_changes(zeo_cluster):
    cookie = login(zeo_cluster, FIRST)
    # The same session from the other egress address, directly and through the proxy.
    for address, via_proxy in ((SECOND, False), (SECOND, True), (FIRST, True)):
        page = through(
            zeo_cluster, "/@@saiyo-assistant-unanswered", address, via_proxy, headers={"Cookie": cookie}
        )
        assert page.status == 200, (address, via_proxy, page.status)
        assert "回答できなかった質問" in page.text
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
    form = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    # A form token taken at one address is good at the other ...
    reply = through(
        zeo_cluster,
        "/@@saiyo-assistant-unanswered",
        SECOND,
        method="POST",
        body=urllib.parse.urlencode({"_authenticator": token, "delete": "1"}).encode(),
        headers=form,
    )
    assert reply.status == 200, reply.status
    assert "件の質問を一覧から削除しました" in reply.text
    # ... and a POST without it is still refused (plone.protect), whatever the address.
    forged = through(
        zeo_cluster,
        "/@@saiyo-assistant-unanswered",
        FIRST,
        via_proxy=True,
        method="POST",
        body=b"delete=1",
        headers=form,
    )
    assert forged.status == 403, forged.status
    assert "件の質問を一覧から削除しました" not in forged.text


def test_downloads_keep_japanese_names_through_nginx(zeo_cluster):
    cookie = login(zeo_cluster, SECOND)
    reply = through(
        zeo_cluster, "/@@saiyo-audit?format=csv", FIRST, via_proxy=True, headers={"Cookie": cookie}
    )
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert reply.headers["x-content-type-options"] == "nosniff"
    message = Message()
    message["Content-Disposition"] = reply.headers["content-disposition"]
    names = dict(message.get_params(header="content-disposition")[1:2])
    assert re.fullmatch(r"\d{8}-\d{4}\.csv", names["filename"])  # the ASCII fallback
    extended = [
        value for key, value in message.get_params(header="content-disposition") if isinstance(value, tuple)
    ]
    assert re.fullmatch(r"操作履歴_\d{8}-\d{4}\.csv", collapse_rfc2231_value(extended[0]))
    assert int(reply.headers["content-length"]) == len(reply.body)


def test_pdf_and_image_uploads_from_both_addresses(zeo_cluster):
    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 120, 40)).save(photo, "JPEG", quality=95)
    pdf = b"%PDF-1.4\n" + b"%" + b"x" * (3 * 1024 * 1024) + b"\n%%EOF\n"  # 3 MB, as scanned leaflets are
    token = base64.b64encode(f"admin:{zeo_cluster.admin_password}".encode()).decode()
    uploads = (
        (FIRST, "File", "file", "setsumeikai-annai.pdf", "application/pdf", pdf),
        (SECOND, "Image", "image", "shokuba-shashin.jpg", "image/jpeg", photo.getvalue()),
    )
    for address, portal_type, field, name, content_type, data in uploads:
        item = {
            "@type": portal_type,
            "id": f"vb-{field}",
            "title": name,
            field: {
                "data": base64.b64encode(data).decode(),
                "encoding": "base64",
                "filename": name,
                "content-type": content_type,
            },
        }
        reply = through(
            zeo_cluster,
            "/++api++/",
            address,
            via_proxy=True,
            method="POST",
            body=json.dumps(item).encode(),
            headers={
                "Authorization": f"Basic {token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )
        assert reply.status == 201, (name, reply.status, reply.text[:500])
        stored = through(
            zeo_cluster,
            f"/vb-{field}/@@download/{field}",
            address,
            headers={"Authorization": f"Basic {token}"},
        )
        assert stored.status == 200
        assert stored.body == data
