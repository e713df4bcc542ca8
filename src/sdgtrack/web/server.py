"""Running the app under uvicorn with a deadline for a request's headers.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive`` seconds, but a
connection that sends nothing, or sends its headers a byte at a time, is kept for ever (each byte
cancels the keep-alive timer): 200 trickling connections stayed open for a minute, each holding a
socket and buffers. Here every request must deliver its whole header block within
``HEADER_SECONDS`` of its first byte (of the connection, for the first request), or the
connection is closed. The protocol class wraps whichever HTTP implementation uvicorn would pick
(httptools when installed, else h11), so the server's speed is unchanged.
"""

from __future__ import annotations

import asyncio
from typing import Any

HEADER_SECONDS = 10.0


def deadline_protocol(base: type, seconds: float = HEADER_SECONDS) -> type:
    """``base`` (a uvicorn HTTP protocol class) with the header deadline."""

    class HeaderDeadline(base):  # type: ignore[misc, valid-type]
        header_seconds = seconds

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._header_timer: asyncio.TimerHandle | None = None
            self._arm()

        def _arm(self) -> None:
            if self._header_timer is None:
                self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _too_slow(self) -> None:
            self._header_timer = None
            waiting = self.cycle is None or self.cycle.response_complete
            if waiting and not self.transport.is_closing():
                self.transport.close()

        def data_received(self, data: bytes) -> None:
            before = self.cycle
            if before is None or before.response_complete:
                self._arm()  # the first bytes of the next request on a kept-alive connection
            super().data_received(data)
            if self.cycle is not before:  # a request's headers are in
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    HeaderDeadline.__name__ = f"HeaderDeadline{base.__name__}"
    return HeaderDeadline


def http_protocol(seconds: float = HEADER_SECONDS) -> type:
    """The protocol class uvicorn's "auto" would use, with the header deadline."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        return deadline_protocol(HttpToolsProtocol, seconds)
    except ImportError:  # httptools not installed
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return deadline_protocol(H11Protocol, seconds)


def run(app: Any, host: str, port: int, *, header_seconds: float = HEADER_SECONDS, **options: Any) -> None:
    """``uvicorn.run`` with the header deadline (``sdgtrack serve``)."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, http=http_protocol(header_seconds), **options)
