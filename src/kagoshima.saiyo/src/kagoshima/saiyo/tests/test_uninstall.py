"""Uninstalling the add-on leaves nothing of it in the site, keeps the content as it was
shown, and the add-on installs again.

What must be gone is read from the default profile itself (its catalog indexes, configlets,
types, registry prefixes), so a setting added there later without its uninstall fails here.
"""

from AccessControl.Permission import pname
from Acquisition import aq_base
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from pathlib import Path
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.browserlayer.utils import registered_layers

import lxml.etree
import unittest


DEFAULT = Path(__file__).parent.parent / "profiles" / "default"
OWN_PERMISSIONS = (
    "kagoshima.saiyo: Add ExamNotice",
    "kagoshima.saiyo: View page views",
    "kagoshima.saiyo: View audit log",
)


def profile_xml(name):
    return lxml.etree.parse(str(DEFAULT / name)).getroot()


def anonymous_may_view(obj) -> bool:
    return "Anonymous" in [r["name"] for r in obj.rolesOfPermission("View") if r["selected"]] or (
        obj.acquiredRolesAreUsedBy("View") == "CHECKED" and anonymous_may_view(obj.aq_parent)
    )


class TestUninstall(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        from plone.base.utils import get_installer

        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.published = api.content.create(self.portal, "Document", id="kouhyou", title="公表中のページ")
        api.content.transition(self.published, to_state="published")
        self.draft = api.content.create(self.portal, "Document", id="shitagaki", title="下書きのページ")
        self.expired = api.content.create(self.portal, "Document", id="shuuryou", title="公開終了のページ")
        api.content.transition(self.expired, to_state="published")
        api.content.transition(self.expired, to_state="expired")
        self.file = api.content.create(self.portal, "File", id="annai", title="案内")
        self.installer = get_installer(self.portal, self.layer["request"])
        self.installer.uninstall_product("kagoshima.saiyo")

    def test_product_uninstalled(self):
        from kagoshima.saiyo.interfaces import IKagoshimaSaiyoLayer

        self.assertFalse(self.installer.is_product_installed("kagoshima.saiyo"))
        self.assertNotIn(IKagoshimaSaiyoLayer, registered_layers())

    def test_catalog_indexes_and_columns_removed(self):
        catalog = api.portal.get_tool("portal_catalog")
        root = profile_xml("catalog.xml")
        for index in root.iter("index"):
            self.assertNotIn(index.get("name"), catalog.indexes())
        for column in root.iter("column"):
            self.assertNotIn(column.get("value"), catalog.schema())

    def test_configlets_removed(self):
        tool = api.portal.get_tool("portal_controlpanel")
        present = {action.getId() for action in tool.listActions()}
        for configlet in profile_xml("controlpanel.xml").iter("configlet"):
            self.assertNotIn(configlet.get("action_id"), present)

    def test_types_and_behavior_removed(self):
        types = api.portal.get_tool("portal_types")
        # Plone's own types: they stay, without our behaviours
        plones = ("Event", "File", "Link", "Plone Site")
        for fti in profile_xml("types.xml").iter("object"):
            if fti.get("name") not in plones:
                self.assertNotIn(fti.get("name"), types.objectIds())
        for name in plones:
            self.assertFalse([b for b in types[name].behaviors if b.startswith("kagoshima.saiyo")], name)

    def test_registry_records_removed(self):
        registry = api.portal.get_tool("portal_registry")
        prefixes = {"kagoshima.saiyo."}
        for path in [DEFAULT / "registry.xml", *sorted((DEFAULT / "registry").glob("*.xml"))]:
            root = lxml.etree.parse(str(path)).getroot()
            prefixes |= {f"{node.get('prefix')}." for node in root.iter("records") if node.get("prefix")}
            prefixes |= {node.get("name") for node in root.iter("record") if "saiyo" in node.get("name")}
        prefixes = {p for p in prefixes if not p.startswith("plone.bundles/plone")}
        left = [name for name in registry.records.keys() if name.startswith(tuple(prefixes))]
        # Plone's own records the add-on set (language, time zone, navigation) are site policy
        # and stay; everything under the add-on's prefixes goes.
        left = [name for name in left if not name.startswith("plone.") or "saiyo" in name]
        self.assertEqual(left, [])
        self.assertEqual(registry["plone.bundles/plone.expression"], "")

    def test_workflow_removed_content_shows_the_same(self):
        workflow = api.portal.get_tool("portal_workflow")
        self.assertNotIn("saiyo_workflow", workflow.objectIds())
        self.assertEqual(workflow.getDefaultChain(), ("simple_publication_workflow",))
        self.assertEqual(workflow.getChainForPortalType("File"), ())
        self.assertEqual(api.content.get_state(self.published), "published")
        self.assertTrue(anonymous_may_view(self.published))
        self.assertEqual(api.content.get_state(self.draft), "private")
        self.assertFalse(anonymous_may_view(self.draft))
        self.assertEqual(api.content.get_state(self.expired), "private")
        self.assertFalse(anonymous_may_view(self.expired))
        # The File has no workflow again: its permissions are its folder's, as in Plone.
        self.assertEqual(self.file.acquiredRolesAreUsedBy("View"), "CHECKED")
        catalog = api.portal.get_tool("portal_catalog")
        self.assertEqual(
            [b.getId for b in catalog.unrestrictedSearchResults(review_state="published", id="kouhyou")],
            ["kouhyou"],
        )
        # The history of approvals stays with the page.
        self.assertIn("saiyo_workflow", self.published.workflow_history)

    def test_groups_plugin_and_session(self):
        self.assertIsNone(api.group.get(groupname="authors"))
        self.assertIsNone(api.group.get(groupname="administrators"))
        acl_users = self.portal.acl_users
        self.assertNotIn("saiyo_guard", acl_users.objectIds())
        self.assertNotIn("timeout", acl_users.session.__dict__)

    def test_versioning_top_page_viewlets_permissions(self):
        from plone.app.viewletmanager.interfaces import IViewletSettingsStorage
        from zope.component import getUtility

        repository = api.portal.get_tool("portal_repository")
        self.assertNotIn("ExamNotice", repository.getVersionableContentTypes())
        self.assertIn("Document", repository.getVersionableContentTypes())
        self.assertNotEqual(self.portal.getLayout(), "saiyo-top")
        self.assertNotIn("saiyo-top", self.portal.portal_types.getTypeInfo(self.portal).view_methods)
        storage = getUtility(IViewletSettingsStorage)
        for mapping in (storage._order, storage._hidden):
            for skin in mapping.values():
                for manager, names in skin.items():
                    self.assertFalse(manager.startswith("kagoshima.saiyo"), manager)
                    self.assertFalse([n for n in names if n.startswith("kagoshima.saiyo")], manager)
        self.assertNotIn("plone.anontools", storage.getHidden("plone.portalheader", "Plone Default"))
        for permission in OWN_PERMISSIONS:
            # No setting of the site root's own: Zope's default for the permission applies.
            self.assertNotIn(pname(permission), vars(aq_base(self.portal)), permission)

    def test_actions(self):
        actions = api.portal.get_tool("portal_actions")
        self.assertNotIn("saiyo_schedule_publish", actions.object_buttons.objectIds())
        self.assertNotIn("external-transmission", actions.site_actions.objectIds())
        self.assertNotIn("policy", actions.site_actions.objectIds())
        self.assertIn("plone_context_state.parent()", actions.object_buttons.delete.available_expr)
        self.assertEqual(actions.object_buttons.iterate_checkout.title, "Check out")
        self.assertTrue(actions.portal_tabs.index_html.visible)

    def test_reinstall(self):
        from kagoshima.saiyo.interfaces import IKagoshimaSaiyoLayer

        self.installer.install_product("kagoshima.saiyo")
        self.assertTrue(self.installer.is_product_installed("kagoshima.saiyo"))
        self.assertIn(IKagoshimaSaiyoLayer, registered_layers())
        self.assertEqual(api.portal.get_tool("portal_workflow").getDefaultChain(), ("saiyo_workflow",))
        self.assertEqual(api.content.get_state(self.published), "published")
        self.assertEqual(api.content.get_state(self.draft), "private")
        self.assertIn("saiyo_guard", self.portal.acl_users.objectIds())
        self.assertEqual(self.portal.getLayout(), "saiyo-top")
        self.assertIsNotNone(api.group.get(groupname="administrators"))
        self.assertIn("ExamNotice", api.portal.get_tool("portal_repository").getVersionableContentTypes())


class TestUninstallKeepsMembers(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_group_with_members_stays_without_the_roles(self):
        from plone.base.utils import get_installer

        portal = self.layer["portal"]
        setRoles(portal, TEST_USER_ID, ["Manager"])
        api.group.add_user(groupname="administrators", username=TEST_USER_ID)
        get_installer(portal, self.layer["request"]).uninstall_product("kagoshima.saiyo")
        group = api.group.get(groupname="administrators")
        self.assertIsNotNone(group)
        self.assertIn(TEST_USER_ID, group.getGroupMemberIds())
        self.assertNotIn("Site Administrator", group.getRoles())
        self.assertNotIn("Reviewer", group.getRoles())
