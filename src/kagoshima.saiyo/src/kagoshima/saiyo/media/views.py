"""The display views of video and audio (see the package docstring)."""

from kagoshima.saiyo.media.checks import EMBED
from kagoshima.saiyo.media.checks import has_captions
from kagoshima.saiyo.media.checks import media_kind
from kagoshima.saiyo.media.checks import youtube_id
from pathlib import Path
from plone.app.contenttypes.browser.file import FileView
from plone.app.contenttypes.browser.link_redirect_view import LinkRedirectView
from plone.app.contenttypes.interfaces import IFile
from plone.app.contenttypes.interfaces import ILink
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zExceptions import NotFound

import plone.app.contenttypes.browser


STOCK = Path(plone.app.contenttypes.browser.__file__).parent / "templates"


class MediaMixin:
    media_template = ViewPageTemplateFile("templates/media.pt")

    @property
    def kind(self):
        return media_kind(self.context)

    def css_url(self):
        return self.context.portal_url() + "/++resource++kagoshima.saiyo.media/media.css"

    def transcript_paragraphs(self) -> list[str]:
        text = (getattr(self.context, "transcript", None) or "").strip()
        return [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]

    def _download(self, field: str) -> str | None:
        value = getattr(self.context, field, None)
        if value is None or not value.getSize():
            return None
        return f"{self.context.absolute_url()}/@@download/{field}/{value.filename}"

    def poster_url(self):
        if getattr(self.context, "poster", None) is None:
            return None
        scales = self.context.restrictedTraverse("@@images")
        scale = scales.scale("poster", scale="large")
        return scale.url if scale is not None else self._download("poster")

    def captions_url(self):
        return self._download("captions")

    def has_captions(self):
        return has_captions(self.context)


class MediaFileView(MediaMixin, FileView):
    """An MP4 or MP3 in the site's player; any other file as in Plone."""

    stock = ViewPageTemplateFile(str(STOCK / "file.pt"))

    def __call__(self):
        if not IFile.providedBy(self.context):
            raise NotFound(self.context, "file_view", self.request)
        return self.media_template() if self.kind in ("video", "audio") else self.stock()

    def media_url(self):
        return self._download("file")

    def media_type(self):
        return self.context.file.contentType


class MediaLinkView(MediaMixin, LinkRedirectView):
    """A YouTube link as a page with the privacy-enhanced player; any other link as in Plone."""

    def __call__(self):
        if not ILink.providedBy(self.context):
            raise NotFound(self.context, "link_redirect_view", self.request)
        if self.kind == "youtube":
            return self.media_template()
        return super().__call__()

    def video_id(self):
        return youtube_id(self.context.remoteUrl)

    def embed_url(self):
        params = {"rel": "0"}
        if self.has_captions():
            params.update({"cc_load_policy": "1", "cc_lang_pref": "ja", "hl": "ja"})
        return EMBED.format(id=self.video_id()) + "?" + urlencode(params)

    def media_url(self):
        return f"https://www.youtube.com/watch?v={self.video_id()}"
