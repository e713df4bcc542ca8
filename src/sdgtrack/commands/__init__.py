"""CLI command groups; each module has ``register(app)``. Helpers shared by commands are in ``_common``."""
