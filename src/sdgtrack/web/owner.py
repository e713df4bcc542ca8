"""The server owns the store: one workspace opened read-write for the life of the process.

DuckDB lets one process hold a database file for writing; a second process (a CLI `ingest`) cannot
open it meanwhile, and opening the file anew per request (as the first server did) fails while a
load holds the lock. So the server opens the store once and gives each worker thread its own
cursor (:meth:`Workspace.cursor`): cursors share the open database, each with its own
transaction, so a read sees a consistent snapshot and never fails because a write is under way.

Writes made through the server go through :meth:`StoreOwner.writing` (one at a time, on the main
connection), which also tells the caches that the store changed. A sidecar file beside the store
(``STORE.server.json``: pid, url, started, upload route) lets a CLI write that finds the store
locked name the server instead of DuckDB's "Could not set lock".
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..storefiles import server_key_path, sidecar_path
from ..workspace import Workspace
from .blocks import MAX_BYTES, SeriesBlocks

# How long a fingerprint read is trusted before it is read again. Writes through the server
# invalidate at once; this bounds how stale a cached answer can be after a write made by code
# that bypassed `writing()`.
FINGERPRINT_TTL = 0.5
MEMO_ENTRIES = 64  # analysis results kept per store state


class StoreOwner:
    def __init__(self, path: str | Path):
        self.workspace = Workspace(path)
        self.path = self.workspace.path
        self._local = threading.local()
        self._cursors: list[Workspace] = []
        self._cursor_lock = threading.Lock()
        self.write_lock = threading.RLock()
        self._fingerprint: str | None = None
        self._fingerprint_at = 0.0
        self._fingerprint_lock = threading.Lock()
        self._fingerprint_reader: Workspace | None = None
        self.generation = 0
        self._memo: dict = {}
        self._memo_state: str | None = None
        self._memo_lock = threading.Lock()
        self._lookups = self.workspace.lookups_for("")
        # the read route's series blocks (web/blocks.py): bytes kept per store state; 0 keeps none
        self.block_bytes = MAX_BYTES
        self._blocks = SeriesBlocks("", self.block_bytes)
        self.analysis_lock = threading.Lock()
        self.sidecar: Path | None = None
        self.key_file: Path | None = None
        # what `sdgtrack users|tokens` on this machine sends to act through the server (the key
        # file is readable only by the account that runs the server, who may write the store anyway)
        self.local_key = secrets.token_urlsafe(32)

    # -- reading ---------------------------------------------------------------------------------
    def reader(self) -> Workspace:
        """This thread's cursor on the store (made on first use, kept for the thread's life)."""
        ws = getattr(self._local, "workspace", None)
        if ws is None:
            with self._cursor_lock:
                ws = self.workspace.cursor()
                self._cursors.append(ws)
            self._local.workspace = ws
        return ws

    def fresh_fingerprint(self) -> str | None:
        """The fingerprint if it was read recently enough, else None (no store access: safe to call
        on the event loop)."""
        cached = self._fingerprint
        if cached is not None and time.monotonic() - self._fingerprint_at < FINGERPRINT_TTL:
            return cached
        return None

    def fingerprint(self) -> str:
        """The store's state fingerprint (see ``catalog.state_fingerprint``), re-read at most every
        FINGERPRINT_TTL seconds and at once after a write through :meth:`writing`."""
        now = time.monotonic()
        cached = self._fingerprint
        if cached is not None and now - self._fingerprint_at < FINGERPRINT_TTL:
            return cached
        with self._fingerprint_lock:
            if self._fingerprint is not None and time.monotonic() - self._fingerprint_at < FINGERPRINT_TTL:
                return self._fingerprint
            if self._fingerprint_reader is None:
                self._fingerprint_reader = self.workspace.cursor()
                with self._cursor_lock:
                    self._cursors.append(self._fingerprint_reader)
            value = f"{self.generation}/{self._fingerprint_reader.state_fingerprint()}"
            self._fingerprint, self._fingerprint_at = value, time.monotonic()
            return value

    def lookups(self, state: str):
        """What codes and areas resolve to in this store state, shared by every thread's cursor
        (as fresh as the answer cache: both are keyed on the fingerprint)."""
        current = self._lookups
        if current.state != state:
            current.retire()
            current = self._lookups = self.workspace.lookups_for(state)
        return current

    def blocks(self, state: str) -> SeriesBlocks | None:
        """The series blocks of this store state (retired with the lookups by a write); None when
        the server keeps none (``block_bytes`` 0)."""
        if self.block_bytes <= 0:
            return None
        current = self._blocks
        if current.state != state or current.max_bytes != self.block_bytes:
            current.retire()
            current = self._blocks = SeriesBlocks(state, self.block_bytes)
        return current

    def memo(self, state: str, key, compute, admit=None):
        """An analysis result kept for one store state (its pages and formats share it); analyses
        run one at a time, so a burst of requests for heavy ones cannot take every core.
        ``admit()``: called before a run that is not kept yet (it raises to refuse one, e.g. a
        client over its runs per minute); an answer already kept costs nothing and is never refused."""
        with self._memo_lock:
            if self._memo_state != state:
                self._memo.clear()
                self._memo_state = state
            if key in self._memo:
                return self._memo[key]
        if admit is not None:
            admit()
        with self.analysis_lock:
            with self._memo_lock:
                if self._memo_state == state and key in self._memo:
                    return self._memo[key]
            value = compute()
            with self._memo_lock:
                if self._memo_state == state:
                    if len(self._memo) >= MEMO_ENTRIES:
                        self._memo.pop(next(iter(self._memo)))
                    self._memo[key] = value
            return value

    # -- writing ---------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Workspace]:
        """The workspace to write through, one writer at a time; caches see the change on exit."""
        with self.write_lock:
            try:
                yield self.workspace
            finally:
                self.changed()

    def changed(self) -> None:
        """Tell the caches the store changed (called by :meth:`writing`; call it after any other write)."""
        with self._fingerprint_lock:
            self.generation += 1
            self._fingerprint = None
            self._lookups.retire()
            self._blocks.retire()

    # -- the sidecar -----------------------------------------------------------------------------
    def announce(self, url: str, upload_route: str | None) -> None:
        """Write the sidecar that names this server to a CLI that finds the store locked."""
        self.sidecar = sidecar_path(self.path)
        info = {
            "pid": os.getpid(),
            "url": url,
            "upload": upload_route,
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        try:
            self.sidecar.write_text(json.dumps(info), encoding="utf-8")
        except OSError:  # a read-only folder: the CLI then gives DuckDB's PID message only
            self.sidecar = None
            return
        key_file = server_key_path(self.path)
        try:
            with suppress(FileNotFoundError):
                key_file.unlink()  # a stale one may belong to someone else: never write through it
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(self.local_key)
            self.key_file = key_file
        except OSError:
            self.key_file = None

    def close(self) -> None:
        self.withdraw()
        with self._cursor_lock:
            for ws in self._cursors:
                with suppress(Exception):  # a cursor already closed
                    ws.close()
            self._cursors.clear()
        self.workspace.close()

    def withdraw(self) -> None:
        """Remove the sidecar and the key file (when they are still this process's)."""
        if self.key_file is not None:
            with suppress(OSError):
                if self.key_file.read_text(encoding="ascii") == self.local_key:
                    self.key_file.unlink()
            self.key_file = None
        if self.sidecar is not None:
            try:
                info = json.loads(self.sidecar.read_text(encoding="utf-8"))
                if info.get("pid") == os.getpid():
                    self.sidecar.unlink()
            except (OSError, ValueError):
                pass
            self.sidecar = None
