"""Ingest: one reader per source format -> canonical staged rows -> validation -> the store.

See ``docs/architecture.md`` ("Ingest") for the canonical row and the reader contract.
"""
