"""The desired direction of each series: the seam between interlinkages and progress.

The direction table belongs to the progress assessment (``sdgtrack.progress.target_table``: the
shipped default targets, extended or overridden by a user's targets file). This module only reads
it, so the statistical analysis never needs to know where directions come from.
"""

from __future__ import annotations

import pandas as pd

INCREASE, DECREASE, UNKNOWN = 1, -1, 0
SOURCE = "progress target table (sdgtrack.progress.target_table)"


def directions(db, targets=None) -> pd.DataFrame:
    """``DataFrame(series, direction)`` for every series in the store: +1 when an increase is
    desired, -1 when a decrease is, 0 when the target table gives no direction.

    ``targets``: a user's targets CSV (or DataFrame) as for the progress assessment. Only rows
    that apply to every area count: a correlation is computed per area but aligned the same way
    everywhere, so that pooled results mean one thing.
    """
    from ..progress import target_table

    table = target_table(db, targets)
    general = table[table["area"] == ""].drop_duplicates("series")
    sign = general.set_index("series")["direction"].map({"increase": INCREASE, "decrease": DECREASE})
    series = pd.DataFrame({"series": db.series_codes()})
    series["direction"] = series["series"].map(sign).fillna(UNKNOWN).astype(int)
    return series
