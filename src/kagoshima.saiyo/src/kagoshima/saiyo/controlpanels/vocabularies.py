"""採用サイトの選択肢: administrators edit the lists used by the content types.

Each list is a table of (トークン, 表示名). Content keeps the token, so a label can be
renamed freely; a token that content still uses cannot be removed (the form says which
list and how many pages), so nothing stored loses its meaning.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from kagoshima.saiyo.vocabularies import EDITABLE
from kagoshima.saiyo.vocabularies import parse_lines
from plone import api
from plone.autoform import directives
from plone.autoform.form import AutoExtensibleForm
from plone.z3cform import layout
from z3c.form import button
from z3c.form import form
from zope import schema
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import invariant
from zope.schema import ValidationError

import logging
import re


logger = logging.getLogger("kagoshima.saiyo")
TOKEN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# form field -> (vocabulary name, catalog index that holds its tokens, or None)
FIELDS = {
    "exam_types": ("kagoshima.saiyo.ExamTypes", "exam_type"),
    "job_types": ("kagoshima.saiyo.JobTypes", "job_types"),
    "audiences": ("kagoshima.saiyo.Audiences", "audiences"),
    "faq_categories": ("kagoshima.saiyo.FaqCategories", "faq_category"),
    "exam_venues": ("kagoshima.saiyo.ExamVenues", None),
}


class BadToken(ValidationError):
    __doc__ = "トークンは半角の英小文字・数字・ハイフンで書いてください（例: daigaku）。"


def valid_token(value):
    if not TOKEN.match(value or ""):
        raise BadToken(value)
    return True


class ITermRow(Interface):
    token = schema.TextLine(
        title="トークン",
        description="半角英小文字・数字・ハイフン。一度使ったら変えないでください。",
        constraint=valid_token,
    )
    title = schema.TextLine(title="表示名")


def _rows_field(title):
    return schema.List(
        title=title,
        value_type=DictRow(title="項目", schema=ITermRow),
        required=False,
        default=[],
    )


class IVocabulariesForm(Interface):
    exam_types = _rows_field("試験種別")
    directives.widget("exam_types", DataGridFieldWidgetFactory, allow_reorder=True)
    job_types = _rows_field("職種")
    directives.widget("job_types", DataGridFieldWidgetFactory, allow_reorder=True)
    audiences = _rows_field("対象")
    directives.widget("audiences", DataGridFieldWidgetFactory, allow_reorder=True)
    faq_categories = _rows_field("FAQカテゴリ")
    directives.widget("faq_categories", DataGridFieldWidgetFactory, allow_reorder=True)
    exam_venues = _rows_field("試験地")
    directives.widget("exam_venues", DataGridFieldWidgetFactory, allow_reorder=True)

    @invariant
    def unique_tokens(data):
        for name in FIELDS:
            tokens = [row["token"] for row in getattr(data, name, None) or ()]
            duplicates = sorted({token for token in tokens if tokens.count(token) > 1})
            if duplicates:
                raise Invalid(f"同じトークンが2回以上使われています: {', '.join(duplicates)}")


def stored_rows(name):
    record, _ = EDITABLE[FIELDS[name][0]]
    lines = api.portal.get_registry_record(record, default=[]) or []
    return [{"token": token, "title": title} for token, title in parse_lines(lines)]


def tokens_in_use(index, tokens):
    """{token: number of items using it} for the given tokens."""
    if not index or not tokens:
        return {}
    catalog = api.portal.get_tool("portal_catalog")
    counts = {}
    for token in tokens:
        found = len(catalog.unrestrictedSearchResults(**{index: token}))
        if found:
            counts[token] = found
    return counts


class VocabulariesForm(AutoExtensibleForm, form.Form):
    schema = IVocabulariesForm
    ignoreContext = False
    label = "採用サイトの選択肢"
    description = (
        "試験種別・職種・対象・FAQカテゴリ・試験地の選択肢を編集します。表示名は自由に変えられます。"
        "トークンはページに保存される識別子なので、使われているものは削除できません。"
    )

    def getContent(self):
        return {name: stored_rows(name) for name in FIELDS}

    @button.buttonAndHandler("保存", name="save")
    def handle_save(self, action):
        data, errors = self.extractData()
        if errors:
            self.status = "入力内容にエラーがあります。赤字のメッセージを確認してください。"
            return
        problems = []
        for name, (vocabulary, index) in FIELDS.items():
            kept = {row["token"] for row in data.get(name) or ()}
            removed = {row["token"] for row in stored_rows(name)} - kept
            for token, count in sorted(tokens_in_use(index, removed).items()):
                problems.append(
                    f"{EDITABLE[vocabulary][1]}の「{token}」は{count}件のページで使われているため削除できません。"
                )
        if problems:
            self.status = " ".join(problems)
            logger.warning("vocabulary edit refused: tokens still in use: %s", problems)
            return
        for name, (vocabulary, _) in FIELDS.items():
            record, _ = EDITABLE[vocabulary]
            lines = [f"{row['token'].strip()}|{row['title'].strip()}" for row in data.get(name) or ()]
            api.portal.set_registry_record(record, lines)
        logger.info("vocabularies saved by %s", api.user.get_current().getId())
        api.portal.show_message("選択肢を保存しました。", request=self.request)
        self.request.response.redirect(self.request.getURL())

    @button.buttonAndHandler("キャンセル", name="cancel")
    def handle_cancel(self, action):
        self.request.response.redirect(api.portal.get().absolute_url() + "/@@overview-controlpanel")


VocabulariesView = layout.wrap_form(VocabulariesForm)
