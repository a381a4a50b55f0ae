"""Publishing a page publishes the images and files it shows.

Images and PDFs follow saiyo_workflow like everything else, so an upload is not public before
an administrator approves it. An author does not submit each image on its own: when an
administrator publishes a page (or checks in its working copy), the draft images and files
its text links to are published with it, so visitors never meet a broken image.
"""

from kagoshima.saiyo.workflows import WORKFLOW_ID
from plone import api
from plone.app.linkintegrity.handlers import getObjectsFromLinks
from plone.app.linkintegrity.interfaces import IRetriever
from Products.CMFCore.WorkflowCore import WorkflowException

import logging


logger = logging.getLogger("kagoshima.saiyo.workflows")

FOLLOWERS = ("Image", "File")
DRAFT_STATES = ("private", "pending")


def linked_drafts(obj):
    """The draft Images and Files linked from the rich text of ``obj``."""
    retriever = IRetriever(obj, None)
    if retriever is None:
        return []
    found = []
    for relation in getObjectsFromLinks(obj, retriever.retrieveLinks()):
        target = relation.to_object
        if target is None or target.portal_type not in FOLLOWERS:
            continue
        if api.content.get_state(target, default=None) in DRAFT_STATES:
            found.append(target)
    return found


def publish_linked_drafts(obj):
    workflow = api.portal.get_tool("portal_workflow")
    for target in linked_drafts(obj):
        if "publish" not in {t["id"] for t in workflow.getTransitionsFor(target)}:
            continue  # not allowed to this user
        try:
            workflow.doActionFor(target, "publish", comment=f"「{obj.Title()}」の公開に合わせて公開")
        except WorkflowException:
            logger.warning("could not publish %s along with %s", target.absolute_url(), obj.absolute_url())


def on_transition(obj, event):
    """IAfterTransitionEvent subscriber."""
    if event.transition is None or event.workflow.getId() != WORKFLOW_ID:
        return
    if event.new_state.getId() == "published" and obj.portal_type not in FOLLOWERS:
        publish_linked_drafts(obj)


def on_checkin(baseline, event):
    """IAfterCheckinEvent subscriber: the published page now has the working copy's text."""
    if api.content.get_state(baseline, default=None) == "published":
        publish_linked_drafts(baseline)
