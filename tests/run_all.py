"""Run every test suite and end with the combined count, alone on the last line.

    python -m tests.run_all [--skip-slow]

1. the add-on's tests with zope.testrunner (plone.app.testing layers);
2. the project's tests with pytest (real Zope on loopback, real Chromium, deployment).

Both write JUnit XML into test-output/ (addon/testreports/*.xml, pytest.xml) for make test-report.

The last line reads ``N passed, N failed`` (``, N skipped`` follows when some were
skipped); the exit status is non-zero when anything failed, a suite could not run, or a
suite discovered fewer tests than it is known to have (a suite that silently finds nothing
must not look like a pass).
"""

from pathlib import Path

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET


ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUTPUT = ROOT / "test-output"

# Fewest tests each suite may discover: a little below today's counts (add-on 354; project 287,
# 285 without the slow ones), so adding tests never trips them but losing a module, a folder or
# a whole suite to a discovery problem does. Raise them now and then as the suites grow.
ADDON_MINIMUM = 340
PROJECT_MINIMUM = 270


def below_minimum(suite: str, found: int, minimum: int) -> bool:
    """Say so (and return True) when a suite discovered fewer tests than its minimum."""
    if found >= minimum:
        return False
    print(f"\n{suite}: only {found} tests discovered, at least {minimum} expected (see the output above)")
    return True


def run_addon_tests() -> tuple[int, int, int]:
    """Return (passed, failed, skipped) of zope.testrunner over the add-on."""
    # JUnit XML, one file per test class, in test-output/addon/testreports/ (read by make test-report)
    xml = OUTPUT / "addon"
    shutil.rmtree(xml, ignore_errors=True)
    xml.mkdir(parents=True)
    process = subprocess.Popen(
        [
            str(BIN / "zope-testrunner"),
            "--test-path",
            str(ROOT / "src" / "kagoshima.saiyo" / "src"),
            "--all",
            "--xml",
            str(xml),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    code = process.wait()
    text = "".join(lines)
    # "Total: 8 tests, 0 failures, 0 errors and 0 skipped" (several layers) or
    # "Ran 8 tests with 0 failures, 0 errors and 0 skipped" (one layer).
    total = re.search(r"Total: (\d+) tests?, (\d+) failures?, (\d+) errors? and (\d+) skipped", text)
    if total is None:
        runs = re.findall(r"Ran (\d+) tests? with (\d+) failures?, (\d+) errors? and (\d+) skipped", text)
        total_values = [sum(int(run[i]) for run in runs) for i in range(4)] if runs else None
    else:
        total_values = [int(value) for value in total.groups()]
    if total_values is None or (code != 0 and total_values[1] + total_values[2] == 0):
        print("\nadd-on tests did not run to the end (see the output above)")
        return 0, 1, 0
    tests, failures, errors, skipped = total_values
    missing = below_minimum("add-on tests", tests, ADDON_MINIMUM)
    return tests - failures - errors - skipped, failures + errors + missing, skipped


def run_project_tests(extra: list[str]) -> tuple[int, int, int]:
    """Return (passed, failed, skipped) of pytest over tests/."""
    OUTPUT.mkdir(exist_ok=True)
    report = OUTPUT / "pytest.xml"
    report.unlink(missing_ok=True)
    code = subprocess.call(
        [sys.executable, "-m", "pytest", "tests", f"--junitxml={report}", "-p", "no:cacheprovider", *extra],
        cwd=ROOT,
    )
    if not report.is_file():
        print(f"\npytest wrote no report (exit {code})")
        return 0, 1, 0
    suites = ET.parse(report).getroot()
    suites = [suites] if suites.tag == "testsuite" else list(suites)
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    if code not in (0, 1) and failed == 0:  # interrupted, usage error, internal error
        failed = 1
    missing = below_minimum("project tests", tests, PROJECT_MINIMUM)
    return tests - failed - skipped, failed + missing, skipped


def main(argv) -> int:
    extra = ["-m", "not slow"] if "--skip-slow" in argv else []
    print("== add-on tests (zope.testrunner) ==", flush=True)
    addon = run_addon_tests()
    print("\n== project tests (pytest) ==", flush=True)
    project = run_project_tests(extra)
    passed, failed, skipped = (a + b for a, b in zip(addon, project, strict=True))
    print(
        f"\nadd-on: {addon[0]} passed, {addon[1]} failed; project: {project[0]} passed, {project[1]} failed"
    )
    summary = f"{passed} passed, {failed} failed"
    if skipped:
        summary += f", {skipped} skipped"
    print(summary, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
