"""One module per input format; each calls :func:`sdgtrack.ingest.registry.register`."""
