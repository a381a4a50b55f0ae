"""Uploads: an allow-list of file types, a size limit, SVG refused.

``problem(filename, data)`` says in Japanese what is wrong with an upload, or None. It
is asked twice: by the edit forms' validator (the message appears beside the field) and
by a subscriber on every added or modified item with file or image fields, which refuses
uploads that come another way (REST API, the folder-contents and TinyMCE upload).
The type is judged by the extension (registry ``upload_extensions``) and by the file's
first bytes, so a renamed HTML or SVG file does not pass as a PDF or an image. A file that
passes is then scanned for viruses when the server sets a scanner command (``scanner.py``).
"""

from kagoshima.saiyo.interfaces import IKagoshimaSaiyoLayer
from kagoshima.saiyo.security import scanner
from kagoshima.saiyo.security.settings import setting
from plone.formwidget.namedfile.validator import NamedFileWidgetValidator
from plone.namedfile.interfaces import INamed
from plone.namedfile.interfaces import INamedField
from z3c.form import validator as z3c_validator
from zExceptions import BadRequest
from zope.interface import Invalid

import logging


logger = logging.getLogger("kagoshima.saiyo.security")

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "doc": OLE,
    "xls": OLE,
    "ppt": OLE,
    # media/: MP3 with an ID3 tag or an MPEG audio frame; WebVTT captions (a BOM allowed)
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "vtt": (b"WEBVTT", b"\xef\xbb\xbfWEBVTT"),
}
SVG_MESSAGE = "SVG 画像はアップロードできません（スクリプトを含められるため）。PNG か JPEG に変換してからアップロードしてください。"
TYPE_MESSAGE = "「{name}」はアップロードできない種類のファイルです。アップロードできるのは {allowed} です。"
MISMATCH_MESSAGE = "「{name}」の中身が拡張子（.{ext}）と一致しません。正しいファイルか確かめてください。"
SIZE_MESSAGE = "「{name}」は大きすぎます（{size:.1f} MB）。{limit} MB 以下のファイルにしてください。"


def extension(filename) -> str:
    name = (filename or "").strip().lower()
    return name.rsplit(".", 1)[1] if "." in name else ""


def looks_like_svg(head: bytes) -> bool:
    text = head[:2048].lstrip().lower()
    return text.startswith(b"<?xml") and b"<svg" in text or text.startswith(b"<svg")


def problem(filename, data: bytes, size: int | None = None) -> str | None:
    name = filename or "（名前のないファイル）"
    ext = extension(filename)
    head = bytes(data[:4096]) if data else b""
    if ext == "svg" or ext == "svgz" or looks_like_svg(head):
        return SVG_MESSAGE
    allowed = [item.strip().lower().lstrip(".") for item in setting("upload_extensions") or []]
    if ext not in allowed:
        return TYPE_MESSAGE.format(name=name, allowed="、".join(f".{item}" for item in allowed))
    signatures = MAGIC.get(ext)
    if signatures and head and not head.startswith(signatures):
        return MISMATCH_MESSAGE.format(name=name, ext=ext)
    if ext == "webp" and head and head[8:12] != b"WEBP":
        return MISMATCH_MESSAGE.format(name=name, ext=ext)
    if ext == "mp4" and head and head[4:8] != b"ftyp":  # an ISO media file starts with its ftyp box
        return MISMATCH_MESSAGE.format(name=name, ext=ext)
    limit = setting("upload_max_mb")
    size = size if size is not None else len(data or b"")
    if size > limit * 1024 * 1024:
        return SIZE_MESSAGE.format(name=name, size=size / 1024 / 1024, limit=limit)
    return None


def problem_of_named(value) -> str | None:
    """The problem of a plone.namedfile value (NamedBlobFile, NamedBlobImage…), or None."""
    if value is None or not INamed.providedBy(value):
        return None
    data = value.data if value.getSize() <= 4096 else _head(value)
    return problem(value.filename, data, value.getSize())


def _head(value) -> bytes:
    blob = getattr(value, "_blob", None)
    if blob is not None:
        try:
            with blob.open("r") as stream:
                return stream.read(4096)
        except Exception:
            logger.debug("could not open the blob of %s", value.filename, exc_info=True)
    return bytes(value.data[:4096])


def named_values(obj):
    """(field name, value) of every file or image field of a Dexterity item."""
    from plone.dexterity.utils import iterSchemata
    from plone.namedfile.interfaces import INamedField
    from zope.schema import getFieldsInOrder

    for schema in iterSchemata(obj):
        adapted = schema(obj, None)
        if adapted is None:
            continue
        for name, field in getFieldsInOrder(schema):
            if INamedField.providedBy(field):
                value = getattr(adapted, name, None)
                if value is not None:
                    yield name, value


def check_item(obj, event=None):
    """Subscriber: refuse an item whose files break the rules (the transaction is aborted)."""
    try:
        values = list(named_values(obj))
    except TypeError:
        return
    for name, value in values:
        message = problem_of_named(value) or scanner.problem_of_scan(value)
        if message:
            logger.warning(
                "refused the upload %r in field %s: %s", getattr(value, "filename", None), name, message
            )
            raise BadRequest(message)


# Edit forms: the message beside the field ---------------------------------------------


class UploadValidator(NamedFileWidgetValidator):
    """Plone's own file-widget validator, plus the upload rules (only on this site's layer)."""

    def validate(self, value, force=False):
        super().validate(value, force)
        if INamed.providedBy(value):
            message = problem_of_named(value) or scanner.problem_of_scan(value)
            if message:
                raise Invalid(message)


z3c_validator.WidgetValidatorDiscriminators(UploadValidator, field=INamedField, request=IKagoshimaSaiyoLayer)
