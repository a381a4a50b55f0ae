"""Every file the site hands out as a download goes through ``send_download``.

Staff download CSV and xlsx files (操作履歴, アクセス集計, 回答できなかった質問) on office PCs and
through the prefecture's virtual browser, which passes the file on to the PC: the Japanese file
name has to survive. ``Content-Disposition`` is written as RFC 6266 says, with an ASCII
``filename`` for old clients and the real name as ``filename*=UTF-8''…`` (RFC 5987/8187
percent-encoding, which browsers prefer when both are there). The content type is set
explicitly and ``X-Content-Type-Options: nosniff`` keeps browsers from guessing another.
"""

from urllib.parse import quote

import re
import unicodedata


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS = "text/calendar; charset=utf-8"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_fallback(filename: str) -> str:
    """``filename`` with only safe ASCII (full-width letters folded, the rest dropped).

    Keeps the extension; a name of nothing but Japanese becomes ``download.<ext>``.
    """
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    folded = unicodedata.normalize("NFKC", stem).encode("ascii", "ignore").decode()
    folded = _UNSAFE.sub("_", folded).strip("._-")
    folded = re.sub(r"_+", "_", folded) or "download"
    extension = _UNSAFE.sub("", unicodedata.normalize("NFKC", extension))
    return f"{folded}.{extension}" if extension else folded


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """The RFC 6266 header value: ASCII fallback plus the UTF-8 name (RFC 5987)."""
    filename = filename.replace("/", "_").replace("\\", "_")
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"


def send_download(
    request,
    data: bytes,
    filename: str,
    content_type: str,
    disposition: str = "attachment",
    cache_control: str = "no-store",
) -> bytes:
    """Set the download headers on ``request.response``; return the body for the view to return."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    response = request.response
    response.setHeader("Content-Type", content_type)
    response.setHeader("Content-Disposition", content_disposition(filename, disposition))
    response.setHeader("Content-Length", str(len(data)))
    response.setHeader("X-Content-Type-Options", "nosniff")
    response.setHeader("Cache-Control", cache_control)
    return data
