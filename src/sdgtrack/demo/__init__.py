"""The demo data set: a real subset of the UN SDG Global Database shipped with the package
(made by ``tools/build_demo_data.py``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_data_path() -> Path:
    return Path(str(resources.files("sdgtrack.demo") / "unsd_demo_2020.csv.gz"))


def build(workspace):
    """Load the demo subset and keep a progress assessment (UNSD method) so the pages have status
    to show; returns the load report and the assessment's Result."""
    report = workspace.ingest(demo_data_path())
    return report, workspace.assess("unsd", save=True)
