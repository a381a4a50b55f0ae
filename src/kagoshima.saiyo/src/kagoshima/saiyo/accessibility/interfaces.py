"""The accessibility check's setting: which findings stop 承認依頼.

The field is defined here, next to the checks it names. Editors change it with the other
safety settings (サイト設定 → 設定レジストリ), so ``ISecuritySettings`` extends this schema
and the record keeps its name under the security prefix.
"""

from plone.registry.interfaces import IRegistry
from zope import schema
from zope.component import queryUtility
from zope.interface import Interface


RECORD = "kagoshima.saiyo.security.a11y_blocking_checks"
# The default up to profile 1013; the 1014 upgrade adds the media checks to it when unchanged.
PREVIOUS_BLOCKING = ["img-alt", "table-header", "link-text"]


class IAccessibilitySettings(Interface):
    """アクセシビリティの確認の設定。"""

    a11y_blocking_checks = schema.List(
        title="承認依頼を止めるアクセシビリティの指摘",
        description=(
            "ここに挙げた種類の指摘が本文に残っていると、承認依頼できません。"
            "種類: img-alt, heading-skip, table-header, link-text, izon-moji, zenkaku-alnum, "
            "media-captions（動画の字幕）, media-transcript（動画・音声の文字起こし）"
        ),
        value_type=schema.TextLine(),
        default=["img-alt", "table-header", "link-text", "media-captions", "media-transcript"],
        required=False,
    )


def blocking_checks() -> set[str]:
    """The kinds of finding that stop 承認依頼; the field's default when the registry lacks it."""
    registry = queryUtility(IRegistry)
    value = registry.get(RECORD, None) if registry is not None else None
    if value is None:
        value = IAccessibilitySettings["a11y_blocking_checks"].default
    return set(value or [])
