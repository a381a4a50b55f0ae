"""Command line: ``python -m migration build SOURCE --out DIR`` and ``python -m migration report --out DIR``.

``make migrate SOURCE=…`` runs build, then the import inside Zope
('saiyo migrate-import'), then report.
"""

from migration import build
from migration import report
from migration import source
from pathlib import Path

import argparse
import json
import logging
import sys
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migration")
    commands = parser.add_subparsers(dest="command", required=True)
    build_command = commands.add_parser("build", help="read the old site and write the import JSON")
    build_command.add_argument("source", help="a mirror folder (wget --mirror) or a base URL to crawl")
    build_command.add_argument("--out", required=True, type=Path)
    build_command.add_argument("--rules", type=Path, default=None)
    build_command.add_argument(
        "--delay", type=float, default=1.0, help="seconds between requests when crawling"
    )
    report_command = commands.add_parser(
        "report", help="write report.html / report.csv; exit 1 if anything failed"
    )
    report_command.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if args.command == "build":
        rules = build.load_rules(args.rules)
        for stale in ("import-result.json", "import-speed.json"):  # from the previous run's import
            (args.out / stale).unlink(missing_ok=True)
        started = time.perf_counter()
        if args.source.startswith(("http://", "https://")):
            folder, crawl_notes = source.crawl(
                args.source, args.out / "crawl", delay=args.delay, also_hosts={rules.get("site_host")}
            )
        else:
            folder, crawl_notes = Path(args.source), {}
            if not folder.is_dir():
                print(
                    f"エラー: 移行元のフォルダ {folder} がありません / Error: no such folder: {folder}",
                    file=sys.stderr,
                )
                return 2
        fetched = list(source.read_mirror(folder, rules.get("site_host")))
        builder = build.Builder(fetched, rules)
        builder.run()
        for path, (fate, reason) in crawl_notes.items():
            builder.reports[path] = build.PageReport(
                path=path,
                fate=fate,
                error=reason if fate == "failed" else "",
                reason=reason if fate != "failed" else "",
            )
        build.write(builder, args.out)
        seconds = time.perf_counter() - started
        pages = sum(1 for r in builder.reports.values() if r.kind == "page")
        speed = {"pages": pages, "seconds": round(seconds, 3), "pages_per_second": round(pages / seconds, 1)}
        (args.out / "build-speed.json").write_text(json.dumps(speed), encoding="utf-8")
        report.write(args.out, f"読み取り: {pages} ページ / {seconds:.2f} 秒")
        print(f"build: {pages} pages in {seconds:.2f} s ({pages / seconds:.1f} pages/s) -> {args.out}")
        return 0
    summary_speed = ""
    speed_file = args.out / "build-speed.json"
    if speed_file.exists():
        speed = json.loads(speed_file.read_text(encoding="utf-8"))
        summary_speed = f"読み取り: {speed['pages']} ページ / {speed['seconds']} 秒（{speed['pages_per_second']} ページ/秒）"
    import_speed = args.out / "import-speed.json"
    if import_speed.exists():
        speed = json.loads(import_speed.read_text(encoding="utf-8"))
        summary_speed += f" 取り込み: {speed['pages']} ページ / {speed['seconds']} 秒（{speed['pages_per_second']} ページ/秒）"
    summary = report.write(args.out, summary_speed)
    pages = report.load(args.out)
    failures = report.failed(pages)
    print(f"report: {args.out / 'report.html'} ({len(pages)} entries, {failures} failed) {summary_speed}")
    for name, count in sorted(summary["fates"].items()):
        print(f"  {name}: {count}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
