"""A forgiving reader for the language server's stdin: it re-frames JSON-RPC messages before
pygls sees them.

pygls trusts Content-Length exactly: a header a few bytes short or long leaves the stream out of
step for every later message, and a huge one (99999999999999) makes it try to read that much and
exit. Here each body is checked: when the declared length cuts the JSON short, bytes are added
until it parses; when it runs into the next header, the surplus is pushed back; a length over
MAX_LSP_MESSAGE is refused and the stream skipped to the next header. pygls then reads clean
`Content-Length` frames from this object (it only calls `readline` and `read`).
"""

from __future__ import annotations

import json
import logging
import re
from typing import BinaryIO

from drafter.core.limits import MAX_LSP_MESSAGE

log = logging.getLogger(__name__)

_LENGTH = re.compile(rb"Content-Length:[ \t]*(\d{1,20})", re.I)
_MAX_LINE = 64 * 1024
_MAX_EXTRA = 64 * 1024  # bytes added to a body whose Content-Length was too short


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


class FramedStdin:
    """`readline` and `read` over clean frames built from a possibly sloppy byte stream."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self._pushback = b""
        self._clean = b""

    # -- the raw stream, with pushback ---------------------------------------------------

    def _raw_readline(self) -> bytes:
        if self._pushback:
            nl = self._pushback.find(b"\n")
            if nl >= 0:
                line, self._pushback = self._pushback[: nl + 1], self._pushback[nl + 1 :]
                return line
            line, self._pushback = self._pushback, b""
            return line + self.raw.readline(_MAX_LINE)
        return self.raw.readline(_MAX_LINE)

    def _raw_read(self, n: int, *, body: bool = False) -> bytes:
        """Up to `n` bytes; for a body, stop early once it is whole JSON, so a Content-Length
        that is too long does not wait for bytes the client will only send after our reply."""
        out = self._pushback[:n]
        self._pushback = self._pushback[n:]
        read1 = getattr(self.raw, "read1", self.raw.read)
        while len(out) < n:
            if body and out.rstrip().endswith(b"}") and _is_json(out):
                break
            chunk = read1(n - len(out))
            if not chunk:
                break
            out += chunk
        return out

    # -- one message -----------------------------------------------------------------------

    def _next_frame(self) -> bytes:
        """The next message as a clean frame, or b"" at the end of input."""
        while True:
            length: int | None = None
            while True:
                line = self._raw_readline()
                if not line:
                    return b""
                match = _LENGTH.search(line)
                if match:
                    length = int(match.group(1))
                elif not line.strip(b"\r\n") and length is not None:
                    break
            if length > MAX_LSP_MESSAGE:
                log.warning("refused a message of %d bytes (limit %d)", length, MAX_LSP_MESSAGE)
                continue  # the next header line found starts the next message
            body = self._settle(self._raw_read(length, body=True))
            if not body:
                return b""
            return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def _settle(self, body: bytes) -> bytes:
        """The body as one whole JSON value, whatever the header said its length was."""
        decoder = json.JSONDecoder()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return body  # pygls reports it; the next header resynchronises
        stripped = text.lstrip()
        try:
            _, end = decoder.raw_decode(stripped)
        except json.JSONDecodeError:
            return self._extend(body)
        whole = (text[: len(text) - len(stripped)] + stripped[:end]).encode("utf-8")
        surplus = body[len(whole) :]
        if surplus.strip():  # the declared length ran into the next message's header
            self._pushback = surplus + self._pushback
        return whole

    def _extend(self, body: bytes) -> bytes:
        """A body cut short by its header: add bytes until it parses (or give up)."""
        extra = b""
        while len(extra) < _MAX_EXTRA:
            byte = self._raw_read(1)
            if not byte:
                break
            extra += byte
            if byte == b"}":
                try:
                    json.loads(body + extra)
                except ValueError:
                    continue
                return body + extra
        self._pushback = extra + self._pushback
        return body

    # -- what pygls calls --------------------------------------------------------------------

    def _fill(self) -> None:
        if not self._clean:
            self._clean = self._next_frame()

    def readline(self, size: int = -1) -> bytes:
        self._fill()
        nl = self._clean.find(b"\n")
        cut = len(self._clean) if nl < 0 else nl + 1
        line, self._clean = self._clean[:cut], self._clean[cut:]
        return line

    def read(self, n: int = -1) -> bytes:
        self._fill()
        n = len(self._clean) if n < 0 else n
        data, self._clean = self._clean[:n], self._clean[n:]
        return data
