"""Install helpers: the two groups, existing content brought under saiyo_workflow, versioning.

All are idempotent: the default profile's post-install step and the upgrade steps
(v20261125002, v20261202003) call them, and running them again changes nothing.
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


# Versioning (履歴): every page type keeps versions on each save and on revert. Files and
# images are not versioned (each version would copy the whole file).
VERSIONED_TYPES = (
    "Document",
    "News Item",
    "Event",
    "Link",
    "ExamNotice",
    "JobCategory",
    "StaffProfile",
    "FAQ",
)
VERSION_POLICIES = ("at_edit_autoversion", "version_on_revert")
# Plone versions its own page types with the same policies; uninstalling leaves them so.
OWN_VERSIONED_TYPES = ("ExamNotice", "JobCategory", "StaffProfile", "FAQ")


def enable_versioning(portal):
    repository = getattr(portal, "portal_repository", None)
    if repository is None:
        return
    types_tool = portal.portal_types
    wanted = [name for name in VERSIONED_TYPES if name in types_tool.objectIds()]
    current = list(repository.getVersionableContentTypes())
    repository.setVersionableContentTypes(current + [name for name in wanted if name not in current])
    for name in wanted:
        for policy in VERSION_POLICIES:
            repository.addPolicyForContentType(name, policy)


def post_install(portal):
    """What the default profile does after its XML steps (called from setuphandlers)."""
    ensure_groups(portal)
    adopt_existing_content(portal)
    enable_versioning(portal)


# Uninstall ------------------------------------------------------------------

PLONE_DEFAULT_WORKFLOW = "simple_publication_workflow"
# saiyo_workflow state -> the state of Plone's default workflow. 公開終了 (expired) was not
# public, so it stays hidden there too: nothing becomes visible by uninstalling.
PLONE_STATE_MAP = {"private": "private", "pending": "pending", "published": "published", "expired": "private"}


def remove_groups(portal):
    """Take back the roles the add-on gave its groups; delete a group nobody is a member of.

    A group with members stays (without those roles): who belongs to it is the site's data.
    """
    groups_tool = getToolByName(portal, "portal_groups")
    for group_id, spec in GROUPS.items():
        group = groups_tool.getGroupById(group_id)
        if group is None:
            continue
        if group.getGroupMemberIds():
            roles = [r for r in group.getRoles() if r not in (*spec["roles"], "Authenticated", "Anonymous")]
            groups_tool.setRolesForGroup(group_id, roles)
            logger.info("kept the group %s (it has members), without the roles %s", group_id, spec["roles"])
        else:
            groups_tool.removeGroup(group_id)
            logger.info("removed the empty group %s", group_id)


def disable_versioning(portal):
    """The add-on's own types are no longer versioned (Plone's types keep Plone's settings)."""
    repository = getattr(portal, "portal_repository", None)
    if repository is None:
        return
    repository.setVersionableContentTypes(
        [name for name in repository.getVersionableContentTypes() if name not in OWN_VERSIONED_TYPES]
    )
    for name in OWN_VERSIONED_TYPES:
        for policy in VERSION_POLICIES:
            repository.removePolicyFromContentType(name, policy)


def remove_workflow(portal):
    """Back to Plone's workflows, each item keeping what it showed: then remove saiyo_workflow.

    Types bound to saiyo_workflow alone (File, Image) get no workflow again, as in Plone; the
    default chain becomes simple_publication_workflow. The workflow history stays with the items.
    Returns {new_state: count}.
    """
    workflow_tool = getToolByName(portal, "portal_workflow")
    workflow = workflow_tool.get(WORKFLOW_ID)
    if workflow is None:
        return {}
    if WORKFLOW_ID in workflow_tool.getDefaultChain():
        workflow_tool.setDefaultChain(PLONE_DEFAULT_WORKFLOW)
    for type_id, chain in list(workflow_tool.listChainOverrides()):
        if WORKFLOW_ID in chain:
            workflow_tool.setChainForPortalTypes((type_id,), [wf for wf in chain if wf != WORKFLOW_ID])
    managed = list(workflow.permissions)
    catalog = getToolByName(portal, "portal_catalog")
    counts = {}
    for brain in catalog.unrestrictedSearchResults(path="/".join(portal.getPhysicalPath())):
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):
            continue
        history = (getattr(obj, "workflow_history", None) or {}).get(WORKFLOW_ID)
        if not history:
            continue
        old = history[-1].get("review_state")
        chain = workflow_tool.getChainFor(obj)
        if not chain:
            # No workflow: the item's permissions are acquired again, as for a new File.
            applicable = {name for name, *_ in obj.ac_inherited_permissions(1)}
            for permission in managed:
                if permission in applicable:
                    obj.manage_permission(permission, roles=[], acquire=1)
            new = "(no workflow)"
        else:
            new = PLONE_STATE_MAP.get(old, "private")
            for workflow_id in chain:
                target = workflow_tool[workflow_id]
                state = new if new in target.states else target.initial_state
                workflow_tool.setStatusOf(
                    workflow_id,
                    obj,
                    {
                        "action": None,
                        "actor": None,
                        "comments": f"承認ワークフローの削除（以前の状態: {old}）",
                        "review_state": state,
                        "time": DateTime(),
                    },
                )
                target.updateRoleMappingsFor(obj)
        obj.reindexObject(idxs=["allowedRolesAndUsers", "review_state"])
        counts[new] = counts.get(new, 0) + 1
    workflow_tool.manage_delObjects([WORKFLOW_ID])
    logger.info("removed %s; existing content: %s", WORKFLOW_ID, counts or "none")
    return counts


def uninstall(portal):
    """What the uninstall profile does after its XML steps (called from setuphandlers)."""
    remove_workflow(portal)
    remove_groups(portal)
    disable_versioning(portal)
