"""Draw ``src/sdgtrack/publish/pages/static/favicon.ico``: the 17 goal colours as a ring (the SDG
colour wheel's idea, drawn here from ``publish/pages/data/goals.csv``; no logo is copied), 16, 32 and
48 pixels. The site's pages link it and the live server answers ``/favicon.ico`` with it.

    python tools/build_favicon.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "src" / "sdgtrack" / "publish" / "pages"


def main() -> None:
    colours = [row["colour"] for row in csv.DictReader((PAGES / "data" / "goals.csv").open(encoding="utf-8"))]
    size = 256  # drawn large, scaled down by the ICO writer
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    step = 360 / len(colours)
    for i, colour in enumerate(colours):
        start = -90 + i * step
        draw.pieslice((8, 8, size - 8, size - 8), start, start + step - 1.5, fill=colour)
    hole = size * 0.28
    draw.ellipse((hole, hole, size - hole, size - hole), fill=(0, 0, 0, 0))
    out = PAGES / "static" / "favicon.ico"
    image.save(out, sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
