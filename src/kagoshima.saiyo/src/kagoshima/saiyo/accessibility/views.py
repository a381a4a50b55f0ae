"""試験結果 (@@accessibility-test-results): the JIS X 8341-3:2016 test results, in the form the
総務省「みんなの公共サイト運用ガイドライン」 asks for — 規格, 目標とする適合レベル, 対応度, 対象範囲,
依存したウェブコンテンツ技術, 試験日, 試験したページ, and the result of each success criterion."""

from kagoshima.saiyo.accessibility import results
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import logging


logger = logging.getLogger("kagoshima.saiyo.accessibility")


class TestResultsView(BrowserView):
    index = ViewPageTemplateFile("templates/test_results.pt")

    def __call__(self):
        self.error = None
        try:
            self.report = results.merge(results.load_checklist(), results.load_axe())
        except results.ChecklistError as error:
            logger.error("accessibility checklist unusable: %s", error)
            self.error = "試験結果を表示できません。チェックリストの内容に誤りがあります。"
            self.report = None
        return self.index()

    def title(self) -> str:
        return "ウェブアクセシビリティ試験の結果"

    def tested_on(self) -> str:
        return results.tested_on(self.report and self.report["tested"])

    def checked_on(self) -> str:
        checked = self.report and self.report["checked"]
        return (
            f"{checked.year}年{checked.month}月{checked.day}日"
            if hasattr(checked, "year")
            else str(checked or "")
        )

    def viewports(self) -> str:
        return "、".join(f"{width}px" for width in self.report["viewports"])

    def site_url(self) -> str:
        from plone import api

        return api.portal.get().absolute_url()
