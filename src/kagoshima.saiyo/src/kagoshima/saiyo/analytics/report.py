"""The monthly page-view report: counters joined with the catalog, CSV, .xlsx and an SVG chart.

Used by the administrators' view (``views.PageViewsView``) and by the monthly report
command (``saiyo report``), so the screen and the files always agree.
Pages are matched by UID, so a page keeps its history when it is renamed or moved; the
title and path shown are the page's current ones. Counts of pages that no longer exist
stay in the totals and are listed as 「（削除されたページ）」.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from html import escape
from kagoshima.saiyo.analytics import store as store_module
from kagoshima.saiyo.dates import era_year_text
from kagoshima.saiyo.dates import TOKYO
from plone.uuid.interfaces import IUUID
from Products.CMFCore.utils import getToolByName

import csv
import io
import unicodedata


DELETED_TITLE = "（削除されたページ）"
TREND_MONTHS = 12
TOP = 20
DEVICE_LABELS = {"mobile": "スマートフォン", "tablet": "タブレット", "desktop": "パソコン"}
CSV_COLUMNS = ("順位", "タイトル", "パス", "閲覧数", "スマートフォン", "タブレット", "パソコン", "URL", "UID")
SORT_KEYS = {
    "rank": lambda row: (row.rank, row.sort_title),
    # pages that no longer exist after the others (in ascending order)
    "title": lambda row: (not row.exists, row.sort_title, row.path),
    "path": lambda row: (not row.exists, row.path, row.sort_title),
    "views": lambda row: (row.views, row.sort_title),
    "mobile": lambda row: (row.mobile, row.sort_title),
    "tablet": lambda row: (row.tablet, row.sort_title),
    "desktop": lambda row: (row.desktop, row.sort_title),
}
# the direction a column sorts in when it is first chosen
DEFAULT_DESCENDING = {"views", "mobile", "tablet", "desktop"}


def month_label(month: str) -> str:
    """「令和8年（2026年）11月」."""
    year, number = (int(part) for part in month.split("-"))
    return f"{era_year_text(date(year, number, 1))}（{year}年）{number}月"


def short_month_label(month: str) -> str:
    """「2026年11月」 (chart axes, sheet cells)."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year}年{number}月"


def normalized(text: str) -> str:
    """Text for matching: full-width/half-width folded (NFKC) and case-folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


@dataclass
class PageRow:
    uid: str
    title: str
    path: str
    url: str
    exists: bool = True
    mobile: int = 0
    tablet: int = 0
    desktop: int = 0
    rank: int = 0
    sort_title: str = field(default="", repr=False)

    @property
    def views(self) -> int:
        return self.mobile + self.tablet + self.desktop


@dataclass
class MonthReport:
    month: str
    rows: list[PageRow]
    trend: list[tuple[str, int]]

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def total(self) -> int:
        return sum(row.views for row in self.rows)

    @property
    def pages(self) -> int:
        return len(self.rows)

    def device_total(self, device: str) -> int:
        return sum(getattr(row, device) for row in self.rows)

    def top(self, count: int = TOP) -> list[PageRow]:
        return sorted(self.rows, key=lambda row: (-row.views, row.sort_title))[:count]


def _site_path(site) -> str:
    return "/".join(site.getPhysicalPath())


def page_rows(site, counts: dict[str, dict[str, int]]) -> list[PageRow]:
    """One row per UID with views, with the page's current title and path from the catalog."""
    catalog = getToolByName(site, "portal_catalog")
    site_path = _site_path(site)
    site_uid = IUUID(site, None)
    found = {}
    if counts:
        for brain in catalog.unrestrictedSearchResults(UID=list(counts)):
            found[brain.UID] = brain
    rows = []
    for uid, devices in counts.items():
        brain = found.get(uid)
        if brain is not None:
            path = brain.getPath()
            relative = path[len(site_path) :] if path.startswith(site_path) else path
            row = PageRow(uid, brain.Title or brain.getId, relative or "/", brain.getURL())
        elif uid == site_uid:
            row = PageRow(uid, site.Title(), "/", site.absolute_url())
        else:
            row = PageRow(uid, DELETED_TITLE, "", "", exists=False)
        row.mobile = devices.get("mobile", 0)
        row.tablet = devices.get("tablet", 0)
        row.desktop = devices.get("desktop", 0)
        row.sort_title = normalized(row.title)
        rows.append(row)
    rows.sort(key=lambda row: (-row.views, row.sort_title, row.path))
    previous, rank = None, 0
    for position, row in enumerate(rows, 1):
        if row.views != previous:
            rank, previous = position, row.views
        row.rank = rank  # 1, 2, 2, 4: pages with the same views share a rank
    return rows


def build_report(site, month: str, store=None) -> MonthReport:
    store = store or store_module.get_store()
    rows = page_rows(site, store.month_counts(month))
    months = store_module.months_ending(month, TREND_MONTHS)
    totals = store.monthly_totals(months)
    return MonthReport(month, rows, [(item, totals[item]) for item in months])


def search_rows(rows: list[PageRow], query: str) -> list[PageRow]:
    """Rows whose title contains the query (NFKC, case-insensitive); all rows for no query."""
    needle = normalized(query).strip()
    if not needle:
        return list(rows)
    return [row for row in rows if needle in row.sort_title]


def sort_rows(rows: list[PageRow], key: str, descending: bool) -> list[PageRow]:
    return sorted(rows, key=SORT_KEYS.get(key, SORT_KEYS["views"]), reverse=descending)


# Files ---------------------------------------------------------------------------


def _cells(row: PageRow) -> list:
    return [
        row.rank,
        row.title,
        row.path,
        row.views,
        row.mobile,
        row.tablet,
        row.desktop,
        row.url,
        row.uid,
    ]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(report: MonthReport, rows: list[PageRow] | None = None) -> bytes:
    """UTF-8 with a byte-order mark and CRLF line ends, so Excel opens the Japanese text as such."""
    output = io.StringIO(newline="")
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows if rows is None else rows:
        writer.writerow([_csv_text(value) for value in _cells(row)])
    return output.getvalue().encode("utf-8-sig")


def to_xlsx(report: MonthReport, rows: list[PageRow] | None = None, created: datetime | None = None) -> bytes:
    """Three sheets: 概要 (totals), ページ別 (every page), 月別推移 (12 months, with a bar chart)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart
    from openpyxl.chart import Reference
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = report.rows if rows is None else rows
    bold = Font(bold=True)
    book = Workbook()

    summary = book.active
    summary.title = "概要"
    created = created or datetime.now(TOKYO)
    lines = [
        ("鹿児島県職員採用ウェブサイト アクセス集計", ""),
        ("対象月", report.label),
        ("閲覧数の合計", report.total),
        ("閲覧されたページ数", report.pages),
        *((f"うち{label}", report.device_total(device)) for device, label in DEVICE_LABELS.items()),
        ("作成日時", created.strftime("%Y-%m-%d %H:%M")),
        ("注記", "ログインした職員、検索エンジンなどのロボット、先読みの表示は数えていません。"),
    ]
    for line in lines:
        summary.append(list(line))
    summary["A1"].font = Font(bold=True, size=14)
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 40

    pages = book.create_sheet("ページ別")
    pages.append(list(CSV_COLUMNS))
    for cell in pages[1]:
        cell.font = bold
    for row in rows:
        pages.append(_cells(row))
        for cell in pages[pages.max_row]:
            if cell.data_type == "f":  # openpyxl reads "=..." as a formula: a title is text
                cell.data_type = "s"
    for index, width in enumerate((6, 48, 40, 10, 14, 12, 10, 50, 36), 1):
        pages.column_dimensions[get_column_letter(index)].width = width
    pages.freeze_panes = "A2"
    pages.auto_filter.ref = f"A1:{get_column_letter(len(CSV_COLUMNS))}{max(len(rows) + 1, 2)}"

    trend = book.create_sheet("月別推移")
    trend.append(["月", "閲覧数"])
    for cell in trend[1]:
        cell.font = bold
    for month, views in report.trend:
        trend.append([short_month_label(month), views])
    trend.column_dimensions["A"].width = 14
    trend.column_dimensions["B"].width = 12
    chart = BarChart()
    chart.title = "月別閲覧数の推移"
    chart.y_axis.title = "閲覧数"
    chart.legend = None
    chart.add_data(
        Reference(trend, min_col=2, min_row=1, max_row=len(report.trend) + 1), titles_from_data=True
    )
    chart.set_categories(Reference(trend, min_col=1, min_row=2, max_row=len(report.trend) + 1))
    chart.width, chart.height = 22, 9
    trend.add_chart(chart, "D2")

    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def file_name(month: str, extension: str) -> str:
    return f"アクセス集計_{month}.{extension}"


# The trend chart -----------------------------------------------------------------


def _nice_ceiling(value: int) -> int:
    """A round upper bound for the axis: 1, 2, 5, 10, 20, 50, … at least ``value``."""
    bound = 1
    while True:
        for step in (1, 2, 5):
            if bound * step >= value:
                return bound * step
        bound *= 10


def trend_svg(trend: list[tuple[str, int]], selected: str) -> str:
    """A bar chart of the months as inline SVG, drawn here (no script, no external service).

    Accessible: ``role="img"`` with a <title> and a <desc> that gives every figure; the
    view also shows the same numbers as a table.
    """
    width, height = 720, 260
    left, right, top, bottom = 64, 12, 16, 48
    plot_width, plot_height = width - left - right, height - top - bottom
    top_value = max([views for _, views in trend] + [1])
    tick = _nice_ceiling(-(-top_value // 4))  # four equal, round steps up to the highest bar
    ceiling = tick * 4
    slot = plot_width / max(len(trend), 1)
    first, last = trend[0][0], trend[-1][0]
    title = f"月別閲覧数の推移（{short_month_label(first)}〜{short_month_label(last)}）"
    description = "、".join(f"{short_month_label(month)} {views:,}件" for month, views in trend)
    parts = [
        f'<svg class="saiyo-pv-chart" role="img" aria-labelledby="pv-trend-title pv-trend-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="pv-trend-title">{escape(title)}</title>',
        f'<desc id="pv-trend-desc">{escape(description)}</desc>',
    ]
    for step in range(5):
        value = tick * step
        y = top + plot_height - plot_height * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#c8ccd0" stroke-width="1" />'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{value:,}</text>'
        )
    for index, (month, views) in enumerate(trend):
        bar_height = plot_height * views / ceiling
        x = left + slot * index + slot * 0.15
        y = top + plot_height - bar_height
        colour = "#0b3d75" if month == selected else "#3a78c3"
        year, number = month.split("-")
        centre = left + slot * index + slot / 2
        weight = ' font-weight="bold"' if month == selected else ""
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" fill="{colour}">'
            f"<title>{escape(short_month_label(month))}: {views:,}件</title></rect>"
            f'<text x="{centre:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12" '
            f'fill="#333"{weight}>{int(number)}月</text>'
        )
        if index == 0 or number == "01":
            parts.append(
                f'<text x="{centre:.1f}" y="{height - bottom + 36}" text-anchor="middle" font-size="11" '
                f'fill="#555">{year}年</text>'
            )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - right}" y2="{top + plot_height}" '
        f'stroke="#333" stroke-width="1" />'
    )
    parts.append("</svg>")
    return "".join(parts)
