"""Head tags for search engines and sharing.

* ``<title>``: 「ページ名 | 鹿児島県職員採用」 (the top page: the site title alone);
* ``<meta name="description">`` from the description field (else the site's);
* Open Graph and Twitter card tags with a per-page image: the page's lead image
  (``image``) or interview photo (``photo``) when it has one, else the default
  1200×630 image of the theme. The canonical link is Plone's own
  (``plone.links.canonical_url``), except on views that are pages of their own
  (``IOwnHeadPage``: the search page, 質問する), which get none; their results
  are ``noindex, follow``;
* one ``<meta name="description">``: Plone's Dublin Core viewlet leaves it to ours;
* feed links titled 「サイト名 - RSS 2.0」 (Plone 6.2 writes the feed type's bytes repr).
"""

from Acquisition import aq_base
from html import escape
from kagoshima.saiyo.theme.interfaces import IOwnHeadPage
from plone.app.layout.links.viewlets import CanonicalURL as PloneCanonicalURL
from plone.app.layout.links.viewlets import RSSViewlet as PloneRSSViewlet
from plone.app.layout.viewlets import ViewletBase
from plone.app.layout.viewlets.common import DublinCoreViewlet as PloneDublinCoreViewlet
from plone.app.layout.viewlets.common import TitleViewlet as PloneTitleViewlet
from plone.base.interfaces import IPloneSiteRoot
from plone.base.interfaces.syndication import IFeedSettings
from plone.memoize.view import memoize
from zope.component import getMultiAdapter
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory


SEPARATOR = " | "
DEFAULT_IMAGE = "++plone++kagoshima.saiyo/ogp-default.png"
DEFAULT_IMAGE_SIZE = (1200, 630)
IMAGE_FIELDS = ("image", "photo")
IMAGE_SCALE = "great"

# Views on the site root that are pages of their own for visitors.
VIEW_TITLES = {
    "search": "サイト内検索",
    "saiyo-assistant": "質問する",
    "sitemap": "サイトマップ",
    "login": "ログイン",
    "login_form": "ログイン",
    "contact-info": "お問い合わせ",
    "accessibility-info": "アクセシビリティ",
    "mail_password_form": "パスワードの再設定",
}


def view_name(request) -> str:
    published = request.get("PUBLISHED")
    name = getattr(published, "__name__", "") or ""
    return name.removeprefix("@@")


def own_head_page(request):
    """The published view when it is a page of its own (``IOwnHeadPage``), else None."""
    published = request.get("PUBLISHED")
    return published if IOwnHeadPage.providedBy(published) else None


def page_title(context, request, site_title: str) -> str:
    """The name of the page alone; the site title for the top page."""
    page = own_head_page(request)
    if page is not None:
        return page.head_title()
    name = view_name(request)
    if name in VIEW_TITLES:
        return VIEW_TITLES[name]
    if IPloneSiteRoot.providedBy(context):
        return site_title
    context_state = getMultiAdapter((context, request), name="plone_context_state")
    return context_state.object_title()


def full_title(page: str, site_title: str) -> str:
    return page if not page or page == site_title else f"{page}{SEPARATOR}{site_title}"


class TitleViewlet(PloneTitleViewlet):
    def update(self):
        site = self.site_title_setting or ""
        self.site_title = escape(full_title(page_title(self.context, self.request, site), site))


class SocialTagsViewlet(ViewletBase):
    """description, og:* and twitter:* (rendered for every visitor, cached with the page)."""

    def update(self):
        super().update()
        self.site_name = TitleViewlet(self.context, self.request, self.view).site_title_setting or ""
        self.context_state = getMultiAdapter((self.context, self.request), name="plone_context_state")

    @memoize
    def tags(self) -> list[tuple[str, str, str]]:
        """(attribute, key, value) of each ``<meta>``."""
        site = self.portal_state.portal()
        title = page_title(self.context, self.request, self.site_name)
        description = (
            getattr(aq_base(self.context), "Description", lambda: "")() or site.Description() or ""
        ).strip()
        url = (
            self.context_state.current_base_url()
            if view_name(self.request) in VIEW_TITLES
            else self.context.absolute_url()
        )
        image, width, height = self.image()
        is_article = not IPloneSiteRoot.providedBy(self.context) and not self.context_state.is_folderish()
        tags = [
            ("name", "description", description),
            ("property", "og:site_name", self.site_name),
            ("property", "og:title", title),
            ("property", "og:description", description),
            ("property", "og:type", "article" if is_article else "website"),
            ("property", "og:url", url),
            ("property", "og:locale", "ja_JP"),
            ("property", "og:image", image),
            ("property", "og:image:width", str(width)),
            ("property", "og:image:height", str(height)),
            ("name", "twitter:card", "summary_large_image"),
            ("name", "twitter:title", title),
            ("name", "twitter:description", description),
            ("name", "twitter:image", image),
        ]
        page = own_head_page(self.request)
        if page is not None and page.head_noindex():
            tags.append(("name", "robots", "noindex, follow"))
        return [tag for tag in tags if tag[2]]

    def image(self) -> tuple[str, int, int]:
        context = aq_base(self.context)
        for field in IMAGE_FIELDS:
            if getattr(context, field, None):
                images = self.context.restrictedTraverse("@@images", None)
                scale = images.scale(field, scale=IMAGE_SCALE) if images is not None else None
                if scale is not None:
                    return scale.url, scale.width, scale.height
        return f"{self.site_url}/{DEFAULT_IMAGE}", *DEFAULT_IMAGE_SIZE

    def index(self):
        return "\n".join(
            f'<meta {attribute}="{escape(key)}" content="{escape(value)}" />'
            for attribute, key, value in self.tags()
        )


class CanonicalURLViewlet(PloneCanonicalURL):
    """Plone's canonical link, except on a page of its own: its context's URL is another page."""

    def render(self):
        if own_head_page(self.request) is not None:
            return ""
        return super().render()


class DublinCoreViewlet(PloneDublinCoreViewlet):
    """Plone's Dublin Core tags without ``description``: SocialTagsViewlet writes it once."""

    def update(self):
        super().update()
        self.metatags = [(key, value) for key, value in self.metatags if key != "description"]


class RSSViewlet(PloneRSSViewlet):
    """Plone's feed links with the feed type's name as text (Plone writes ``b'RSS 2.0'``)."""

    def getRssLinks(self, obj):
        settings = IFeedSettings(obj, None)
        if settings is None:
            return []
        vocabulary = getUtility(IVocabularyFactory, "plone.app.vocabularies.SyndicationFeedTypes")(
            self.context
        )
        links = []
        for feed_type in settings.feed_types:
            try:
                term = vocabulary.getTerm(feed_type)
            except LookupError:
                continue
            feed = translate(term.title, context=self.request)
            links.append({"title": f"{obj.Title()} - {feed}", "url": f"{obj.absolute_url()}/{term.value}"})
        return links
