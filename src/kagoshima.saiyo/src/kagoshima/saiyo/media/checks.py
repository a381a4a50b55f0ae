"""What a video or audio item is, and what it lacks for WCAG 1.2.x.

- ``media_kind(obj)``: "video" or "audio" (an uploaded File by its MIME type), "youtube"
  (a Link to a YouTube video), or None for anything else;
- ``youtube_id(url)``: the 11-character video id of any YouTube address, or None;
- ``media_findings(obj)``: (check, message) pairs — ``media-captions`` for a video without
  captions (1.2.2), ``media-transcript`` for a video or audio without a transcript (1.2.1, 1.2.3).
"""

from urllib.parse import parse_qs
from urllib.parse import urlparse

import re


VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "www.youtube-nocookie.com",
    "youtube-nocookie.com",
}
EMBED = "https://www.youtube-nocookie.com/embed/{id}"
CAPTIONS_MESSAGE = (
    "動画に字幕がありません。話している言葉と効果音の字幕（WebVTT の .vtt ファイル）を「動画・音声」の"
    "「字幕ファイル」に登録してください（YouTube の動画は YouTube に字幕を登録し、「YouTube に字幕を登録済み」を選ぶ）。"
)
TRANSCRIPT_MESSAGE = "{what}に文字起こしがありません。話している言葉と効果音を「動画・音声」の「文字起こし」に入力してください。"


def youtube_id(url) -> str | None:
    """The video id of watch?v=, youtu.be/, /embed/, /shorts/ and /live/ addresses."""
    try:
        parts = urlparse((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in YOUTUBE_HOSTS:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.hostname == "youtu.be":
        candidate = segments[0] if segments else ""
    elif segments[:1] == ["watch"]:
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
    elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
        candidate = segments[1]
    else:
        return None
    return candidate if VIDEO_ID.match(candidate) else None


def media_kind(obj) -> str | None:
    portal_type = getattr(obj, "portal_type", None)
    if portal_type == "File":
        file = getattr(obj, "file", None)
        content_type = (getattr(file, "contentType", "") or "").lower()
        if content_type.startswith("video/"):
            return "video"
        if content_type.startswith("audio/"):
            return "audio"
        return None
    if portal_type == "Link" and youtube_id(getattr(obj, "remoteUrl", None)):
        return "youtube"
    return None


def has_captions(obj) -> bool:
    captions = getattr(obj, "captions", None)
    if captions is not None and captions.getSize():
        return True
    return media_kind(obj) == "youtube" and bool(getattr(obj, "captions_on_service", False))


def media_findings(obj) -> list[tuple[str, str]]:
    kind = media_kind(obj)
    if kind is None:
        return []
    result = []
    if kind in ("video", "youtube") and not has_captions(obj):
        result.append(("media-captions", CAPTIONS_MESSAGE))
    if not (getattr(obj, "transcript", None) or "").strip():
        result.append(
            ("media-transcript", TRANSCRIPT_MESSAGE.format(what="音声" if kind == "audio" else "動画"))
        )
    return result
