"""Dates of the recruitment site: Asia/Tokyo, 和暦 (Japanese era) and fiscal years (年度).

The public API; every module of the project that converts to Tokyo time or writes an era
or fiscal year uses these instead of its own rule:

- ``TOKYO``, ``to_tokyo`` (naive means Tokyo, aware converts), ``to_tokyo_date``;
- ``era_year_text`` 「令和元年」 (the 元年 rule), ``fiscal_year``, ``fiscal_year_label``
  「令和7年度（2025年度）」 or 「令和7年度」, ``year_label``, ``format_date``,
  ``format_datetime``, ``parse_era_year``.
"""

from kagoshima.saiyo.dates.tokyo import to_tokyo
from kagoshima.saiyo.dates.tokyo import to_tokyo_date
from kagoshima.saiyo.dates.tokyo import TOKYO
from kagoshima.saiyo.dates.tokyo import TOKYO_PYTZ
from kagoshima.saiyo.dates.wareki import era_year
from kagoshima.saiyo.dates.wareki import era_year_text
from kagoshima.saiyo.dates.wareki import ERAS
from kagoshima.saiyo.dates.wareki import fiscal_year
from kagoshima.saiyo.dates.wareki import fiscal_year_label
from kagoshima.saiyo.dates.wareki import format_date
from kagoshima.saiyo.dates.wareki import format_datetime
from kagoshima.saiyo.dates.wareki import parse_era_year
from kagoshima.saiyo.dates.wareki import year_label


__all__ = [
    "ERAS",
    "TOKYO",
    "TOKYO_PYTZ",
    "era_year",
    "era_year_text",
    "fiscal_year",
    "fiscal_year_label",
    "format_date",
    "format_datetime",
    "parse_era_year",
    "to_tokyo",
    "to_tokyo_date",
    "year_label",
]
