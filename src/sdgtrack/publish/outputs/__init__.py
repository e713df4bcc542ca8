"""Data outputs of the site in sdg-build's published layout (one module per kind of file)."""
