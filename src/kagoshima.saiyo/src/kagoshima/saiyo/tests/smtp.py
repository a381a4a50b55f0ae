"""A real SMTP server for the tests: aiosmtpd on a free loopback port, keeping what it receives.

Used by the add-on's workflow tests and by the project's tests (tests/e2e), which point the
site's MailHost at it (``smtp_host`` / ``smtp_port``).
"""

from aiosmtpd.controller import Controller
from email import message_from_bytes
from email import policy

import socket
import threading
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """``with SmtpSink() as sink: ... sink.wait_for(1)`` -> [{"to", "from", "subject", "body"}]."""

    host = "127.0.0.1"

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname=self.host, port=self.port)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        body = message.get_body(("plain",))
        with self._lock:
            self.messages.append(
                {
                    "to": sorted(envelope.rcpt_tos),
                    "from": str(message["From"]),
                    "subject": str(message["Subject"]),
                    "body": body.get_content() if body is not None else "",
                }
            )
        return "250 Message accepted for delivery"

    def clear(self):
        with self._lock:
            self.messages.clear()

    def wait_for(self, count: int, timeout: float = 10) -> list:
        """The messages once at least ``count`` arrived (fewer when ``timeout`` runs out)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self._lock:
            return list(self.messages)
