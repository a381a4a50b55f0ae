"""The assistant's pages: the question form (box and page), the top-page block, the unanswered list.

The form is a plain HTML form (POST, or GET with ``question``) that works without JavaScript;
``static/assistant.js`` sends it to ``POST /++api++/@assistant`` instead and shows the answer
in the same ``aria-live`` region.
"""

from datetime import datetime
from kagoshima.saiyo.browser import downloads
from kagoshima.saiyo.browser.downloads import send_download
from kagoshima.saiyo.search import assistant
from kagoshima.saiyo.theme.interfaces import IOwnHeadPage
from plone.app.layout.viewlets import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.annotation.interfaces import IAnnotations
from zope.interface import implementer

import logging


logger = logging.getLogger("kagoshima.saiyo.search.assistant")

PAGE_SIZE = 500
_BOX_COUNTER = "kagoshima.saiyo.assistant.boxes"


def portal_of(context):
    from plone import api

    return api.portal.get()


class AssistantBox(BrowserView):
    """``@@saiyo-assistant-box``: the question form in a box, with an empty live region.

    ``result``/``question``/``error`` are set by the full page when it answers without JavaScript.
    """

    index = ViewPageTemplateFile("templates/assistant_box.pt")
    result = None
    question = ""
    error = ""
    heading_level = 2

    def __call__(self):
        annotations = IAnnotations(self.request)
        number = annotations.get(_BOX_COUNTER, 0) + 1
        annotations[_BOX_COUNTER] = number
        self.box_id = "saiyo-assistant" if number == 1 else f"saiyo-assistant-{number}"
        return self.index()

    def portal_url(self):
        return portal_of(self.context).absolute_url()

    def action_url(self):
        return f"{self.portal_url()}/@@saiyo-assistant"

    def api_url(self):
        return f"{self.portal_url()}/++api++/@assistant"

    def script_url(self):
        return f"{self.portal_url()}/++resource++kagoshima.saiyo.assistant.js"

    def answer_lines(self):
        if not self.result:
            return []
        return [line for line in self.result["answer"].split("\n") if line.strip()]

    def links(self):
        return assistant.links(portal_of(self.context))

    @property
    def max_chars(self):
        return assistant.MAX_QUESTION_CHARS


@implementer(IOwnHeadPage)
class AssistantView(BrowserView):
    """``@@saiyo-assistant``: the page 「質問する」, answering the form without JavaScript."""

    index = ViewPageTemplateFile("templates/assistant.pt")

    def __call__(self):
        form = self.request.form
        self.question = form.get("question", "")
        self.error = ""
        self.result = None
        if "question" in form:
            # An answer depends on the question (and counts it when unanswered): never cached.
            self.request.response.setHeader("Cache-Control", "no-store")
            self.error = assistant.validate(self.question)
            if not self.error:
                wait = assistant.rate_limited(self.request)
                if wait:
                    self.request.response.setStatus(429)
                    self.request.response.setHeader("Retry-After", str(wait))
                    self.error = assistant.RATE_LIMIT_MESSAGE
                    logger.info("assistant: rate limit reached, form refused")
                else:
                    self.result = assistant.ask(portal_of(self.context), self.question)
            else:
                self.request.response.setStatus(400)
                logger.info(
                    "assistant: form refused: %s", "empty" if not self.question else "invalid or too long"
                )
        if not isinstance(self.question, str):
            self.question = ""
        return self.index()

    def head_title(self) -> str:
        return "質問する"

    def head_noindex(self) -> bool:
        # An answer is made from the visitor's question: not a page for search engines.
        return "question" in self.request.form

    def box(self):
        box = AssistantBox(self.context, self.request)
        box.result = self.result
        box.question = self.question[: assistant.MAX_QUESTION_CHARS * 2]
        box.error = self.error
        box.heading_level = 0  # the page's own <h1> is the heading
        return box()


class AssistantTopBlock(ViewletBase):
    """Top-page block 「質問する」 (a viewlet of kagoshima.saiyo.topblocks)."""

    def render(self):
        return AssistantBox(self.context, self.request)()


class UnansweredView(BrowserView):
    """サイト設定 → 回答できなかった質問 (``@@saiyo-assistant-unanswered``), as a table or CSV."""

    index = ViewPageTemplateFile("templates/assistant_unanswered.pt")

    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        self.error = ""
        self.message = ""
        try:
            store = assistant.get_store()
        except assistant.StoreUnavailable:
            self.error = "回答できなかった質問の保存場所が設定されていません。"
            store = None
        form = self.request.form
        if store is not None and self.request.method == "POST" and form.get("delete"):
            CheckAuthenticator(self.request)
            selected = form.get("questions") or []
            if isinstance(selected, str):
                selected = [selected]
            deleted = store.delete(selected)
            self.message = f"{deleted}件の質問を一覧から削除しました。"
            logger.info("assistant: %d unanswered questions deleted from the list", deleted)
        rows = store.rows() if store is not None else []
        if form.get("format") == "csv":
            data = assistant.to_csv(rows).encode("utf-8")
            stamp = datetime.now(assistant.TOKYO).strftime("%Y%m%d-%H%M")
            return send_download(self.request, data, f"回答できなかった質問_{stamp}.csv", downloads.CSV)
        self.total = len(rows)
        self.rows = [
            dict(
                row,
                first=assistant.local_time(row["first_seen"]),
                last=assistant.local_time(row["last_seen"]),
            )
            for row in rows[:PAGE_SIZE]
        ]
        return self.index()

    def base_url(self):
        return f"{self.context.absolute_url()}/@@saiyo-assistant-unanswered"

    def csv_url(self):
        return f"{self.base_url()}?format=csv"

    @property
    def page_size(self):
        return PAGE_SIZE
