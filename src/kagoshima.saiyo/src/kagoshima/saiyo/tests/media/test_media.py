"""Video and audio: the behaviour on File and Link, their views, the checks, uploads, CSP, upgrade."""

from kagoshima.saiyo.accessibility.checks import findings_of
from kagoshima.saiyo.accessibility.guard import AccessibilityBlocked
from kagoshima.saiyo.media.behavior import IMediaAlternatives
from kagoshima.saiyo.media.checks import youtube_id
from kagoshima.saiyo.security import uploads
from kagoshima.saiyo.security.interfaces import DEFAULT_CSP
from kagoshima.saiyo.security.interfaces import PREVIOUS_CSP
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from pathlib import Path
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile

import lxml.html
import unittest


DATA = Path(__file__).parents[2] / "demo" / "data" / "media"
MP4 = (DATA / "interview.mp4").read_bytes()
VTT = (DATA / "interview.ja.vtt").read_bytes()
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


class TestRules(unittest.TestCase):
    def test_youtube_addresses(self):
        for url in (
            YOUTUBE,
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        ):
            self.assertEqual(youtube_id(url), "dQw4w9WgXcQ", url)
        for url in (
            "https://www.youtube.com/channel/UC123",
            "https://example.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
            "https://youtu.be/short",
            None,
        ):
            self.assertIsNone(youtube_id(url), url)

    def test_media_uploads_allowed_and_disguises_refused(self):
        self.assertIsNone(uploads.problem("interview.mp4", MP4))
        self.assertIsNone(uploads.problem("voice.mp3", MP3))
        self.assertIsNone(uploads.problem("captions.vtt", VTT))
        self.assertIn("一致しません", uploads.problem("fake.mp4", b"<html><script>alert(1)</script></html>"))
        self.assertIn("一致しません", uploads.problem("fake.vtt", b"<script>alert(1)</script>"))
        self.assertIn("一致しません", uploads.problem("fake.mp3", b"MZ\x90\x00"))
        # other video formats stay outside the allow-list
        self.assertIn("アップロードできない種類", uploads.problem("clip.mov", MP4))

    def test_policy_admits_only_youtube_nocookie_frames_and_own_media(self):
        directives = dict(part.strip().split(" ", 1) for part in DEFAULT_CSP.split(";"))
        self.assertEqual(directives["frame-src"], "'self' https://www.youtube-nocookie.com")
        self.assertEqual(directives["media-src"], "'self'")


class MediaTestCase(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])

    def video(self, **fields):
        return api.content.create(
            self.portal,
            "File",
            title="職員インタビュー",
            file=NamedBlobFile(MP4, contentType="video/mp4", filename="interview.mp4"),
            **fields,
        )

    def render(self, obj, view):
        return lxml.html.fromstring(obj.restrictedTraverse(view)())


class TestViews(MediaTestCase):
    def test_file_and_link_have_the_behaviour(self):
        video = self.video()
        link = api.content.create(self.portal, "Link", title="動画", remoteUrl=YOUTUBE)
        self.assertTrue(IMediaAlternatives.providedBy(video))
        self.assertTrue(IMediaAlternatives.providedBy(link))

    def test_video_player_with_captions_and_transcript(self):
        video = self.video(
            captions=NamedBlobFile(VTT, contentType="text/vtt", filename="interview.ja.vtt"),
            transcript="土木職の西田です。\n\n鹿児島の暮らしを支える仕事です。",
        )
        page = self.render(video, "file_view")
        (player,) = page.cssselect(".saiyo-media__frame video")
        self.assertIsNotNone(player.get("controls"))
        self.assertIsNone(player.get("autoplay"))
        self.assertEqual(player.get("preload"), "metadata")
        (track,) = player.cssselect("track")
        self.assertEqual((track.get("kind"), track.get("srclang")), ("captions", "ja"))
        self.assertTrue(track.get("src").endswith("/@@download/captions/interview.ja.vtt"))
        self.assertTrue(player.cssselect("source")[0].get("src").endswith("/@@download/file/interview.mp4"))
        transcript = [p.text_content() for p in page.cssselect(".saiyo-transcript p")]
        self.assertEqual(transcript, ["土木職の西田です。", "鹿児島の暮らしを支える仕事です。"])
        self.assertIn("media.css", page.cssselect('link[href*="kagoshima.saiyo.media"]')[0].get("href"))

    def test_audio_player(self):
        audio = api.content.create(
            self.portal,
            "File",
            title="ラジオ番組",
            file=NamedBlobFile(MP3, contentType="audio/mpeg", filename="voice.mp3"),
            transcript="こんにちは。",
        )
        page = self.render(audio, "file_view")
        self.assertEqual(len(page.cssselect(".saiyo-media__player--audio audio[controls]")), 1)
        self.assertEqual(page.cssselect("video"), [])

    def test_other_files_keep_plones_view(self):
        pdf = api.content.create(
            self.portal,
            "File",
            title="受験案内",
            file=NamedBlobFile(b"%PDF-1.4\n%%EOF\n", contentType="application/pdf", filename="guide.pdf"),
        )
        page = self.render(pdf, "file_view")
        self.assertEqual(page.cssselect(".saiyo-media"), [])
        self.assertEqual(len(page.cssselect("a.download")), 1)

    def test_youtube_link_is_a_page_with_the_privacy_enhanced_player(self):
        link = api.content.create(
            self.portal, "Link", title="説明会の動画", remoteUrl=YOUTUBE, transcript="説明会の様子です。"
        )
        page = self.render(link, "link_redirect_view")
        (frame,) = page.cssselect(".saiyo-media__frame iframe")
        self.assertTrue(frame.get("src").startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?"))
        self.assertNotIn("autoplay", frame.get("src"))
        self.assertNotIn("cc_load_policy", frame.get("src"))
        self.assertIn("説明会の動画", frame.get("title"))
        link.captions_on_service = True
        frame = self.render(link, "link_redirect_view").cssselect("iframe")[0]
        self.assertIn("cc_load_policy=1", frame.get("src"))

    def test_other_links_still_redirect(self):
        link = api.content.create(
            self.portal, "Link", title="県庁", remoteUrl="https://www.pref.kagoshima.jp/"
        )
        view = link.restrictedTraverse("link_redirect_view")
        self.assertIsNone(view.kind)
        # an editor (who may modify the link) sees Plone's link page, not the player
        self.assertNotIn("saiyo-media", view())


class TestChecks(MediaTestCase):
    def checks(self, obj):
        return [item["check"] for item in findings_of(obj)]

    def test_video_needs_captions_and_transcript(self):
        self.assertEqual(self.checks(self.video()), ["media-captions", "media-transcript"])
        captioned = self.video(captions=NamedBlobFile(VTT, contentType="text/vtt", filename="c.vtt"))
        self.assertEqual(self.checks(captioned), ["media-transcript"])
        captioned.transcript = "文字起こし"
        self.assertEqual(self.checks(captioned), [])

    def test_audio_needs_a_transcript_only(self):
        audio = api.content.create(
            self.portal,
            "File",
            title="音声",
            file=NamedBlobFile(MP3, contentType="audio/mpeg", filename="a.mp3"),
        )
        self.assertEqual(self.checks(audio), ["media-transcript"])

    def test_youtube_captions_on_the_service_count(self):
        link = api.content.create(self.portal, "Link", title="動画", remoteUrl=YOUTUBE, transcript="あ")
        self.assertEqual(self.checks(link), ["media-captions"])
        link.captions_on_service = True
        self.assertEqual(self.checks(link), [])
        other = api.content.create(
            self.portal, "Link", title="県庁", remoteUrl="https://www.pref.kagoshima.jp/"
        )
        self.assertEqual(self.checks(other), [])

    def test_video_without_captions_cannot_be_submitted(self):
        video = self.video(transcript="文字起こし")
        with self.assertRaises(AccessibilityBlocked) as raised:
            api.portal.get_tool("portal_workflow").doActionFor(video, "submit")
        self.assertIn("動画の字幕", str(raised.exception))
        video.captions = NamedBlobFile(VTT, contentType="text/vtt", filename="c.vtt")
        api.content.transition(video, transition="submit")
        self.assertEqual(api.content.get_state(video), "pending")

    def test_editor_sees_the_finding_on_the_page(self):
        html = self.video().restrictedTraverse("file_view")()
        self.assertIn("動画の字幕", html)


class TestUpgrade(MediaTestCase):
    def test_upgrade_1014(self):
        from kagoshima.saiyo.upgrades.v20261203014 import upgrade

        types = api.portal.get_tool("portal_types")
        for name in ("File", "Link"):
            types[name].behaviors = tuple(b for b in types[name].behaviors if b != "kagoshima.saiyo.media")
        prefix = "kagoshima.saiyo.security."
        api.portal.set_registry_record(prefix + "upload_extensions", ["pdf", "png"])
        api.portal.set_registry_record(prefix + "content_security_policy", PREVIOUS_CSP)
        api.portal.set_registry_record(
            prefix + "a11y_blocking_checks", ["img-alt", "table-header", "link-text"]
        )
        api.portal.set_registry_record("plone.allowed_types", ("text/html", "text/x-web-textile"))
        upgrade()
        self.assertEqual(api.portal.get_registry_record("plone.allowed_types"), ("text/html",))
        for name in ("File", "Link"):
            self.assertIn("kagoshima.saiyo.media", types[name].behaviors)
        self.assertEqual(
            api.portal.get_registry_record(prefix + "upload_extensions"), ["pdf", "png", "mp4", "mp3", "vtt"]
        )
        self.assertEqual(api.portal.get_registry_record(prefix + "content_security_policy"), DEFAULT_CSP)
        self.assertIn("media-captions", api.portal.get_registry_record(prefix + "a11y_blocking_checks"))
        # an administrator's own policy is kept
        api.portal.set_registry_record(prefix + "content_security_policy", "default-src 'self'")
        upgrade()
        self.assertEqual(
            api.portal.get_registry_record(prefix + "content_security_policy"), "default-src 'self'"
        )
