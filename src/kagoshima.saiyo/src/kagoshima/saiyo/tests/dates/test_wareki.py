"""The 和暦 helper: era boundaries, fiscal years, labels and parsing."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from itertools import pairwise
from kagoshima.saiyo.dates import wareki
from zoneinfo import ZoneInfo

import unittest


UTC = timezone.utc
NEW_YORK = ZoneInfo("America/New_York")


class TestEraYear(unittest.TestCase):
    def test_current_era(self):
        self.assertEqual(wareki.era_year(date(2025, 5, 1)), ("令和", 7))
        self.assertEqual(wareki.era_year(date(2026, 1, 1)), ("令和", 8))

    def test_heisei_reiwa_boundary(self):
        self.assertEqual(wareki.era_year(date(2019, 4, 30)), ("平成", 31))
        self.assertEqual(wareki.era_year(date(2019, 5, 1)), ("令和", 1))

    def test_showa_heisei_boundary(self):
        self.assertEqual(wareki.era_year(date(1989, 1, 7)), ("昭和", 64))
        self.assertEqual(wareki.era_year(date(1989, 1, 8)), ("平成", 1))

    def test_taisho_showa_boundary(self):
        self.assertEqual(wareki.era_year(date(1926, 12, 24)), ("大正", 15))
        self.assertEqual(wareki.era_year(date(1926, 12, 25)), ("昭和", 1))

    def test_meiji_taisho_boundary(self):
        self.assertEqual(wareki.era_year(date(1912, 7, 29)), ("明治", 45))
        self.assertEqual(wareki.era_year(date(1912, 7, 30)), ("大正", 1))

    def test_start_of_meiji(self):
        self.assertEqual(wareki.era_year(date(1868, 1, 25)), ("明治", 1))
        with self.assertRaises(ValueError):
            wareki.era_year(date(1868, 1, 24))

    def test_every_era_start_and_end(self):
        for previous, era in pairwise(wareki.ERAS):
            self.assertEqual(previous.end + timedelta(days=1), era.start)
        for era in wareki.ERAS:
            self.assertEqual(wareki.era_year(era.start), (era.name, 1))
            if era.end is not None:
                self.assertEqual(wareki.era_year(era.end)[0], era.name)
                self.assertNotEqual(wareki.era_year(era.end + timedelta(days=1))[0], era.name)

    def test_naive_datetime_is_tokyo_time(self):
        self.assertEqual(wareki.era_year(datetime(2019, 4, 30, 23, 59, 59)), ("平成", 31))
        self.assertEqual(wareki.era_year(datetime(2019, 5, 1, 0, 0)), ("令和", 1))

    def test_aware_datetime_is_converted_to_tokyo(self):
        # 2019-04-30T15:00Z is 2019-05-01 00:00 in Tokyo.
        self.assertEqual(wareki.era_year(datetime(2019, 4, 30, 14, 59, 59, tzinfo=UTC)), ("平成", 31))
        self.assertEqual(wareki.era_year(datetime(2019, 4, 30, 15, 0, tzinfo=UTC)), ("令和", 1))

    def test_rejects_other_types(self):
        with self.assertRaises(TypeError):
            wareki.era_year("2025-05-01")
        with self.assertRaises(TypeError):
            wareki.era_year(None)


class TestFormatDate(unittest.TestCase):
    def test_plain(self):
        self.assertEqual(wareki.format_date(date(2025, 5, 1)), "令和7年5月1日")
        self.assertEqual(wareki.format_date(date(2025, 12, 31)), "令和7年12月31日")

    def test_first_year_is_gannen(self):
        self.assertEqual(wareki.format_date(date(2019, 5, 1)), "令和元年5月1日")
        self.assertEqual(wareki.format_date(date(1989, 1, 8)), "平成元年1月8日")
        self.assertEqual(wareki.format_date(date(2019, 12, 31)), "令和元年12月31日")
        self.assertEqual(wareki.format_date(date(2020, 1, 1)), "令和2年1月1日")

    def test_era_boundaries(self):
        self.assertEqual(wareki.format_date(date(2019, 4, 30)), "平成31年4月30日")
        self.assertEqual(wareki.format_date(date(1989, 1, 7)), "昭和64年1月7日")

    def test_weekday(self):
        self.assertEqual(wareki.format_date(date(2025, 5, 1), weekday=True), "令和7年5月1日（木）")
        self.assertEqual(wareki.format_date(date(2019, 5, 1), weekday=True), "令和元年5月1日（水）")
        self.assertEqual(wareki.format_date(date(2019, 4, 30), weekday=True), "平成31年4月30日（火）")

    def test_all_weekdays(self):
        # 2025-04-28 is a Monday.
        expected = "月火水木金土日"
        for offset, kanji in enumerate(expected):
            day = date(2025, 4, 28) + timedelta(days=offset)
            self.assertEqual(day.weekday(), offset)
            self.assertTrue(wareki.format_date(day, weekday=True).endswith(f"（{kanji}）"))

    def test_datetime_uses_its_tokyo_date(self):
        self.assertEqual(wareki.format_date(datetime(2025, 5, 1, 23, 59)), "令和7年5月1日")
        # 15:30 UTC on March 31 is already April 1 in Tokyo.
        aware = datetime(2025, 3, 31, 15, 30, tzinfo=UTC)
        self.assertEqual(wareki.format_date(aware, weekday=True), "令和7年4月1日（火）")


class TestFormatDatetime(unittest.TestCase):
    def test_format(self):
        self.assertEqual(wareki.format_datetime(datetime(2025, 5, 1, 9, 0)), "令和7年5月1日（木）9時00分")

    def test_24_hour_clock_and_padded_minutes(self):
        self.assertEqual(wareki.format_datetime(datetime(2025, 5, 1, 17, 5)), "令和7年5月1日（木）17時05分")
        self.assertEqual(wareki.format_datetime(datetime(2025, 5, 1, 0, 0)), "令和7年5月1日（木）0時00分")
        self.assertEqual(wareki.format_datetime(datetime(2025, 5, 1, 23, 59)), "令和7年5月1日（木）23時59分")

    def test_gannen(self):
        self.assertEqual(wareki.format_datetime(datetime(2019, 5, 1, 0, 0)), "令和元年5月1日（水）0時00分")

    def test_aware_is_converted_to_tokyo(self):
        self.assertEqual(
            wareki.format_datetime(datetime(2025, 5, 1, 0, 0, tzinfo=UTC)),
            "令和7年5月1日（木）9時00分",
        )
        self.assertEqual(
            wareki.format_datetime(datetime(2019, 4, 30, 15, 0, tzinfo=UTC)),
            "令和元年5月1日（水）0時00分",
        )
        self.assertEqual(
            wareki.format_datetime(datetime(2025, 4, 30, 20, 0, tzinfo=NEW_YORK)),
            "令和7年5月1日（木）9時00分",
        )

    def test_tokyo_aware_is_unchanged(self):
        tokyo = datetime(2025, 5, 1, 9, 0, tzinfo=wareki.TOKYO)
        self.assertEqual(wareki.format_datetime(tokyo), "令和7年5月1日（木）9時00分")

    def test_plain_date_is_refused(self):
        with self.assertRaises(TypeError):
            wareki.format_datetime(date(2025, 5, 1))


class TestFiscalYear(unittest.TestCase):
    def test_boundary(self):
        self.assertEqual(wareki.fiscal_year(date(2026, 3, 31)), 2025)
        self.assertEqual(wareki.fiscal_year(date(2026, 4, 1)), 2026)

    def test_whole_year(self):
        self.assertEqual(wareki.fiscal_year(date(2025, 4, 1)), 2025)
        self.assertEqual(wareki.fiscal_year(date(2025, 12, 31)), 2025)
        self.assertEqual(wareki.fiscal_year(date(2026, 1, 1)), 2025)

    def test_naive_datetime(self):
        self.assertEqual(wareki.fiscal_year(datetime(2026, 3, 31, 23, 59, 59)), 2025)
        self.assertEqual(wareki.fiscal_year(datetime(2026, 4, 1, 0, 0)), 2026)

    def test_aware_datetime_near_midnight_utc(self):
        # 2025-03-31T15:30Z is 2025-04-01 00:30 in Tokyo.
        self.assertEqual(wareki.fiscal_year(datetime(2025, 3, 31, 15, 30, tzinfo=UTC)), 2025)
        # 2025-03-31T14:59Z is still 2025-03-31 23:59 in Tokyo.
        self.assertEqual(wareki.fiscal_year(datetime(2025, 3, 31, 14, 59, tzinfo=UTC)), 2024)
        # Midnight UTC on April 1 is 9:00 in Tokyo, the same day.
        self.assertEqual(wareki.fiscal_year(datetime(2025, 4, 1, 0, 0, tzinfo=UTC)), 2025)


class TestFiscalYearLabel(unittest.TestCase):
    def test_current(self):
        self.assertEqual(wareki.fiscal_year_label(2025), "令和7年度（2025年度）")
        self.assertEqual(wareki.fiscal_year_label(2026), "令和8年度（2026年度）")
        self.assertEqual(wareki.fiscal_year_label(2020), "令和2年度（2020年度）")

    def test_2019_is_reiwa_gannen_by_custom(self):
        # April 2019 was still 平成31年, but fiscal 2019 is called 令和元年度.
        self.assertEqual(wareki.fiscal_year_label(2019), "令和元年度（2019年度）")
        self.assertEqual(wareki.fiscal_year_label(2018), "平成30年度（2018年度）")

    def test_heisei_gannen(self):
        self.assertEqual(wareki.fiscal_year_label(1989), "平成元年度（1989年度）")
        # 昭和 ended in January 1989, but fiscal 1988 stays 昭和63年度.
        self.assertEqual(wareki.fiscal_year_label(1988), "昭和63年度（1988年度）")

    def test_older_eras(self):
        self.assertEqual(wareki.fiscal_year_label(1926), "昭和元年度（1926年度）")
        self.assertEqual(wareki.fiscal_year_label(1925), "大正14年度（1925年度）")
        self.assertEqual(wareki.fiscal_year_label(1868), "明治元年度（1868年度）")

    def test_label_of_fiscal_year_of_a_day(self):
        aware = datetime(2025, 3, 31, 15, 30, tzinfo=UTC)
        self.assertEqual(wareki.fiscal_year_label(wareki.fiscal_year(aware)), "令和7年度（2025年度）")
        self.assertEqual(
            wareki.fiscal_year_label(wareki.fiscal_year(date(2020, 3, 31))), "令和元年度（2019年度）"
        )

    def test_rejects_non_int(self):
        with self.assertRaises(TypeError):
            wareki.fiscal_year_label("2025")
        with self.assertRaises(TypeError):
            wareki.fiscal_year_label(True)

    def test_before_meiji(self):
        with self.assertRaises(ValueError):
            wareki.fiscal_year_label(1867)


class TestYearLabel(unittest.TestCase):
    def test_labels(self):
        self.assertEqual(wareki.year_label(2026), "令和8年（2026年）")
        self.assertEqual(wareki.year_label(2019), "令和元年（2019年）")
        self.assertEqual(wareki.year_label(2018), "平成30年（2018年）")
        self.assertEqual(wareki.year_label(1989), "平成元年（1989年）")
        self.assertEqual(wareki.year_label(1988), "昭和63年（1988年）")

    def test_rejects_non_int(self):
        with self.assertRaises(TypeError):
            wareki.year_label(2026.0)


class TestParseEraYear(unittest.TestCase):
    def test_names(self):
        self.assertEqual(wareki.parse_era_year("令和", "元"), 2019)
        self.assertEqual(wareki.parse_era_year("令和", 7), 2025)
        self.assertEqual(wareki.parse_era_year("令和", "7"), 2025)
        self.assertEqual(wareki.parse_era_year("平成", 30), 2018)
        self.assertEqual(wareki.parse_era_year("平成", 31), 2019)
        self.assertEqual(wareki.parse_era_year("平成", 1), 1989)
        self.assertEqual(wareki.parse_era_year("昭和", 64), 1989)
        self.assertEqual(wareki.parse_era_year("大正", 15), 1926)
        self.assertEqual(wareki.parse_era_year("明治", 45), 1912)

    def test_romaji_codes(self):
        self.assertEqual(wareki.parse_era_year("r", "03"), 2021)
        self.assertEqual(wareki.parse_era_year("h", "30"), 2018)
        self.assertEqual(wareki.parse_era_year("s", "64"), 1989)
        self.assertEqual(wareki.parse_era_year("R", "1"), 2019)
        self.assertEqual(wareki.parse_era_year("t", 1), 1912)
        self.assertEqual(wareki.parse_era_year("m", 1), 1868)

    def test_full_width(self):
        self.assertEqual(wareki.parse_era_year("平成", "３０"), 2018)
        self.assertEqual(wareki.parse_era_year("ｒ", "０３"), 2021)
        self.assertEqual(wareki.parse_era_year(" 令和 ", " 元 "), 2019)

    def test_round_trip_with_era_year(self):
        for day in (date(1989, 1, 8), date(2019, 5, 1), date(2025, 5, 1), date(1926, 12, 25)):
            name, number = wareki.era_year(day)
            self.assertEqual(wareki.parse_era_year(name, number), day.year)

    def test_unknown_era(self):
        for era in ("", "x", "西暦", "令", "reiwa"):
            with self.assertRaises(ValueError):
                wareki.parse_era_year(era, 1)

    def test_out_of_range(self):
        with self.assertRaises(ValueError) as caught:
            wareki.parse_era_year("平成", 32)
        self.assertIn("out of range", str(caught.exception))
        for era, year in (("h", "32"), ("昭和", 65), ("大正", 16), ("明治", 46), ("令和", 0), ("令和", -1)):
            with self.assertRaises(ValueError):
                wareki.parse_era_year(era, year)

    def test_malformed_year(self):
        for year in ("", "abc", "1.5", "-1", "三十", "元年", "３０年"):
            with self.assertRaises(ValueError):
                wareki.parse_era_year("平成", year)

    def test_wrong_types(self):
        with self.assertRaises(TypeError):
            wareki.parse_era_year("令和", 7.0)
        with self.assertRaises(TypeError):
            wareki.parse_era_year("令和", True)
        with self.assertRaises(TypeError):
            wareki.parse_era_year(None, 7)
