"""アクセス集計 (``@@saiyo-pageviews``) and the Zope-side beacon endpoint (``@@pv``)."""

from kagoshima.saiyo.analytics import report as report_module
from kagoshima.saiyo.analytics import store as store_module
from kagoshima.saiyo.analytics.collector import Collector
from kagoshima.saiyo.browser import downloads
from kagoshima.saiyo.browser.downloads import send_download
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode

import logging


logger = logging.getLogger("kagoshima.saiyo.analytics")

COLLECTOR = Collector()
MONTHS_OFFERED = 24
MAX_QUERY = 100
CONTENT_TYPES = {"csv": downloads.CSV, "xlsx": downloads.XLSX}


class PageViewBeacon(BrowserView):
    """``POST <site>/@@pv`` inside Zope, for instances whose WSGI pipeline lacks the collector.

    The same decisions as the middleware (``collector.py``); it writes only to the
    page-view store, never to ZODB. Where the middleware is in the pipeline (every
    instance rendered by this project) it answers first and this view is not reached.
    """

    def __call__(self):
        token = self.request.form.get("t")
        body = f"t={token}".encode("ascii", "replace") if isinstance(token, str) else b""
        outcome = COLLECTOR.handle(self.request.environ, body)
        response = self.request.response
        response.setStatus(outcome.status)
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("X-Pageview", outcome.note)
        if outcome.status == 405:
            response.setHeader("Allow", "POST")
        return ""


class PageViewsView(BrowserView):
    """Views per page for a month: search, sort, totals, top 20, 12-month trend, CSV and .xlsx."""

    template = ViewPageTemplateFile("templates/pageviews.pt")
    label = "アクセス集計"

    def __call__(self):
        form = self.request.form
        self.current_month = store_module.month_of(store_module.today_in_tokyo())
        month = form.get("month") or self.current_month
        self.month_error = not store_module.valid_month(month)
        self.month = self.current_month if self.month_error else month
        query = form.get("q")
        self.query = query.strip()[:MAX_QUERY] if isinstance(query, str) else ""
        sort = form.get("sort")
        self.sort = sort if sort in report_module.SORT_KEYS else "views"
        order = form.get("order")
        if order not in ("asc", "desc"):
            order = "desc" if self.sort in report_module.DEFAULT_DESCENDING else "asc"
        self.order = order
        self.error = None
        self.report = None
        self.rows = []
        try:
            self.store = store_module.get_store()
            self.report = report_module.build_report(api.portal.get(), self.month, self.store)
            self.first_month = self.store.first_month()
        except store_module.STORE_ERRORS:
            logger.exception("the page-view store could not be read")
            self.error = (
                "アクセス集計のデータを読み込めませんでした。しばらくしてからもう一度開いてください。"
            )
            self.first_month = None
        if self.report is not None:
            self.rows = report_module.sort_rows(
                report_module.search_rows(self.report.rows, self.query), self.sort, self.order == "desc"
            )
        export = form.get("format")
        if export in CONTENT_TYPES and self.report is not None:
            return self.download(export)
        self.request.response.setHeader("Cache-Control", "no-store")
        return self.template()

    def download(self, export: str):
        if export == "csv":
            data = report_module.to_csv(self.report, self.rows)
        else:
            data = report_module.to_xlsx(self.report, self.rows)
        return send_download(
            self.request, data, report_module.file_name(self.month, export), CONTENT_TYPES[export]
        )

    # For the template

    @property
    def base_url(self) -> str:
        return f"{api.portal.get().absolute_url()}/@@saiyo-pageviews"

    def url(self, **changes) -> str:
        params = {"month": self.month, "q": self.query, "sort": self.sort, "order": self.order}
        params.update(changes)
        return f"{self.base_url}?{urlencode({key: value for key, value in params.items() if value})}"

    def sort_url(self, key: str) -> str:
        if key == self.sort:
            order = "asc" if self.order == "desc" else "desc"
        else:
            order = "desc" if key in report_module.DEFAULT_DESCENDING else "asc"
        return self.url(sort=key, order=order)

    def aria_sort(self, key: str):
        if key != self.sort:
            return None
        return "descending" if self.order == "desc" else "ascending"

    def sort_mark(self, key: str) -> str:
        if key != self.sort:
            return ""
        return "▼" if self.order == "desc" else "▲"

    def download_url(self, export: str) -> str:
        return self.url(format=export)

    def month_options(self) -> list[dict]:
        oldest = store_module.shift_month(self.current_month, 1 - MONTHS_OFFERED)
        if self.first_month and self.first_month < oldest:
            oldest = self.first_month
        months, month = [], self.current_month
        while month >= oldest:
            months.append(month)
            month = store_module.shift_month(month, -1)
        if self.month not in months:
            months.append(self.month)
        return [
            {"value": item, "label": report_module.month_label(item), "selected": item == self.month}
            for item in months
        ]

    def trend_svg(self) -> str:
        return report_module.trend_svg(self.report.trend, self.month)

    def trend_rows(self) -> list[dict]:
        return [
            {"label": report_module.short_month_label(month), "views": views, "selected": month == self.month}
            for month, views in self.report.trend
        ]

    def devices(self) -> list[dict]:
        return [
            {"key": key, "label": label, "total": self.report.device_total(key)}
            for key, label in report_module.DEVICE_LABELS.items()
        ]

    def share(self, views: int) -> str:
        total = self.report.total if self.report else 0
        return f"{views * 100 / total:.1f}%" if total else "—"

    @staticmethod
    def number(value: int) -> str:
        return f"{value:,}"

    def month_label(self) -> str:
        return report_module.month_label(self.month)
