"""Field constraints with Japanese messages shared by the content types."""

from datetime import datetime
from kagoshima.saiyo.dates import to_tokyo
from zope.interface import Invalid
from zope.schema import ValidationError


class NotHttpUrl(ValidationError):
    __doc__ = "http:// または https:// で始まるURLを入力してください。"


class NegativeNumber(ValidationError):
    __doc__ = "0以上の数を入力してください。"


class BadPeriod(Invalid):
    """An end before its start; the message names both fields."""


def http_url(value) -> bool:
    """Only web addresses: no javascript:, mailto: or relative links for buttons."""
    if value and not value.lower().startswith(("http://", "https://")):
        raise NotHttpUrl(value)
    return True


def not_negative(value) -> bool:
    if value is not None and value < 0:
        raise NegativeNumber(value)
    return True


def _comparable(value):
    """Naive date-times are Tokyo time; make them comparable with aware ones."""
    return to_tokyo(value) if isinstance(value, datetime) else value


def check_period(start, end, message: str) -> None:
    if start is not None and end is not None and _comparable(end) < _comparable(start):
        raise BadPeriod(message)
