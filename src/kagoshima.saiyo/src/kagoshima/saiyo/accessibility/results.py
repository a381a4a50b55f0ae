"""Merge the manual checklist with the automated axe-core run into one result per success criterion.

An automated violation of a criterion overrides the manual 判定: the criterion is 不適合.
The 対応度 is 準拠 when every criterion is 適合 or 該当なし, else 一部準拠 (as the 対応度表記
ガイドライン of ウェブアクセシビリティ基盤委員会 words it).
"""

from datetime import datetime
from pathlib import Path

import json
import re
import yaml


HERE = Path(__file__).parent
CHECKLIST = HERE / "checklist.yaml"
AXE_RESULTS = HERE / "axe-results.json"
RESULTS = ("適合", "不適合", "該当なし")
LEVELS = ("A", "AA")
# axe-core tags a rule with the criteria it tests: "wcag111" is 1.1.1, "wcag1412" is 1.4.12
TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")


class ChecklistError(ValueError):
    """The checklist is not usable; the message says where, in Japanese."""


def load_checklist(path: Path = CHECKLIST) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ChecklistError(f"{path.name} の書式が正しくありません: {error}") from error
    seen = set()
    for entry in data.get("criteria") or []:
        where = f"{path.name}: 達成基準 {entry.get('id')}"
        if entry.get("result") not in RESULTS:
            raise ChecklistError(
                f"{where} の判定は {'・'.join(RESULTS)} のいずれかにしてください（{entry.get('result')!r}）"
            )
        if entry.get("level") not in LEVELS:
            raise ChecklistError(f"{where} の適合レベルは A か AA にしてください")
        if not (entry.get("method") or "").strip():
            raise ChecklistError(f"{where} に確認方法を書いてください")
        if entry["id"] in seen:
            raise ChecklistError(f"{where} が2回あります")
        seen.add(entry["id"])
    if not data.get("pages"):
        raise ChecklistError(f"{path.name}: 試験の対象ページ（pages）がありません")
    return data


def load_axe(path: Path = AXE_RESULTS) -> dict | None:
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def criteria_of(tags) -> set[str]:
    found = set()
    for tag in tags:
        match = TAG.match(tag)
        if match:
            found.add(".".join(match.groups()))
    return found


def merge(checklist: dict, axe: dict | None) -> dict:
    """One row per criterion: manual 判定, automated violations and checks, final 結果."""
    violations: dict[str, list] = {}
    checked: dict[str, set] = {}
    tags_of = (axe or {}).get("rules", {})
    for page in (axe or {}).get("pages", []):
        for rule in page.get("violations", []):
            for criterion in criteria_of(tags_of.get(rule["id"], rule.get("tags", []))):
                violations.setdefault(criterion, []).append(
                    {
                        "path": page["path"],
                        "viewport": page.get("viewport"),
                        "rule": rule["id"],
                        "help": rule.get("help", ""),
                        "nodes": rule.get("nodes", 0),
                    }
                )
        for rule_id in [rule["id"] for rule in page.get("violations", [])] + page.get("passes", []):
            for criterion in criteria_of(tags_of.get(rule_id, [])):
                checked.setdefault(criterion, set()).add(rule_id)
    rows = []
    for entry in checklist["criteria"]:
        found = violations.get(entry["id"], [])
        result = "不適合" if found else entry["result"]
        rows.append(
            {
                **entry,
                "manual": entry["result"],
                "result": result,
                "applicable": "いいえ" if result == "該当なし" else "はい",
                "automated_rules": sorted(checked.get(entry["id"], ())),
                "violations": found,
            }
        )
    conformant = all(row["result"] != "不適合" for row in rows)
    return {
        "standard": checklist.get("standard", "JIS X 8341-3:2016"),
        "level": checklist.get("level", "AA"),
        "conformance": ("準拠" if conformant else "一部準拠") if axe else None,
        "scope": checklist.get("scope", ""),
        "technologies": checklist.get("technologies", ""),
        "checked": checklist.get("checked"),
        "tested": axe.get("date") if axe else None,
        "tool": axe.get("tool") if axe else None,
        "browser": axe.get("browser") if axe else None,
        "viewports": axe.get("viewports", []) if axe else [],
        "pages": checklist["pages"],
        "rows": rows,
        "counts": {name: sum(1 for row in rows if row["result"] == name) for name in RESULTS},
    }


def tested_on(value: str | None) -> str:
    """'2026-12-02T10:15:00+09:00' → '2026年12月2日'."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return f"{moment.year}年{moment.month}月{moment.day}日"
