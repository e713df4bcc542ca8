"""The DuckDB store: schema, reference data, transactions, queries."""
