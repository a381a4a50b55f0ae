"""Scheduled publishing: 公開予約 publishes at 公開日時, 公開終了日時 expires (frozen clock)."""

from AccessControl import Unauthorized
from DateTime import DateTime
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from kagoshima.saiyo.workflows import schedule
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.protect.authenticator import createToken
from plone.testing.zope import Browser

import transaction
import unittest


NOW = DateTime("2026/12/01 09:00:00 GMT+9")


def minutes(n):
    return NOW + n / (24 * 60)


class TestSchedule(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])

    def make(self, state, effective=None, expires=None, reserved=False, id="page"):
        obj = api.content.create(container=self.portal, type="Document", id=id, title="募集案内")
        if state in ("pending", "published"):
            api.content.transition(obj, transition="submit")
        if state == "published":
            api.content.transition(obj, transition="publish")
        if effective is not None:
            obj.setEffectiveDate(effective)
        if expires is not None:
            obj.setExpirationDate(expires)
        obj.reindexObject()
        if reserved:
            schedule.reserve(obj, "kanri", now=minutes(-60))
        return obj

    def last_history(self, obj):
        return obj.workflow_history["saiyo_workflow"][-1]

    def test_reserved_pending_item_is_published_at_its_effective_date(self):
        obj = self.make("pending", effective=minutes(-1), reserved=True)
        self.assertEqual(
            schedule.apply_schedule(self.portal, now=NOW), {"published": 1, "expired": 0, "failed": 0}
        )
        self.assertEqual(api.content.get_state(obj), "published")
        entry = self.last_history(obj)
        self.assertEqual(entry["action"], "publish")
        self.assertEqual(entry["actor"], schedule.SYSTEM_USER)
        self.assertTrue(entry["comments"].startswith("公開予約により自動公開"))
        self.assertIn("kanri", entry["comments"])
        self.assertIsNone(schedule.get_reservation(obj))
        catalog = api.portal.get_tool("portal_catalog")
        self.assertEqual(catalog.unrestrictedSearchResults(UID=obj.UID())[0].review_state, "published")

    def test_pending_item_without_reservation_is_untouched(self):
        obj = self.make("pending", effective=minutes(-1))
        self.assertEqual(schedule.apply_schedule(self.portal, now=NOW)["published"], 0)
        self.assertEqual(api.content.get_state(obj), "pending")

    def test_future_effective_date_waits_until_exactly_that_time(self):
        obj = self.make("pending", effective=minutes(10), reserved=True)
        schedule.apply_schedule(self.portal, now=NOW)
        self.assertEqual(api.content.get_state(obj), "pending")
        schedule.apply_schedule(self.portal, now=minutes(10) - 1 / 86400)  # one second before
        self.assertEqual(api.content.get_state(obj), "pending")
        schedule.apply_schedule(self.portal, now=minutes(10))
        self.assertEqual(api.content.get_state(obj), "published")

    def test_published_item_expires_after_its_expiration_date(self):
        obj = self.make("published", expires=minutes(10))
        schedule.apply_schedule(self.portal, now=minutes(10))  # still current at the exact time
        self.assertEqual(api.content.get_state(obj), "published")
        counts = schedule.apply_schedule(self.portal, now=minutes(11))
        self.assertEqual(counts, {"published": 0, "expired": 1, "failed": 0})
        self.assertEqual(api.content.get_state(obj), "expired")
        entry = self.last_history(obj)
        self.assertEqual((entry["action"], entry["comments"]), ("expire", "公開終了日時により自動で公開終了"))

    def test_running_twice_changes_nothing(self):
        published = self.make("pending", effective=minutes(-5), reserved=True, id="a")
        expired = self.make("published", expires=minutes(-5), id="b")
        self.assertEqual(
            schedule.apply_schedule(self.portal, now=NOW), {"published": 1, "expired": 1, "failed": 0}
        )
        length = (
            len(published.workflow_history["saiyo_workflow"]),
            len(expired.workflow_history["saiyo_workflow"]),
        )
        self.assertEqual(
            schedule.apply_schedule(self.portal, now=NOW), {"published": 0, "expired": 0, "failed": 0}
        )
        self.assertEqual(
            (
                len(published.workflow_history["saiyo_workflow"]),
                len(expired.workflow_history["saiyo_workflow"]),
            ),
            length,
        )

    def test_reserved_item_already_past_its_expiration_is_not_published(self):
        obj = self.make("pending", effective=minutes(-60), expires=minutes(-1), reserved=True)
        schedule.apply_schedule(self.portal, now=NOW)
        self.assertEqual(api.content.get_state(obj), "pending")

    def test_any_transition_ends_the_reservation(self):
        obj = self.make("pending", effective=minutes(10), reserved=True)
        api.content.transition(obj, transition="reject", comment="日付を直してください")
        self.assertIsNone(schedule.get_reservation(obj))
        api.content.transition(obj, transition="submit")
        schedule.apply_schedule(self.portal, now=minutes(20))
        self.assertEqual(api.content.get_state(obj), "pending")

    def test_anonymous_cannot_view_the_expired_item(self):
        obj = self.make("published", expires=minutes(-1))
        logout()
        self.assertTrue(api.user.has_permission("View", obj=obj))
        login(self.portal, TEST_USER_NAME)
        schedule.apply_schedule(self.portal, now=NOW)
        logout()
        self.assertFalse(api.user.has_permission("View", obj=obj))
        with self.assertRaises(Unauthorized):
            self.portal.restrictedTraverse("page")
        catalog = api.portal.get_tool("portal_catalog")
        self.assertEqual(len(catalog(UID=obj.UID())), 0)


class TestViews(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.obj = api.content.create(container=self.portal, type="Document", id="page", title="募集案内")
        api.content.transition(self.obj, transition="submit")

    def post(self, form):
        self.request.method = "POST"
        self.request.form.update(form, _authenticator=createToken())
        return self.obj.restrictedTraverse("@@saiyo-schedule-publish")()

    def test_reviewer_reserves_and_cancels(self):
        self.obj.setEffectiveDate(minutes(30))
        setRoles(self.portal, TEST_USER_ID, ["Reviewer"])
        page = self.obj.restrictedTraverse("@@saiyo-schedule-publish")()
        self.assertIn("予約されていません。", page)
        self.assertIn("_authenticator", page)
        self.post({"form.buttons.reserve": "1"})
        self.assertEqual(schedule.get_reservation(self.obj)["actor"], TEST_USER_ID)
        self.request.method = "GET"
        self.assertIn("予約済み", self.obj.restrictedTraverse("@@saiyo-schedule-publish")())
        self.post({"form.buttons.cancel": "1"})
        self.assertIsNone(schedule.get_reservation(self.obj))

    def test_reservation_needs_an_effective_date(self):
        html = self.post({"form.buttons.reserve": "1"})
        self.assertIn("公開日時を設定してから", html)
        self.assertEqual(self.request.response.getStatus(), 400)
        self.assertIsNone(schedule.get_reservation(self.obj))

    def test_author_cannot_reserve(self):
        setRoles(self.portal, TEST_USER_ID, ["Member"])
        self.obj.manage_setLocalRoles(TEST_USER_ID, ["Owner"])
        with self.assertRaises(Unauthorized):
            self.obj.restrictedTraverse("@@saiyo-schedule-publish")

    def menu_ids(self, obj):
        actions = api.portal.get_tool("portal_actions").listFilteredActionsFor(obj)
        return [action["id"] for action in actions.get("object_buttons", [])]

    def test_menu_offers_reservation_on_pending_items_to_reviewers_only(self):
        draft = api.content.create(container=self.portal, type="Document", id="draft", title="下書き")
        setRoles(self.portal, TEST_USER_ID, ["Reviewer"])
        self.assertIn("saiyo_schedule_publish", self.menu_ids(self.obj))
        self.assertNotIn("saiyo_schedule_publish", self.menu_ids(draft))
        setRoles(self.portal, TEST_USER_ID, ["Member"])
        self.obj.manage_setLocalRoles(TEST_USER_ID, ["Owner"])
        self.assertNotIn("saiyo_schedule_publish", self.menu_ids(self.obj))

    def test_run_view_is_manager_only(self):
        permission = "kagoshima.saiyo: Run schedule"
        roles = {r["name"] for r in self.portal.rolesOfPermission(permission) if r["selected"]}
        self.assertEqual(roles, {"Manager"})
        setRoles(self.portal, TEST_USER_ID, ["Site Administrator", "Reviewer"])
        with self.assertRaises(Unauthorized):
            self.portal.restrictedTraverse("@@saiyo-run-schedule")
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.obj.setEffectiveDate(DateTime() - 1)
        schedule.reserve(self.obj, "kanri")
        view = self.portal.restrictedTraverse("@@saiyo-run-schedule")
        self.request.method = "GET"
        self.assertEqual(view(), "POST only\n")
        self.request.method = "POST"
        self.assertEqual(view(), "scheduled publishing: 1 published, 0 expired, 0 failed\n")
        self.assertEqual(api.content.get_state(self.obj), "published")


class TestAnonymousRequest(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def test_expired_page_is_refused_to_anonymous_after_the_job_ran(self):
        portal = self.layer["portal"]
        setRoles(portal, TEST_USER_ID, ["Manager"])
        obj = api.content.create(container=portal, type="Document", id="page", title="期限付きの募集案内")
        api.content.transition(obj, transition="submit")
        api.content.transition(obj, transition="publish")
        obj.setExpirationDate(DateTime() - 1)
        obj.reindexObject()
        transaction.commit()
        browser = Browser(self.layer["app"])
        browser.handleErrors = True
        browser.raiseHttpErrors = False
        browser.open(obj.absolute_url())
        self.assertIn("期限付きの募集案内", browser.contents)  # the job has not run yet
        schedule.apply_schedule(portal)
        transaction.commit()
        browser.open(obj.absolute_url())
        # Unauthorized: Plone sends an anonymous visitor to its login form instead of the page.
        self.assertIn("/login?came_from=", browser.url)
        self.assertNotIn("期限付きの募集案内", browser.contents)
