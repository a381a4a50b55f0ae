"""Vulnerability check of the lock against a downloaded OSV advisory database (no network).

    saiyo audit [--db FILE] [--requirements requirements.txt] [--json] [--max-age-days 31]
    saiyo audit --download FILE         (on a machine with internet: fetch the database)

pip-audit reads the pinned lock and turns OSV advisories into findings and fix versions; its
own services ask the OSV web API, so here pip-audit's OSV service is handed a session that
answers each query from the local copy of OSV's PyPI database (``all.zip``: one JSON advisory
per file, the format of the OSV project's public export), matching versions the way the OSV
API does (explicit ``versions`` and ``ECOSYSTEM`` ranges). The database is downloaded outside
the closed network and carried in like the wheelhouse.

Exit codes follow Nagios: 0 no known vulnerability, 1 the database is older than
``--max-age-days`` (findings are then still reported), 2 vulnerabilities found, 3 no usable
database or lock.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion
from packaging.version import Version
from pathlib import Path
from saiyo_backend import config

import argparse
import json
import sys
import time
import urllib.request
import zipfile


OSV_PYPI_EXPORT = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"
DEFAULT_DB = config.ROOT / "build" / "advisories" / "osv-pypi.zip"
OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3


class DatabaseError(Exception):
    pass


def load_database(path: Path) -> dict[str, list[dict]]:
    """``canonical name -> [advisory, …]`` from an OSV ``all.zip`` or a folder of ``*.json``."""
    if not path.exists():
        raise DatabaseError(f"no advisory database at {path}")
    documents = []
    try:
        if path.is_dir():
            documents = [p.read_bytes() for p in sorted(path.rglob("*.json"))]
        else:
            with zipfile.ZipFile(path) as archive:
                documents = [archive.read(n) for n in archive.namelist() if n.endswith(".json")]
    except (OSError, zipfile.BadZipFile) as error:
        raise DatabaseError(f"cannot read {path}: {error}") from error
    index: dict[str, list[dict]] = {}
    for raw in documents:
        try:
            advisory = json.loads(raw)
        except ValueError:
            continue
        names = {
            canonicalize_name(a["package"]["name"])
            for a in advisory.get("affected", [])
            if a.get("package", {}).get("ecosystem") == "PyPI" and a["package"].get("name")
        }
        for name in names:
            index.setdefault(name, []).append(advisory)
    if not documents:
        raise DatabaseError(f"{path} holds no OSV advisory")
    return index


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def affects(affected: dict, name: str, version: str) -> bool:
    """Whether one ``affected`` entry of an OSV advisory covers ``name==version``."""
    package = affected.get("package", {})
    if package.get("ecosystem") != "PyPI" or canonicalize_name(package.get("name", "")) != name:
        return False
    if version in affected.get("versions", []):
        return True
    current = _version(version)
    if current is None:
        return False
    for span in affected.get("ranges", []):
        if span.get("type") != "ECOSYSTEM":
            continue
        events = []
        for event in span.get("events", []):
            kind, value = next(iter(event.items()))
            bound = Version("0") if value == "0" else _version(value)
            if bound is not None:
                events.append((bound, kind))
        hit = False
        for bound, kind in sorted(events, key=lambda item: item[0]):
            if kind == "introduced" and current >= bound:
                hit = True
            elif kind == "fixed" and current >= bound:
                hit = False
            elif kind == "last_affected" and current > bound:
                hit = False
        if hit:
            return True
    return False


class _Response:
    def __init__(self, payload):
        self.payload = payload

    def raise_for_status(self):
        return None

    def json(self):
        return self.payload


class LocalSession:
    """Stands in for pip-audit's HTTP session: answers OSV ``/v1/query`` from the local index."""

    def __init__(self, index: dict[str, list[dict]]):
        self.index = index

    def post(self, url, data, timeout=None):
        query = json.loads(data)
        name = canonicalize_name(query["package"]["name"])
        version = query["version"]
        vulns = [
            advisory
            for advisory in self.index.get(name, [])
            if any(affects(a, name, version) for a in advisory.get("affected", []))
        ]
        return _Response({"vulns": vulns} if vulns else {})


def audit(requirements: Path, db: Path):
    """``[(name, version, [VulnerabilityResult])]`` of the pins with known vulnerabilities, and the count audited."""
    from pip_audit._audit import Auditor
    from pip_audit._dependency_source import RequirementSource
    from pip_audit._service.osv import OsvService

    service = OsvService()
    service.session = LocalSession(load_database(db))
    source = RequirementSource([requirements], no_deps=True, disable_pip=True, skip_editable=True)
    findings, audited = [], 0
    for dependency, results in Auditor(service).audit(source):
        if dependency.is_skipped():
            continue
        audited += 1
        if results:
            findings.append((dependency.canonical_name, str(dependency.version), results))
    return findings, audited


def download(target: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with urllib.request.urlopen(OSV_PYPI_EXPORT, timeout=120) as response, partial.open("wb") as out:
        while block := response.read(1 << 20):
            out.write(block)
    load_database(partial)  # refuse a broken download before replacing the old copy
    partial.replace(target)
    print(f"downloaded {OSV_PYPI_EXPORT} -> {target}")
    return OK


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="saiyo audit", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help="OSV PyPI all.zip or a folder of advisories"
    )
    parser.add_argument("--requirements", type=Path, default=config.ROOT / "requirements.txt")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--max-age-days", type=float, default=31)
    parser.add_argument(
        "--download", action="store_true", help="download the database to --db (needs internet)"
    )
    args = parser.parse_args(argv)
    if args.download:
        return download(args.db)
    try:
        findings, audited = audit(args.requirements, args.db)
    except DatabaseError as error:
        print(
            f"SAIYO AUDIT UNKNOWN - 脆弱性データベースを読めません（saiyo audit --download で取得し、持ち込んでください）: {error}"
        )
        return UNKNOWN
    except Exception as error:  # pip-audit refusing the lock: name it, never a traceback
        print(
            f"SAIYO AUDIT UNKNOWN - ロックファイルを確認できません / cannot audit {args.requirements}: {error}"
        )
        return UNKNOWN
    age_days = (time.time() - args.db.stat().st_mtime) / 86400
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": name,
                        "version": version,
                        "ids": [r.id for r in results],
                        "aliases": sorted({alias for r in results for alias in r.aliases}),
                        "fix_versions": sorted({str(v) for r in results for v in r.fix_versions}),
                    }
                    for name, version, results in findings
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for name, version, results in findings:
            for result in results:
                fixes = ", ".join(str(v) for v in result.fix_versions) or "なし / none"
                aliases = ", ".join(sorted(result.aliases))
                print(f"{name}=={version}  {result.id} ({aliases})  修正版 / fixed in: {fixes}")
    summary = f"{audited} packages, database {args.db.name} {age_days:.0f} days old"
    status = sys.stderr if args.json else sys.stdout  # --json: stdout is the JSON alone
    if findings:
        count = sum(len(results) for _, _, results in findings)
        print(
            f"SAIYO AUDIT CRITICAL - {len(findings)} 個のパッケージに既知の脆弱性 {count} 件 / {summary}",
            file=status,
        )
        return CRITICAL
    if age_days > args.max_age_days:
        print(
            f"SAIYO AUDIT WARNING - 脆弱性データベースが {age_days:.0f} 日前のものです。新しいものを持ち込んでください / {summary}",
            file=status,
        )
        return WARNING
    print(f"SAIYO AUDIT OK - 既知の脆弱性はありません / {summary}", file=status)
    return OK


if __name__ == "__main__":
    sys.exit(main())
