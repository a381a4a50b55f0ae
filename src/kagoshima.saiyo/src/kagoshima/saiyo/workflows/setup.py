"""Install helpers: the two groups, and existing content brought under saiyo_workflow.

Both are idempotent: the default profile's post-install step and the upgrade step
v20261125002 call them, and running them again changes nothing.
"""

from DateTime import DateTime
from kagoshima.saiyo.workflows import GROUPS
from kagoshima.saiyo.workflows import WORKFLOW_ID
from Products.CMFCore.utils import getToolByName

import logging


logger = logging.getLogger("kagoshima.saiyo.workflows")

# State of the workflow an item followed before -> its saiyo_workflow state. Items that had no
# workflow (Files and Images in Plone's default setup) were as visible as their folder: they
# become published. A state not listed becomes a draft, never accidentally public.
STATE_MAP = {
    "private": "private",
    "pending": "pending",
    "published": "published",
    "visible": "published",
    "internally_published": "published",
    "expired": "expired",
    None: "published",
}


def ensure_groups(portal):
    """Create 作成者 and 管理者 when missing; make sure they give their roles. Never removes anything."""
    groups_tool = getToolByName(portal, "portal_groups")
    created = []
    for group_id, spec in GROUPS.items():
        group = groups_tool.getGroupById(group_id)
        if group is None:
            groups_tool.addGroup(
                group_id, roles=list(spec["roles"]), title=spec["title"], description=spec["description"]
            )
            created.append(group_id)
            continue
        missing = [role for role in spec["roles"] if role not in group.getRoles()]
        if missing:
            roles = [r for r in group.getRoles() if r not in ("Authenticated", "Anonymous")]
            groups_tool.setRolesForGroup(group_id, roles + missing)
        if not group.getProperty("title"):
            groups_tool.editGroup(group_id, title=spec["title"], description=spec["description"])
    if created:
        logger.info("created the groups %s", ", ".join(created))
    return created


def previous_state(obj, workflow_id=WORKFLOW_ID):
    """The review state ``obj`` had in another workflow (the latest entry), or None."""
    latest = None
    for wf_id, history in (getattr(obj, "workflow_history", None) or {}).items():
        if wf_id == workflow_id or not history:
            continue
        entry = history[-1]
        if latest is None or entry.get("time") and latest.get("time") and entry["time"] > latest["time"]:
            latest = entry
    return latest.get("review_state") if latest else None


def adopt_existing_content(portal):
    """Give every item that has no saiyo_workflow state yet the state it had before.

    Changing a type's workflow in portal_workflow does not touch existing items: without
    this, all published pages of an upgraded site would fall back to the initial state (下書き).
    Returns {new_state: count}.
    """
    workflow_tool = getToolByName(portal, "portal_workflow")
    workflow = workflow_tool[WORKFLOW_ID]
    catalog = getToolByName(portal, "portal_catalog")
    counts = {}
    # An empty query finds nothing: ask for everything below the site.
    for brain in catalog.unrestrictedSearchResults(path="/".join(portal.getPhysicalPath())):
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):
            continue
        if WORKFLOW_ID not in workflow_tool.getChainFor(obj):
            continue
        status = workflow_tool.getStatusOf(WORKFLOW_ID, obj)
        if status and status.get("review_state") in workflow.states:
            continue
        old = previous_state(obj)
        new = STATE_MAP.get(old, "private")
        workflow_tool.setStatusOf(
            WORKFLOW_ID,
            obj,
            {
                "action": None,
                "actor": None,
                "comments": f"承認ワークフローへの切り替え（以前の状態: {old or 'ワークフローなし'}）",
                "review_state": new,
                "time": DateTime(),
            },
        )
        workflow.updateRoleMappingsFor(obj)
        obj.reindexObject(idxs=["allowedRolesAndUsers", "review_state"])
        counts[new] = counts.get(new, 0) + 1
    if counts:
        logger.info("brought existing content under %s: %s", WORKFLOW_ID, counts)
    return counts


def post_install(portal):
    """What the default profile does after its XML steps (called from setuphandlers)."""
    ensure_groups(portal)
    adopt_existing_content(portal)
