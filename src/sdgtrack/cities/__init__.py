"""U4SSC city KPIs (see docs/methods/cities.md)."""
