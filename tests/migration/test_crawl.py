"""Crawling a live old site: same host only, robots.txt honoured, resumable, then the same build."""

from functools import partial
from http.server import SimpleHTTPRequestHandler
from http.server import ThreadingHTTPServer
from migration import __main__ as cli
from migration import build
from migration import source
from pathlib import Path

import json
import pytest
import threading


SITE = Path(__file__).parent / "fixtures" / "mirror" / "saiyo.pref.kagoshima.jp"


class Handler(SimpleHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        Handler.requests.append(self.path)
        # the old server answers /a/b for the file wget saved as /a/b.html
        if (
            not Path(self.translate_path(self.path)).exists()
            and Path(self.translate_path(self.path + ".html")).exists()
        ):
            self.path += ".html"
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def old_site():
    Handler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_crawl_is_resumable_and_honours_robots(old_site, tmp_path):
    folder, notes = source.crawl(old_site + "/", tmp_path, delay=0, limit=5)
    assert len([r for r in Handler.requests if r != "/robots.txt"]) == 5
    first = set(Handler.requests)
    folder, notes = source.crawl(old_site + "/", tmp_path, delay=0)
    again = [r for r in Handler.requests[len(first) + 1 :] if r in first and r != "/robots.txt"]
    assert again == []  # nothing fetched twice
    assert notes["/search.html"][0] == "skipped"
    assert "/search.html" not in Handler.requests
    assert (folder / "info" / "about_test" / "intermediate_test" / "intermediate_test_r03.html").exists()
    rules = build.load_rules()
    builder = build.Builder(list(source.read_mirror(folder, rules["site_host"])), rules)
    builder.run()
    report = builder.reports["/info/about_test/intermediate_test/intermediate_test_r03.html"]
    assert report.fate == "structured" and report.target == "shiken/annai/tandai-2021"


def test_command_line_on_a_url(old_site, tmp_path):
    assert cli.main(["build", old_site + "/", "--out", str(tmp_path), "--delay", "0"]) == 0
    pages = {p["path"]: p for p in json.loads((tmp_path / "pages.json").read_text(encoding="utf-8"))["pages"]}
    assert pages["/search.html"]["fate"] == "skipped"
    assert pages["/info/about_test/minkan_test/minkan_test_h30"]["encoding"] == "cp932"
    assert pages["/info/about_test/minkan_test/minkan_test_h30"]["target"] == "shiken/annai/keiken-2018"
    assert cli.main(["report", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "report.html").exists() and (tmp_path / "report.csv").exists()


def test_report_exit_code_when_a_page_failed(tmp_path):
    mirror = tmp_path / "mirror" / "saiyo.pref.kagoshima.jp"
    mirror.mkdir(parents=True)
    (mirror / "ok.html").write_text("<html><body><h1>ページ</h1><p>本文</p></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(tmp_path / "mirror"), "--out", str(out)]) == 0
    result = {"/ok.html": {"status": "failed", "error": "RuntimeError: test"}}
    (out / "import-result.json").write_text(json.dumps(result), encoding="utf-8")
    assert cli.main(["report", "--out", str(out)]) == 1
    assert "RuntimeError: test" in (out / "report.csv").read_text(encoding="utf-8-sig")
