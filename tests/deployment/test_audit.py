"""make audit / saiyo audit: the real lock checked by pip-audit against an OSV database on disk,
with every network route closed. The fixture advisories (tests/deployment/fixtures/osv-pypi,
made up for the test, in OSV's schema) are zipped the way OSV's PyPI export (all.zip) is."""

from pathlib import Path
from saiyo_backend.deploy import wheelhouse

import json
import os
import pytest
import subprocess
import sys
import time
import zipfile


ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "osv-pypi"
SAIYO = str(Path(sys.executable).with_name("saiyo"))
LOCKED = wheelhouse.pins(ROOT / "requirements.txt")


def database(folder: Path, names=None) -> Path:
    target = folder / "all.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(FIXTURES.glob("*.json")):
            if names is None or path.stem in names:
                text = path.read_text(encoding="utf-8").replace("@JINJA2@", LOCKED["jinja2"])
                archive.writestr(path.name, text)
    return target


def audit(*args):
    closed = dict(os.environ)
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        closed[key] = "http://127.0.0.1:9"
    return subprocess.run([SAIYO, "audit", *args], capture_output=True, text=True, env=closed, timeout=300)


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    db = database(tmp_path_factory.mktemp("osv"))
    text = audit("--db", str(db))
    listed = audit("--db", str(db), "--json")
    return text, listed


def test_known_vulnerabilities_of_the_lock_are_reported(findings):
    text, listed = findings
    assert text.returncode == 2, text.stdout + text.stderr
    assert "SAIYO AUDIT CRITICAL" in text.stdout and "既知の脆弱性 2 件" in text.stdout
    assert f"waitress=={LOCKED['waitress']}" in text.stdout and "99.0" in text.stdout
    found = {entry["name"]: entry for entry in json.loads(listed.stdout)}
    assert set(found) == {"waitress", "jinja2"}
    assert found["waitress"]["fix_versions"] == ["99.0"]
    assert "TEST-2026-0001" in found["waitress"]["ids"] + found["waitress"]["aliases"]
    assert "TEST-2026-0002" in found["jinja2"]["ids"] + found["jinja2"]["aliases"]
    # fixed before the pin, withdrawn, another ecosystem, last_affected below the pin: not reported
    assert "TEST-2026-0003" not in listed.stdout and "six" not in found and "requests" not in found


def test_a_clean_lock_is_ok_and_an_old_database_warns(tmp_path):
    db = database(tmp_path, names={"TEST-2026-0003", "TEST-2026-0004", "TEST-2026-0005", "TEST-2026-0006"})
    result = audit("--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SAIYO AUDIT OK" in result.stdout and f"{len(LOCKED)} packages" in result.stdout
    old = time.time() - 60 * 86400
    os.utime(db, (old, old))
    result = audit("--db", str(db))
    assert result.returncode == 1 and "60 日前" in result.stdout


def test_no_database_is_unknown_with_the_remedy(tmp_path):
    result = audit("--db", str(tmp_path / "missing.zip"))
    assert result.returncode == 3
    assert "脆弱性データベースを読めません" in result.stdout and "--download" in result.stdout
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    result = audit("--db", str(broken))
    assert result.returncode == 3 and "cannot read" in result.stdout
