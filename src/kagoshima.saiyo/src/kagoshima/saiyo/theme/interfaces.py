"""The top-page block manager, views with their own head, and 採用サイトの表示設定 (registry records ``kagoshima.saiyo.theme.*``)."""

from zope import schema
from zope.interface import Interface
from zope.viewlet.interfaces import IViewletManager


REGISTRY_PREFIX = "kagoshima.saiyo.theme"


class ITopBlocks(IViewletManager):
    """The blocks of the top page; administrators order and hide them in @@manage-viewlets."""


class IOwnHeadPage(Interface):
    """A view that is a page of its own (not its context's): it names itself in the head.

    The head then has no canonical link to the context (the search page is not the home page),
    and a page made from the visitor's input (results, answers) asks search engines not to index it.
    """

    def head_title() -> str:
        """The page's name for ``<title>`` and the sharing tags, without the site title."""

    def head_noindex() -> bool:
        """True when the page shows results of the visitor's input: ``noindex, follow``."""


class IDisplaySettings(Interface):
    message_title = schema.TextLine(
        title="トップページのメッセージ（見出し）",
        description="トップページの最初に大きく表示する一文です。",
        required=True,
        default="鹿児島の未来を、ここから。",
    )
    message_text = schema.Text(
        title="トップページのメッセージ（本文）",
        description="見出しの下に表示する短い文章です（2〜3行程度）。",
        required=False,
        default=(
            "離島から都市部まで、県民の暮らしを支える仕事があります。"
            "鹿児島県職員として、あなたの力を地域のために生かしませんか。"
        ),
    )
    contact_lines = schema.List(
        title="フッターの問い合わせ先",
        description="1行ずつ表示します（所属名、住所、電話番号、受付時間など）。",
        value_type=schema.TextLine(),
        required=False,
        default=[
            "鹿児島県人事委員会事務局 任用課",
            "〒890-8577 鹿児島市鴨池新町10番1号",
            "電話 099-286-3893（平日 8時30分〜17時15分）",
        ],
    )
    sns_links = schema.List(
        title="SNS のリンク",
        description="1行に1つ、「表示名|URL」の形で書きます（例: X（旧Twitter）|https://x.com/...）。",
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    news_count = schema.Int(
        title="トップページに表示するお知らせの件数",
        required=True,
        default=5,
        min=1,
        max=20,
    )
