"""The permission matrix, run over real HTTP against the site 'make run' creates.

Who: anonymous, 作成者 A (the owner of every item), 作成者 B (same department group, not the
owner), 作成者 C (another department: no section here) and a 管理者. What: every action of
the specification on an item in each state 下書き / 承認待ち / 公開 / 公開終了, plus the
site-wide rights (users, settings). Each cell is really attempted with the person's
credentials (HTTP basic auth); an action that succeeds uses its item up and the next cell
gets a fresh one. The table is printed and written to test-output/permission-matrix.txt,
and every cell is compared with EXPECTED below.
"""

from tests.conftest import OUTPUT
from tests.e2e.helpers import JSON
from tests.e2e.helpers import rest
from tests.permissions.people import ensure_people
from tests.permissions.people import SECTION

import pytest
import requests
import unicodedata
import uuid


PERSONS = [
    ("anonymous", "匿名"),
    ("author-a", "作成者A(所有者)"),
    ("author-b", "作成者B(同じ所属)"),
    ("author-c", "作成者C(他の所属)"),
    ("kanri", "管理者"),
]
STATES = [("private", "下書き"), ("pending", "承認待ち"), ("published", "公開"), ("expired", "公開終了")]
SITE = "site"

# (action, label); cells per state as five characters in PERSONS order: o allowed, . refused.
ACTIONS = [
    ("view", "ページを見る GET"),
    ("search", "検索結果に出る @search"),
    ("edit", "編集 PATCH"),
    ("delete", "削除 DELETE"),
    ("add", "中にページを追加 POST"),
    ("submit", "承認依頼"),
    ("withdraw", "承認依頼の取消し"),
    ("publish", "公開"),
    ("reject", "差し戻し(理由つき)"),
    ("retract", "公開取り下げ"),
    ("expire", "公開終了"),
    ("checkout", "作業コピーを作る"),
    ("checkin", "作業コピーを反映(承認)"),
    ("list_users", "ユーザー一覧 GET @users"),
    ("add_user", "ユーザー追加 POST @users"),
    ("settings", "サイト設定の変更"),
    ("key_visual", "トップページのキービジュアルの変更"),
]
NEVER = "....."
EXPECTED = {
    "view": {"private": ".o..o", "pending": ".o..o", "published": "ooooo", "expired": ".o..o"},
    "search": {"private": ".o..o", "pending": ".o..o", "published": "ooooo", "expired": ".o..o"},
    "edit": {"private": ".o..o", "pending": "....o", "published": "....o", "expired": "....o"},
    "delete": {"private": ".o..o", "pending": "....o", "published": "....o", "expired": "....o"},
    "add": {"private": ".o..o", "pending": ".o..o", "published": ".oo.o", "expired": ".o..o"},
    "submit": {"private": ".o..o", "pending": NEVER, "published": NEVER, "expired": NEVER},
    "withdraw": {"private": NEVER, "pending": ".o...", "published": NEVER, "expired": NEVER},
    "publish": {"private": "....o", "pending": "....o", "published": NEVER, "expired": "....o"},
    "reject": {"private": NEVER, "pending": "....o", "published": NEVER, "expired": NEVER},
    "retract": {"private": NEVER, "pending": NEVER, "published": "....o", "expired": "....o"},
    "expire": {"private": NEVER, "pending": NEVER, "published": "....o", "expired": NEVER},
    "checkout": {"private": NEVER, "pending": NEVER, "published": ".oo.o", "expired": NEVER},
    # A working copy of a published page, checked out and submitted by A.
    "checkin": {"published": "....o"},
    "list_users": {SITE: "....o"},
    "add_user": {SITE: "....o"},
    "settings": {SITE: "....o"},
    "key_visual": {SITE: "....o"},
}
# Actions after which their item is no longer in its state (or gone, or locked).
CONSUMING = {"delete", "submit", "withdraw", "publish", "reject", "retract", "expire", "checkout", "checkin"}
STEPS_TO = {
    "private": [],
    "pending": ["submit"],
    "published": ["submit", "publish"],
    "expired": ["submit", "publish", "expire"],
}
TIMEOUT = 60


class Matrix:
    def __init__(self, plone, auths):
        self.plone = plone
        self.auths = {"anonymous": None, **auths}
        self.pool = {}
        self.counter = 0
        # Made by the Zope administrator, nobody of the table: in Plone the owner of a folder is
        # also owner of everything inside it (local roles are inherited).
        folder = rest(plone, "POST", f"/{SECTION}", json={"@type": "Folder", "title": "権限表の確認"})
        assert folder.status_code == 201, folder.text
        self.section = folder.json()["@id"]
        assert self.call("POST", f"{self.section}/@workflow/publish", plone.admin).status_code == 200

    # --- HTTP -------------------------------------------------------------------------

    def call(self, method, url, auth, **kwargs):
        headers = kwargs.pop("headers", JSON)
        return requests.request(method, url, headers=headers, auth=auth, timeout=TIMEOUT, **kwargs)

    def history(self, url):
        return self.call("GET", f"{url}/@workflow", self.auths["kanri"]).json()["history"]

    def state_of(self, url):
        return self.call("GET", url, self.auths["kanri"]).json()["review_state"]

    # --- items ------------------------------------------------------------------------

    def make(self, portal_type, state):
        """An item of A's (created by A, brought to ``state`` by A and the administrator)."""
        self.counter += 1
        author, kanri = self.auths["author-a"], self.auths["kanri"]
        title = f"権限表 {state} {self.counter} {uuid.uuid4().hex[:6]}"
        created = self.call("POST", self.section, author, json={"@type": portal_type, "title": title})
        assert created.status_code == 201, created.text
        item = created.json()
        for transition in STEPS_TO[state]:
            who = author if transition == "submit" else kanri
            done = self.call("POST", f"{item['@id']}/@workflow/{transition}", who)
            assert done.status_code == 200, (transition, done.text)
        assert self.state_of(item["@id"]) == state
        return {"url": item["@id"], "uid": item["UID"]}

    def item(self, kind, state):
        key = (kind, state)
        if key not in self.pool:
            if kind == "working copy":
                self.pool[key] = self.make_working_copy()
            else:
                self.pool[key] = self.make("Folder" if kind == "folder" else "Document", state)
        return self.pool[key]

    def make_working_copy(self):
        author = self.auths["author-a"]
        baseline = self.make("Document", "published")
        created = self.call("POST", f"{baseline['url']}/@workingcopy", author)
        assert created.status_code == 201, created.text
        copy = created.json()["@id"]
        assert self.call("PATCH", copy, author, json={"title": "修正案"}).status_code == 204
        assert self.call("POST", f"{copy}/@workflow/submit", author).status_code == 200
        return dict(baseline, copy=copy)

    # --- actions ----------------------------------------------------------------------

    def attempt(self, action, person, state):
        auth = self.auths[person]
        kind = {"add": "folder", "checkin": "working copy"}.get(action, "document")
        target = self.item(kind, state) if state != SITE else None
        allowed = self.perform(action, auth, target)
        if allowed and action in CONSUMING:
            del self.pool[(kind, state)]
        return allowed

    def perform(self, action, auth, target):
        url = target["url"] if target else None
        site = self.plone.url
        if action == "view":
            page = self.call("GET", url, auth, headers={"Accept": "text/html"}, allow_redirects=False)
            return page.status_code == 200
        if action == "search":
            found = self.call("GET", f"{site}/@search", auth, params={"UID": target["uid"]})
            return found.status_code == 200 and found.json()["items_total"] == 1
        if action == "edit":
            return self.call("PATCH", url, auth, json={"description": "権限表で編集"}).status_code == 204
        if action == "delete":
            return self.call("DELETE", url, auth).status_code == 204
        if action == "add":
            added = self.call("POST", url, auth, json={"@type": "Document", "title": "権限表で追加"})
            return added.status_code == 201
        if action in ("submit", "withdraw", "publish", "reject", "retract", "expire"):
            # @workflow also answers 200, changing nothing, when the item is already in the
            # transition's target state: what counts is a new entry in the history.
            before = self.history(url)
            done = self.call("POST", f"{url}/@workflow/{action}", auth, json={"comment": "権限表の確認"})
            after = self.history(url)
            return done.status_code == 200 and len(after) == len(before) + 1 and after[-1]["action"] == action
        if action == "checkout":
            return self.call("POST", f"{url}/@workingcopy", auth).status_code == 201
        if action == "checkin":
            return self.call("PATCH", f"{url}/@workingcopy", auth).status_code == 204
        if action == "list_users":
            return self.call("GET", f"{site}/@users", auth).status_code == 200
        if action == "add_user":
            name = f"matrix-{uuid.uuid4().hex[:8]}"
            payload = {
                "username": name,
                "email": f"{name}@pref.kagoshima.example",
                "password": "Matrix-Pass-2026",
            }
            return self.call("POST", f"{site}/@users", auth, json=payload).status_code == 201
        if action == "settings":
            title = rest(self.plone, "GET", "/@controlpanels/site").json()["data"]["site_title"]
            return (
                self.call(
                    "PATCH", f"{site}/@controlpanels/site", auth, json={"site_title": title}
                ).status_code
                == 204
            )
        if action == "key_visual":
            form = self.call("GET", f"{site}/@@saiyo-key-visual", auth, allow_redirects=False)
            return form.status_code == 200 and "form.widgets.key_visual_image" in form.text
        raise ValueError(action)


def width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text, size):
    return text + " " * (size - width(text))


def render(results):
    """The matrix as a text table; a cell that differs from EXPECTED is marked with !."""
    state_titles = dict(STATES, **{SITE: "サイト全体"})
    heads = ["操作", "状態"] + [title for _, title in PERSONS]
    rows = []
    for action, label in ACTIONS:
        for state, cells in EXPECTED[action].items():
            row = [label, state_titles[state]]
            for (person, _), expected in zip(PERSONS, cells, strict=True):
                actual = results[(action, state, person)]
                mark = "○" if actual else "×"
                if actual != (expected == "o"):
                    mark += "!"
                row.append(mark)
            rows.append(row)
    sizes = [max(width(row[i]) for row in [heads, *rows]) + 2 for i in range(len(heads))]
    lines = [
        "権限表: 実際の HTTP で各操作を試した結果（○ できる / × できない / ! 期待と違う）",
        "",
        "".join(pad(head, size) for head, size in zip(heads, sizes, strict=True)).rstrip(),
        "-" * sum(sizes),
    ]
    lines += [
        "".join(pad(cell, size) for cell, size in zip(row, sizes, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def results(plone):
    matrix = Matrix(plone, ensure_people(plone))
    found = {}
    for action, _ in ACTIONS:
        for state in EXPECTED[action]:
            for person, _ in PERSONS:
                found[(action, state, person)] = matrix.attempt(action, person, state)
    return found


def test_permission_matrix(results):
    table = render(results)
    print("\n" + table)
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "permission-matrix.txt").write_text(table, encoding="utf-8")
    wrong = [
        f"{action} / {state} / {person}: {'allowed' if results[(action, state, person)] else 'refused'}"
        for action, _ in ACTIONS
        for state, cells in EXPECTED[action].items()
        for (person, _), expected in zip(PERSONS, cells, strict=True)
        if results[(action, state, person)] != (expected == "o")
    ]
    assert wrong == [], "\n" + table


def test_every_cell_was_tried(results):
    expected_cells = sum(len(cells) * len(PERSONS) for cells in EXPECTED.values())
    assert len(results) == expected_cells
    assert {state for _, state, _ in results} == {state for state, _ in STATES} | {SITE}
