"""The inside of benchmarks/search.py, run by zconsole in a throwaway instance: see there.

Prints one line of JSON with the figures. Generated pages go into a folder ``bench-search``
(published, so that an anonymous visitor finds them) and the transaction is committed in
batches, as a migration would write them.
"""

from pathlib import Path
from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site

import argparse
import importlib
import json
import random
import re
import resource
import statistics
import sys
import time
import yaml


# zconsole runs this file without __file__: the add-on's own folder holds the demo data and the
# judged queries.
ADDON = Path(importlib.import_module("kagoshima.saiyo").__file__).parent
STOCK_INDEX = "stock_SearchableText"
SEED = 20261203
TOPICS = [
    "採用試験",
    "申込手続",
    "受験資格",
    "試験日程",
    "合格発表",
    "面接試験",
    "教養試験",
    "専門試験",
    "論文試験",
    "給与制度",
    "住居手当",
    "通勤手当",
    "年次休暇",
    "育児休業",
    "介護休暇",
    "研修制度",
    "人事異動",
    "離島勤務",
    "テレワーク",
    "時差出勤",
    "職員住宅",
    "健康診断",
    "キャリア形成",
    "女性の活躍",
    "技術職の仕事",
    "地域振興",
    "防災対策",
    "観光振興",
    "農業振興",
    "水産業",
    "森林整備",
    "道路整備",
    "河川管理",
    "保健衛生",
    "動物愛護",
]
SECTIONS = [
    "総務部",
    "企画部",
    "くらし保健福祉部",
    "環境林務部",
    "商工労働水産部",
    "農政部",
    "土木部",
    "教育庁",
    "警察本部",
]


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def sentences() -> list[str]:
    """Every sentence of the demo content's texts, without markup."""
    found = []

    def walk(value):
        if isinstance(value, str):
            text = re.sub(r"<[^>]+>|\{\{[^}]*\}\}", " ", value)
            for sentence in re.split(r"(?<=。)", text):
                sentence = " ".join(sentence.split())
                if 12 <= len(sentence) <= 160:
                    found.append(sentence)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((ADDON / "demo" / "data").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(set(found))


def generate(count: int):
    """(title, description, html) of count pages, the same for every run."""
    rng = random.Random(SEED)
    pool = sentences()
    for number in range(1, count + 1):
        topic = rng.choice(TOPICS)
        section = rng.choice(SECTIONS)
        title = f"{section}の{topic}について（その{number}）"
        description = f"{section}が担当する{topic}の案内です。{rng.choice(pool)}"
        paragraphs = []
        for _ in range(rng.randint(4, 8)):
            paragraphs.append(
                "<p>"
                + "".join(rng.sample(pool, rng.randint(2, 4)))
                + f"{topic}に関する詳細は担当課にお問い合わせください。</p>"
            )
        yield title, description, "".join(paragraphs)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed_search(catalog, index, queries, munge):
    times = []
    for query in queries:
        started = time.perf_counter()
        brains = catalog.searchResults(**{index: munge(query)})
        for brain in brains[:20]:
            brain.getURL()
        times.append((time.perf_counter() - started) * 1000)
    return times


def index_entries(index) -> int:
    for name in ("_wordinfo", "_index", "_postings", "_terms"):
        data = getattr(getattr(index, "index", index), name, None)
        if data is not None:
            try:
                return len(data)
            except TypeError:
                continue
    return -1


def main(app, argv) -> int:
    from AccessControl.SecurityManagement import noSecurityManager
    from kagoshima.saiyo.search.assistant import answer
    from plone import api
    from plone.app.textfield.value import RichTextValue
    from plone.base.utils import munge_search_term
    from Products.ZCTextIndex.ZCTextIndex import ZCTextIndex

    import transaction

    parser = argparse.ArgumentParser(prog="search_inside.py")
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    site, _request = open_site(app)
    catalog = site.portal_catalog
    figures = {"pages": args.pages, "rss_mb_before": rss_mb()}

    class Extra:
        doc_attr = "SearchableText"
        lexicon_id = "plone_lexicon"
        index_type = "Okapi BM25 Rank"

    if STOCK_INDEX not in catalog.indexes():
        catalog.addIndex(STOCK_INDEX, ZCTextIndex(STOCK_INDEX, extra=Extra, caller=catalog))
    folder = site.get("bench-search") or api.content.create(
        site, "Folder", id="bench-search", title="検索ベンチマーク"
    )
    pages = []
    for number, (title, description, html) in enumerate(generate(args.pages), start=1):
        page = api.content.create(
            folder,
            "Document",
            id=f"page-{number}",
            title=title,
            description=description,
            text=RichTextValue(html, "text/html", "text/x-html-safe"),
        )
        api.content.transition(page, to_state="published")
        pages.append(page)
        if number % 250 == 0:
            transaction.commit()
    transaction.commit()

    figures["documents"] = len(catalog._catalog)
    site_figures, stock_figures = {}, {}
    for index_name, target in (("SearchableText", site_figures), (STOCK_INDEX, stock_figures)):
        # From empty, as a new site or a rebuild indexes: the site's index skips a page whose
        # text has not changed, so reindexing a full index would measure that shortcut.
        index = catalog._catalog.getIndex(index_name)
        index.clear()
        transaction.commit()
        started = time.perf_counter()
        catalog.manage_reindexIndex(ids=[index_name])
        transaction.commit()
        seconds = time.perf_counter() - started
        target["reindex_seconds"] = round(seconds, 1)
        target["index_ms_per_page"] = round(seconds * 1000 / figures["documents"], 2)
        target["index_entries"] = index_entries(index)

    judged = yaml.safe_load((ADDON / "tests" / "search" / "search_queries.yaml").read_text(encoding="utf-8"))
    rng = random.Random(SEED)
    queries = [item["q"] for item in judged["queries"]] + list(judged["nothing"])
    words = sorted({word for topic in TOPICS for word in re.findall(r"[一-龥ァ-ヶー]{2,}", topic)})
    while len(queries) < args.queries:
        queries.append(" ".join(rng.sample(words, rng.randint(1, 2))))
    queries = queries[: args.queries]

    noSecurityManager()  # search as an anonymous visitor
    for index_name, target in (("SearchableText", site_figures), (STOCK_INDEX, stock_figures)):
        times = []
        for query in queries:
            try:
                times.extend(timed_search(catalog, index_name, [query], munge_search_term))
            except Exception:  # the stock splitter raises on some queries; the visitor gets an error
                continue
        target["search_p50_ms"] = round(statistics.median(times), 1)
        target["search_p95_ms"] = round(percentile(times, 0.95), 1)
        target["search_errors"] = len(queries) - len(times)

    assistant_times = []
    for item in judged["assistant"] * 3:
        started = time.perf_counter()
        answer(site, item["q"])
        assistant_times.append((time.perf_counter() - started) * 1000)
    figures["assistant_p50_ms"] = round(statistics.median(assistant_times), 1)
    figures["assistant_p95_ms"] = round(percentile(assistant_times, 0.95), 1)
    figures["rss_mb_after"] = rss_mb()
    figures["site"], figures["stock"] = site_figures, stock_figures
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "search_inside.py"))
