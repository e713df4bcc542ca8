"""Regenerate the tagging reference data in ``src/sdgtrack/tagging/data`` from ``../shared/data``.

Writes, from the Aurora SDG queries v5 (CC BY 4.0, Aurora Universities Network,
doi:10.5281/zenodo.3817445) and the 2025 SDG framework shipped in ``frameworks/data``:

- ``reference_texts.csv``: goal, target, kind (goal_title | goal_text | target | indicator |
  indicator_title | indicator_description), text; the ``indicator_description`` rows are English
  descriptions of indicators from the Open SDG metadata of Rwanda (``indicator_definition``, MIT)
  and the United Kingdom (``indicator_available``, ``national_indicator_description``, Open
  Government Licence v3.0) in ``../shared/data/opensdg``;
- ``aurora_queries.csv``: goal, target (blank = goal-wide), line (1-based within the target), query;
- ``AURORA_LICENSE.md``: the licence, copied unchanged;
- ``reference_vectors.npy`` and ``reference_vectors_multilingual.npy``: the embeddings of the goal
  titles, goal texts, target texts, query lines and indicator texts
  (``tagging.reference.embedded_texts()``) with the English and
  the multilingual model, so a run need not embed them.

The package never reads ``../shared`` at run time. Run again when the sources change:

    python tools/build_tagging_data.py [--shared ../shared/data]
"""
from __future__ import annotations

import argparse
import csv
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "sdgtrack" / "tagging" / "data"
FRAMEWORK = ROOT / "src" / "sdgtrack" / "frameworks" / "data" / "sdg_framework_2025.csv"

DEFINITION = re.compile(r"<aqd:query-definition(?: [^>]*)?>(.*?)</aqd:query-definition>", re.S)
URI = re.compile(r'<dc:identifier type="uri">http://metadata\.un\.org/sdg/([^<]+)</dc:identifier>')
DESCRIPTION = re.compile(r"<aqd:subquery-description>(.*?)</aqd:subquery-description>", re.S)
QUERY_LINE = re.compile(r'<aqd:query-line field="TITLE-ABS-KEY" ?>(.*?)</aqd:query-line>', re.S)
INDICATOR_CODE = re.compile(r"^\d+\.[0-9a-z]+\.\d+\s+")
HTML_TAG = re.compile(r"<[^>]+>")
# English indicator descriptions of national Open SDG sites (folder, metadata fields). Canada's are
# not taken: its English and French definitions are the parallel test texts.
DESCRIPTIONS = (("rwanda", ("indicator_definition",)), ("uk", ("indicator_available", "national_indicator_description")))


def clean(text: str) -> str:
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return " ".join(text.split())


def target_code(uri_tail: str) -> str:
    # Quirk of the v5 files: target 3.c is written 3c.
    return re.sub(r"^(\d+)([a-z])$", r"\1.\2", uri_tail)


def indicator_descriptions(opensdg: Path) -> list[dict]:
    """English descriptions of indicators in the metadata front matter of national Open SDG sites
    (``meta/G-T-I.md``): HTML tags dropped, whitespace collapsed, at least 4 words, one row per
    distinct (target, text). A description worded as one of Canada's English definitions (several
    copy the UN metadata) is left out, so that no text of the parallel test is a reference."""
    import html
    import sys

    import yaml

    sys.path.insert(0, str(ROOT / "src"))
    from sdgtrack.tagging.evaluate import canada_metadata

    def words(text: str) -> str:
        return " ".join(re.sub(r"[^a-z0-9]+", " ", HTML_TAG.sub(" ", text).lower()).split())

    canada = canada_metadata(opensdg / "canada")
    tested = set(canada.loc[canada["lang"] == "en", "text"].map(words))
    rows: dict[tuple[str, str], dict] = {}
    for country, fields in DESCRIPTIONS:
        for path in sorted((opensdg / country / "meta").glob("*.md")):
            parts = path.stem.split("-")
            if len(parts) != 3 or not parts[0].isdigit() or not 1 <= int(parts[0]) <= 17:
                continue
            text = path.read_text(encoding="utf-8")
            end = text.find("\n---", 3)
            if not text.startswith("---") or end < 0:
                continue
            try:
                meta = yaml.safe_load(text[3:end])
            except yaml.YAMLError as err:
                raise SystemExit(f"{path}: the front matter is not YAML: {err}") from None
            if not isinstance(meta, dict):
                continue
            for field in fields:
                value = meta.get(field)
                if not isinstance(value, str):
                    continue
                plain = " ".join(html.unescape(HTML_TAG.sub(" ", value)).split())
                target = f"{parts[0]}.{parts[1]}"
                if len(plain.split()) >= 4 and words(plain) not in tested:
                    rows.setdefault((target, plain), dict(goal=parts[0], target=target,
                                                          kind="indicator_description", text=plain))
    return list(rows.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    aurora = args.shared / "tagging" / "aurora"
    OUT.mkdir(parents=True, exist_ok=True)

    texts: list[dict] = []
    with open(FRAMEWORK, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "goal":
                texts.append(dict(goal=row["code"], target="", kind="goal_title", text=row["title"]))
    # The 2025 indicator titles (English) go last, after the Aurora rows, so the older rows keep
    # their places: the multilingual reader compares texts with them ("indicator" feature).
    indicator_titles: list[dict] = []
    with open(FRAMEWORK, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "indicator":
                goal, target = row["code"].split(".")[0], ".".join(row["code"].split(".")[:2])
                indicator_titles.append(dict(goal=goal, target=target, kind="indicator_title", text=clean(row["title"])))
    # Target texts come from targets.csv (the cleaned Aurora texts: 13.a/13.b artefacts removed).
    with open(args.shared / "tagging" / "targets.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            kind = "target" if row["target"] else "goal_text"
            texts.append(dict(goal=row["goal"], target=row["target"], kind=kind, text=clean(row["text"])))

    queries: list[dict] = []
    for goal in range(1, 18):
        xml = (aurora / f"query_SDG{goal}.xml").read_text(encoding="utf-8-sig")
        for definition in DEFINITION.findall(xml):
            tail = URI.search(definition).group(1)
            target = "" if tail == f"{goal}.0" else target_code(tail)
            # The first description is the target text (already taken from targets.csv);
            # the others are the 2020 indicator texts, which widen what a target is about.
            for desc in DESCRIPTION.findall(definition)[1:]:
                desc = INDICATOR_CODE.sub("", clean(desc))
                if desc and target:
                    texts.append(dict(goal=str(goal), target=target, kind="indicator", text=desc))
            for n, line in enumerate(QUERY_LINE.findall(definition), start=1):
                queries.append(dict(goal=str(goal), target=target, line=n, query=clean(line)))
    texts += indicator_titles
    # The national descriptions last of all, for the same reason.
    texts += indicator_descriptions(args.shared / "opensdg")

    for name, rows, cols in (("reference_texts.csv", texts, ["goal", "target", "kind", "text"]),
                             ("aurora_queries.csv", queries, ["goal", "target", "line", "query"])):
        with open(OUT / name, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print(f"{name}: {len(rows)} rows")
    shutil.copyfile(aurora / "LICENSE.md", OUT / "AURORA_LICENSE.md")

    import sys

    import numpy as np

    sys.path.insert(0, str(ROOT / "src"))
    from sdgtrack.tagging import embedding, multilingual, reference

    reference.reference_texts.cache_clear()
    reference.embedded_texts.cache_clear()
    for model, module in (("english", embedding), ("multilingual", multilingual)):
        vectors = module.embed(reference.embedded_texts()["text"].tolist())
        np.save(OUT / reference.VECTOR_FILES[model], vectors.astype(np.float32))
        print(f"{reference.VECTOR_FILES[model]}: {vectors.shape}")


if __name__ == "__main__":
    main()
