"""Turn the last full test run into the Japanese test report (試験成績書), .docx and .xlsx.

    make test-report                      # after make test (or python -m tests.run_all)
    saiyo test-report [--results test-output] [--output test-output/test-report]

Read from the results folder (what ``tests/run_all.py`` and the tests write):

- ``addon/testreports/*.xml``   zope.testrunner's JUnit XML (one file per test class)
- ``pytest.xml``                pytest's JUnit XML
- ``permission-matrix.txt``     the permission matrix as the test printed it
- ``bench-*.json``              benchmark figures (``make bench``), when present

and the accessibility run (axe-core, ``accessibility/axe-results.json`` of the add-on,
written by ``make a11y-report``). Each test is put under the clause of the specification
its package tests (``CLAUSES``), with the expected result of that clause, the test's own
description (the first line of its docstring), its result and the date of the run. Failed
tests and accessibility violations are listed as open defects. Nothing is run here: the
report says what the last run found, and says so when a part is missing.
"""

from __future__ import annotations

from datetime import datetime
from kagoshima.saiyo.dates import TOKYO
from pathlib import Path
from saiyo_backend.config import ROOT

import argparse
import ast
import importlib.metadata
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


RESULTS = ROOT / "test-output"
DEFAULT_OUTPUT = RESULTS / "test-report"
AXE_RESULTS = (
    ROOT / "src" / "kagoshima.saiyo" / "src" / "kagoshima" / "saiyo" / "accessibility" / "axe-results.json"
)
NAME = "試験成績書"
SOURCES = {"kagoshima.saiyo.": ROOT / "src" / "kagoshima.saiyo" / "src", "tests.": ROOT}

# (clause of the specification, its subject, expected result, prefixes of test ids). A test
# goes to the first clause with a matching prefix; the prefixes are add-on concerns
# (kagoshima.saiyo.tests.<concern>) and project test folders (tests.<area>).
CLAUSES = [
    (
        "4(1)② 利用者への配慮",
        "スマートフォン対応、印刷、アクセシビリティ（JIS X 8341-3）、音声読み上げ",
        "すべての公開ページがスマートフォンと PC で崩れずに表示され、A4 縦に印刷でき、"
        "自動検査（axe-core）で違反がなく、読み上げが使えること",
        [
            "kagoshima.saiyo.tests.accessibility",
            "kagoshima.saiyo.tests.reader",
            "tests.accessibility",
            "tests.reader",
            "tests.visitor",
        ],
    ),
    (
        "4(1)④ セキュリティ",
        "セキュリティ対策（権限、CSRF、ヘッダー、公開ホストの制限）",
        "許可されていない操作はすべて拒否され、下書きが外部に漏れず、攻撃的な入力が無害に扱われること",
        ["kagoshima.saiyo.tests.security", "tests.security", "tests.permissions"],
    ),
    (
        "4(1)③ システムに関する要件",
        "サーバー構成、常時 SSL、保守性・可用性・拡張性",
        "nginx・Zope・ZEO／PostgreSQL の各構成が起動し、HTTPS で配信し、障害時に切り替わり、"
        "バックアップから復元できること",
        [
            "kagoshima.saiyo.tests.wsgi",
            "kagoshima.saiyo.tests.caching",
            "tests.deployment",
            "tests.foundation",
        ],
    ),
    (
        "4(2) コンテンツ管理システム",
        "ページ作成・承認・公開、権限の分離、ページビュー集計、アクセス解析",
        "作成者が専門知識なしにページを作成・更新でき、管理者の承認で公開され、毎月のページビューを集計できること",
        [
            "kagoshima.saiyo.tests.content",
            "kagoshima.saiyo.tests.workflows",
            "kagoshima.saiyo.tests.analytics",
            "kagoshima.saiyo.tests.restapi",
            "kagoshima.saiyo.tests.vocabularies",
            "kagoshima.saiyo.tests.dates",
            "kagoshima.saiyo.tests.slugs",
            "kagoshima.saiyo.tests.demo",
            "tests.content",
            "tests.analytics",
            "tests.e2e",
        ],
    ),
    (
        "4(4) 既存サイトの移行",
        "旧サイトのページ・ファイルの移行と移行後の検証",
        "旧サイトのページ・PDF・画像が欠けずに移り、移行できないものが報告されること",
        ["kagoshima.saiyo.tests.migration", "tests.migration"],
    ),
    (
        "4(7) 効果的な活用の提案",
        "サイト内検索・「質問する」、SEO（構造化データ）",
        "目的のページが検索と質問から上位に見つかり、検索エンジン向けの情報が正しく出ること",
        ["kagoshima.saiyo.tests.search", "kagoshima.saiyo.tests.structured_data", "tests.search"],
    ),
    (
        "4(1)① サイト構成・デザイン",
        "基本構成、トップページ、統一したデザイン",
        "別紙 1 の構成のページがそろい、全ページが同じデザインで表示されること",
        ["kagoshima.saiyo.tests.theme", "kagoshima.saiyo.tests"],
    ),
    (
        "6 成果物",
        "マニュアル・設計書などの文書",
        "各文書が Word で開け、目次・図・見出しがそろうこと",
        ["tests.docs"],
    ),
    ("その他", "上記以外の試験", "試験の期待どおりに動くこと", [""]),
]
RESULT_LABELS = {"passed": "合格", "failed": "不合格", "error": "エラー", "skipped": "実施せず"}


# -- reading the run ---------------------------------------------------------------------


def tokyo_time(stamp: str) -> str:
    """A JUnit timestamp (naive ones are this machine's local time) as Tokyo time, to the second."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    return moment.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M:%S")


def junit_cases(path: Path) -> list[dict]:
    """Every test case of one JUnit XML file: id, class, name, result, message, time, date."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    cases = []
    for suite in suites:
        stamp = suite.get("timestamp", "")
        for case in suite.iter("testcase"):
            result, message = "passed", ""
            for tag in ("failure", "error", "skipped"):
                found = case.find(tag)
                if found is not None:
                    result = "failed" if tag == "failure" else tag
                    message = (found.get("message") or found.text or "").strip().splitlines()[:1]
                    message = message[0][:300] if message else ""
                    break
            classname = case.get("classname", "")
            cases.append(
                {
                    "id": f"{classname}.{case.get('name', '')}",
                    "classname": classname,
                    "name": case.get("name", ""),
                    "result": result,
                    "message": message,
                    "time": float(case.get("time") or 0),
                    "date": tokyo_time(stamp),
                }
            )
    return cases


def read_runs(results: Path) -> dict:
    """The add-on and project runs found in the results folder (a missing one is an empty list)."""
    addon = []
    for path in sorted((results / "addon" / "testreports").glob("*.xml")):
        addon.extend(junit_cases(path))
    project = junit_cases(results / "pytest.xml") if (results / "pytest.xml").is_file() else []
    return {"addon": addon, "project": project}


def module_file(classname: str) -> tuple[Path | None, list[str]]:
    """The source file of a test class or module id and the rest of the id (class names)."""
    for prefix, base in SOURCES.items():
        if not classname.startswith(prefix):
            continue
        parts = classname.split(".")
        for cut in range(len(parts), 0, -1):
            candidate = base.joinpath(*parts[:cut]).with_suffix(".py")
            if candidate.is_file():
                return candidate, parts[cut:]
    return None, []


_docstrings: dict[Path, dict[str, str]] = {}


def description(case: dict) -> str:
    """The first line of the test's docstring (or its function's name made readable)."""
    path, rest = module_file(case["classname"])
    name = case["name"].split("[", 1)[0]
    if path is not None:
        if path not in _docstrings:
            found = {}
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                            found[f"{node.name}.{item.name}"] = ast.get_docstring(item) or ""
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    found.setdefault(node.name, ast.get_docstring(node) or "")
            _docstrings[path] = found
        text = _docstrings[path].get(".".join([*rest, name])) or _docstrings[path].get(name, "")
        if text:
            return text.strip().splitlines()[0]
    return name.removeprefix("test_").replace("_", " ")


def clause_of(case_id: str) -> tuple:
    for clause in CLAUSES:
        if any(case_id.startswith(prefix) for prefix in clause[3]):
            return clause
    return CLAUSES[-1]


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def benchmarks(results: Path) -> list[tuple[str, str, str]]:
    """(benchmark, figure, value) for every number in test-output/bench-*.json."""
    rows = []

    def walk(name, prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(name, f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list):
            for index, item in enumerate(value[:50]):
                walk(name, f"{prefix}[{index}]", item)
        elif isinstance(value, int | float | str) and not isinstance(value, bool):
            rows.append((name, prefix, str(value)))

    for path in sorted(results.glob("bench-*.json")):
        walk(path.stem.removeprefix("bench-"), "", read_json(path))
    return rows


def accessibility(path: Path = AXE_RESULTS) -> dict | None:
    data = read_json(path)
    if not data:
        return None
    violations = [
        (
            page.get("path", ""),
            page.get("viewport", ""),
            rule.get("id", ""),
            rule.get("help", ""),
            rule.get("nodes", 0),
        )
        for page in data.get("pages", [])
        for rule in page.get("violations", [])
    ]
    return {
        "date": data.get("date", ""),
        "tool": data.get("tool", ""),
        "browser": data.get("browser", ""),
        "checked": len(data.get("pages", [])),
        "violations": violations,
    }


def command_version(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return "（なし）"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "（不明）"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "（不明）"


def environment() -> list[tuple[str, str]]:
    rows = [
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
    ]
    for package in (
        "Products.CMFPlone",
        "Zope",
        "plone.restapi",
        "plone.app.mosaic",
        "ZODB",
        "RelStorage",
        "waitress",
        "pytest",
        "zope.testrunner",
        "playwright",
    ):
        try:
            rows.append((package, importlib.metadata.version(package)))
        except importlib.metadata.PackageNotFoundError:
            rows.append((package, "（なし）"))
    rows.append(("nginx", command_version(["nginx", "-v"])))
    rows.append(("PostgreSQL", command_version(["psql", "--version"])))
    rows.append(("Chromium", command_version(["chromium", "--version"])))
    rows.append(("Node.js", command_version(["node", "--version"])))
    return rows


# -- the report --------------------------------------------------------------------------


def collect(results: Path, axe_path: Path = AXE_RESULTS) -> dict:
    runs = read_runs(results)
    items = []
    for suite, label in (("addon", "アドオン（zope.testrunner）"), ("project", "プロジェクト（pytest）")):
        for case in runs[suite]:
            clause = clause_of(case["id"])
            items.append(
                {
                    **case,
                    "suite": label,
                    "clause": clause[0],
                    "subject": clause[1],
                    "expected": clause[2],
                    "description": description(case),
                }
            )
    order = {clause[0]: index for index, clause in enumerate(CLAUSES)}
    items.sort(key=lambda item: (order[item["clause"]], item["id"]))
    axe = accessibility(axe_path)
    defects = [
        (item["clause"], item["id"], RESULT_LABELS[item["result"]], item["message"])
        for item in items
        if item["result"] in ("failed", "error")
    ]
    if axe:
        defects += [
            (
                "4(1)② 利用者への配慮",
                f"アクセシビリティ {path}（幅 {width}px）",
                f"axe-core {rule}",
                f"{help_text}（{nodes} 要素）",
            )
            for path, width, rule, help_text, nodes in axe["violations"]
        ]
    matrix = results / "permission-matrix.txt"
    dates = sorted(item["date"] for item in items if item["date"])
    return {
        "runs": runs,
        "items": items,
        "defects": defects,
        "accessibility": axe,
        "matrix": matrix.read_text(encoding="utf-8") if matrix.is_file() else "",
        "benchmarks": benchmarks(results),
        "environment": environment(),
        "period": (dates[0], dates[-1]) if dates else ("", ""),
        "made": datetime.now(TOKYO).strftime("%Y-%m-%d %H:%M:%S"),
    }


def counts(items: list[dict]) -> dict:
    total = {key: 0 for key in RESULT_LABELS}
    for item in items:
        total[item["result"]] += 1
    return total


def cell(text) -> str:
    return str(text).replace("|", "｜").replace("\n", " ")


def markdown(report: dict) -> str:
    items = report["items"]
    first, last = report["period"]
    lines = [
        "---",
        f"title: 鹿児島県職員採用ウェブサイト {NAME}",
        "lang: ja-JP",
        "toc-title: 目次",
        "---",
        "",
        "# 概要",
        "",
        f"- 試験の実施（日本時間）: {first} 〜 {last}" if first else "- 試験の実施: 記録なし",
        f"- 成績書の作成（日本時間）: {report['made']}",
        "- 元の記録: `make test` の JUnit XML（test-output/）、権限表、アクセシビリティ検査、性能測定",
        "",
        "| 区分 | 試験数 | 合格 | 不合格 | エラー | 実施せず |",
        "| --- | --: | --: | --: | --: | --: |",
    ]
    for _suite, label in (("addon", "アドオン（zope.testrunner）"), ("project", "プロジェクト（pytest）")):
        suite_items = [item for item in items if item["suite"] == label]
        c = counts(suite_items)
        lines.append(
            f"| {label} | {len(suite_items)} | {c['passed']} | {c['failed']} | {c['error']} | {c['skipped']} |"
        )
    c = counts(items)
    lines.append(f"| 合計 | {len(items)} | {c['passed']} | {c['failed']} | {c['error']} | {c['skipped']} |")
    if not report["runs"]["addon"] or not report["runs"]["project"]:
        missing = [
            label
            for key, label in (("addon", "アドオン"), ("project", "プロジェクト"))
            if not report["runs"][key]
        ]
        lines += [
            "",
            f"**注意: {'・'.join(missing)}の試験結果がありません（make test を実行してから作成してください）。**",
        ]
    lines += [
        "",
        "# 仕様書の項目ごとの結果",
        "",
        "| 仕様書の項目 | 内容 | 試験数 | 合格 | 不合格・エラー |",
        "| --- | --- | --: | --: | --: |",
    ]
    for clause, subject, _expected, _prefixes in CLAUSES:
        group = [item for item in items if item["clause"] == clause]
        if group:
            c = counts(group)
            lines.append(
                f"| {clause} | {subject} | {len(group)} | {c['passed']} | {c['failed'] + c['error']} |"
            )
    lines += ["", "# 未解決の不具合", ""]
    if report["defects"]:
        lines += ["| 仕様書の項目 | 試験・対象 | 結果 | 内容 |", "| --- | --- | --- | --- |"]
        lines += [f"| {cell(a)} | {cell(b)} | {cell(c)} | {cell(d)} |" for a, b, c, d in report["defects"]]
    else:
        lines.append("ありません（すべての試験が合格し、アクセシビリティの自動検査に違反はありません）。")
    lines += ["", "# 試験項目", ""]
    for clause, subject, expected, _prefixes in CLAUSES:
        group = [item for item in items if item["clause"] == clause]
        if not group:
            continue
        lines += [
            f"## {clause} {subject}",
            "",
            f"期待する結果: {expected}",
            "",
            "| 試験 | 確認内容 | 結果 | 実施日時 |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {cell(item['id'])} | {cell(item['description'])} | {RESULT_LABELS[item['result']]} | "
            f"{item['date']} |"
            for item in group
        ]
        lines.append("")
    lines += ["# 権限表", ""]
    if report["matrix"]:
        lines += ["```", report["matrix"].rstrip(), "```"]
    else:
        lines.append("記録がありません（tests/permissions の試験が実行されていません）。")
    lines += ["", "# アクセシビリティ検査（axe-core）", ""]
    axe = report["accessibility"]
    if axe:
        lines += [
            f"- 実施: {axe['date']}、{axe['tool']}、{axe['browser']}",
            f"- 検査したページ（幅ごと）: {axe['checked']}、違反: {len(axe['violations'])}",
        ]
    else:
        lines.append("記録がありません（make a11y-report を実行してください）。")
    lines += ["", "# 性能測定", ""]
    if report["benchmarks"]:
        lines += ["| 測定 | 項目 | 値 |", "| --- | --- | --: |"]
        lines += [f"| {cell(a)} | {cell(b)} | {cell(c)} |" for a, b, c in report["benchmarks"]]
    else:
        lines.append("記録がありません（make bench を実行してください）。")
    lines += ["", "# 試験環境", "", "| 項目 | 版 |", "| --- | --- |"]
    lines += [f"| {cell(a)} | {cell(b)} |" for a, b in report["environment"]]
    return "\n".join(lines) + "\n"


def workbook(report: dict, target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.styles import PatternFill

    book = Workbook()
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    failed_fill = PatternFill("solid", fgColor="F8CBAD")

    def sheet(title, header, rows, widths, first=False):
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append(header)
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=column).column_letter].width = width
            ws.cell(row=1, column=column).font = bold
            ws.cell(row=1, column=column).fill = header_fill
        for row in rows:
            ws.append(list(row))
        ws.freeze_panes = "A2"
        return ws

    items = report["items"]
    c = counts(items)
    first, last = report["period"]
    sheet(
        "概要",
        ["項目", "値"],
        [
            ("試験の実施（始め）", first),
            ("試験の実施（終わり）", last),
            ("成績書の作成", report["made"]),
            ("試験数", len(items)),
            ("合格", c["passed"]),
            ("不合格", c["failed"]),
            ("エラー", c["error"]),
            ("実施せず", c["skipped"]),
            ("未解決の不具合", len(report["defects"])),
        ],
        [24, 40],
        first=True,
    )
    ws = sheet(
        "試験項目",
        [
            "仕様書の項目",
            "内容",
            "区分",
            "試験",
            "確認内容",
            "期待する結果",
            "結果",
            "実施日時",
            "所要時間（秒）",
            "不具合の内容",
        ],
        [
            (
                i["clause"],
                i["subject"],
                i["suite"],
                i["id"],
                i["description"],
                i["expected"],
                RESULT_LABELS[i["result"]],
                i["date"],
                round(i["time"], 3),
                i["message"],
            )
            for i in items
        ],
        [22, 30, 22, 60, 60, 50, 10, 20, 12, 50],
    )
    for row in ws.iter_rows(min_row=2):
        if row[6].value in (RESULT_LABELS["failed"], RESULT_LABELS["error"]):
            for value in row:
                value.fill = failed_fill
    ws.auto_filter.ref = ws.dimensions
    sheet(
        "未解決の不具合", ["仕様書の項目", "試験・対象", "結果", "内容"], report["defects"], [22, 60, 16, 70]
    )
    sheet(
        "権限表",
        ["権限表（tests/permissions）"],
        [(line,) for line in report["matrix"].splitlines()] or [("記録なし",)],
        [120],
    )
    axe = report["accessibility"]
    sheet(
        "アクセシビリティ",
        ["ページ", "幅（px）", "規則", "内容", "要素数"],
        axe["violations"] if axe else [("記録なし", "", "", "", "")],
        [40, 10, 24, 60, 10],
    )
    sheet("性能測定", ["測定", "項目", "値"], report["benchmarks"] or [("記録なし", "", "")], [20, 50, 20])
    sheet("試験環境", ["項目", "版"], report["environment"], [24, 60])
    book.save(target)


def build(results: Path, output: Path, axe_path: Path = AXE_RESULTS) -> list[Path]:
    from saiyo_backend.devtools import manuals

    report = collect(results, axe_path)
    output.mkdir(parents=True, exist_ok=True)
    source = output / f"{NAME}.md"
    source.write_text(markdown(report), encoding="utf-8")
    xlsx = output / f"{NAME}.xlsx"
    workbook(report, xlsx)
    written = [source, xlsx]
    if shutil.which("pandoc") is None:
        print("pandoc がないため .docx は作りません / pandoc is missing: no .docx (apt-get install pandoc)")
        return written
    docx = output / f"{NAME}.docx"
    with tempfile.TemporaryDirectory() as scratch:
        manuals.pandoc(source, docx, manuals.reference_document(Path(scratch)), output)
    return [*written, docx]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="saiyo test-report", description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    report_missing = not (args.results / "pytest.xml").is_file() and not (args.results / "addon").is_dir()
    if report_missing:
        print(
            f"エラー: {args.results} に試験結果がありません。先に make test を実行してください。\n"
            f"Error: no test results in {args.results}; run make test first.",
            file=sys.stderr,
        )
        return 1
    for path in build(args.results, args.output):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
