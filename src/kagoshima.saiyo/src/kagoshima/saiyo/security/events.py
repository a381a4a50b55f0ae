"""Audit subscribers: content created, edited, transitioned, deleted; logins and logouts.

Content events are queued on the transaction and written after it commits, so an edit
that fails (and is rolled back) leaves no row. Working copies and the portal's own tools
are recorded like any item; events inside the portal_factory-like temporary containers
or without a site path are ignored.
"""

from AccessControl import getSecurityManager
from kagoshima.saiyo.security import audit
from zope.globalrequest import getRequest
from zope.lifecycleevent.interfaces import IObjectRemovedEvent

import logging
import transaction


logger = logging.getLogger("kagoshima.saiyo.security")


def _site_path(obj) -> str:
    try:
        from Products.CMFCore.utils import getToolByName

        portal_path = getToolByName(obj, "portal_url").getPortalPath()
        path = "/".join(obj.getPhysicalPath())
    except (AttributeError, TypeError):
        return ""
    return path[len(portal_path) :] or "/"


def _actor() -> str:
    user = getSecurityManager().getUser()
    return user.getId() or user.getUserName() if user is not None else ""


def _queue(action, path, detail):
    request = getRequest()
    row = {"user": _actor(), "action": action, "path": path, "detail": detail, "ip": audit.client_ip(request)}
    txn = transaction.get()
    queued = getattr(txn, "_saiyo_audit", None)
    if queued is None:
        queued = txn._saiyo_audit = []
        txn.addAfterCommitHook(_write_after_commit, args=(queued,))
    # One row per (action, path) and transaction: Plone fires ObjectModified several times per save.
    if not any(entry["action"] == action and entry["path"] == path for entry in queued):
        queued.append(row)


def _write_after_commit(committed, rows):
    if not committed:
        return
    try:
        store = audit.get_store()
        for row in rows:
            store.add(**row)
    except Exception:  # the audit must never break the site; say so loudly in the log
        logger.exception("could not write %d audit rows", len(rows))


def _title(obj) -> str:
    title = getattr(obj, "title", "") or ""
    return title if isinstance(title, str) else ""


def on_added(obj, event):
    if event.newParent is None:  # removed: on_removed
        return
    if event.oldParent is not None:  # a move (rename, cut/paste)
        _queue(
            "edited", _site_path(obj), f"移動: {'/'.join(event.oldParent.getPhysicalPath())}/{event.oldName}"
        )
        return
    _queue("created", _site_path(obj), f"{obj.portal_type}: {_title(obj)}")


def on_modified(obj, event):
    if getattr(obj, "portal_type", None) is None:
        return
    _queue("edited", _site_path(obj), _title(obj))


def on_removed(obj, event):
    if not IObjectRemovedEvent.providedBy(event) or event.newParent is not None:
        return
    if getattr(obj, "portal_type", None) is None:
        return
    path = "/".join(event.oldParent.getPhysicalPath()) + "/" + event.oldName
    try:
        from Products.CMFCore.utils import getToolByName

        portal_path = getToolByName(event.oldParent, "portal_url").getPortalPath()
        path = path[len(portal_path) :]
    except AttributeError:
        pass
    _queue("deleted", path, f"{obj.portal_type}: {_title(obj)}")


def on_transition(obj, event):
    if event.transition is None:
        return
    detail = f"{event.old_state.id} → {event.new_state.id} ({event.transition.id})"
    comment = (event.kwargs or {}).get("comment") if hasattr(event, "kwargs") else None
    if comment:
        detail += f" 理由: {comment}"
    _queue("transition", _site_path(obj), detail)


def _write_now(user, action, detail=""):
    try:
        audit.get_store().add(user, action, detail=detail, ip=audit.client_ip(getRequest()))
    except Exception:
        logger.exception("could not write the audit row %s of %s", action, user)


def on_logged_in(event):
    user = event.object
    _write_now(user.getUserName() if hasattr(user, "getUserName") else str(user), "login")


def on_logged_out(event):
    user = event.object
    _write_now(user.getUserName() if hasattr(user, "getUserName") else str(user), "logout")
