"""サイト設定 → 操作履歴 (@@saiyo-audit): the audit trail, filtered, as a table or CSV."""

from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.browser import downloads
from kagoshima.saiyo.browser.downloads import send_download
from kagoshima.saiyo.security import audit
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import logging


logger = logging.getLogger("kagoshima.saiyo.security")
PAGE_SIZE = 500


class AuditView(BrowserView):
    template = ViewPageTemplateFile("templates/audit.pt")

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        form = self.request.form
        self.user = (form.get("user") or "").strip()[:100]
        self.action = form.get("action") if form.get("action") in audit.ACTIONS else ""
        self.path = (form.get("path") or "").strip()[:300]
        self.start = (form.get("start") or "").strip()
        self.end = (form.get("end") or "").strip()
        self.error = ""
        start = audit.day_start(self.start) if self.start else None
        end = audit.day_start(self.end) if self.end else None
        if (self.start and start is None) or (self.end and end is None):
            self.error = "日付は 2026-04-01 のように「年-月-日」で入力してください。"
        if end is not None:
            end += timedelta(days=1).total_seconds()  # the end day is included
        try:
            store = audit.get_store()
        except audit.StoreUnavailable:
            self.error = "操作履歴の保存場所が設定されていません。"
            store = None
        rows = []
        self.users = []
        try:
            if store is not None and not self.error:
                rows = store.search(user=self.user, action=self.action, path=self.path, start=start, end=end)
            self.users = store.users() if store is not None else []
        except audit.STORE_ERRORS:
            logger.exception("the audit trail could not be read")
            self.error = "操作履歴を読み出せませんでした。しばらくしてからもう一度開いてください。"
            rows = []
        if form.get("format") == "csv":
            data = audit.to_csv(rows).encode("utf-8")
            stamp = datetime.now(audit.TOKYO).strftime("%Y%m%d-%H%M")
            return send_download(self.request, data, f"操作履歴_{stamp}.csv", downloads.CSV)
        self.total = len(rows)
        self.rows = [
            dict(row, when=audit.local_time(row["at"]), label=audit.ACTIONS.get(row["action"], row["action"]))
            for row in rows[:PAGE_SIZE]
        ]
        return self.template()

    def actions(self):
        return [
            {"value": key, "label": label, "selected": key == self.action}
            for key, label in audit.ACTIONS.items()
        ]

    def base_url(self):
        return f"{self.context.absolute_url()}/@@saiyo-audit"

    def csv_url(self):
        from urllib.parse import urlencode

        query = {
            key: value
            for key, value in (
                ("user", self.user),
                ("action", self.action),
                ("path", self.path),
                ("start", self.start),
                ("end", self.end),
            )
            if value
        }
        query["format"] = "csv"
        return f"{self.base_url()}?{urlencode(query)}"

    @property
    def page_size(self):
        return PAGE_SIZE
