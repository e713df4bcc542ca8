"""Series blocks: one series' headline rows for every area, kept as JSON for one store state.

An uncached ``/api/data/CODE?area=A`` used to read the store, build a DataFrame, validate every
row with pydantic and encode it, for each request: about 10 ms of CPU for 20 rows. Here the
first read of a series takes its headline rows for every area and dataset at once
(``Workspace.headline_runs``), validates and encodes each row once, and keeps the encoded rows
with where each (area, dataset) run starts. Every later read of that series, for any area,
year range or page, picks runs as the store read does and joins kept bytes.

What is kept and its bound: the encoded rows of the series read, at most ``MAX_BYTES`` over every
block (least recently used dropped first). A block larger than ``MAX_BYTES / BLOCK_SHARE`` is
served once and not kept: its series is then read per request. Blocks belong to one store state
(the server's fingerprint, as the answer cache and ``Lookups``): a write through the server
retires them, and a retired set keeps nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, Sequence

import numpy as np
import pandas as pd
from pydantic import TypeAdapter

from . import models as m

MAX_BYTES = 128 * 1024 * 1024
BLOCK_SHARE = 8
MAX_UNKEPT = 20_000  # keys known too big to keep; more are forgotten (they are built again)
ROW_OVERHEAD = 64  # bytes a kept row costs beside its JSON (bytes object, list slot, year)

_ROWS = TypeAdapter(list[m.Observation])
_ENCODE = m.Observation.__pydantic_serializer__.to_json


class Block:
    """One series' headline rows of every dataset that has it (``Workspace.headline_runs``): each
    row's JSON as the route sends it, each row's year, and per area its runs [start, stop), one
    per dataset, most preferred first."""

    __slots__ = ("rows", "years", "areas", "size")

    def __init__(self, frame: pd.DataFrame):
        from ..results import records

        model = frame[list(m.Observation.model_fields)]  # the columns the answer has, no others
        model = model.assign(dims=model["dims"].fillna(""))
        self.rows: list[bytes] = [_ENCODE(row) for row in _ROWS.validate_python(records(model))]
        self.years = frame["year"].to_numpy(dtype="int64")
        area = frame["area"].to_numpy(dtype=object)
        rank = frame["rank"].to_numpy(dtype="int64")
        # the rows are ordered by area, then rank: a run starts where either changes
        if len(area):
            starts = np.flatnonzero(np.r_[True, (area[1:] != area[:-1]) | (rank[1:] != rank[:-1])])
        else:
            starts = np.array([], dtype="int64")
        stops = np.r_[starts[1:], len(area)].astype("int64")
        self.areas: dict[str, list[tuple[int, int]]] = {}
        for a, b in zip(starts.tolist(), stops.tolist()):
            self.areas.setdefault(str(area[a]), []).append((a, b))
        self.size = sum(map(len, self.rows)) + ROW_OVERHEAD * len(self.rows) + 100 * len(starts)

    def select(self, areas: Sequence[str] | None, start: int | None, end: int | None) -> list[bytes]:
        """The rows of ``areas`` (sorted codes; None: every area) in the years [start, end], each
        area's from one dataset: the most preferred with rows in those years (as the store read
        picks after filtering)."""
        chosen = self.areas if areas is None else (a for a in areas if a in self.areas)
        rows, years = self.rows, self.years
        out: list[bytes] = []
        for area in chosen:
            for a, b in self.areas[area]:
                if start is None and end is None:
                    out += rows[a:b]
                    break
                span = years[a:b]
                keep = np.ones(len(span), dtype=bool)
                if start is not None:
                    keep &= span >= start
                if end is not None:
                    keep &= span <= end
                taken = np.flatnonzero(keep).tolist()
                if taken:
                    out += [rows[a + i] for i in taken]
                    break
        return out


class SeriesBlocks:
    """The blocks of one store state, bounded by bytes (see the module)."""

    def __init__(self, state: str, max_bytes: int = MAX_BYTES):
        self.state = state
        self.max_bytes = max_bytes
        self._blocks: OrderedDict[Hashable, Block] = OrderedDict()
        self._bytes = 0
        self._unkept: set = set()
        self._gates: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._retired = False

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._blocks)

    def retire(self) -> None:
        """The store changed: keep nothing more, answer nothing kept."""
        with self._lock:
            self._retired = True
            self._blocks.clear()
            self._unkept.clear()
            self._bytes = 0

    def _kept(self, key: Hashable) -> Block | None:
        block = self._blocks.get(key)
        if block is not None:
            self._blocks.move_to_end(key)
        return block

    def peek(self, key: Hashable) -> Block | None:
        """The block of ``key`` if kept (never builds one: safe on the event loop)."""
        with self._lock:
            return self._kept(key)

    def get(self, key: Hashable, build: Callable[[], pd.DataFrame]) -> Block | None:
        """The block of ``key``, built from ``build()`` (the series' rows) when not kept; None
        when it is known to be too big to keep (read the store instead). One thread builds a
        block while others asking for it wait, so a burst of reads of a new series reads it
        once. An error of ``build`` (an unknown dataset) keeps nothing."""
        with self._lock:
            block = self._kept(key)
            if block is not None or key in self._unkept:
                return block
            gate = self._gates.setdefault(key, threading.Lock())
        try:
            with gate:
                with self._lock:
                    block = self._kept(key)
                    if block is not None or key in self._unkept:
                        return block
                block = Block(build())
                self._keep(key, block)
                return block
        finally:
            with self._lock:
                if self._gates.get(key) is gate:
                    del self._gates[key]

    def _keep(self, key: Hashable, block: Block) -> None:
        with self._lock:
            if self._retired:
                return
            if block.size > self.max_bytes // BLOCK_SHARE:
                if len(self._unkept) >= MAX_UNKEPT:
                    self._unkept.clear()
                self._unkept.add(key)
                return
            self._blocks[key] = block
            self._bytes += block.size
            while self._bytes > self.max_bytes and self._blocks:
                _, dropped = self._blocks.popitem(last=False)
                self._bytes -= dropped.size
