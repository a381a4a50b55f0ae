"""The behaviour ``kagoshima.saiyo.media``: poster, captions and transcript of a video or audio."""

from plone.autoform.interfaces import IFormFieldProvider
from plone.namedfile.field import NamedBlobFile
from plone.namedfile.field import NamedBlobImage
from plone.supermodel import model
from zope import schema
from zope.interface import provider


@provider(IFormFieldProvider)
class IMediaAlternatives(model.Schema):
    """字幕・文字起こし: what every video and audio on the site comes with."""

    model.fieldset(
        "media",
        label="動画・音声",
        fields=["poster", "captions", "captions_on_service", "transcript"],
    )

    poster = NamedBlobImage(
        title="ポスター画像",
        description="動画を再生する前に表示する画像（JPEG か PNG）。動画の内容が分かる1場面を選んでください。",
        required=False,
    )
    captions = NamedBlobFile(
        title="字幕ファイル（WebVTT）",
        description="話している言葉と効果音を書いた字幕（拡張子 .vtt）。音声を含む動画には必須です。",
        required=False,
    )
    captions_on_service = schema.Bool(
        title="YouTube に字幕を登録済み",
        description="YouTube の動画で、日本語の字幕を YouTube 側に登録しているときに選んでください（最初から字幕を表示します）。",
        required=False,
        default=False,
    )
    transcript = schema.Text(
        title="文字起こし",
        description="話している言葉・効果音・画面に出る文字を文章にしたもの。動画・音声の下と印刷に表示します。音声だけのファイルにも必須です。",
        required=False,
    )
