"""Registry schema of the hardening and audit settings (prefix ``kagoshima.saiyo.security``)."""

from kagoshima.saiyo.accessibility.interfaces import IAccessibilitySettings
from zope import schema


DEFAULT_UPLOAD_EXTENSIONS = [
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    # video and audio (media/): MP4 and MP3, and their WebVTT captions
    "mp4",
    "mp3",
    "vtt",
]

# The default of profile versions up to 1013; the 1014 upgrade replaces it when unchanged.
PREVIOUS_CSP = (
    "default-src 'self'; "
    "script-src 'self' https://www.googletagmanager.com; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https://www.google-analytics.com https://www.googletagmanager.com; "
    "font-src 'self' data:; "
    "connect-src 'self' https://*.google-analytics.com https://*.analytics.google.com; "
    "frame-src 'self' https://www.youtube-nocookie.com https://www.youtube.com; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
# Videos: files from the site itself (media-src), YouTube only through its privacy-enhanced
# player (frame-src youtube-nocookie; media/views.py embeds no other address).
DEFAULT_CSP = (
    "default-src 'self'; "
    "script-src 'self' https://www.googletagmanager.com; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https://www.google-analytics.com https://www.googletagmanager.com; "
    "font-src 'self' data:; "
    "connect-src 'self' https://*.google-analytics.com https://*.analytics.google.com; "
    "media-src 'self'; "
    "frame-src 'self' https://www.youtube-nocookie.com; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


class ISecuritySettings(IAccessibilitySettings):
    """サイトの安全対策の設定。"""

    # a11y_blocking_checks comes from IAccessibilitySettings (its owner).

    lockout_attempts = schema.Int(
        title="ロックするまでのログイン失敗回数",
        description="同じログイン名で続けてこの回数失敗すると、一定時間ログインできなくなります。",
        default=5,
        min=1,
    )
    lockout_window_minutes = schema.Int(
        title="失敗回数を数える期間（分）",
        default=15,
        min=1,
    )
    lockout_minutes = schema.Int(
        title="ロックする時間（分）",
        default=30,
        min=1,
    )
    password_min_length = schema.Int(
        title="パスワードの最小文字数",
        default=12,
        min=12,
    )
    trusted_proxies = schema.List(
        title="信頼するリバースプロキシの IP アドレス",
        description="この送信元からの要求に限り、X-Forwarded-For の値を利用者の IP アドレスとして記録します。",
        value_type=schema.TextLine(),
        default=["127.0.0.1", "::1"],
        required=False,
    )
    upload_extensions = schema.List(
        title="アップロードできるファイルの拡張子",
        value_type=schema.TextLine(),
        default=list(DEFAULT_UPLOAD_EXTENSIONS),
    )
    upload_max_mb = schema.Int(
        title="アップロードできるファイルの最大サイズ（MB）",
        default=20,
        min=1,
    )
    content_security_policy = schema.Text(
        title="Content-Security-Policy",
        description="すべての応答に付ける Content-Security-Policy ヘッダーの値。",
        default=DEFAULT_CSP,
    )
    session_timeout_minutes = schema.Int(
        title="操作がないときにログインが切れるまでの時間（分）",
        description="ログインしたまま、この時間ページを開かないとログインが切れます。",
        default=120,
        min=10,
        max=1440,
    )
    audit_retention_days = schema.Int(
        title="操作履歴の保存期間（日）",
        description=(
            "これより古い操作履歴は、1 日に 1 回自動的に削除します。0 にすると削除しません。"
            "30 日より短い値は 30 日として扱います（ログイン失敗の回数とアカウントのロックは履歴から数えます）。"
        ),
        default=1095,
        min=0,
    )
