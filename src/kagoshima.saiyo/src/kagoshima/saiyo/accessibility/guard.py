"""Where the checks run: after a save (status message), before 承認依頼 (may refuse), on the page.

Which findings stop 承認依頼 is the registry record
``kagoshima.saiyo.security.a11y_blocking_checks`` (interfaces.py); the others are shown but let the page
go to the administrator, who sees them on the page while reviewing.
"""

from kagoshima.saiyo.accessibility.checks import findings_of
from kagoshima.saiyo.accessibility.checks import LABELS
from kagoshima.saiyo.accessibility.interfaces import blocking_checks
from kagoshima.saiyo.workflows.views import RefusedTransitionView
from plone.app.layout.viewlets.common import ViewletBase
from Products.CMFCore.utils import getToolByName
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from zope.globalrequest import getRequest

import logging


logger = logging.getLogger("kagoshima.saiyo.accessibility")

CHECKED_TRANSITIONS = {"submit"}


def blocking(found) -> list[dict]:
    checks = blocking_checks()
    return [item for item in found if item["check"] in checks]


def summary(found) -> str:
    return "、".join(f"{item['label']}: {item['element']}" for item in found[:5]) + (
        " ほか" if len(found) > 5 else ""
    )


class AccessibilityBlocked(WorkflowException):
    """承認依頼 refused: findings of a blocking kind remain. A WorkflowException (REST: 400)."""

    def __init__(self, message="", obj=None):
        if isinstance(message, AccessibilityBlocked):
            obj, message = message.obj, str(message)
        super().__init__(message)
        self.obj = obj

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def on_saved(obj, event):
    """After a save in the edit form: tell the author what the check found."""
    request = getRequest()
    if request is None or not hasattr(request, "form"):
        return
    if not any(key.startswith("form.buttons.save") for key in request.form):
        return
    found = findings_of(obj)
    if not found:
        return
    messages = IStatusMessage(request)
    blocked = blocking(found)
    head = f"アクセシビリティの確認で {len(found)} 件の指摘があります。ページ上部の一覧を見て直してください。"
    if blocked:
        head += f"うち {len(blocked)} 件は、直すまで承認依頼できません。"
    messages.add(head, type="warning")


def before_transition(obj, event):
    """IBeforeTransitionEvent: refuse 承認依頼 while blocking findings remain."""
    transition = event.transition
    if transition is None or transition.getId() not in CHECKED_TRANSITIONS:
        return
    blocked = blocking(findings_of(obj))
    if blocked:
        logger.info(
            "refused %s of %s: %d accessibility findings",
            transition.getId(),
            "/".join(obj.getPhysicalPath()),
            len(blocked),
        )
        raise AccessibilityBlocked(
            f"アクセシビリティの確認で直す必要がある指摘が {len(blocked)} 件あるため、承認依頼できません。{summary(blocked)}",
            obj=obj,
        )


class AccessibilityBlockedView(RefusedTransitionView):
    """Exception view: back to the page with the message (the viewlet lists the findings)."""


class FindingsViewlet(ViewletBase):
    """The findings above the content, for whoever may edit or review the page."""

    index = ViewPageTemplateFile("templates/findings.pt")

    def update(self):
        super().update()
        self.items = []
        membership = getToolByName(self.context, "portal_membership")
        if membership.isAnonymousUser():
            return
        if not (
            membership.checkPermission("Modify portal content", self.context)
            or membership.checkPermission("Review portal content", self.context)
        ):
            return
        found = findings_of(self.context)
        checks = blocking_checks()
        self.items = [dict(item, blocking=item["check"] in checks) for item in found]

    def render(self):
        return self.index() if self.items else ""

    def labels(self):
        return LABELS
