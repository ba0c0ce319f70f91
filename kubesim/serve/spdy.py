"""SPDY/3.1 framing, as moby/spdystream (which client-go's port-forward uses) reads and writes
it: control frames (SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS,
WINDOW_UPDATE) and data frames, with header blocks compressed by one zlib stream per direction
seeded with the protocol's dictionary (SPDY draft 3, section 2.6.10.1).

kubectl port-forward tunnels this byte stream inside a WebSocket (subprotocol
`SPDY/3.1+portforward.k8s.io`); message boundaries there mean nothing, so `Reader` takes bytes
as they come and yields whole frames.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

VERSION = 3
SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS = 1, 2, 3, 4
PING, GOAWAY, HEADERS, WINDOW_UPDATE = 6, 7, 8, 9
FLAG_FIN = 0x01
MAX_FRAME = 1 << 24  # a frame's length field is 24 bits
PROTOCOL_ERROR, CANCEL = 1, 5  # RST_STREAM status codes

# the header compression dictionary of SPDY/3: the names and values below, each preceded by
# its length as four bytes, then the common fragments as they are
_DICTIONARY_WORDS = (
    "options head post put delete trace accept accept-charset accept-encoding accept-language "
    "accept-ranges age allow authorization cache-control connection content-base "
    "content-encoding content-language content-length content-location content-md5 "
    "content-range content-type date etag expect expires from host if-match "
    "if-modified-since if-none-match if-range if-unmodified-since last-modified location "
    "max-forwards pragma proxy-authenticate proxy-authorization range referer retry-after "
    "server te trailer transfer-encoding upgrade user-agent vary via warning "
    "www-authenticate method get status 200|OK version HTTP/1.1 url public set-cookie "
    "keep-alive origin"
)
_DICTIONARY_TAIL = (
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
    "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 "
    "Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 "
    "Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, "
    "Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,"
    "application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age="
    "gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0."
)


def _dictionary() -> bytes:
    words = [w.replace("|", " ") for w in _DICTIONARY_WORDS.split()]
    return b"".join(struct.pack("!I", len(w)) + w.encode() for w in words) + (
        _DICTIONARY_TAIL.encode()
    )


DICTIONARY = _dictionary()
Headers = dict[str, str]


@dataclass
class Frame:
    """One frame: `kind` is a control frame type, or 0 for data."""

    kind: int
    stream_id: int = 0
    flags: int = 0
    data: bytes = b""
    headers: Headers = field(default_factory=dict)
    value: int = 0  # a PING's id, an RST_STREAM's or GOAWAY's status

    @property
    def fin(self) -> bool:
        return bool(self.flags & FLAG_FIN)


class ProtocolError(Exception):
    """The stream is not SPDY/3 as spdystream writes it."""


class Reader:
    """Frames from the bytes received so far (one header decompressor for the session)."""

    def __init__(self) -> None:
        self.buffer = b""
        self.inflater = zlib.decompressobj(zdict=DICTIONARY)

    def feed(self, data: bytes) -> list[Frame]:
        self.buffer += data
        frames = []
        while len(self.buffer) >= 8:
            length = int.from_bytes(self.buffer[5:8], "big")
            if len(self.buffer) < 8 + length:
                break
            head, body = self.buffer[:8], self.buffer[8 : 8 + length]
            self.buffer = self.buffer[8 + length :]
            frames.append(self._frame(head, body))
        return frames

    def _frame(self, head: bytes, body: bytes) -> Frame:
        flags = head[4]
        if not head[0] & 0x80:
            stream_id = struct.unpack("!I", head[:4])[0] & 0x7FFFFFFF
            return Frame(0, stream_id, flags, body)
        version, kind = struct.unpack("!HH", head[:4])
        if version & 0x7FFF != VERSION:
            raise ProtocolError(f"unsupported SPDY version {version & 0x7FFF}")
        if kind == SYN_STREAM:
            stream_id = struct.unpack("!I", body[:4])[0] & 0x7FFFFFFF
            return Frame(kind, stream_id, flags, headers=self._headers(body[10:]))
        if kind in (SYN_REPLY, HEADERS):
            stream_id = struct.unpack("!I", body[:4])[0] & 0x7FFFFFFF
            return Frame(kind, stream_id, flags, headers=self._headers(body[4:]))
        if kind in (RST_STREAM, WINDOW_UPDATE):
            stream_id, value = struct.unpack("!II", body[:8])
            return Frame(kind, stream_id & 0x7FFFFFFF, flags, value=value)
        if kind == PING:
            return Frame(kind, flags=flags, value=struct.unpack("!I", body[:4])[0])
        if kind == GOAWAY:
            last, status = struct.unpack("!II", body[:8])
            return Frame(kind, last & 0x7FFFFFFF, flags, value=status)
        return Frame(kind, flags=flags, data=body)  # SETTINGS and the rest: not acted upon

    def _headers(self, block: bytes) -> Headers:
        try:
            raw = self.inflater.decompress(block)
        except zlib.error as err:
            raise ProtocolError(f"header block: {err}") from None
        count = struct.unpack("!I", raw[:4])[0]
        headers: Headers = {}
        at = 4
        for _ in range(count):
            size = struct.unpack("!I", raw[at : at + 4])[0]
            name = raw[at + 4 : at + 4 + size].decode("latin-1")
            at += 4 + size
            size = struct.unpack("!I", raw[at : at + 4])[0]
            headers[name] = raw[at + 4 : at + 4 + size].decode("latin-1")
            at += 4 + size
        return headers


class Writer:
    """Encodes the server's frames (one header compressor for the session)."""

    def __init__(self) -> None:
        self.deflater = zlib.compressobj(9, zdict=DICTIONARY)

    def syn_reply(self, stream_id: int, headers: Headers | None = None, fin: bool = False) -> bytes:
        block = self._headers(headers or {})
        return _control(SYN_REPLY, FLAG_FIN if fin else 0, struct.pack("!I", stream_id) + block)

    def data(self, stream_id: int, data: bytes, fin: bool = False) -> bytes:
        out = b""
        while True:  # at most 2^24 - 1 bytes a frame
            chunk, data = data[: MAX_FRAME - 1], data[MAX_FRAME - 1 :]
            last = not data
            flags = FLAG_FIN if (fin and last) else 0
            out += struct.pack("!IB", stream_id & 0x7FFFFFFF, flags)
            out += len(chunk).to_bytes(3, "big") + chunk
            if last:
                return out

    def rst_stream(self, stream_id: int, status: int) -> bytes:
        return _control(RST_STREAM, 0, struct.pack("!II", stream_id, status))

    def ping(self, ping_id: int) -> bytes:
        return _control(PING, 0, struct.pack("!I", ping_id))

    def goaway(self, last_stream: int, status: int = 0) -> bytes:
        return _control(GOAWAY, 0, struct.pack("!II", last_stream, status))

    def _headers(self, headers: Headers) -> bytes:
        raw = struct.pack("!I", len(headers))
        for name, value in headers.items():
            for text in (name.lower(), value):
                encoded = text.encode("latin-1")
                raw += struct.pack("!I", len(encoded)) + encoded
        return self.deflater.compress(raw) + self.deflater.flush(zlib.Z_SYNC_FLUSH)


def _control(kind: int, flags: int, body: bytes) -> bytes:
    return struct.pack("!HHB", 0x8000 | VERSION, kind, flags) + len(body).to_bytes(3, "big") + body
