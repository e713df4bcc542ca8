"""SDG Index and Dashboards (SDSN Sustainable Development Report method) over the store.

    >>> from sdgtrack.index import sdg_index, shipped
    >>> result = sdg_index(db, shipped("sdr2024_codebook.csv"), shipped("sdr2023_regions.csv"))
    >>> result.areas        # index, rank, goal_1..goal_17, goal colours and trends per area
    >>> result.indicators   # value, year, normalised score, colour and trend per area and indicator

See docs/methods/index.md.
"""

from .codebook import load_codebook, shipped
from .regions import load_regions
from .service import IndexResult, sdg_index

__all__ = ["sdg_index", "IndexResult", "load_codebook", "load_regions", "shipped"]
