"""The migration report: report.html (Japanese, for people) and report.csv (for machines)."""

from pathlib import Path

import collections
import csv
import html
import json


FATES = {
    "structured": "構造化して移行",
    "plain": "通常のページとして移行",
    "skipped": "移行しない",
    "failed": "失敗",
    "asset": "画像・ファイルとして移行",
}
IMPORT = {"created": "作成", "updated": "更新", "unchanged": "変更なし", "failed": "失敗", "": "未取込"}
HOW = {
    "header": "HTTPヘッダー",
    "meta": "metaタグ",
    "bom": "BOM",
    "detected": "自動判定",
    "fallback": "判定できず",
}
COLUMNS = [
    "path",
    "kind",
    "fate",
    "reason",
    "target_type",
    "target",
    "rule",
    "encoding",
    "encoding_source",
    "import_status",
    "error",
    "warnings",
    "broken_links",
    "missing_assets",
    "unrecognised_labels",
]


def load(out: Path) -> list[dict]:
    pages = json.loads((out / "pages.json").read_text(encoding="utf-8"))["pages"]
    results_file = out / "import-result.json"
    if results_file.exists():
        results = json.loads(results_file.read_text(encoding="utf-8"))
        for page in pages:
            result = results.get(page["path"])
            if result:
                page["import_status"] = result["status"]
                if result.get("path") and page["target_type"] != "FAQ" and result["path"] != page["target"]:
                    page["reason"] = (page["reason"] + " " if page["reason"] else "") + (
                        f"（{page['target']} には別のページがあるため {result['path']} に置きました）"
                    )
                    page["target"] = result["path"]
                if result["status"] == "failed":
                    page["fate"] = "failed"
                    page["error"] = result.get("error", "")
    return pages


def failed(pages: list[dict]) -> int:
    return sum(1 for page in pages if page["fate"] == "failed")


def unrecognised_labels(pages: list[dict]) -> dict[str, list[str]]:
    """Every exam row label no field was found for → the old pages that carry it, most frequent first."""
    found: dict[str, list[str]] = collections.defaultdict(list)
    for page in pages:
        for label in page.get("unrecognised_labels", []):
            if page["path"] not in found[label]:
                found[label].append(page["path"])
    return dict(sorted(found.items(), key=lambda item: (-len(item[1]), item[0])))


def totals(pages: list[dict]) -> dict:
    return {
        "fates": collections.Counter(page["fate"] for page in pages),
        "encodings": collections.Counter(
            page["encoding"] for page in pages if page["kind"] == "page" and page["encoding"]
        ),
        "imports": collections.Counter(page["import_status"] for page in pages if page.get("import_status")),
        "warnings": sum(len(page["warnings"]) for page in pages),
        "broken_links": sum(len(page["broken_links"]) for page in pages),
        "missing_assets": sum(len(page["missing_assets"]) for page in pages),
        "pages": sum(1 for page in pages if page["kind"] == "page"),
        "unrecognised_labels": unrecognised_labels(pages),
    }


def write(out: Path, speed: str = "") -> dict:
    pages = load(out)
    with (out / "report.csv").open("w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for page in pages:
            writer.writerow(
                [" | ".join(page[c]) if isinstance(page.get(c), list) else page.get(c, "") for c in COLUMNS]
            )
    summary = totals(pages)
    e = html.escape

    def counter(values: dict, labels: dict | None = None) -> str:
        return "".join(
            f"<li>{e((labels or {}).get(k, k) or '（なし）')}: {v}</li>" for k, v in sorted(values.items())
        )

    labels = summary["unrecognised_labels"]
    if labels:
        label_rows = "".join(
            f"<tr><td>{e(label)}</td><td>{len(paths)}</td><td>{'<br>'.join(f'<code>{e(p)}</code>' for p in paths)}</td></tr>"
            for label, paths in labels.items()
        )
        label_section = (
            "<p>試験概要の表のうち、どの項目にも当てはまらず「日程の補足」に原文のまま残した行の見出しです。"
            "移行後に該当の試験案内を開いて、正しい項目へ移してください。同じ意味の見出しが多い場合は、"
            "移行プログラムの見出しの読み取り（<code>migration/exam.py</code> の SCHEDULE_FIELDS）に語を加えて移行し直せます。</p>"
            "<table><thead><tr><th>見出し</th><th>ページ数</th><th>旧URL</th></tr></thead>"
            f"<tbody>{label_rows}</tbody></table>"
        )
    else:
        label_section = "<p>すべての見出しを項目として読み取りました。</p>"
    rows = []
    for page in pages:
        details = "".join(f"<li>{e(w)}</li>" for w in page["warnings"])
        details += "".join(f"<li>リンク切れ（旧サイト内）: {e(b)}</li>" for b in page["broken_links"])
        details += "".join(f"<li>見つからない画像・ファイル: {e(m)}</li>" for m in page["missing_assets"])
        details += "".join(
            f"<li>読み取れなかった見出し: {e(m)}</li>" for m in page.get("unrecognised_labels", [])
        )
        rows.append(
            f'<tr class="{e(page["fate"])}"><td><code>{e(page["path"])}</code></td>'
            f"<td>{e(FATES.get(page['fate'], page['fate']))}</td>"
            f"<td>{e(page['target_type'])}<br><code>{e(page['target'])}</code></td>"
            f"<td>{e(page['reason'] or page['error'])}</td>"
            f"<td>{e(page['encoding'])} {('（' + e(HOW.get(page['encoding_source'], page['encoding_source'])) + '）') if page['encoding_source'] else ''}</td>"
            f"<td>{e(IMPORT.get(page.get('import_status', ''), page.get('import_status', '')))}</td>"
            f"<td><ul>{details}</ul></td></tr>"
        )
    document = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>旧サイト移行レポート</title>
<style>body{{font-family:sans-serif;margin:1.5rem}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #999;padding:.3rem;vertical-align:top;font-size:.9rem}}tr.failed{{background:#fdd}}
tr.skipped{{background:#eee}}tr.plain{{background:#ffd}}ul{{margin:0;padding-left:1.2rem}}</style></head>
<body><h1>旧サイト移行レポート</h1>
<p>旧サイトのすべてのページ・ファイルについて、移行の結果を示します。失敗: <strong>{failed(pages)}</strong> 件。{e(speed)}</p>
<h2>集計</h2>
<ul><li>ページ数: {summary["pages"]}（ファイル等を含む全件: {len(pages)}）</li>
{counter(summary["fates"], FATES)}
<li>項目ごとの注意: {summary["warnings"]} 件</li><li>旧サイト内のリンク切れ: {summary["broken_links"]} 件</li>
<li>見つからない画像・ファイル: {summary["missing_assets"]} 件</li></ul>
<h3>文字コード</h3><ul>{counter(summary["encodings"])}</ul>
<h3>取り込み</h3><ul>{counter(summary["imports"], IMPORT)}</ul>
<h2 id="unrecognised-labels">読み取れなかった見出し（{len(labels)} 種類）</h2>
{label_section}
<h2>ページごとの結果</h2>
<table><thead><tr><th>旧URL</th><th>結果</th><th>移行先</th><th>理由・エラー</th><th>文字コード</th><th>取り込み</th><th>注意</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    (out / "report.html").write_text(document, encoding="utf-8")
    return summary
