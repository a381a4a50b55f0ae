"""Settings of アクセス解析の設定 (registry records ``kagoshima.saiyo.analytics.*``)."""

from zope import schema
from zope.interface import Interface
from zope.schema import ValidationError

import re


MEASUREMENT_ID = re.compile(r"^G-[A-Z0-9]{4,}$")
REGISTRY_PREFIX = "kagoshima.saiyo.analytics"


class BadMeasurementId(ValidationError):
    __doc__ = "測定IDは「G-」で始まり、半角の英大文字と数字が4文字以上続く形で入力してください（例: G-ABC123DEF4）。"


def valid_measurement_id(value):
    if value and not MEASUREMENT_ID.match(value):
        raise BadMeasurementId(value)
    return True


class IAnalyticsSettings(Interface):
    ga4_measurement_id = schema.TextLine(
        title="Google アナリティクス 4 の測定ID",
        description=(
            "Google アナリティクスの管理画面の「データストリーム」に表示される「G-」で始まる測定IDです"
            "（例: G-ABC123DEF4）。入力すると、ログインしていない閲覧者に表示する公開ページにだけ計測用のタグを"
            "出力します。編集画面や管理画面には出力しません。空欄にすると出力を止めます。"
        ),
        required=False,
        default="",
        missing_value="",
        constraint=valid_measurement_id,
    )
