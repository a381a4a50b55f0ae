"""FAQ (よくある質問): one question, its answer and its category."""

from plone.app.textfield import RichText
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IFAQ(model.Schema):
    """よくある質問. The question is the title."""

    answer = RichText(title="回答")
    faq_category = schema.Choice(title="カテゴリ", vocabulary="kagoshima.saiyo.FaqCategories")


@implementer(IFAQ)
class FAQ(Item):
    """よくある質問."""
