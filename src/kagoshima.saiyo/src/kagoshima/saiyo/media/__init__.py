"""Video and audio: Plone's own File (MP4/MP3) and Link (YouTube) with a behaviour.

Why a behaviour on File and Link rather than a content type of our own: an uploaded MP4 or
MP3 *is* a file (download, size, the upload allow-list and the REST API all work as for a
PDF) and a YouTube video *is* a link to somewhere else; what the site adds is the same for
both — a poster image, captions (WebVTT) and a transcript (文字起こし) — so one behaviour
(``kagoshima.saiyo.media``) carries them, and the two display views are replaced on this
site's layer (views.py):

- ``file_view`` plays a video or audio file in a responsive 16:9 player with ``controls``,
  ``preload="metadata"``, the poster and a ``<track kind="captions">``; never ``autoplay``;
- ``link_redirect_view`` shows a YouTube link as a page with the privacy-enhanced player
  (``www.youtube-nocookie.com``, the only frame source the Content-Security-Policy admits)
  instead of sending the visitor away; every other link behaves as in Plone.

Both print the transcript and the address of the video instead of the player.
``media_findings`` (checks.py) is the editor's accessibility check for them (WCAG 1.2.x).
"""
