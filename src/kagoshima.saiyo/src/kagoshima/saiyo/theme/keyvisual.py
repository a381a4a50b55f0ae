"""The top page's key visual: an image administrators replace at サイト設定 → トップページのキービジュアル.

The image, its alt text and its focal point are fields of the site root (the behavior
``kagoshima.saiyo.top_key_visual`` on the Plone Site type), so Plone's ``@@images`` serves its
scales with a srcset like every other image, saving it notifies ``IObjectModifiedEvent``
(scales made at once by ``scales.py``, the top page purged from the proxy by
plone.app.caching) and only holders of ``Plone Site Setup: Site`` (administrators) may
write the fields, through the form, the site's edit form or the REST API alike. Without an
image the top page keeps its drawn default.
"""

from Acquisition import aq_base
from kagoshima.saiyo.security.uploads import extension
from plone import api
from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.namedfile.field import NamedBlobImage
from plone.namedfile.interfaces import INamed
from plone.namedfile.scaling import ImageScaling
from plone.supermodel import model
from z3c.form import button
from z3c.form import field
from z3c.form import form
from z3c.form.interfaces import NOT_CHANGED
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant
from zope.interface import provider
from zope.schema.interfaces import IContextAwareDefaultFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

import logging


logger = logging.getLogger("kagoshima.saiyo.theme")

WRITE_PERMISSION = "plone.app.controlpanel.Site"
WRITE_PERMISSION_TITLE = "Plone Site Setup: Site"
MAX_MB = 5
TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
TYPE_MESSAGE = "キービジュアルに使えるのは JPEG・PNG・WebP の画像だけです（「{name}」は使えません）。"
SIZE_MESSAGE = "キービジュアルの画像は {limit} MB 以下にしてください（「{name}」は {size:.1f} MB です）。"
ALT_MESSAGE = "キービジュアルの画像を設定するときは「代替テキスト」を入力してください。"

# (token, label, CSS object-position): where the subject of the photo is
FOCUS = [
    ("left-top", "左上", "0% 0%"),
    ("top", "上", "50% 0%"),
    ("right-top", "右上", "100% 0%"),
    ("left", "左", "0% 50%"),
    ("center", "中央", "50% 50%"),
    ("right", "右", "100% 50%"),
    ("left-bottom", "左下", "0% 100%"),
    ("bottom", "下", "50% 100%"),
    ("right-bottom", "右下", "100% 100%"),
]
FOCUS_VOCABULARY = SimpleVocabulary([SimpleTerm(token, token, label) for token, label, _ in FOCUS])
OBJECT_POSITION = {token: position for token, _, position in FOCUS}


class KeyVisualUploadError(Invalid):
    __doc__ = "キービジュアルにできない画像です。"


def image_problem(value) -> str | None:
    """In Japanese what makes ``value`` unfit for the key visual, or None."""
    if value is None or not INamed.providedBy(value):
        return None
    name = value.filename or "（名前のないファイル）"
    content_type = (getattr(value, "contentType", "") or "").split(";")[0].strip().lower()
    if TYPES.get(extension(value.filename)) is None or content_type not in TYPES.values():
        return TYPE_MESSAGE.format(name=name)
    size = value.getSize()
    if size > MAX_MB * 1024 * 1024:
        return SIZE_MESSAGE.format(name=name, limit=MAX_MB, size=size / 1024 / 1024)
    return None


def check_image(value) -> bool:
    """Field constraint: a Japanese message for the person, an English log line for operators."""
    message = image_problem(value)
    if message:
        logger.warning(
            "refused key visual upload %r (%s, %s bytes): %s",
            getattr(value, "filename", None),
            getattr(value, "contentType", None),
            value.getSize(),
            message,
        )
        raise KeyVisualUploadError(message)
    return True


@provider(IContextAwareDefaultFactory)
def no_focus(context):
    return "center"


@provider(IFormFieldProvider)
class IKeyVisual(model.Schema):
    """Fields of the site root (behavior ``kagoshima.saiyo.top_key_visual``)."""

    key_visual_image = NamedBlobImage(
        title="キービジュアルの画像",
        description=(
            f"トップページの最初に大きく表示する写真です（JPEG・PNG・WebP、{MAX_MB} MB まで）。"
            "横長で幅 1600 ピクセル以上の写真がきれいに表示されます。"
            "画像を削除すると、元のイラストに戻ります。"
        ),
        required=False,
        constraint=check_image,
    )
    key_visual_alt = schema.TextLine(
        title="代替テキスト",
        description="画像を見られない方に読み上げられる説明です（例: 「桜島を背に橋の点検をする職員」）。画像を設定するときは必須です。",
        required=False,
        max_length=200,
    )
    key_visual_focus = schema.Choice(
        title="写真の中心（スマートフォンで切り取るときに残す位置）",
        description="スマートフォンでは写真の上下または左右が切り取られます。写っている人や物がある位置を選んでください。",
        vocabulary=FOCUS_VOCABULARY,
        required=True,
        defaultFactory=no_focus,
    )

    # Only the form of サイト設定 shows them; the site's own edit form does not.
    directives.omitted("key_visual_image", "key_visual_alt", "key_visual_focus")
    directives.write_permission(
        key_visual_image=WRITE_PERMISSION, key_visual_alt=WRITE_PERMISSION, key_visual_focus=WRITE_PERMISSION
    )

    @invariant
    def alt_with_image(data):
        image = getattr(data, "key_visual_image", None)
        if image is NOT_CHANGED:  # the form's 既存画像を保持: the stored image stays
            image = getattr(aq_base(getattr(data, "__context__", None)), "key_visual_image", None)
        alt = (getattr(data, "key_visual_alt", None) or "").strip()
        if image is not None and INamed.providedBy(image) and image.getSize() and not alt:
            logger.warning("refused key visual settings: an image without alt text")
            raise Invalid(ALT_MESSAGE)


def key_visual(portal, request) -> dict | None:
    """What the top page shows: src, srcset, width, height, alt and the focal point; None without an image."""
    image = getattr(portal.aq_base, "key_visual_image", None)
    if image is None or not image.getSize():
        return None
    images = ImageScaling(portal, request)
    great = images.scale("key_visual_image", scale="great")
    srcset = [images.scale("key_visual_image", scale=name) for name in ("preview", "larger", "great", "huge")]
    width, height = image.getImageSize()
    focus = getattr(portal.aq_base, "key_visual_focus", None) or "center"
    return {
        "src": great.url if great is not None else f"{portal.absolute_url()}/@@images/key_visual_image",
        "srcset": ", ".join(f"{scale.url} {scale.width}w" for scale in srcset if scale is not None),
        "width": great.width if great is not None else width,
        "height": great.height if great is not None else height,
        "alt": getattr(portal.aq_base, "key_visual_alt", None) or "",
        "focus": focus if focus in OBJECT_POSITION else "center",
        "position": OBJECT_POSITION.get(focus, "50% 50%"),
    }


class KeyVisualForm(form.EditForm):
    """サイト設定 → トップページのキービジュアル (permission Plone Site Setup: Site)."""

    fields = field.Fields(IKeyVisual)
    label = "トップページのキービジュアル"
    description = (
        "トップページの最初に表示する写真を差し替えます。画像がないときは、元のイラストを表示します。"
        "保存すると、公開サイトのトップページにもすぐに反映されます。"
    )
    successMessage = "キービジュアルを保存しました。"
    noChangesMessage = "変更はありません。"
    formErrorsMessage = "入力内容を確認してください。"

    def getContent(self):
        return api.portal.get()

    @button.buttonAndHandler("保存", name="save")
    def handle_save(self, action):
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        changed = self.applyChanges(data)
        if changed:
            logger.info("key visual of the top page changed by %s", api.user.get_current().getId())
        api.portal.show_message(self.successMessage if changed else self.noChangesMessage, self.request)
        self.request.response.redirect(f"{api.portal.get().absolute_url()}/@@saiyo-key-visual")

    @button.buttonAndHandler("キャンセル", name="cancel")
    def handle_cancel(self, action):
        self.request.response.redirect(f"{api.portal.get().absolute_url()}/@@overview-controlpanel")
