"""Read and check a city's KPI return: the collection template filled in, or a table of
published values (``city, country, year, kpi_code, kpi_name, value, status, source, note``).

Every bad cell is one :class:`~sdgtrack.errors.Problem` naming file, line (CSV) or row (Excel),
column, value and what was expected; the caller stores nothing unless the list is empty.
A few hundred rows at most, so the checks are plain Python per row: clarity over speed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Problem
from ..frameworks import u4ssc

STATUSES = ("reported", "not_reported", "not_verified")
# Column names the two layouts use, mapped to one vocabulary.
ALIASES = {
    "kpi_code": "code",
    "kpi": "code",
    "note": "comment",
    "source": "data_source",
    "kpi_name": "name",
    "data point": "data_point",
    "datapoint": "data_point",
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
TEMPLATE_SHEET = "KPIs"
# A row counts when one of these is filled; the template's other cells come pre-filled.
INPUT_CELLS = ("value", "numerator", "denominator", "status")
# |value - numerator/denominator x scale| tolerated as rounding: 0.5% of the value or 0.01.
REL_TOL, ABS_TOL = 0.005, 0.01


@dataclass
class Collected:
    """The checked rows of one city's return, ready to store."""

    rows: pd.DataFrame  # key, kpi, data_point, value, value_text, status, year, data_source, comment, unit
    country: str | None = None  # the country named in the file, when it has a country column
    problems: list[Problem] = field(default_factory=list)


def read_table(path: Path) -> tuple[pd.DataFrame, int]:
    """The sheet as text cells, and the line/row number of its first data row."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise _file_error(path, f"an Excel workbook (.xlsx) ({exc.__class__.__name__})") from None
        sheet = book[TEMPLATE_SHEET] if TEMPLATE_SHEET in book.sheetnames else book.worksheets[0]
        cells = [["" if v is None else _cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        if not cells:
            raise _file_error(path, "a header row and KPI rows")
        frame = pd.DataFrame(cells[1:], columns=[str(c).strip() for c in cells[0]])
        return frame, 2
    if suffix == ".csv":
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise _file_error(path, f"a UTF-8 CSV file with a header row ({exc.__class__.__name__})") from None
        return frame, 2
    raise _file_error(path, "a .csv or .xlsx file")


def _cell_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _file_error(path: Path, expected: str):
    from ..errors import InvalidInputError

    return InvalidInputError([Problem(str(path), None, None, None, expected)])


def collect(path: Path, *, city: str | None = None, year: int | None = None) -> Collected:
    """Check every row of ``path``; rows of other cities are left out when the file has a ``city`` column."""
    frame, first_line = read_table(path)
    frame.columns = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in frame.columns]
    frame["__line"] = range(first_line, first_line + len(frame))
    fname = str(path)
    problems: list[Problem] = []
    if "code" not in frame.columns or ("value" not in frame.columns and "numerator" not in frame.columns):
        return Collected(
            pd.DataFrame(),
            problems=[
                Problem(fname, None, None, None, "columns code and value (the layout of `sdgtrack city template`)")
            ],
        )
    frame = frame.fillna("")
    if "city" in frame.columns:
        names = frame["city"].str.strip()
        keep = names.str.casefold() == (city or "").strip().casefold()
        if not keep.any():
            listed = ", ".join(sorted(set(names) - {""}))
            return Collected(
                pd.DataFrame(), problems=[Problem(fname, None, "city", city, f"a city named in the file ({listed})")]
            )
        frame = frame[keep]
    country = None
    if "country" in frame.columns:
        found = sorted(set(frame["country"].str.strip()) - {""})
        if len(found) > 1:
            problems.append(Problem(fname, None, "country", ", ".join(found), "one country per city"))
        country = found[0] if found else None

    table = u4ssc.rows().set_index("key")
    out, seen = [], {}
    for r in frame.to_dict("records"):
        if not any(str(r.get(c, "")).strip() for c in INPUT_CELLS):
            continue  # a template row left as it was (or an empty line): no data, nothing to store
        row = _check_row(r, fname, table, year, problems)
        if row is None:
            continue
        if row["key"] in seen:
            problems.append(
                Problem(
                    fname,
                    r["__line"],
                    "code",
                    row["key"],
                    f"each KPI or data point once (already on {_where(fname)} {seen[row['key']]})",
                )
            )
            continue
        seen[row["key"]] = r["__line"]
        out.append(row)
    if not out and not problems:
        problems.append(Problem(fname, None, "code", None, "at least one KPI row"))
    return Collected(pd.DataFrame(out), country=country, problems=problems)


def _where(fname: str) -> str:
    return "row" if fname.lower().endswith((".xlsx", ".xlsm")) else "line"


def _check_row(r: dict, fname: str, table: pd.DataFrame, year: int | None, problems: list[Problem]) -> dict | None:
    line = r["__line"]
    n_before = len(problems)

    def bad(column: str, value, expected: str) -> None:
        problems.append(Problem(fname, line, column, None if value is None else str(value), expected))

    raw_code = str(r.get("code", "")).strip()
    kpi, point = u4ssc.split_key(raw_code)
    if kpi is None:
        bad(
            "code",
            raw_code or None,
            "a U4SSC KPI code such as EC.ICT.ICT.1C or 'EC: ICT: ICT: 1C'"
            " (the codes are listed by `sdgtrack city template`)",
        )
        return None
    point = point or str(r.get("data_point", "")).strip() or _point_from_name(kpi, str(r.get("name", "")))
    points = u4ssc.data_points()
    has_points = (points["kpi"] == kpi).any()
    if has_points:
        known = points.loc[points["kpi"] == kpi, "data_point"].tolist()
        canonical = u4ssc.point_name(kpi, point) if point else None
        if canonical is None:
            bad("data_point", point or None, f"one of the data points of {kpi}: {', '.join(known)}")
            return None
        point = canonical
    elif point:
        bad("data_point", point, f"blank: {kpi} has no data points")
        return None
    key = f"{kpi}/{point}" if point else kpi
    spec = table.loc[key]
    unit = str(r.get("unit", "")).strip()
    if unit and not _same_unit(unit, spec["unit"]):
        bad("unit", unit, f"the KPI's unit, {spec['unit']} (convert the value; nothing is converted on import)")
        return None

    value, value_text = _parse_value(r.get("value", ""), spec, bad, "value")
    num = _parse_input(r.get("numerator", ""), bad, "numerator")
    den = _parse_input(r.get("denominator", ""), bad, "denominator")
    if num is not None or den is not None:
        value = _from_inputs(num, den, value, spec, bad)
    if value is not None and len(problems) == n_before:
        _check_range(value, spec, bad, "value" if r.get("value", "") != "" else "numerator")

    status = str(r.get("status", "")).strip().lower().replace(" ", "_") or (
        "reported" if value is not None else "not_reported"
    )
    if status not in STATUSES:
        bad("status", r.get("status"), f"one of {', '.join(STATUSES)}")
    elif status == "not_reported" and value is not None:
        bad("status", r.get("status"), "reported or not_verified: the row has a value")
    elif status == "reported" and value is None and len(problems) == n_before:
        # not_verified may come without a number: ITU's verification reports print "Not verified"
        # in place of a value the city reported but the verifier did not accept
        bad("value", None, "a value for a KPI with status reported (or status not_reported, or not_verified)")

    cell = str(r.get("year", "")).strip()
    y = year
    if cell:
        try:
            y = int(float(cell))
            if not 1990 <= y <= 2100 or float(cell) != y:
                raise ValueError
        except ValueError:
            bad("year", cell, "a year such as 2020")
            y = None
    elif year is None:
        bad("year", None, "a year in the row or --year")
    if len(problems) > n_before:
        return None
    return dict(
        key=key,
        kpi=kpi,
        data_point=point,
        value=value,
        value_text=value_text,
        status=status,
        year=y,
        data_source=str(r.get("data_source", "")).strip(),
        comment=str(r.get("comment", "")).strip(),
        unit=spec["unit"],
        line=line,
    )


def _unit_key(unit: str) -> str:
    return "".join(ch for ch in unit.lower() if ch.isalnum() or ch == "%")


def _same_unit(given: str, expected: str) -> bool:
    """Spellings of one unit agree ('ratio (female:male)' = 'ratio female:male', 'coefficient (0-1)'
    = '0-1', 'number' for 'number of public Wi-Fi hotspots'); 'per 1000' for 'per 100 000' does not."""
    a, b = _unit_key(given), _unit_key(expected)
    return bool(a) and (a == b or a in b or b in a)


def _point_from_name(kpi: str, name: str) -> str:
    """'Wireless Broadband Coverage - 3G' -> '3G' (the published layout writes data points so)."""
    if " - " in name:
        tail = name.rsplit(" - ", 1)[1].strip()
        return u4ssc.point_name(kpi, tail) or tail
    return ""


def _parse_value(cell, spec, bad, column: str) -> tuple[float | None, str | None]:
    text = str(cell).strip()
    if text == "":
        return None, None
    if spec["unit_kind"] == "yesno":
        low = text.lower()
        if low in YES:
            return 1.0, "yes"
        if low in NO:
            return 0.0, "no"
        bad(column, text, "yes or no")
        return None, None
    number = _number(text.removesuffix("%") if spec["unit_kind"] == "percent" else text)
    if number is None:
        bad(column, text, f"a number in {spec['unit']}")
    return number, None


def _parse_input(cell, bad, column: str) -> float | None:
    text = str(cell).strip()
    if text == "":
        return None
    number = _number(text)
    if number is None or number < 0:
        bad(column, text, "a number, 0 or more")
        return None
    return number


def _number(text: str) -> float | None:
    try:
        number = float(text.replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _from_inputs(num, den, value, spec, bad) -> float | None:
    """value = numerator / denominator x scale; both inputs needed, and they must agree with a given value."""
    if num is None or den is None:
        bad("denominator" if den is None else "numerator", "", "both numerator and denominator, or neither")
        return value
    if not spec["scale"]:
        bad(
            "numerator",
            num,
            f"no numerator/denominator for {spec.name}: its formula is not a plain ratio "
            f"({spec['formula']}); give the value",
        )
        return value
    if den == 0:
        bad("denominator", "0", "a denominator above 0")
        return value
    if spec["unit_kind"] == "percent" and num > den:
        bad("numerator", _plain(num), f"at most the denominator ({_plain(den)}): {spec['unit']} of a whole")
        return value
    computed = num / den * float(spec["scale"])
    if value is not None and abs(value - computed) > max(ABS_TOL, REL_TOL * abs(computed)):
        bad(
            "value",
            _plain(value),
            f"numerator / denominator x {spec['scale']} = {computed:.4g} (or leave the value blank to compute it)",
        )
        return value
    return computed if value is None else value


def _check_range(value: float, spec, bad, column: str) -> None:
    kind = spec["unit_kind"]
    if kind == "percent" and not 0 <= value <= 100:
        bad(column, _plain(value), "a percentage between 0 and 100")
    elif kind == "share01" and not 0 <= value <= 1:
        bad(column, _plain(value), "a value between 0 and 1")
    elif kind in ("number", "ratio") and value < 0:
        bad(column, _plain(value), f"0 or more ({spec['unit']})")


def _plain(x: float) -> str:
    return f"{x:g}"
