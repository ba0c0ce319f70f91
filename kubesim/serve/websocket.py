"""WebSocket (RFC 6455), the server side, over a connection a request handler took over.

kubectl's exec, attach and port-forward and the Python client's streams speak it: binary
messages only (text is read the same way), pings answered at once (kubectl pings every five
seconds and gives up after a minute without a pong), the close handshake both ways. Writes
may come from several threads (a command's output, the pong); each frame is written whole.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import threading
from typing import Any

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
NORMAL_CLOSURE = 1000
MAX_MESSAGE = 16 * 1024 * 1024  # a client's message larger than this ends the connection


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a handshake's Sec-WebSocket-Key."""
    digest = hashlib.sha1((key + GUID).encode("ascii")).digest()  # noqa: S324 - the protocol's
    return base64.b64encode(digest).decode("ascii")


def offered_protocols(header: str) -> list[str]:
    """The subprotocols of Sec-WebSocket-Protocol (one header or several, comma-separated)."""
    return [p.strip() for p in header.split(",") if p.strip()]


class Closed(Exception):
    """Raised on a write once the connection is gone."""


class WebSocket:
    """One accepted WebSocket: `receive` the client's messages, `send` binary ones."""

    def __init__(self, reader: Any, writer: Any) -> None:
        self.reader = reader
        self.writer = writer
        self.lock = threading.Lock()
        self.closed = False

    # --- writing -------------------------------------------------------------------------

    def send(self, data: bytes, opcode: int = BINARY) -> None:
        """Write one message (unmasked, as a server does); Closed if the peer is gone."""
        length = len(data)
        if length < 126:
            head = struct.pack("!BB", 0x80 | opcode, length)
        elif length < 1 << 16:
            head = struct.pack("!BBH", 0x80 | opcode, 126, length)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, length)
        with self.lock:
            if self.closed and opcode != CLOSE:
                raise Closed()
            try:
                self.writer.write(head + data)
                self.writer.flush()
            except (OSError, ValueError):
                self.closed = True
                raise Closed() from None

    def close(self, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        """Send the close frame (once); the caller then stops reading and drops the socket."""
        if self.closed:
            return
        try:
            self.send(struct.pack("!H", code) + reason.encode()[:120], CLOSE)
        except Closed:
            pass
        self.closed = True

    # --- reading -------------------------------------------------------------------------

    def receive(self) -> bytes | None:
        """The next data message, None once the client closed (or the connection broke).
        Pings are answered here; control frames never reach the caller."""
        message = b""
        while True:
            frame = self._frame()
            if frame is None:
                self.closed = True
                return None
            fin, opcode, payload = frame
            if opcode == PING:
                try:
                    self.send(payload, PONG)
                except Closed:
                    return None
                continue
            if opcode == PONG:
                continue
            if opcode == CLOSE:
                code = payload[:2] if len(payload) >= 2 else struct.pack("!H", NORMAL_CLOSURE)
                self.close(struct.unpack("!H", code)[0] if code else NORMAL_CLOSURE)
                return None
            if opcode not in (CONTINUATION, TEXT, BINARY):
                self.close(1002)  # protocol error
                return None
            message += payload
            if len(message) > MAX_MESSAGE:
                self.close(1009)  # message too big
                return None
            if fin:
                return message

    def _frame(self) -> tuple[bool, int, bytes] | None:
        head = self._read(2)
        if head is None:
            return None
        first, second = head[0], head[1]
        length = second & 0x7F
        if length == 126:
            more = self._read(2)
            if more is None:
                return None
            length = struct.unpack("!H", more)[0]
        elif length == 127:
            more = self._read(8)
            if more is None:
                return None
            length = struct.unpack("!Q", more)[0]
        if length > MAX_MESSAGE:
            return None
        mask = self._read(4) if second & 0x80 else b""
        if mask is None:
            return None
        payload = self._read(length) if length else b""
        if payload is None:
            return None
        if mask:
            payload = _unmask(payload, mask)
        return bool(first & 0x80), first & 0x0F, payload

    def _read(self, count: int) -> bytes | None:
        try:
            data = self.reader.read(count)
        except (OSError, ValueError):
            return None
        if data is None or len(data) < count:
            return None
        return bytes(data)


def _unmask(payload: bytes, mask: bytes) -> bytes:
    """XOR with the 4-byte key, a machine word at a time."""
    repeated = (mask * (len(payload) // 4 + 1))[: len(payload)]
    value = int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")
    return value.to_bytes(len(payload), "big")
