"""Areas: M49 countries and regions, UN groups, SDG regions and custom areas (cities ...)."""

from __future__ import annotations

import re
from typing import Sequence

import pandas as pd

from ..errors import UserInputError

CUSTOM_KINDS = ("city", "province", "custom")

# Every way a user may name an area, mapped to its code: M49 with or without leading zeros,
# ISO alpha-2/alpha-3, group alias (LDC), and the exact name (case-insensitive).
ALIAS_SQL = """
    SELECT upper(code) AS alias, code FROM area
    UNION SELECT lpad(code, 3, '0'), code FROM area WHERE regexp_full_match(code, '[0-9]{1,2}')
    UNION SELECT upper(iso2), code FROM area WHERE iso2 IS NOT NULL
    UNION SELECT upper(iso3), code FROM area WHERE iso3 IS NOT NULL
    UNION SELECT upper(alias), code FROM area WHERE alias IS NOT NULL AND alias <> 'SDG region'
    UNION SELECT upper(name), code FROM area
"""


def alias_table(con) -> dict[str, list[str]]:
    """Every exact way to name an area (``ALIAS_SQL``'s aliases, upper case) -> the codes it names,
    sorted: what :func:`resolve` looks up first, in one query, for a reader resolving many."""
    rows = con.execute(f"SELECT alias, list(code ORDER BY code) FROM ({ALIAS_SQL}) GROUP BY alias").fetchall()
    return {alias: codes for alias, codes in rows}


def resolve(con, text: str) -> str:
    key = str(text).strip()
    # an exact code wins over a name or ISO code that happens to spell the same
    row = con.execute(
        f"SELECT code FROM ({ALIAS_SQL}) WHERE alias = upper(?) ORDER BY code = ? DESC, code LIMIT 1", [key, key]
    ).fetchone()
    if row is not None:
        return row[0]
    matches = _names_containing(con, key)
    # "United Kingdom", "Tanzania": one area's official name holds the words (or one country's,
    # beside statistical parts such as "United Kingdom (Scotland)")
    countries = [m for m in matches if m[2] == "country"]
    if len(matches) == 1 or len(countries) == 1:
        return (matches if len(matches) == 1 else countries)[0][1]
    suggestions = [(name, code) for name, code, _ in matches] or _names_like(con, key)
    hint = "; did you mean " + ", ".join(f"{name} ({code})" for name, code in suggestions[:5]) + "?"
    raise UserInputError(
        f"unknown area {text!r}: expected an M49 code (e.g. 4 or 004), an ISO code "
        "(AF, AFG), a group (LDC, LLDC, SIDS), an area name, or a custom area code" + (hint if suggestions else "")
    )


def _names_containing(con, text: str) -> list[tuple[str, str, str]]:
    """Areas whose name holds ``text`` as whole words ("Tanzania" in "United Republic of Tanzania")."""
    words = re.sub(r"[\W_]+", " ", text.lower()).strip()  # punctuation is a word break, never a pattern
    if len(words) < 3:
        return []
    return con.execute(
        r"""SELECT name, code, kind FROM area
            WHERE ' ' || trim(regexp_replace(lower(name), '[^\p{L}\p{N}]+', ' ', 'g')) || ' ' LIKE '% ' || ? || ' %'
            ORDER BY length(name), code LIMIT 6""",
        [words],
    ).fetchall()


def _names_like(con, text: str) -> list[tuple[str, str]]:
    """Areas whose name is close in spelling to ``text`` (a typo: "Afganistan")."""
    if len(text) < 3:
        return []
    return con.execute(
        """SELECT name, code FROM area WHERE jaro_winkler_similarity(lower(name), lower(?)) >= 0.88
           ORDER BY jaro_winkler_similarity(lower(name), lower(?)) DESC, code LIMIT 3""",
        [text, text],
    ).fetchall()


def resolve_many(con, texts: Sequence[str]) -> list[str | None]:
    """The area code each text names (None where none), in one query: for files with an area column."""
    texts = [str(t) for t in texts]
    # the texts travel as a list parameter, not a registered frame: registering fails while an
    # earlier result on the connection is still open (DuckDB 2)
    rows = con.execute(
        f"""
        SELECT t.i, a.code
        FROM (SELECT unnest(?::VARCHAR[]) AS text, generate_subscripts(?::VARCHAR[], 1) AS i) t
        LEFT JOIN (SELECT alias, min(code) AS code FROM ({ALIAS_SQL}) GROUP BY alias) a
          ON a.alias = upper(t.text) ORDER BY t.i""",
        [texts, texts],
    ).fetchall()
    return [code for _, code in rows]


def add_custom(con, code: str, name: str, parent: str | None, kind: str = "custom") -> None:
    if kind not in CUSTOM_KINDS:
        raise UserInputError(f"area kind {kind!r}: expected one of {', '.join(CUSTOM_KINDS)}")
    code = code.strip()
    if not code or not name.strip():
        raise UserInputError("a custom area needs a code and a name")
    name = name.strip()
    existing = con.execute("SELECT kind, name FROM area WHERE code = ?", [code]).fetchone()
    if existing and existing[0] not in CUSTOM_KINDS:
        raise UserInputError(f"area code {code!r} is already a reference area ({existing[1]}); choose another code")
    if existing:
        raise UserInputError(f"area {code!r} already exists ({existing[0]} area {existing[1]!r}); nothing changed")
    # Every way of naming an area must name one area: a code or name another area already answers
    # to would hide that area's data (`areas add AFG Fake` made `--area AFG` find the new area).
    for text, what in ((code, "code"), (name, "name")):
        taken = _named_by(con, text)
        if taken:
            raise UserInputError(f"area {what} {text!r} already names {taken}; choose a {what} no area answers to")
    parent_code = resolve(con, parent) if parent else None
    con.execute("INSERT INTO area VALUES (?, ?, ?, ?, NULL, NULL, NULL)", [code, name, kind, parent_code])
    if parent_code:
        # a custom area belongs to its parent and to every group its parent belongs to
        con.execute(
            """INSERT INTO area_member SELECT "group", ? FROM area_member WHERE member = ?
                       UNION SELECT ?, ? ON CONFLICT DO NOTHING""",
            [code, parent_code, parent_code, code],
        )


def remove_custom(con, code: str) -> None:
    """Remove a custom area and its group memberships; a reference area is refused."""
    existing = con.execute("SELECT kind FROM area WHERE code = ?", [code]).fetchone()
    if existing is None:
        return
    if existing[0] not in CUSTOM_KINDS:
        raise UserInputError(f"area {code!r} is a reference area ({existing[0]}): only custom areas can be removed")
    con.execute('DELETE FROM area_member WHERE member = ? OR "group" = ?', [code, code])
    con.execute("DELETE FROM area WHERE code = ?", [code])


def _named_by(con, text: str) -> str | None:
    """'Afghanistan (4), as its ISO alpha-3 code' when ``text`` already names an area, else None."""
    row = con.execute(
        """
        SELECT a.name, a.code,
               CASE WHEN upper(a.code) = upper(?1) OR lpad(a.code, 3, '0') = ?1 THEN 'code'
                    WHEN upper(a.iso2) = upper(?1) THEN 'ISO alpha-2 code'
                    WHEN upper(a.iso3) = upper(?1) THEN 'ISO alpha-3 code'
                    WHEN upper(a.alias) = upper(?1) THEN 'group alias' ELSE 'name' END
        FROM area a
        WHERE upper(a.code) = upper(?1) OR (regexp_full_match(a.code, '[0-9]{1,2}') AND lpad(a.code, 3, '0') = ?1)
           OR upper(a.iso2) = upper(?1) OR upper(a.iso3) = upper(?1) OR upper(a.alias) = upper(?1)
           OR upper(a.name) = upper(?1)
        ORDER BY a.code LIMIT 1""",
        [text.strip()],
    ).fetchone()
    return f"{row[0]} ({row[1]}), as its {row[2]}" if row else None


def list_areas(con, group: str | None = None, kind: str | None = None) -> pd.DataFrame:
    where, params = [], []
    if group:
        where.append('a.code IN (SELECT member FROM area_member WHERE "group" = ?)')
        params.append(resolve(con, group))
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    q = f"""SELECT a.code, a.name, a.kind, a.parent, p.name AS parent_name, a.iso2, a.iso3, a.alias
            FROM area a LEFT JOIN area p ON p.code = a.parent
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY a.kind <> 'world', a.kind, a.name"""
    return con.execute(q, params).df()
