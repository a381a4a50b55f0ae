"""make test-report: the 試験成績書 (.xlsx, .docx) made from a test run's JUnit XML.

The run here is small and real: pytest runs three tests in a scratch tests/security package
(one passes, one fails, one is skipped, one is a method) and writes its JUnit XML; zope.testrunner runs one of
the add-on's test modules with --xml, as tests/run_all.py does. The report is then built from
those files like the ones 'make test' leaves in test-output/ (in this process, so that the
scratch package's sources can be read for the tests' descriptions).
"""

from openpyxl import load_workbook
from pathlib import Path

import shutil
import subprocess
import sys
import zipfile


ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCRATCH_TESTS = '''
import pytest


def test_exam_notice_is_listed():
    """The exam notice is listed on the top page."""


def test_password_is_refused():
    """A wrong password is refused."""
    assert "open" == "refused", "the door stayed open"


class TestLogin:
    def test_locked(self):
        """An account is locked after five wrong passwords."""


@pytest.mark.skip(reason="needs PostgreSQL")
def test_relstorage():
    pass
'''


def saiyo(*args):
    return subprocess.run([str(BIN / "saiyo"), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_report_from_a_real_run(tmp_path, monkeypatch):
    from saiyo_backend.devtools import test_report

    results = tmp_path / "test-output"
    scratch = tmp_path / "tests" / "security"
    scratch.mkdir(parents=True)
    (tmp_path / "tests" / "__init__.py").write_text("")
    (scratch / "__init__.py").write_text("")
    (scratch / "test_scratch.py").write_text(SCRATCH_TESTS)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests",
            f"--rootdir={tmp_path}",
            f"--junitxml={results / 'pytest.xml'}",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "junit_family=xunit1",
        ],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=120,
    )
    addon = subprocess.run(
        [
            str(BIN / "zope-testrunner"),
            "--test-path",
            str(ROOT / "src" / "kagoshima.saiyo" / "src"),
            "-t",
            "tests.dates.test_wareki",
            "--xml",
            str(results / "addon"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert addon.returncode == 0, addon.stdout[-2000:]
    (results / "permission-matrix.txt").write_text("編集 PATCH  下書き  .o..o\n", encoding="utf-8")
    (results / "bench-startup.json").write_text('{"startup_seconds": 4.2}', encoding="utf-8")

    monkeypatch.setitem(test_report.SOURCES, "tests.", tmp_path)
    written = test_report.build(results, tmp_path / "report")
    assert tmp_path / "report" / "試験成績書.xlsx" in written
    book = load_workbook(tmp_path / "report" / "試験成績書.xlsx")
    assert book.sheetnames == [
        "概要",
        "試験項目",
        "未解決の不具合",
        "権限表",
        "アクセシビリティ",
        "性能測定",
        "試験環境",
    ]

    items = {row[3]: row for row in book["試験項目"].iter_rows(min_row=2, values_only=True)}
    scratch_items = {key.rsplit(".", 1)[1]: row for key, row in items.items() if "test_scratch" in key}
    assert scratch_items["test_exam_notice_is_listed"][6] == "合格"
    assert scratch_items["test_password_is_refused"][6] == "不合格"
    assert "the door stayed open" in scratch_items["test_password_is_refused"][9]
    assert scratch_items["test_relstorage"][6] == "実施せず"
    assert scratch_items["test_password_is_refused"][4] == "A wrong password is refused."
    assert scratch_items["test_locked"][4] == "An account is locked after five wrong passwords."
    assert {row[0] for row in scratch_items.values()} == {"4(1)④ セキュリティ"}
    # The add-on's dates tests: grouped under the CMS clause, described by their docstrings.
    dates = [row for key, row in items.items() if key.startswith("kagoshima.saiyo.tests.dates.")]
    assert len(dates) >= 5
    assert {row[0] for row in dates} == {"4(2) コンテンツ管理システム"}
    assert all(row[6] == "合格" and row[7].startswith("20") for row in dates)
    assert any(row[4] == "heisei reiwa boundary" for row in dates)  # no docstring: its name

    defects = list(book["未解決の不具合"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in defects if not row[1].startswith("アクセシビリティ")] == [
        "tests.security.test_scratch.test_password_is_refused"
    ]
    summary = dict(book["概要"].iter_rows(min_row=2, values_only=True))
    assert summary["不合格"] == 1 and summary["実施せず"] == 1 and summary["試験数"] == len(items)
    assert ("startup", "startup_seconds", "4.2") in set(
        book["性能測定"].iter_rows(min_row=2, values_only=True)
    )
    assert "下書き" in book["権限表"]["A2"].value
    environment = dict(book["試験環境"].iter_rows(min_row=2, values_only=True))
    assert environment["Python"] == ".".join(map(str, sys.version_info[:3]))

    if shutil.which("pandoc"):
        with zipfile.ZipFile(tmp_path / "report" / "試験成績書.docx") as docx:
            text = docx.read("word/document.xml").decode("utf-8")
        for heading in ("仕様書の項目ごとの結果", "未解決の不具合", "試験項目", "権限表", "試験環境"):
            assert heading in text
        assert "the door stayed open" in text


def test_no_results_is_a_clear_error(tmp_path):
    done = saiyo("test-report", "--results", str(tmp_path), "--output", str(tmp_path / "report"))
    assert done.returncode == 1
    assert "make test を実行してください" in done.stderr
    assert not (tmp_path / "report").exists()
