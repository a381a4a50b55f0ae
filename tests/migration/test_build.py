"""The build step on the fixture mirror: every page reported, exam pages structured with real dates."""

from migration import build
from migration import encoding
from migration import exam
from migration import source
from pathlib import Path

import json
import pytest


MIRROR = Path(__file__).parent / "fixtures" / "mirror"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("migration")
    rules = build.load_rules()
    builder = build.Builder(list(source.read_mirror(MIRROR, rules["site_host"])), rules)
    builder.run()
    build.write(builder, out)
    items = json.loads((out / "content.json").read_text(encoding="utf-8"))
    pages = {p["path"]: p for p in json.loads((out / "pages.json").read_text(encoding="utf-8"))["pages"]}
    redirects = json.loads((out / "redirects.json").read_text(encoding="utf-8"))
    return out, items, pages, redirects


def item_at(items, path):
    return next(item for item in items if item["@id"] == f"{build.SITE}/{path}")


def test_every_source_file_is_in_the_report(built):
    _, _, pages, _ = built
    root = MIRROR / "saiyo.pref.kagoshima.jp"
    files = {"/" + p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {"/robots.txt"}
    assert files == set(pages)
    assert sum(1 for p in pages.values() if p["kind"] == "page") >= 30
    assert all(p["fate"] in {"structured", "plain", "skipped", "asset"} for p in pages.values())


def test_exam_page_becomes_exam_notice_with_real_dates(built):
    _, items, pages, _ = built
    assert (
        pages["/info/about_test/intermediate_test/intermediate_test_r03.html"]["target"]
        == "shiken/annai/tandai-2021"
    )
    notice = item_at(items, "shiken/annai/tandai-2021")
    assert notice["@type"] == "ExamNotice"
    assert notice["fiscal_year"] == 2021 and notice["exam_type"] == "tandai"
    assert notice["application_start"] == "2021-08-04T00:00:00+09:00"
    assert notice["application_end"] == "2021-08-20T23:59:59+09:00"
    assert notice["first_exam_date"] == "2021-09-26" and notice["first_exam_venues"] == ["kagoshima"]
    assert notice["second_exam_start"] == "2021-10-18" and notice["second_exam_end"] == "2021-10-29"
    assert notice["final_result_note"] == "令和3年11月下旬(予定)"
    assert "final_result_date" not in notice
    assert "インターネット申込受付期間" in notice["schedule_note"]
    assert [row["subject"] for row in notice["exam_contents"]][:3] == ["教養試験", "専門試験", "作文試験"]
    assert notice["exam_contents"][0]["duration"] == "2時間30分"
    assert any(
        "11月下旬" in w
        for w in pages["/info/about_test/intermediate_test/intermediate_test_r03.html"]["warnings"]
    )


def test_nested_divisions_and_shift_jis(built):
    _, items, pages, _ = built
    page = pages["/info/about_test/minkan_test/minkan_test_h30.html"]
    assert page["encoding"] == "cp932" and page["encoding_source"] == "meta"
    notice = item_at(items, "shiken/annai/keiken-2018")
    assert [(d["name"], d["headcount"]) for d in notice["divisions"]] == [
        ("行政", 15),
        ("UIターン枠(農業)", 3),
        ("UIターン枠(畜産)", 2),
        ("UIターン枠(林業)", 1),
        ("UIターン枠(水産)", 1),
        ("UIターン枠(土木)", 2),
    ]
    assert notice["first_exam_venues"] == ["kagoshima", "tokyo", "osaka"]
    # the police site link stays external
    assert "https://www.pref.kagoshima.jp/kenkei/saiyo/index.html" in notice["eligibility"]["data"]


def test_euc_jp_gannen_full_width(built):
    _, items, pages, _ = built
    assert pages["/info/about_test/minkan_test/minkan_test_r01.html"]["encoding"] == "euc_jp"
    notice = item_at(items, "shiken/annai/keiken-2019")
    assert notice["fiscal_year"] == 2019
    assert notice["application_start"] == "2019-06-03T00:00:00+09:00"
    assert notice["first_exam_venues"] == ["kagoshima", "tokyo"]
    assert notice["divisions"][0] == {"name": "行政", "headcount": 12, "job_type": "gyosei", "note": ""}


def test_detected_encoding_without_meta(built):
    _, _, pages, _ = built
    page = pages["/info/about_test/univ_test/univ_test_r03.html"]
    assert page["encoding"] == "cp932" and page["encoding_source"] == "detected"
    assert page["broken_links"] == ["/info/old_page_removed.html"]


def test_times_missing_image_and_vague(built):
    _, items, pages, _ = built
    notice = item_at(items, "shiken/annai/daigaku-2022")
    assert notice["application_start"] == "2022-04-22T09:00:00+09:00"
    assert notice["application_end"] == "2022-05-20T17:00:00+09:00"
    assert pages["/info/about_test/univ_test/univ_test_r04.html"]["missing_assets"] == [
        "/images/missing_photo.jpg"
    ]
    vague = item_at(items, "shiken/annai/hyogaki-2024")
    assert "guide_release_date" not in vague and "令和6年7月上旬" in vague["schedule_note"]
    assert "未定" in vague["schedule_note"]


def test_broken_markup_page_is_structured(built):
    _, items, _, _ = built
    notice = item_at(items, "shiken/annai/daigaku-senko-2024")
    assert notice["final_result_note"] == "令和6年5月中旬(予定)"
    assert notice["application_start"] == "2024-02-26T00:00:00+09:00"
    assert [d["name"] for d in notice["divisions"]] == ["行政", "土木"]
    assert "全国のテストセンター" in notice["schedule_note"]


def test_exam_shape_without_year_is_plain_page_with_reason(built):
    _, _, pages, _ = built
    page = pages["/test_guide/87300.html"]
    assert page["fate"] == "plain" and "年度" in page["reason"]


def test_same_page_under_two_urls(built):
    _, items, pages, redirects = built
    first, second = "/info/about_test/shougai_test/shougai_test_r07.html", "/test_guide/87183.html"
    assert pages[second]["fate"] == "skipped" and first in pages[second]["reason"]
    assert redirects[first] == redirects[second]
    assert sum(1 for item in items if item["@type"] == "ExamNotice" and item["fiscal_year"] == 2025) == 1


def test_faq_one_item_per_question(built):
    _, items, pages, _ = built
    faqs = [item for item in items if item["@type"] == "FAQ"]
    assert len(faqs) == 11
    table = next(item for item in faqs if item["title"].startswith("試験案内はいつ頃"))
    assert "<table>" in table["answer"]["data"]
    assert pages["/faq.html"]["fate"] == "structured"


def test_assets_next_to_their_page_and_links_rewritten(built):
    _, items, pages, _ = built
    assert pages["/pdf/tandai_r03_annai.pdf"]["target"] == "shiken/annai/tandai-2021/tandai-r03-annai.pdf"
    assert item_at(items, "shiken/annai/tandai-2021/shiken-flow.png")["@type"] == "Image"
    listing = item_at(items, "kyu-site/about-test")["text"]["data"]
    assert "saiyo.pref.kagoshima.jp" not in listing
    assert listing.count("resolveuid/") == 8
    links = item_at(items, "kyu-site/link")["text"]["data"]
    assert "https://www.pref.kagoshima.jp/kenkei/" in links


def test_build_is_deterministic(built, tmp_path):
    out, _, _, _ = built
    rules = build.load_rules()
    builder = build.Builder(list(source.read_mirror(MIRROR, rules["site_host"])), rules)
    builder.run()
    build.write(builder, tmp_path)
    assert (tmp_path / "content.json").read_bytes() == (out / "content.json").read_bytes()


def test_one_failing_page_does_not_stop_the_run(monkeypatch, tmp_path):
    real = exam.extract_exam

    def explode(title, path, main, rules):
        if path.endswith("univ_test_r04.html"):
            raise ValueError("boom")
        return real(title, path, main, rules)

    monkeypatch.setattr(exam, "extract_exam", explode)
    rules = build.load_rules()
    builder = build.Builder(list(source.read_mirror(MIRROR, rules["site_host"])), rules)
    builder.run()
    reports = builder.reports
    assert reports["/info/about_test/univ_test/univ_test_r04.html"].fate == "failed"
    assert "boom" in reports["/info/about_test/univ_test/univ_test_r04.html"].error
    assert reports["/info/about_test/univ_test/univ_test_r03.html"].fate == "structured"


@pytest.mark.parametrize(
    "data, header, codec, how",
    [
        ("日本語".encode("cp932"), "text/html; charset=Shift_JIS", "cp932", "header"),
        ('<meta charset="EUC-JP">日本語'.encode("euc_jp"), None, "euc_jp", "meta"),
        ('<meta charset="EUC-JP">日本語'.encode(), "text/html; charset=utf-8", "utf-8", "header"),
        (
            "<p>採用試験の日程を掲載しました。受付は終了しました。</p>".encode("euc_jp"),
            None,
            "euc_jp",
            "detected",
        ),
    ],
)
def test_encoding_order(data, header, codec, how):
    decoded = encoding.decode(data, header)
    assert (decoded.encoding, decoded.source) == (codec, how)
    assert "日" in decoded.text or "採用" in decoded.text


def test_label_cells_written_as_td():
    from migration.extract import extract

    page = (
        MIRROR
        / "saiyo.pref.kagoshima.jp"
        / "info"
        / "about_test"
        / "intermediate_test"
        / "intermediate_test_r03.html"
    )
    html = page.read_text(encoding="utf-8").replace("<th>", "<td>").replace("</th>", "</td>")
    rules = build.load_rules()
    extracted = extract(html, rules)
    assert exam.looks_like_exam(extracted.main)
    result = exam.extract_exam(extracted.title, "/intermediate_test_r03", extracted.main, rules)
    assert result.fields["application_start"] == "2021-08-04T00:00:00+09:00"
    assert len(result.fields["exam_contents"]) == 5


def test_schedule_label_variants_are_read_by_their_words(built):
    """「試験案内 受験申込書配布開始日」 and kin land in their fields, not in the schedule notes."""
    _, items, pages, _ = built
    notice = item_at(items, "shiken/annai/daigaku-2022")
    assert notice["guide_release_date"] == "2022-04-01"
    assert notice["application_start"] == "2022-04-22T09:00:00+09:00"
    assert notice["first_exam_date"] == "2022-06-19"
    assert notice["first_exam_venues"] == ["kagoshima", "tokyo", "osaka", "fukuoka"]
    assert "配布" not in notice["schedule_note"]
    # a row no field stands for stays in the notes and is listed for the people who check the run
    assert "職場見学会の開催日: 令和4年5月14日(土)" in notice["schedule_note"]
    assert pages["/info/about_test/univ_test/univ_test_r04.html"]["unrecognised_labels"] == [
        "職場見学会の開催日"
    ]


@pytest.mark.parametrize(
    "label, field",
    [
        ("試験案内配布開始日", "guide_release"),
        ("試験案内 受験申込書配布開始日", "guide_release"),
        ("受験案内の配布", "guide_release"),
        ("試験案内の公開日", "guide_release"),
        ("申込受付期間", "application"),
        ("インターネット申込期間", "application"),
        ("受付期間（郵送）", "application"),
        ("第一次試験日〔試験地〕", "first_exam"),
        ("1次試験実施日", "first_exam"),
        ("試験日", "first_exam"),
        ("第1次試験合格発表日", "first_result"),
        ("一次試験の合格発表", "first_result"),
        ("第２次試験実施時期〔試験地〕", "second_exam"),
        ("最終合格発表時期", "final_result"),
        ("合格発表", "final_result"),
        ("第2次試験合格発表", None),
        ("職場見学会の開催日", None),
    ],
)
def test_schedule_field(label, field):
    assert exam.schedule_field(exam.schedule_key(label)) == field


def test_unrecognised_labels_in_the_report(built):
    out, _, _, _ = built
    from migration import report

    summary = report.write(out)
    assert summary["unrecognised_labels"] == {
        "職場見学会の開催日": ["/info/about_test/univ_test/univ_test_r04.html"]
    }
    document = (out / "report.html").read_text(encoding="utf-8")
    assert "読み取れなかった見出し（1 種類）" in document and "職場見学会の開催日" in document
    assert "職場見学会の開催日" in (out / "report.csv").read_text(encoding="utf-8-sig")


def test_old_job_pages_go_beside_their_job_category_hidden(built):
    """rules.yaml maps /info/work/ next to the matching 職種紹介 page, out of navigation and search."""
    _, items, pages, redirects = built
    doboku = item_at(items, "shigoto/shokushu/doboku-kyu-site")
    assert doboku["@type"] == "Document" and doboku["exclude_from_nav"] is True
    assert doboku["_migration"]["hidden"] is True
    report = pages["/info/work/work_doboku.html"]
    assert report["target"] == "shigoto/shokushu/doboku-kyu-site"
    assert "職種「土木」" in report["reason"] and "shigoto/shokushu/doboku の隣" in report["reason"]
    assert pages["/info/work/work_gyosei.html"]["target"] == "shigoto/shokushu/gyosei-kyu-site"
    # the other plain pages keep to /kyu-site, which stays out of navigation and search
    folder = item_at(items, "kyu-site")
    assert folder["exclude_from_nav"] is True and folder["_migration"]["hidden"] is True
    assert pages["/about.html"]["target"] == "kyu-site/about"
    assert "検索には出しません" in pages["/about.html"]["reason"]
    # exam notices, FAQ and news are never hidden
    assert "exclude_from_nav" not in item_at(items, "shiken/annai/daigaku-2022")


def test_job_page_whose_title_names_no_job_falls_back(tmp_path):
    rules = build.load_rules()
    fetched = source.Fetched(
        path="/info/work/work_misc.html",
        data="<html><head><title>いろいろな仕事</title></head><body><h1>いろいろな仕事</h1><p>本文</p></body></html>".encode(),
        content_type="text/html; charset=utf-8",
    )
    builder = build.Builder([fetched], rules)
    builder.run()
    report = builder.reports["/info/work/work_misc.html"]
    assert report.target == "kyu-site/work-misc"
    assert "職種が分からない" in report.reason
