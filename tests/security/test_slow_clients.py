"""Slow connections are dropped: a request's headers must all arrive within a deadline, whatever
the client trickles (issue 21, finding 12); a normal request is served as before."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI

from sdgtrack.web.server import http_protocol


@pytest.fixture(scope="module")
def server():
    app = FastAPI()

    @app.get("/ping")
    def ping():
        return {"ok": True}

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, http=http_protocol(1.0), log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield port
    running.should_exit = True
    thread.join(5)


def closed(sock: socket.socket) -> bool:
    sock.settimeout(0.05)
    try:
        return sock.recv(1) == b""
    except (TimeoutError, BlockingIOError):
        return False
    except OSError:
        return True


def test_trickling_and_silent_connections_are_dropped(server):
    trickling = [socket.create_connection(("127.0.0.1", server)) for _ in range(30)]
    silent = [socket.create_connection(("127.0.0.1", server)) for _ in range(10)]
    request = b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < 2.5:  # one byte per connection every 0.1 s: never a whole header block
        for sock in trickling:
            with contextlib.suppress(OSError):  # a connection the server closed
                sock.send(request[sent : sent + 1])
        sent = min(sent + 1, len(request) - 1)
        time.sleep(0.1)
    assert all(closed(s) for s in trickling + silent)
    for s in trickling + silent:
        s.close()


def test_a_normal_request_and_a_kept_alive_one_are_served(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        for _ in range(2):
            sock.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            sock.settimeout(10)
            while not answer.endswith(b"}"):  # headers and body may come in two packets
                part = sock.recv(4096)
                assert part, answer
                answer += part
            assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b'{"ok":true}')
            time.sleep(1.3)  # longer than the header deadline between requests: the next one is still served
