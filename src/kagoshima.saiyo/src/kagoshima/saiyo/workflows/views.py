"""差し戻し form: the administrator writes the reason the author will read.

The workflow menu's 差し戻し links here (the transition's action URL). Whatever other way a
reject without a comment takes in the Classic UI (content_status_modify, the 詳細 form) ends
with CommentRequired, whose exception view sends the administrator here with the message.
"""

from kagoshima.saiyo.workflows.comments import CommentRequired
from kagoshima.saiyo.workflows.comments import MESSAGE
from plone.protect import CheckAuthenticator
from Products.CMFCore.utils import getToolByName
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage


class RejectForm(BrowserView):
    index = ViewPageTemplateFile("templates/reject.pt")
    transition = "reject"

    error = ""
    comment = ""

    def available(self):
        workflow = getToolByName(self.context, "portal_workflow")
        return self.transition in {t["id"] for t in workflow.getTransitionsFor(self.context)}

    def __call__(self):
        form = self.request.form
        if self.request.method != "POST":
            return self.index()
        CheckAuthenticator(self.request)
        if "form.buttons.cancel" in form:
            return self.request.response.redirect(self.context.absolute_url())
        self.comment = str(form.get("comment", "")).strip()
        if not self.available():
            self.error = "このページは承認待ちではないため、差し戻せません。"
        elif not self.comment:
            self.error = MESSAGE
        if self.error:
            self.request.response.setStatus(400)
            return self.index()
        workflow = getToolByName(self.context, "portal_workflow")
        try:
            workflow.doActionFor(self.context, self.transition, comment=self.comment)
        except CommentRequired as error:
            self.error = str(error)
            self.request.response.setStatus(400)
            return self.index()
        IStatusMessage(self.request).add("差し戻しました。理由は作成者にメールで届きます。", type="info")
        return self.request.response.redirect(self.context.absolute_url())


class RefusedTransitionView(BrowserView):
    """Exception view of a refused transition for the Classic UI: the message, then ``target_url``.

    Other clients (the REST API, scripts) get 400 and the message as text.
    """

    def target_url(self, target):
        return target.absolute_url()

    def __call__(self):
        error = self.context
        target = error.obj
        if target is None or "text/html" not in self.request.getHeader("Accept", ""):
            self.request.response.setStatus(400)
            self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return str(error)
        IStatusMessage(self.request).add(str(error), type="error")
        self.request.response.redirect(self.target_url(target), lock=True)
        return ""


class CommentRequiredView(RefusedTransitionView):
    """CommentRequired: back to the 差し戻し form."""

    def target_url(self, target):
        return f"{target.absolute_url()}/@@saiyo-reject"
