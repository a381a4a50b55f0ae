"""Mail of the approval workflow.

- 承認依頼 (submit): to every member of 管理者 (``administrators``) with an e-mail address;
- 公開 (publish) and 差し戻し (reject, with its reason): to the author, that is whoever
  submitted the item and its owners;
- チェックイン of a working copy (the approval of a change to a published page): to the owner of
  the working copy.

Nobody is mailed about their own action. The mail leaves through the site's MailHost after the
transaction has committed, so a transition that fails sends nothing, and an SMTP server that is
down never blocks publishing: the failure is logged for the operators.
"""

from email.utils import formataddr
from kagoshima.saiyo.workflows import ADMINISTRATORS
from kagoshima.saiyo.workflows import WORKFLOW_ID
from plone import api
from plone.app.iterate.interfaces import ICheckinCheckoutPolicy
from plone.app.iterate.interfaces import IWorkingCopy
from Products.MailHost.interfaces import IMailHost
from zope.component import queryUtility

import logging
import transaction


logger = logging.getLogger("kagoshima.saiyo.workflows")

SIGNATURE = "--\n{site}\n{portal_url}\n（このメールは送信専用です。返信はできません。）\n"


def on_transition(obj, event):
    """IAfterTransitionEvent subscriber."""
    if event.transition is None or event.workflow.getId() != WORKFLOW_ID:
        return
    transition = event.transition.getId()
    comment = str((event.kwargs or {}).get("comment") or "").strip()
    actor = api.user.get_current().getId()
    if transition == "submit":
        mail_submitted(obj, actor, comment)
    elif transition in ("publish", "reject"):
        mail_decided(obj, actor, transition, comment)


def on_checkin(working_copy, event):
    """ICheckinEvent subscriber: the working copy is about to replace the published page."""
    actor = api.user.get_current().getId()
    recipients = addresses(owners(working_copy), exclude=actor)
    if not recipients:
        return
    baseline = event.baseline
    lines = [
        f"{display_name(actor)}さんが、作業コピーの修正を承認し、公開中のページに反映しました。",
        "",
        f"ページ: {baseline.Title()}",
        f"URL: {baseline.absolute_url()}",
    ]
    if event.message:
        lines.append(f"コメント: {event.message}")
    send(recipients, f"【公開】{baseline.Title()}（修正を反映しました）", lines)


def mail_submitted(obj, actor, comment):
    recipients = addresses(group_members(ADMINISTRATORS), exclude=actor)
    if not recipients:
        logger.warning(
            "no administrator with an e-mail address to tell about the submission of %s",
            obj.absolute_url(),
        )
        return
    lines = [
        f"{display_name(actor)}さんから、ページの承認依頼が届きました。",
        "内容を確かめて「公開」するか、理由を書いて「差し戻し」てください。",
        "",
        f"ページ: {obj.Title()}",
        f"URL: {obj.absolute_url()}",
    ]
    baseline = baseline_of(obj)
    if baseline is not None:
        lines += [
            "",
            f"これは公開中のページ「{baseline.Title()}」（{baseline.absolute_url()}）の修正案（作業コピー）です。",
            "承認するときは「承認して公開ページに反映（チェックイン）」を選んでください。",
        ]
    lines += ["", f"コメント: {comment or '（なし）'}"]
    send(recipients, f"【承認依頼】{obj.Title()}", lines)


def mail_decided(obj, actor, transition, comment):
    recipients = addresses(submitters(obj) + owners(obj), exclude=actor)
    if not recipients:
        return
    if transition == "publish":
        subject = f"【公開】{obj.Title()}"
        lines = [
            f"{display_name(actor)}さんが、ページを承認して公開しました。",
            "",
            f"ページ: {obj.Title()}",
            f"URL: {obj.absolute_url()}",
        ]
        if comment:
            lines.append(f"コメント: {comment}")
    else:
        subject = f"【差し戻し】{obj.Title()}"
        lines = [
            f"{display_name(actor)}さんが、ページを差し戻しました。ページは下書きに戻っています。",
            "理由を読んで内容を直し、もう一度「承認依頼」をしてください。",
            "",
            f"ページ: {obj.Title()}",
            f"URL: {obj.absolute_url()}",
            "",
            "差し戻しの理由:",
            comment,
        ]
    send(recipients, subject, lines)


# --- who -----------------------------------------------------------------------------


def group_members(group_id):
    try:
        return [user.getId() for user in api.user.get_users(groupname=group_id)]
    except api.exc.GroupNotFoundError:
        logger.warning("group %r does not exist: nobody to mail", group_id)
        return []


def owners(obj):
    return [principal for principal, roles in obj.get_local_roles() if "Owner" in roles]


def submitters(obj):
    """Who last submitted ``obj`` (from its saiyo_workflow history), as a list."""
    history = getattr(obj, "workflow_history", {}).get(WORKFLOW_ID, ())
    for entry in reversed(history):
        if entry.get("action") == "submit" and entry.get("actor"):
            return [entry["actor"]]
    return []


def addresses(user_ids, exclude=None):
    """E-mail addresses of the users (groups and unknown ids are skipped), in order, once each."""
    found = []
    for user_id in user_ids:
        if not user_id or user_id == exclude:
            continue
        user = api.user.get(userid=user_id)
        if user is None:
            continue
        email = (user.getProperty("email") or "").strip()
        if not email:
            logger.info("user %r has no e-mail address: not mailed", user_id)
        elif email not in found:
            found.append(email)
    return found


def display_name(user_id):
    user = api.user.get(userid=user_id) if user_id else None
    fullname = (user.getProperty("fullname") or "").strip() if user is not None else ""
    return fullname or user_id or "管理者"


def baseline_of(obj):
    if not IWorkingCopy.providedBy(obj):
        return None
    policy = ICheckinCheckoutPolicy(obj, None)
    return policy.getBaseline() if policy is not None else None


# --- sending -------------------------------------------------------------------------


def send(recipients, subject, lines):
    """Send one mail to ``recipients`` once the transaction commits."""
    sender = api.portal.get_registry_record("plone.email_from_address", default="") or ""
    sender_name = api.portal.get_registry_record("plone.email_from_name", default="") or ""
    mailhost = queryUtility(IMailHost)
    if not sender or mailhost is None:
        logger.warning("no sender address (plone.email_from_address) or MailHost: %r not sent", subject)
        return
    portal = api.portal.get()
    body = "\n".join(lines) + "\n\n"
    body += SIGNATURE.format(site=sender_name or portal.Title(), portal_url=portal.absolute_url())
    mail = {
        "mto": ", ".join(recipients),
        "mfrom": formataddr((sender_name, sender)) if sender_name else sender,
        "subject": subject,
    }
    transaction.get().addAfterCommitHook(_send_after_commit, args=(mailhost, body, mail))


def _send_after_commit(committed, mailhost, body, mail):
    if not committed:
        return
    try:
        mailhost.send(body, immediate=True, charset="utf-8", **mail)
    except Exception:
        logger.exception("could not send the mail %r to %s", mail["subject"], mail["mto"])
