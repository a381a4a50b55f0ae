"""'make training': the practice site's trainees, made by 'saiyo training' on a real site, each write
in their own folder only, through Plone's own roles (REST API on a real Zope on loopback)."""

from tests.support.throwaway import make_instance

import csv
import pytest
import requests
import stat


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def practice(tmp_path_factory):
    instance = make_instance(tmp_path_factory.mktemp("training"))
    created = instance.create_site()
    assert created.returncode == 0, created.stdout + created.stderr
    prepared = instance.saiyo("training", "--trainees", "3")
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    assert "training ready: 3 trainees" in prepared.stdout
    sheet = instance.var / "training-accounts.csv"
    first = list(csv.reader(sheet.open(encoding="utf-8-sig")))
    # Run again: the same folders, new passwords (the sheet handed out on the day is the only valid one).
    again = instance.saiyo("training", "--trainees", "3")
    assert again.returncode == 0, again.stdout + again.stderr
    assert instance.start() == 0
    yield instance, first, list(csv.reader(sheet.open(encoding="utf-8-sig"))), sheet
    instance.stop()


def post_page(instance, folder, auth, title="練習ページ"):
    return requests.post(
        f"{instance.url}{folder}",
        headers=JSON,
        auth=auth,
        json={"@type": "Document", "title": title},
        timeout=60,
    )


def test_sheet_lists_numbered_trainees_with_their_folders_and_only_the_owner_reads_it(practice):
    _instance, first, sheet, path = practice
    assert sheet[0] == ["ユーザー名", "パスワード", "氏名", "練習用フォルダー"]
    assert [row[0] for row in sheet[1:]] == ["kenshu01", "kenshu02", "kenshu03"]
    assert [row[3] for row in sheet[1:]] == ["/kenshu/kenshu01", "/kenshu/kenshu02", "/kenshu/kenshu03"]
    assert all(len(row[1]) >= 12 and row[0] not in row[1] for row in sheet[1:])
    assert [row[1] for row in first[1:]] != [row[1] for row in sheet[1:]]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_trainee_writes_in_own_folder_only(practice):
    instance, first, sheet, _path = practice
    (user, password, _name, folder) = sheet[1]
    other = sheet[2][3]
    made = post_page(instance, folder, (user, password))
    assert made.status_code == 201, made.text
    # The draft is the trainee's; the submit transition of the authors' workflow is offered.
    transitions = requests.get(
        f"{made.json()['@id']}/@workflow", headers=JSON, auth=(user, password), timeout=60
    )
    assert "submit" in {item["@id"].rsplit("/", 1)[-1] for item in transitions.json()["transitions"]}
    assert post_page(instance, other, (user, password)).status_code in (401, 403)
    assert post_page(instance, "/", (user, password)).status_code in (401, 403)
    # The trainees may look into /kenshu; visitors may not.
    assert (
        requests.get(f"{instance.url}/kenshu", headers=JSON, auth=(user, password), timeout=60).status_code
        == 200
    )
    assert requests.get(f"{instance.url}/kenshu", headers=JSON, timeout=60).status_code == 401
    # The first run's password no longer works.
    stale = requests.get(f"{instance.url}/@users/{user}", headers=JSON, auth=(user, first[1][1]), timeout=60)
    assert stale.status_code == 401
