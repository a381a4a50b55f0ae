"""The import into a real site and the redirects over real HTTP (a throwaway instance, debug off).

The instance runs with debug mode off, as in production: in debug mode Zope shows its own
error page for NotFound and Plone's redirector never answers.
"""

from migration import build
from migration import report
from migration import source
from pathlib import Path
from tests.support.throwaway import make_instance

import copy
import json
import pytest
import requests


ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(__file__).parent / "fixtures" / "mirror"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    instance = make_instance(
        tmp_path_factory.mktemp("migration-site"), settings=["instance.debug_mode=false"]
    )
    created = instance.create_site("--demo")
    assert created.returncode == 0, created.stdout + created.stderr
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("migration-out")
    rules = build.load_rules()
    builder = build.Builder(list(source.read_mirror(MIRROR, rules["site_host"])), rules)
    builder.run()
    build.write(builder, out)
    return out


def run_import(site, folder):
    done = site.saiyo("migrate-import", str(folder))
    results = json.loads((folder / "import-result.json").read_text(encoding="utf-8"))
    return done, results


@pytest.fixture(scope="module")
def imported(site, out, tmp_path_factory):
    # 1. a run where one page breaks half-way (its image has broken data): nothing of it is left
    broken = tmp_path_factory.mktemp("broken")
    for name in ("pages.json", "redirects.json"):
        (broken / name).write_bytes((out / name).read_bytes())
    items = json.loads((out / "content.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(items)
    image = next(i for i in bad if i["@id"].endswith("tandai-2021/shiken-flow.png"))
    image["image"] = {"data": "not base64 at all ###", "encoding": "base64", "filename": "x.png"}
    (broken / "content.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    first, first_results = run_import(site, broken)
    # 2. the real run, 3. once more: nothing changes
    second, second_results = run_import(site, out)
    third, third_results = run_import(site, out)
    # 4. one old page changed since: only that page is updated
    changed = tmp_path_factory.mktemp("changed")
    for name in ("pages.json", "redirects.json"):
        (changed / name).write_bytes((out / name).read_bytes())
    edited = copy.deepcopy(items)
    notice = next(i for i in edited if i["@id"].endswith("/keiken-2018"))
    notice["description"] = "試験概要を更新しました。"
    notice["_migration"]["hash"] = build._hash(notice)
    (changed / "content.json").write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    fourth, fourth_results = run_import(site, changed)
    assert site.start() == 0
    return {
        "first": (first, first_results),
        "second": (second, second_results),
        "third": (third, third_results),
        "fourth": (fourth, fourth_results),
    }


def test_failed_page_is_rolled_back_and_the_run_goes_on(imported):
    done, results = imported["first"]
    assert done.returncode == 1, done.stdout + done.stderr
    page = "/info/about_test/intermediate_test/intermediate_test_r03.html"
    assert results[page]["status"] == "failed"
    assert results["/info/about_test/minkan_test/minkan_test_h30.html"]["status"] == "created"
    # the second run creates the whole page (it was not half there)
    _, second = imported["second"]
    assert second[page]["status"] == "created"


def test_second_run_changes_nothing(imported):
    done, results = imported["third"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert {r["status"] for r in results.values()} == {"unchanged"}
    assert "0 redirects added" in done.stdout


def test_changed_page_is_updated_and_nothing_else(site, imported):
    done, results = imported["fourth"]
    assert done.returncode == 0, done.stdout + done.stderr
    changed = {path for path, r in results.items() if r["status"] != "unchanged"}
    assert changed == {"/info/about_test/minkan_test/minkan_test_h30.html"}
    assert results["/info/about_test/minkan_test/minkan_test_h30.html"]["status"] == "updated"
    data = requests.get(
        f"{site.url}/shiken/annai/keiken-2018",
        headers={"Accept": "application/json"},
        auth=site.admin,
        timeout=60,
    ).json()
    assert data["description"] == "試験概要を更新しました。"
    assert data["review_state"] == "published"


def test_report_lists_every_page_and_exit_code(imported, out):
    summary = report.write(out)
    pages = report.load(out)
    assert report.failed(pages) == 0
    assert summary["pages"] >= 30
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "旧サイト移行レポート" in html and "/test_guide/87300.html" in html
    assert "shift" not in html.lower() or "cp932" in html


def test_exam_notice_in_the_site(site, imported):
    page = requests.get(f"{site.url}/shiken/annai/tandai-2021", timeout=60)
    assert page.status_code == 200
    assert "令和3年度 鹿児島県職員採用試験(短大卒業程度)" in page.text
    data = requests.get(
        f"{site.url}/shiken/annai/tandai-2021",
        headers={"Accept": "application/json"},
        auth=site.admin,
        timeout=60,
    ).json()
    assert data["application_start"].startswith("2021-08-03T15:00:00") or data[
        "application_start"
    ].startswith("2021-08-04T00:00:00+09:00")
    assert data["first_exam_date"] == "2021-09-26"
    assert data["final_result_note"] == "令和3年11月下旬(予定)"
    assert data["review_state"] == "published"


@pytest.mark.parametrize(
    "old, new",
    [
        ("/info/about_test/intermediate_test/intermediate_test_r03", "/shiken/annai/tandai-2021"),
        ("/info/about_test/intermediate_test/intermediate_test_r03/", "/shiken/annai/tandai-2021"),
        ("/info/about_test/intermediate_test/intermediate_test_r03.html", "/shiken/annai/tandai-2021"),
        ("/info/about_test/intermediate_test/intermediate_test_r03/index.html", "/shiken/annai/tandai-2021"),
        ("/info/about_test/high_test/high_test_r05/", "/shiken/annai/koukou-2023"),
        ("/info/about_test/high_test/high_test_r05/index.html", "/shiken/annai/koukou-2023"),
        ("/info/about_test/minkan_test/minkan_test_h30", "/shiken/annai/keiken-2018"),
        ("/faq.html", "/faq"),
        ("/news/news_20240301.html", "/news/news-20240301"),
        ("/pdf/tandai_r03_annai.pdf", "/shiken/annai/tandai-2021/tandai-r03-annai.pdf"),
        ("/index.html", "/"),
    ],
)
def test_old_paths_answer_301(site, imported, old, new):
    response = requests.get(site.url + old, allow_redirects=False, timeout=60)
    assert response.status_code == 301, old
    assert response.headers["Location"].rstrip("/") == (site.url + new).rstrip("/")


def test_same_page_under_two_urls_redirects_to_one_notice(site, imported):
    one = requests.get(f"{site.url}/test_guide/87183", allow_redirects=False, timeout=60)
    two = requests.get(
        f"{site.url}/info/about_test/shougai_test/shougai_test_r07", allow_redirects=False, timeout=60
    )
    assert one.status_code == two.status_code == 301
    assert one.headers["Location"] == two.headers["Location"]
    # the demo site has its own shougaisha-2025: the migrated one was put next to it, not over it
    assert requests.get(one.headers["Location"], timeout=60).status_code == 200


@pytest.mark.parametrize("scheme, port", [("https", 443), ("http", 80)])
def test_both_schemes(site, imported, scheme, port):
    url = (
        f"{site.url}/VirtualHostBase/{scheme}/saiyo.pref.kagoshima.jp:{port}/Plone/VirtualHostRoot"
        "/info/about_test/intermediate_test/intermediate_test_r03/"
    )
    response = requests.get(url, allow_redirects=False, timeout=60)
    assert response.status_code == 301
    assert response.headers["Location"] == f"{scheme}://saiyo.pref.kagoshima.jp/shiken/annai/tandai-2021"


def test_old_site_pages_answer_but_stay_out_of_navigation_and_search(site, imported):
    """/kyu-site and the old job pages: their old URLs answer, the menus and the site search skip them."""
    moved = requests.get(f"{site.url}/info/work/work_doboku.html", allow_redirects=False, timeout=60)
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"{site.url}/shigoto/shokushu/doboku-kyu-site"
    page = requests.get(f"{site.url}/kyu-site/about", timeout=60)
    assert page.status_code == 200 and "鹿児島県職員の採用に関する情報を掲載しています" in page.text
    # navigation: the top menu and the site map leave the hidden folder out
    assert "/kyu-site" not in requests.get(f"{site.url}/", timeout=60).text
    assert "/kyu-site" not in requests.get(f"{site.url}/@@sitemap", timeout=60).text
    # site search: the words of the hidden pages find nothing from them, for visitors and editors
    for query, hidden in (("採用に関する情報を掲載", "/kyu-site/"), ("道路や河川、港湾", "doboku-kyu-site")):
        for auth in (None, site.admin):
            results = requests.get(
                f"{site.url}/@@search", params={"SearchableText": query}, auth=auth, timeout=60
            ).text
            assert hidden not in results, (query, auth)
    # the JSON live search behind the search box too
    live = requests.get(f"{site.url}/@@ajax-search", params={"SearchableText": "道路や河川"}, timeout=60)
    assert "kyu-site" not in live.text
