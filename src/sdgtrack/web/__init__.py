"""HTTP API and web pages over the same services as the CLI."""
