"""HTTPS requests to a deployment on loopback, as if to its real host names.

nginx answers ``saiyo.pref.kagoshima.jp`` and ``edit.saiyo.pref.kagoshima.jp``; on the
test machine those names resolve nowhere, so the connection goes to 127.0.0.1 with the
name in SNI and Host, from a chosen loopback source address (127.0.0.2 … stand in for
visitors that are not the prefecture's proxy). Used by the deployment tests, the
benchmark and the monitoring check.
"""

from __future__ import annotations

from dataclasses import dataclass

import http.client
import socket
import ssl


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _Connection(http.client.HTTPSConnection):
    def __init__(self, address, port, server_name, source, timeout, tls):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if tls:
            super().__init__(address, port, context=context, timeout=timeout, source_address=(source, 0))
        else:
            http.client.HTTPConnection.__init__(
                self, address, port, timeout=timeout, source_address=(source, 0)
            )
        self._server_name = server_name
        self._tls = tls

    def connect(self):
        sock = socket.create_connection((self.host, self.port), self.timeout, self.source_address)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._server_name) if self._tls else sock


def request(
    port: int,
    host: str,
    path: str = "/",
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
    source: str = "127.0.0.1",
    address: str = "127.0.0.1",
    tls: bool = True,
    timeout: float = 30,
) -> Reply:
    connection = _Connection(address, port, host, source, timeout, tls)
    try:
        connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()
