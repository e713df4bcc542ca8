"""Small readers for the other free-text fields: places, websites, lists of names, bullets."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from typing import Callable, Optional

from ..errors import SdgtrackError
from .models import Place

# A resolver maps a country as written to (M49 code, ISO3), or None when it is not a country.
CountryResolver = Callable[[str], Optional[tuple[str, Optional[str]]]]

BULLET_RE = re.compile(r"^\s*(?:[•▪◦●○∙·\-–*]|o(?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))\s*")
_VIRTUAL_RE = re.compile(r"\b(virtual(ly)?|online|remote(ly)?|web-?based|webinar|zoom|teams)\b", re.I)
_HYBRID_RE = re.compile(r"\bhybrid\b", re.I)
_MODE_WORDS_RE = re.compile(
    r"(?:\s*(?:\band\b|\bor\b|&|/|\+)\s*)?\b(?:hybrid|virtual(?:ly)?|online|in[- ]person|"
    r"remote(?:ly)?|webinars?)\b",
    re.I,
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.I)
_BLANK_RE = re.compile(r"^(n/?a|none|not applicable|tbd|tbc|-+|–|—|\.)?\.?$", re.I)


def is_blank(text: str | None) -> bool:
    return _BLANK_RE.match((text or "").replace("\u00a0", " ").strip()) is not None


def strip_bullet(line: str) -> str:
    return BULLET_RE.sub("", line, count=1).strip()


def is_bullet(line: str) -> bool:
    stripped = line.replace("\u00a0", " ").strip()
    return bool(stripped) and (stripped[0] in "•▪◦●○∙·" or bool(re.match(r"[-–*]\s+\S", stripped)))


# -- websites -----------------------------------------------------------------------------------
def parse_websites(text: str | None) -> tuple[list[str], list[str]]:
    """URLs in the field, and any other words (kept raw: "forthcoming", "available here")."""
    text = (text or "").replace("\u00a0", " ").strip()
    urls = []
    for m in _URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:)]")
        if url.lower().startswith("www."):
            url = "https://" + url
        if url not in urls:
            urls.append(url)
    rest = _URL_RE.sub(" ", text).strip(" \n,;")
    leftovers = [] if is_blank(rest) else [rest]
    return urls, leftovers


# -- lists of names -----------------------------------------------------------------------------
_LEAD_RE = re.compile(
    r"^(?:and\s+|coordinated by\s+|supported by\s+|developed by\s+|led by\s+|"
    r"co-?organi[sz]ed by\s+|organi[sz]ed by\s+|with\s+|together with\s+|including\s+)+",
    re.I,
)
_SPLIT_RE = re.compile(
    r"\s*;\s*|\s*,\s*(?:and\s+)?(?:(?:is\s+)?supported by\s+)?|"
    r"\s+in\s+(?:close\s+)?collaboration\s+with\s+|\s+together\s+with\s+",
    re.I,
)
_AND_RE = re.compile(r"\s+(?:and|&)\s+(?:supported by\s+)?", re.I)


def split_names(text: str | None) -> list[str]:
    """ "Coordinated by ITU, UNECE and UN-Habitat, and supported by CBD" -> ITU, UNECE, UN-Habitat, CBD.
    Commas and "and" inside parentheses do not split."""
    text = (text or "").replace("\u00a0", " ").strip()
    if not text:
        return []
    lines = [strip_bullet(line) for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for line in lines:
        for piece in _split_outside_parens(line, _SPLIT_RE):
            # "Department of Economic and Social Affairs (UNDESA)": a name with its acronym is one name
            parts = [piece] if piece.rstrip(" .").endswith(")") else _split_outside_parens(piece, _AND_RE)
            for part in parts:
                name = re.sub(r"^the\s+", "", _LEAD_RE.sub("", part)).strip(" .;,")
                if name and name not in out:
                    out.append(name)
    return out


def _split_outside_parens(text: str, splitter: re.Pattern) -> list[str]:
    # mask parenthesised text so the splitter cannot cut inside it
    masked, depth = [], 0
    for ch in text:
        depth += ch == "("
        masked.append("\0" if depth and ch not in "()" else ch)
        depth -= ch == ")" and depth > 0
    masked_text = "".join(masked)
    parts, pos = [], 0
    for m in splitter.finditer(masked_text):
        parts.append(text[pos : m.start()])
        pos = m.end()
    parts.append(text[pos:])
    return [p for p in parts if p.strip()]


def split_languages(text: str | None) -> list[str]:
    return [p for p in (s.strip(" .") for s in re.split(r"[,;/]|\band\b|\n", (text or ""))) if p and not is_blank(p)]


def bullet_items(text: str | None) -> list[str]:
    """Bullet lines as items; a field without bullets is one item."""
    lines = [line for line in (text or "").replace("\u00a0", " ").splitlines() if line.strip()]
    if lines and any(is_bullet(line) for line in lines):
        return [strip_bullet(line) for line in lines]
    joined = " ".join(line.strip() for line in lines)
    if ";" in joined:
        return [p.strip(" .") for p in joined.split(";") if p.strip(" .")]
    return [joined] if joined else []


# -- places -------------------------------------------------------------------------------------
def parse_places(text: str | None, resolve: CountryResolver | None = None) -> tuple[list[Place], list[str]]:
    """ "Dubai, UAE", "Virtual", "Riyadh, Kingdom of Saudi Arabia; Shanghai, China", "Hybrid (Geneva,
    Switzerland and online)". Countries resolve to M49 through ``resolve``; problems are returned."""
    text = (text or "").replace("\u00a0", " ").strip()
    if is_blank(text):
        return [], []
    problems: list[str] = []
    whole_virtual = bool(_VIRTUAL_RE.search(text))
    whole_hybrid = bool(_HYBRID_RE.search(text))
    places: list[Place] = []
    for seg in (s.strip(" .") for s in re.split(r"\s*(?:;|\n|\|)\s*", text)):
        if not seg:
            continue
        inner = _MODE_WORDS_RE.sub(" ", seg.replace("(", " ").replace(")", " "))
        inner = re.sub(r"\s+", " ", inner).strip(" ,.-–")
        inner = re.sub(r"^(?:and|or|&|/|\+)\s+|\s+(?:and|or|&|/|\+)$", "", inner, flags=re.I).strip(" ,.-–")
        if not inner:
            both = _VIRTUAL_RE.search(seg) and re.search(r"in[- ]person", seg, re.I)
            mode = "hybrid" if _HYBRID_RE.search(seg) or both else "virtual"
            places.append(Place(text=seg, mode=mode))
            continue
        mode = "hybrid" if (whole_hybrid or whole_virtual) else "in_person"
        places.extend(_city_country(seg, inner, mode, resolve, problems))
    return places, problems


def _city_country(seg: str, inner: str, mode: str, resolve, problems: list[str]) -> list[Place]:
    parts = [p.strip() for p in inner.split(",") if p.strip()]
    if len(parts) == 1:
        # one name: a country ("Kenya") or a city ("Geneva")
        found = resolve(parts[0]) if resolve else None
        if found:
            return [Place(text=seg, mode=mode, country=parts[0], area=found[0], iso3=found[1])]
        return [Place(text=seg, mode=mode, city=parts[0])]
    country = parts[-1]
    found = resolve(country) if resolve else None
    if resolve and not found:
        problems.append(f"country {country!r} in {seg!r} is not a known area; kept as written")
    cities = re.split(r"\s+(?:and|&)\s+|\s*/\s*", ", ".join(parts[:-1]))
    return [
        Place(
            text=seg,
            mode=mode,
            city=c.strip(),
            country=country,
            area=found[0] if found else None,
            iso3=found[1] if found else None,
        )
        for c in cities
        if c.strip()
    ]


@lru_cache(maxsize=1)
def country_aliases() -> dict[str, str]:
    path = resources.files("sdgtrack.contributions") / "data" / "country_aliases.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["alias"].upper(): row["iso3"] for row in csv.DictReader(fh)}


def store_resolver(db) -> CountryResolver:
    """Countries as written -> (M49, ISO3) through the store's area resolver, after the alias list
    (UAE, Tanzania, Kingdom of Saudi Arabia ...); only countries count, not regions or groups."""
    cache: dict[str, Optional[tuple[str, Optional[str]]]] = {}

    def resolve(text: str):
        key = re.sub(r"^the\s+", "", text.strip(" ."), flags=re.I)
        if key.upper() in cache:
            return cache[key.upper()]
        candidate = country_aliases().get(key.upper(), key)
        try:
            code = db.resolve_area(candidate)
        except SdgtrackError:
            code = None
        found = None
        if code is not None:
            info = db.area_info(code)
            if info and info["kind"] in ("country", "city", "province", "custom"):
                found = (code, info["iso3"])
        cache[key.upper()] = found
        return found

    return resolve
