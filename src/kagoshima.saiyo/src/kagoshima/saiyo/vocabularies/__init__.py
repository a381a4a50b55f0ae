"""Vocabularies: the lists administrators edit (試験種別, 職種, 対象, FAQカテゴリ, 試験地)
and the fixed ones (経歴区分, 開催形式, 試験の状態).

Editable lists are kept in the registry as lines ``token|ラベル``. Content stores the
token, so renaming a label in the control panel changes every page at once and never
breaks stored content; a token that was removed from a list still shows its last label
nowhere and its token instead (see ``term_title``).
"""

from kagoshima.saiyo.content import exam_status
from plone.registry.interfaces import IRegistry
from zope.component import queryUtility
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


# name of the vocabulary -> (registry record, Japanese title of the list)
EDITABLE = {
    "kagoshima.saiyo.ExamTypes": ("kagoshima.saiyo.vocabularies.exam_types", "試験種別"),
    "kagoshima.saiyo.JobTypes": ("kagoshima.saiyo.vocabularies.job_types", "職種"),
    "kagoshima.saiyo.Audiences": ("kagoshima.saiyo.vocabularies.audiences", "対象"),
    "kagoshima.saiyo.FaqCategories": ("kagoshima.saiyo.vocabularies.faq_categories", "FAQカテゴリ"),
    "kagoshima.saiyo.ExamVenues": ("kagoshima.saiyo.vocabularies.exam_venues", "試験地"),
}

CAREER_TYPES = (("shinsotsu", "新卒"), ("shakaijin", "社会人経験者"), ("uiturn", "UIターン"))
EVENT_FORMATS = (("venue", "会場"), ("online", "オンライン"), ("hybrid", "会場・オンライン併用"))


def parse_lines(lines) -> list[tuple[str, str]]:
    """``["token|ラベル", ...]`` -> ``[(token, label), ...]``; malformed lines are skipped."""
    terms = []
    for line in lines or ():
        token, sep, label = (line or "").partition("|")
        token, label = token.strip(), label.strip()
        if token and sep and label:
            terms.append((token, label))
    return terms


def editable_terms(vocabulary_name: str) -> list[tuple[str, str]]:
    record, _ = EDITABLE[vocabulary_name]
    registry = queryUtility(IRegistry)
    if registry is None:
        return []
    return parse_lines(registry.get(record, ()))


def _vocabulary(terms) -> SimpleVocabulary:
    return SimpleVocabulary([SimpleTerm(value=token, token=token, title=label) for token, label in terms])


def _editable_factory(name):
    @provider(IVocabularyFactory)
    def factory(context=None):
        return _vocabulary(editable_terms(name))

    return factory


ExamTypesFactory = _editable_factory("kagoshima.saiyo.ExamTypes")
JobTypesFactory = _editable_factory("kagoshima.saiyo.JobTypes")
AudiencesFactory = _editable_factory("kagoshima.saiyo.Audiences")
FaqCategoriesFactory = _editable_factory("kagoshima.saiyo.FaqCategories")
ExamVenuesFactory = _editable_factory("kagoshima.saiyo.ExamVenues")


@provider(IVocabularyFactory)
def CareerTypesFactory(context=None):
    return _vocabulary(CAREER_TYPES)


@provider(IVocabularyFactory)
def EventFormatsFactory(context=None):
    return _vocabulary(EVENT_FORMATS)


@provider(IVocabularyFactory)
def ExamStatusesFactory(context=None):
    return _vocabulary(exam_status.STATUSES)


FIXED = {
    "kagoshima.saiyo.CareerTypes": CAREER_TYPES,
    "kagoshima.saiyo.EventFormats": EVENT_FORMATS,
}


def term_title(vocabulary_name: str, token) -> str:
    """The label of ``token`` in a named vocabulary; the token itself when it is unknown."""
    if not token:
        return ""
    if vocabulary_name in EDITABLE:
        terms = dict(editable_terms(vocabulary_name))
    elif vocabulary_name == "kagoshima.saiyo.ExamStatuses":
        terms = dict(exam_status.STATUSES)
    else:
        terms = dict(FIXED[vocabulary_name])
    return terms.get(token, token)
