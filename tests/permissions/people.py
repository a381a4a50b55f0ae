"""The people of the permission tests, made through the REST API as the Zope administrator.

- 作成者 A and B: group 作成者 (``authors``) and the department group ``authors-jinji``, which
  has the local role Contributor (追加可) on /shiken — the documented way to give a
  department its section;
- 作成者 C: group 作成者 only (another department: no section here);
- 管理者: group 管理者 (``administrators``).

Idempotent: the ``plone`` fixture lives for the whole session, several modules use it.
"""

from tests.e2e.helpers import rest


PASSWORD = "Saiyo-Matrix-2026"
SECTION = "shiken"
DEPARTMENT = "authors-jinji"
PEOPLE = {
    "author-a": ("鹿児島 花子", ["authors", DEPARTMENT]),
    "author-b": ("薩摩 太郎", ["authors", DEPARTMENT]),
    "author-c": ("大隅 次郎", ["authors"]),
    "kanri": ("管理 一郎", ["administrators"]),
}


def email_of(user_id: str) -> str:
    return f"{user_id}@pref.kagoshima.example"


def ensure_people(plone) -> dict:
    """Create the department group, the users and the section's sharing; return {user: auth}."""
    if rest(plone, "GET", f"/@groups/{DEPARTMENT}").status_code == 404:
        created = rest(
            plone,
            "POST",
            "/@groups",
            json={
                "groupname": DEPARTMENT,
                "title": "作成者（人事委員会事務局）",
                "description": "/shiken（採用試験情報）を担当する作成者",
            },
        )
        assert created.status_code == 201, created.text
    for user_id, (fullname, groups) in PEOPLE.items():
        if rest(plone, "GET", f"/@users/{user_id}").status_code == 404:
            created = rest(
                plone,
                "POST",
                "/@users",
                json={
                    "username": user_id,
                    "email": email_of(user_id),
                    "password": PASSWORD,
                    "fullname": fullname,
                },
            )
            assert created.status_code == 201, created.text
        for group in groups:
            added = rest(plone, "PATCH", f"/@groups/{group}", json={"users": {user_id: True}})
            assert added.status_code == 204, added.text
    shared = rest(
        plone,
        "POST",
        f"/{SECTION}/@sharing",
        json={"entries": [{"id": DEPARTMENT, "type": "group", "roles": {"Contributor": True}}]},
    )
    assert shared.status_code == 204, shared.text
    return {user_id: (user_id, PASSWORD) for user_id in PEOPLE}
