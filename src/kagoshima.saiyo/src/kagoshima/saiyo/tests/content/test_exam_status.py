"""Exam statuses computed from the dates, with the clock frozen through ``now``."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.content.exam_status import CLOSED
from kagoshima.saiyo.content.exam_status import compute_status
from kagoshima.saiyo.content.exam_status import FINISHED
from kagoshima.saiyo.content.exam_status import is_accepting
from kagoshima.saiyo.content.exam_status import OPEN
from kagoshima.saiyo.content.exam_status import PREPARING
from kagoshima.saiyo.content.exam_status import status_of
from kagoshima.saiyo.content.exam_status import UPCOMING
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import unittest


TOKYO = ZoneInfo("Asia/Tokyo")
UTC = timezone.utc
SECOND = timedelta(seconds=1)

# A typical exam (naive datetimes are Tokyo time, as Plone stores them):
# guide from May 1, applications May 12 9:00 – May 30 17:00,
# first exam June 22, second exam July 22 – 24.
EXAM = dict(
    guide_release_date=date(2025, 5, 1),
    application_start=datetime(2025, 5, 12, 9, 0),
    application_end=datetime(2025, 5, 30, 17, 0),
    first_exam_date=date(2025, 6, 22),
    second_exam_start=date(2025, 7, 22),
    second_exam_end=date(2025, 7, 24),
)


def status(now, **changes):
    return compute_status(now=now, **{**EXAM, **changes})


class TestStatuses(unittest.TestCase):
    def test_order_and_labels(self):
        self.assertEqual(
            exam_status.STATUSES,
            (
                ("preparing", "準備中"),
                ("upcoming", "受付前"),
                ("open", "受付中"),
                ("closed", "受付終了"),
                ("finished", "試験終了"),
            ),
        )
        self.assertEqual(
            [token for token, _ in exam_status.STATUSES],
            [PREPARING, UPCOMING, OPEN, CLOSED, FINISHED],
        )

    def test_label(self):
        self.assertEqual(exam_status.label("preparing"), "準備中")
        self.assertEqual(exam_status.label("upcoming"), "受付前")
        self.assertEqual(exam_status.label("open"), "受付中")
        self.assertEqual(exam_status.label("closed"), "受付終了")
        self.assertEqual(exam_status.label("finished"), "試験終了")

    def test_label_of_unknown_token(self):
        with self.assertRaises(KeyError):
            exam_status.label("cancelled")


class TestPreparing(unittest.TestCase):
    def test_no_application_start(self):
        now = datetime(2025, 5, 20, 12, 0)
        self.assertEqual(status(now, application_start=None), PREPARING)
        self.assertEqual(compute_status(now=now), PREPARING)
        # Even with every other date set and long past.
        self.assertEqual(status(datetime(2030, 1, 1), application_start=None), PREPARING)

    def test_guide_release_day_boundary(self):
        # The day before the guide is released: still in preparation.
        self.assertEqual(status(datetime(2025, 4, 30, 23, 59, 59)), PREPARING)
        # From the first moment of the release day: before applications.
        self.assertEqual(status(datetime(2025, 5, 1, 0, 0)), UPCOMING)

    def test_guide_release_in_the_future_wins(self):
        # Applications are already open by the dates, but the guide is not out yet.
        self.assertEqual(status(datetime(2025, 5, 20), guide_release_date=date(2025, 6, 1)), PREPARING)

    def test_guide_release_on_application_day(self):
        changes = dict(guide_release_date=date(2025, 5, 12))
        self.assertEqual(status(datetime(2025, 5, 11, 23, 59, 59), **changes), PREPARING)
        self.assertEqual(status(datetime(2025, 5, 12, 8, 59, 59), **changes), UPCOMING)
        self.assertEqual(status(datetime(2025, 5, 12, 9, 0), **changes), OPEN)

    def test_no_guide_release_date(self):
        self.assertEqual(status(datetime(2025, 1, 1), guide_release_date=None), UPCOMING)


class TestApplicationPeriod(unittest.TestCase):
    def test_one_second_before_start(self):
        self.assertEqual(status(datetime(2025, 5, 12, 9, 0) - SECOND), UPCOMING)

    def test_exactly_at_start(self):
        self.assertEqual(status(datetime(2025, 5, 12, 9, 0)), OPEN)

    def test_during(self):
        self.assertEqual(status(datetime(2025, 5, 20, 3, 0)), OPEN)

    def test_exactly_at_end(self):
        self.assertEqual(status(datetime(2025, 5, 30, 17, 0)), OPEN)

    def test_one_second_after_end(self):
        self.assertEqual(status(datetime(2025, 5, 30, 17, 0) + SECOND), CLOSED)

    def test_microseconds(self):
        self.assertEqual(status(datetime(2025, 5, 30, 17, 0, 0, 1)), CLOSED)
        self.assertEqual(status(datetime(2025, 5, 12, 8, 59, 59, 999999)), UPCOMING)

    def test_open_ended(self):
        changes = dict(application_end=None)
        self.assertEqual(status(datetime(2025, 5, 12, 9, 0), **changes), OPEN)
        # Open-ended applications stay open, even after the exam dates.
        self.assertEqual(status(datetime(2026, 1, 1), **changes), OPEN)

    def test_dates_instead_of_datetimes(self):
        # A plain date as start means from 0:00, as end the whole day.
        changes = dict(application_start=date(2025, 5, 12), application_end=date(2025, 5, 30))
        self.assertEqual(status(datetime(2025, 5, 11, 23, 59, 59), **changes), UPCOMING)
        self.assertEqual(status(datetime(2025, 5, 12, 0, 0), **changes), OPEN)
        self.assertEqual(status(datetime(2025, 5, 30, 23, 59, 59), **changes), OPEN)
        self.assertEqual(status(datetime(2025, 5, 31, 0, 0), **changes), CLOSED)


class TestAfterApplications(unittest.TestCase):
    def test_day_of_last_exam(self):
        self.assertEqual(status(datetime(2025, 7, 24, 0, 0)), CLOSED)
        self.assertEqual(status(datetime(2025, 7, 24, 23, 59, 59)), CLOSED)

    def test_day_after_last_exam(self):
        self.assertEqual(status(datetime(2025, 7, 25, 0, 0)), FINISHED)

    def test_between_exams(self):
        self.assertEqual(status(datetime(2025, 6, 23, 12, 0)), CLOSED)

    def test_last_exam_is_the_latest_date_set(self):
        # Only a first exam.
        only_first = dict(second_exam_start=None, second_exam_end=None)
        self.assertEqual(status(datetime(2025, 6, 22, 23, 59), **only_first), CLOSED)
        self.assertEqual(status(datetime(2025, 6, 23, 0, 0), **only_first), FINISHED)
        # A one-day second exam given by its start only.
        start_only = dict(second_exam_end=None)
        self.assertEqual(status(datetime(2025, 7, 22, 12, 0), **start_only), CLOSED)
        self.assertEqual(status(datetime(2025, 7, 23, 0, 0), **start_only), FINISHED)
        # A second exam given by its end only.
        end_only = dict(second_exam_start=None)
        self.assertEqual(status(datetime(2025, 7, 24, 12, 0), **end_only), CLOSED)
        self.assertEqual(status(datetime(2025, 7, 25, 0, 0), **end_only), FINISHED)
        # The latest wins even if the fields are out of order.
        odd = dict(first_exam_date=date(2025, 8, 1))
        self.assertEqual(status(datetime(2025, 7, 30), **odd), CLOSED)
        self.assertEqual(status(datetime(2025, 8, 2), **odd), FINISHED)

    def test_unknown_exam_dates_stay_closed(self):
        changes = dict(first_exam_date=None, second_exam_start=None, second_exam_end=None)
        self.assertEqual(status(datetime(2030, 1, 1), **changes), CLOSED)


class TestTimeZones(unittest.TestCase):
    def test_aware_now_equals_naive_tokyo_now(self):
        for naive in (
            datetime(2025, 5, 12, 9, 0) - SECOND,
            datetime(2025, 5, 12, 9, 0),
            datetime(2025, 5, 30, 17, 0),
            datetime(2025, 5, 30, 17, 0) + SECOND,
            datetime(2025, 7, 24, 23, 59, 59),
            datetime(2025, 7, 25, 0, 0),
            datetime(2025, 4, 30, 23, 59, 59),
            datetime(2025, 5, 1, 0, 0),
        ):
            expected = status(naive)
            self.assertEqual(status(naive.replace(tzinfo=TOKYO)), expected, naive)
            self.assertEqual(status(naive.replace(tzinfo=TOKYO).astimezone(UTC)), expected, naive)

    def test_aware_inputs_equal_naive_inputs(self):
        aware = {
            **EXAM,
            # 9:00 and 17:00 in Tokyo, given in UTC.
            "application_start": datetime(2025, 5, 12, 0, 0, tzinfo=UTC),
            "application_end": datetime(2025, 5, 30, 8, 0, tzinfo=UTC),
        }
        for now in (
            datetime(2025, 5, 12, 8, 59, 59),
            datetime(2025, 5, 12, 9, 0),
            datetime(2025, 5, 30, 17, 0),
            datetime(2025, 5, 30, 17, 0, 1),
        ):
            self.assertEqual(compute_status(now=now, **aware), status(now), now)

    def test_at_start_given_in_utc(self):
        # Applications from 9:00 Tokyo = 0:00 UTC.
        self.assertEqual(status(datetime(2025, 5, 11, 23, 59, 59, tzinfo=UTC)), UPCOMING)
        self.assertEqual(status(datetime(2025, 5, 12, 0, 0, tzinfo=UTC)), OPEN)

    def test_midnight_in_tokyo_is_not_midnight_utc(self):
        # 2025-07-24T15:00Z is 2025-07-25 0:00 in Tokyo: the day after the last exam.
        self.assertEqual(status(datetime(2025, 7, 24, 14, 59, 59, tzinfo=UTC)), CLOSED)
        self.assertEqual(status(datetime(2025, 7, 24, 15, 0, tzinfo=UTC)), FINISHED)
        # Midnight UTC on July 25 is 9:00 in Tokyo, also finished; midnight UTC on
        # July 24 is 9:00 on the exam day in Tokyo, still closed.
        self.assertEqual(status(datetime(2025, 7, 25, 0, 0, tzinfo=UTC)), FINISHED)
        self.assertEqual(status(datetime(2025, 7, 24, 0, 0, tzinfo=UTC)), CLOSED)

    def test_guide_release_day_starts_at_midnight_tokyo(self):
        # 2025-04-30T15:00Z is 2025-05-01 0:00 in Tokyo, the release day.
        self.assertEqual(status(datetime(2025, 4, 30, 14, 59, 59, tzinfo=UTC)), PREPARING)
        self.assertEqual(status(datetime(2025, 4, 30, 15, 0, tzinfo=UTC)), UPCOMING)

    def test_other_time_zone(self):
        new_york = ZoneInfo("America/New_York")
        # 2025-05-11 20:00 in New York (EDT) is 2025-05-12 9:00 in Tokyo.
        self.assertEqual(status(datetime(2025, 5, 11, 20, 0, tzinfo=new_york)), OPEN)
        self.assertEqual(status(datetime(2025, 5, 11, 19, 59, 59, tzinfo=new_york)), UPCOMING)

    def test_datetime_exam_days_count_in_tokyo(self):
        # An exam day given as an aware datetime counts as its Tokyo date.
        changes = dict(
            second_exam_start=None,
            second_exam_end=datetime(2025, 7, 24, 15, 0, tzinfo=UTC),  # July 25 in Tokyo
        )
        self.assertEqual(status(datetime(2025, 7, 25, 12, 0), **changes), CLOSED)
        self.assertEqual(status(datetime(2025, 7, 26, 0, 0), **changes), FINISHED)

    def test_default_now_is_current_time(self):
        far_past = dict(
            guide_release_date=date(2000, 1, 1),
            application_start=datetime(2000, 1, 1),
            application_end=datetime(2000, 1, 2),
            first_exam_date=date(2000, 2, 1),
        )
        self.assertEqual(compute_status(**far_past), FINISHED)
        far_future = dict(application_start=datetime(2999, 1, 1))
        self.assertEqual(compute_status(**far_future), UPCOMING)

    def test_rejects_wrong_types(self):
        with self.assertRaises(TypeError):
            compute_status(application_start="2025-05-12 09:00", now=datetime(2025, 5, 12))
        with self.assertRaises(TypeError):
            compute_status(application_start=datetime(2025, 5, 12), first_exam_date="2025-06-22")

    def test_keyword_only(self):
        with self.assertRaises(TypeError):
            compute_status(None, None)


class TestContentObjects(unittest.TestCase):
    def test_status_of_reads_attributes(self):
        obj = SimpleNamespace(**EXAM)
        self.assertEqual(status_of(obj, now=datetime(2025, 5, 11, 12, 0)), UPCOMING)
        self.assertEqual(status_of(obj, now=datetime(2025, 5, 20, 12, 0)), OPEN)
        self.assertEqual(status_of(obj, now=datetime(2025, 6, 1, 12, 0)), CLOSED)
        self.assertEqual(status_of(obj, now=datetime(2025, 8, 1, 12, 0)), FINISHED)

    def test_missing_attributes_are_not_set(self):
        self.assertEqual(status_of(object(), now=datetime(2025, 5, 20)), PREPARING)
        obj = SimpleNamespace(application_start=datetime(2025, 5, 12, 9, 0))
        self.assertEqual(status_of(obj, now=datetime(2030, 1, 1)), OPEN)

    def test_default_now(self):
        obj = SimpleNamespace(application_start=datetime(2999, 1, 1))
        self.assertEqual(status_of(obj), UPCOMING)
        self.assertFalse(is_accepting(obj))

    def test_is_accepting(self):
        obj = SimpleNamespace(**EXAM)
        self.assertFalse(is_accepting(obj, now=datetime(2025, 5, 12, 9, 0) - SECOND))
        self.assertTrue(is_accepting(obj, now=datetime(2025, 5, 12, 9, 0)))
        self.assertTrue(is_accepting(obj, now=datetime(2025, 5, 30, 17, 0)))
        self.assertFalse(is_accepting(obj, now=datetime(2025, 5, 30, 17, 0) + SECOND))
        self.assertTrue(is_accepting(obj, now=datetime(2025, 5, 30, 8, 0, tzinfo=UTC)))

    def test_acquisition_is_bypassed(self):
        from OFS.SimpleItem import SimpleItem

        class Folder(SimpleItem):
            pass

        folder = Folder()
        for name, value in EXAM.items():
            setattr(folder, name, value)
        item = SimpleItem().__of__(folder)
        # The item has no dates of its own: the folder's must not be acquired.
        self.assertEqual(item.application_start, EXAM["application_start"])
        self.assertEqual(status_of(item, now=datetime(2025, 5, 20)), PREPARING)
