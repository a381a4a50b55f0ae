"""Scheduled publishing: 公開日時 (effective) and 公開終了日時 (expiration) take effect by themselves.

A scheduled job, ``apply_schedule``, runs every few minutes (``saiyo schedule``, or
the ``@@saiyo-run-schedule`` view that an operator's cron calls; see that script's docstring):

- **公開予約 (publish reservation).** saiyo_workflow has no "approved, waiting" state, and none is
  added. An administrator (Reviewer) who approves a 承認待ち (pending) item whose 公開日時 lies in
  the future reserves it with ``@@saiyo-schedule-publish``: the view records who approved it and
  when in an annotation on the item (``MARKER``). The job publishes a pending item only when it
  carries that marker *and* its 公開日時 has come (``effective <= now``, so exactly at the time).
  A pending item without a marker is never published by the job: approval stays a human act.
  The marker is removed by any workflow transition of the item (withdraw, reject, publish by
  hand or by the job), so a page that goes back to its author must be approved again. The
  audit trail is the workflow history (履歴): the job's ``publish`` is done by the system user
  ``saiyo-schedule`` with the comment 「公開予約により自動公開」 followed by who reserved it and when.
- **公開終了 (expiry).** The job runs ``expire`` on every published item whose 公開終了日時 has
  passed (``expires < now``: as in Plone's own catalog filter, an item is still current at its
  exact expiration time), with the comment 「公開終了日時により自動で公開終了」. In state 公開終了
  (expired) anonymous visitors have no View permission, so the direct URL is refused
  (Unauthorized: Plone answers with its login form) instead of showing the page. Plone already hides expired items from anonymous listings and
  searches the moment they expire; the direct URL follows at the job's next run — so the delay is
  at most the job's interval (5 minutes). A traversal hook was not added on purpose: it would
  cost every request a check and would disagree with the workflow state editors see. An item
  re-published by hand without a later 公開終了日時 is expired again at the next run.

Items are found with unrestricted catalog queries (``review_state`` plus the ``effective`` /
``expires`` date indexes, which have minute resolution, so every hit is checked again against
the object's own dates) and every object is reindexed by its transition.
"""

from AccessControl.users import SimpleUser
from DateTime import DateTime
from persistent.mapping import PersistentMapping
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.authenticator import createToken
from plone.protect.interfaces import IDisableCSRFProtection
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five import BrowserView
from Products.statusmessages.interfaces import IStatusMessage
from zope.annotation.interfaces import IAnnotations
from zope.interface import alsoProvides

import html
import logging


logger = logging.getLogger("kagoshima.saiyo.workflows")

MARKER = "kagoshima.saiyo.schedule.publish"
SYSTEM_USER = "saiyo-schedule"
PUBLISH_COMMENT = "公開予約により自動公開"
EXPIRE_COMMENT = "公開終了日時により自動で公開終了"


def get_reservation(obj):
    """The publish reservation of ``obj`` (``{"actor": user id, "time": ISO date}``) or None."""
    annotations = IAnnotations(obj, None)
    if annotations is None:
        return None
    return annotations.get(MARKER)


def reserve(obj, actor, now=None):
    """Record that ``actor`` approved ``obj`` for publication at its 公開日時."""
    when = now or DateTime()
    IAnnotations(obj)[MARKER] = PersistentMapping({"actor": actor, "time": when.ISO8601()})


def cancel_reservation(obj):
    annotations = IAnnotations(obj, None)
    if annotations is not None and MARKER in annotations:
        del annotations[MARKER]
        return True
    return False


def on_transition(obj, event):
    """IAfterTransitionEvent subscriber: any transition (of whatever workflow) ends a reservation."""
    if event.transition is None:
        return
    cancel_reservation(obj)


def _system_user(site):
    return SimpleUser(SYSTEM_USER, "", ("Manager",), ()).__of__(site.acl_users)


def _transition(obj, transition, comment):
    workflow = api.portal.get_tool("portal_workflow")
    try:
        workflow.doActionFor(obj, transition, comment=comment)
    except WorkflowException:
        logger.warning("schedule: could not %s %s", transition, "/".join(obj.getPhysicalPath()))
        return False
    logger.info("schedule: %s %s", transition, "/".join(obj.getPhysicalPath()))
    return True


def apply_schedule(site, now=None) -> dict:
    """Publish reserved pending items whose 公開日時 has come; expire published items whose
    公開終了日時 has passed. Returns the counts ``published``, ``expired`` and ``failed``.
    Does not commit."""
    now = now or DateTime()
    catalog = api.portal.get_tool("portal_catalog")
    counts = {"published": 0, "expired": 0, "failed": 0}
    with api.env.adopt_user(user=_system_user(site)):
        due = catalog.unrestrictedSearchResults(
            review_state="pending", effective={"query": now, "range": "max"}
        )
        for brain in due:
            obj = brain._unrestrictedGetObject()
            reservation = get_reservation(obj)
            if reservation is None or obj.effective() > now or obj.expires() < now:
                continue
            comment = f"{PUBLISH_COMMENT}（予約: {reservation['actor']}、{reservation['time']}）"
            counts["published" if _transition(obj, "publish", comment) else "failed"] += 1
        ended = catalog.unrestrictedSearchResults(
            review_state="published", expires={"query": now, "range": "max"}
        )
        for brain in ended:
            obj = brain._unrestrictedGetObject()
            if not obj.expires() < now:
                continue
            counts["expired" if _transition(obj, "expire", EXPIRE_COMMENT) else "failed"] += 1
    return counts


def summary(counts) -> str:
    return (
        f"scheduled publishing: {counts['published']} published, {counts['expired']} expired, "
        f"{counts['failed']} failed"
    )


FORM = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>公開予約</title></head>
<body>
<h1>公開予約: {title}</h1>
<p>状態: {state}　公開日時: {effective}</p>
<p>{reservation}</p>
{error}
<form method="post" action="{action}">
<input type="hidden" name="_authenticator" value="{token}">
<p>公開日時になると自動で公開します。公開終了日時を過ぎると自動で公開を終了します。</p>
<button type="submit" name="form.buttons.reserve">公開予約する</button>
<button type="submit" name="form.buttons.cancel">予約を取り消す</button>
</form>
</body></html>
"""


class SchedulePublishView(BrowserView):
    """@@saiyo-schedule-publish: an administrator reserves a pending item for publication."""

    def __call__(self):
        context = self.context
        error = ""
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            messages = IStatusMessage(self.request)
            if "form.buttons.cancel" in self.request.form:
                if cancel_reservation(context):
                    messages.add("公開予約を取り消しました。", type="info")
                return self.request.response.redirect(context.absolute_url())
            error = self.reservation_error()
            if not error:
                reserve(context, api.user.get_current().getId())
                messages.add(
                    f"公開予約しました。{context.effective().strftime('%Y年%m月%d日 %H:%M')}に自動で公開します。",
                    type="info",
                )
                return self.request.response.redirect(context.absolute_url())
            self.request.response.setStatus(400)
        reservation = get_reservation(context)
        self.request.response.setHeader("Content-Type", "text/html; charset=utf-8")
        return FORM.format(
            title=html.escape(context.Title()),
            state=html.escape(api.content.get_state(context, default="") or ""),
            effective=context.effective_date.strftime("%Y年%m月%d日 %H:%M")
            if context.effective_date
            else "未設定",
            reservation=(
                f"予約済み（{html.escape(reservation['actor'])}、{html.escape(reservation['time'])}）"
                if reservation
                else "予約されていません。"
            ),
            error=f'<p class="error">{html.escape(error)}</p>' if error else "",
            action=f"{context.absolute_url()}/@@saiyo-schedule-publish",
            token=self.token(),
        )

    def token(self):
        return createToken()

    def reservation_error(self):
        context = self.context
        if api.content.get_state(context, default=None) != "pending":
            return "承認待ちのページだけを公開予約できます。"
        workflow = api.portal.get_tool("portal_workflow")
        if "publish" not in {t["id"] for t in workflow.getTransitionsFor(context)}:
            return "このページは公開できません。"
        if context.effective_date is None:
            return "公開日時を設定してから公開予約してください。"
        return ""


class RunScheduleView(BrowserView):
    """@@saiyo-run-schedule on the site root: runs the job inside the running instance.

    POST only (``curl -X POST -u admin:… https://…/Plone/@@saiyo-run-schedule``); answers the
    summary line as text. CSRF protection is off for this request: the job does only what the
    content's own dates and reservations say, whoever triggers it.
    """

    def __call__(self):
        response = self.request.response
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        if self.request.method != "POST":
            response.setStatus(405)
            response.setHeader("Allow", "POST")
            return "POST only\n"
        alsoProvides(self.request, IDisableCSRFProtection)
        return summary(apply_schedule(self.context)) + "\n"
