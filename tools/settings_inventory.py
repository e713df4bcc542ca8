"""Inventory of the display settings in Open SDG repositories: every setting their indicator meta
files and site configuration carry, with how many indicators use it, and whether sdgtrack's pages
honour it (docs/site.md, "Display settings", is this table).

    .venv/bin/python tools/settings_inventory.py ../shared/data/opensdg/{uk,canada,rwanda}
    .venv/bin/python tools/settings_inventory.py REPO... --problems   # and each unusable value

An indicator uses a setting when its meta files (``meta/``, ``indicator-config/``) give it a value
that is not blank, not an empty list and not Open SDG's default (``graph_type: line``,
``data_show_map: true``, ``data_non_statistical: false``, switches off): a field the repository's
template writes into every file says nothing. Settings of the site configuration
(``config_data.yml``: ``observation_attributes`` ...) are counted as "config". The files are read
with the ingest's own reader (``ingest/metadata.py``), so the tool sees what a load keeps; the
problems are those of ``store/display.py``, the reader the pages use.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from sdgtrack.ingest.metadata import RepositoryMetadata, parse_yaml_file
from sdgtrack.store.display import parse_settings

# the display settings Open SDG documents for indicator configuration, with what sdgtrack does
SETTINGS: dict[str, str] = {
    "graph_type": "supported: line, bar and binary charts (interactive and SVG)",
    "graph_types": "supported: the chart type per series or unit",
    "data_show_map": "supported: false removes the map tab",
    "data_start_values": "supported: the page opens on that series, unit, area and breakdown (store.display.start_values)",
    "graph_target_lines": "supported: dashed lines with their label (interactive and SVG)",
    "graph_annotations": "supported: horizontal and vertical lines with their label; colours and boxes are not",
    "graph_series_breaks": "supported: vertical lines at the position's year (interactive and SVG)",
    "graph_limits": "supported: the y axis's minimum and maximum; marks beyond are cut",
    "precision": "supported: decimals of values in the table, tooltips, lines and SVG",
    "graph_title": "supported: the chart's title for the repository's series",
    "graph_titles": "supported: the chart's title per series or unit",
    "data_footnote": "supported: under the chart",
    "copyright": "supported: under the chart",
    "national_geographical_coverage": "supported: under the chart (Geographical coverage)",
    "source_organisation_N": "supported: active sources under the chart (Source)",
    "footer_fields": "supported: under the chart, per series or unit",
    "data_notice_text": "supported: a notice above the chart (with data_notice_heading, data_notice_class)",
    "data_notice_heading": "supported with data_notice_text",
    "data_notice_class": "supported with data_notice_text (success, warning, danger)",
    "computation_units": "not in the footer: every row has its unit, which the footer shows; listed in the metadata tab",
    "graph_stacked_disaggregation": "not supported: the chart draws one selection, not a breakdown stacked",
    "data_non_statistical": "not needed: a page shows data when the store has some, text otherwise",
    "page_content": "not above the chart: shown under Notes in the National metadata tab",
    "indicator_tabs": "not supported: the tabs are chart, table, map in that order",
    "embedded_feature_url": "not supported: the site embeds no third-party pages",
    "embedded_feature_html": "not supported: the site runs no third-party HTML",
    "series_toggle": "not supported: series are chosen in a list",
    "composite_breakdown_label": "not supported: the breakdown keeps its name in the data",
    "proxy": "not supported: no proxy badge on the page",
    "proxy_series": "not supported: no proxy badge on the series",
    "standalone": "not supported: every indicator has its page under indicators/",
    "permalink": "not supported: pages are named by the indicator's code",
    "placeholder": "not supported: indicators are listed with or without data",
    "tags": "not supported: no tag badges on the page",
    "progress_status": "not used: progress comes from sdgtrack's own assessment (docs/methods/progress.md)",
    "auto_progress_calculation": "not used: progress comes from sdgtrack's own assessment",
    "progress_calculation_options": "not used: progress comes from sdgtrack's own assessment and target table",
    "observation_attributes": "partly: observation status and footnotes of the selection are listed under the chart",
}
# a value Open SDG takes when the field is absent: such a value sets nothing
DEFAULTS = {
    "graph_type": {"line"},
    "data_show_map": {"true"},
    "data_non_statistical": {"false"},
    "standalone": {"false"},
    "series_toggle": {"false"},
    "auto_progress_calculation": {"false"},
    "proxy": {""},
}
CONFIG = ("observation_attributes",)
# fields that name the indicator or the file, or switch sources on: neither text nor a page setting
IGNORED = {
    "indicator_number",
    "indicator_name",
    "target_name",
    "goal_meta_link",
    "goal_meta_link_text",
    "reporting_status",
    "indicator_sort_order",
    "csv_size",
    "layout",
    "published",
    "sdg_goal",
    "target_id",
    "target",
    "indicator",
    "title",
    "expected_disaggregations",
}


def _used(value: object, field: str) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return False
    text = str(value).strip().lower() if not isinstance(value, (list, dict)) else None
    return text is None or text not in DEFAULTS.get(field, set())


def _is_text(field: str) -> bool:
    """Whether a field is metadata text the National metadata tab lists (shipped labels), not a setting."""
    from sdgtrack.publish.metadata import SOURCE_FIELD, shipped_fields

    m = SOURCE_FIELD.match(field)
    if m and m.group(1) in ("active", "url_text"):  # a source's switch and link text: the tab uses both
        return True
    # SDMX metadata concepts (Canada's SDG_GOAL, STAT_CONC_DEF ...): text the tab labels by concept
    return (f"source_{m.group(1)}" if m else field) in shipped_fields() or field.isupper()


def inventory(root: Path) -> tuple[Counter, list[str], int, Counter]:
    """(setting -> indicators using it, problems, indicators read, other fields -> indicators) of
    one repository; the other fields are neither a known setting nor metadata text (typos such as
    ``national_indicator_avalable``, or settings of a newer Open SDG)."""
    config, _ = parse_yaml_file(root / "config_data.yml") if (root / "config_data.yml").is_file() else ({}, None)
    meta = RepositoryMetadata(root, config if isinstance(config, dict) else {})
    counts: Counter = Counter()
    others: Counter = Counter()
    problems: list[str] = []
    ids = meta.ids()
    for ident in ids:
        fields = meta.get(ident)
        for field, value in fields.items():
            name = "source_organisation_N" if field.startswith("source_organisation_") else field
            if name in SETTINGS and _used(value, field):
                if name == "source_organisation_N" and counts_once(fields, field):
                    continue
                counts[name] += 1
            elif name not in SETTINGS and not _is_text(field) and field not in IGNORED and _used(value, field):
                others[field] += 1
        # labels written as translation keys, resolved as the ingest resolves them
        lang = meta.default_lang()
        resolved = {f: (meta.translate_items(v, lang) or v) if isinstance(v, list) else v for f, v in fields.items()}
        problems += [f"{ident}: {p}" for p in parse_settings(resolved)[1]]
    for field in CONFIG:
        found = _find(config, field)
        if found:
            counts[field] = -len(found) if isinstance(found, list) else -1  # negative: a site-wide setting
    return counts, problems, len(ids), others


def counts_once(fields: dict, field: str) -> bool:
    """True for every source organisation after the first one used: an indicator counts once."""
    used = [f for f in fields if f.startswith("source_organisation_") and _used(fields[f], f)]
    return bool(used) and field != used[0]


def _find(data: object, key: str) -> object:
    """The value of ``key`` anywhere in a configuration (it may sit under ``inputs:``)."""
    if isinstance(data, dict):
        if key in data:
            return data[key]
        for value in data.values():
            found = _find(value, key)
            if found:
                return found
    if isinstance(data, list):
        for value in data:
            found = _find(value, key)
            if found:
                return found
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="+", type=Path, help="Open SDG data repositories (folders)")
    parser.add_argument("--problems", action="store_true", help="also list each value the pages cannot use")
    args = parser.parse_args(argv)
    results = {}
    for root in args.repos:
        if not (root / "meta").is_dir() and not (root / "indicator-config").is_dir():
            print(f"{root}: expected an Open SDG data repository (a folder with meta/ or indicator-config/)")
            return 2
        results[root.name] = inventory(root)
    names = list(results)
    print("| setting | " + " | ".join(f"{n} ({results[n][2]})" for n in names) + " | sdgtrack |")
    print("|---|" + "---:|" * len(names) + "---|")
    for setting, support in SETTINGS.items():
        cells = []
        for n in names:
            count = results[n][0].get(setting, 0)
            cells.append("config" if count < 0 else str(count))
        if all(c == "0" for c in cells):
            continue
        print(f"| `{setting}` | " + " | ".join(cells) + f" | {support} |")
    other = sorted(set().union(*(results[n][3] for n in names)))
    if other:
        print("\nFields neither a known setting nor metadata text (indicators using each):\n")
        print("| field | " + " | ".join(names) + " |")
        print("|---|" + "---:|" * len(names))
        for field in other:
            print(f"| `{field[:60]}` | " + " | ".join(str(results[n][3].get(field, 0)) for n in names) + " |")
    total = sum(len(results[n][1]) for n in names)
    print(f"\n{total} setting value(s) the pages cannot use" + (":" if args.problems and total else ""))
    if args.problems:
        for n in names:
            for problem in results[n][1]:
                print(f"  {n} {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
