"""The no-script SVG chart of indicator pages (publish/pages/svg_chart.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from sdgtrack.publish.pages.svg_chart import BOTTOM, HEIGHT, LEFT, TOP, WIDTH, line_chart, nice_ticks, year_ticks

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(data: bytes) -> ET.Element:
    root = ET.fromstring(data.decode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def points(root: ET.Element) -> np.ndarray:
    return np.array(
        [(float(c.get("cx")), float(c.get("cy"))) for c in root.iterfind("svg:g[@class='points']/svg:circle", NS)]
    ).reshape(-1, 2)


def y_ticks(root: ET.Element) -> dict[float, float]:
    """Tick value -> pixel y, from the y axis labels (right-aligned text left of the plot)."""
    out = {}
    for text in root.iterfind("svg:g[@text-anchor='end']/svg:text", NS):
        out[float(text.text.replace(",", "").replace("\u2212", "-"))] = float(text.get("y"))
    return out


def x_ticks(root: ET.Element) -> dict[int, float]:
    return {int(t.text): float(t.get("x")) for t in root.iterfind("svg:g[@text-anchor='middle']/svg:text", NS)}


def value_at(root: ET.Element, pixel_y: float) -> float:
    """The data value at a pixel height, read back through the y axis' own ticks."""
    ticks = y_ticks(root)
    values, pixels = np.array(list(ticks)), np.array(list(ticks.values()))
    slope = (values[-1] - values[0]) / (pixels[-1] - pixels[0])
    return float(values[0] + (pixel_y - pixels[0]) * slope)


def test_a_series_with_target_parses_and_places_every_mark():
    years = [2015, 2016, 2017, 2019, 2022]
    values = [3.5, 4.25, 2.0, 5.0, 4.4]
    root = parse(
        line_chart(years, values, title="Neonatal <mortality> & more", unit="per 1,000", target=12.0, target_year=2030)
    )
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Neonatal <mortality> & more"
    desc = root.find("svg:desc", NS).text
    assert "5 observations" in desc and "2015\u20132022" in desc and "target 12" in desc
    # one point per observation, left to right in year order, at the right heights
    xy = points(root)
    assert len(xy) == 5
    ticks = x_ticks(root)
    assert xy[0, 0] == pytest.approx(ticks[2015]) and xy[-1, 0] == pytest.approx(ticks[2022])
    assert np.all(np.diff(xy[:, 0]) > 0)
    assert [value_at(root, y) for y in xy[:, 1]] == pytest.approx(values, abs=0.05)
    # the path goes through the same points
    path = root.find("svg:path[@class='series']", NS).get("d")
    assert path.count("L") == 4
    # the target: a dashed rule at 12, labelled with year and value
    rule = root.find("svg:line[@class='target']", NS)
    assert rule.get("stroke-dasharray")
    assert value_at(root, float(rule.get("y1"))) == pytest.approx(12.0, abs=0.05)
    assert any(t.text == "2030: 12" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    # the y axis covers data, target and zero with round ticks; the unit is its title
    values_ticked = sorted(y_ticks(root))
    assert values_ticked[0] <= 0 and values_ticked[-1] >= 12
    assert any(t.text == "per 1,000" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    # nothing drawn outside the picture
    assert np.all((xy[:, 0] >= LEFT) & (xy[:, 0] <= WIDTH)) and np.all(
        (xy[:, 1] >= TOP) & (xy[:, 1] <= HEIGHT - BOTTOM)
    )


def test_missing_values_are_left_out():
    root = parse(line_chart([2000, 2001, 2002], [1.0, float("nan"), 3.0], title="t"))
    assert len(points(root)) == 2
    assert "2 observations" in root.find("svg:desc", NS).text


def test_empty_series_draws_axes_only():
    root = parse(line_chart([], [], title="Nothing yet"))
    assert len(points(root)) == 0
    assert root.find("svg:path[@class='series']", NS) is None
    assert root.find("svg:desc", NS).text == "No observations"


def test_one_point_gets_a_year_either_side():
    root = parse(line_chart([2019], [7.0], title="one"))
    xy = points(root)
    assert len(xy) == 1
    ticks = x_ticks(root)
    assert sorted(ticks) == [2018, 2019, 2020]
    assert xy[0, 0] == pytest.approx(ticks[2019])
    assert value_at(root, xy[0, 1]) == pytest.approx(7.0, abs=0.05)


def test_all_equal_values_have_a_scale():
    for level in (0.0, 5.0):
        root = parse(line_chart([2010, 2011, 2012], [level] * 3, title="flat"))
        ticks = y_ticks(root)
        assert len(ticks) >= 2 and min(ticks) <= level <= max(ticks)
        assert [value_at(root, y) for y in points(root)[:, 1]] == pytest.approx([level] * 3, abs=0.05)


def test_negative_values_and_a_negative_target():
    values = [-120.0, -80.5, 15.0]
    root = parse(line_chart([2001, 2005, 2010], values, title="net", target=-200.0, target_year=2030))
    ticks = sorted(y_ticks(root))
    assert ticks[0] <= -200 and ticks[-1] >= 15
    assert [value_at(root, y) for y in points(root)[:, 1]] == pytest.approx(values, abs=0.5)
    rule = root.find("svg:line[@class='target']", NS)
    assert value_at(root, float(rule.get("y1"))) == pytest.approx(-200.0, abs=0.5)
    assert any("\u2212200" in (t.text or "") for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_nice_ticks_cover_the_range_with_round_steps():
    for low, high in [(0, 1), (0.013, 0.087), (-3.2, 47.9), (1e6, 3.7e6), (5, 5), (-1, -1)]:
        ticks = nice_ticks(low, high)
        assert ticks[0] <= low and ticks[-1] >= high
        steps = np.diff(ticks)
        assert np.allclose(steps, steps[0])
        mantissa = steps[0] / 10 ** np.floor(np.log10(steps[0]))
        assert round(mantissa, 6) in (1, 2, 5, 10)
        assert 2 <= len(ticks) <= 12
    with pytest.raises(ValueError):
        nice_ticks(0, float("inf"))


def test_year_ticks_are_whole_years_at_most_ten():
    assert year_ticks(2015, 2020).tolist() == [2015, 2016, 2017, 2018, 2019, 2020]
    long = year_ticks(1990, 2022)
    assert len(long) <= 10 and long[0] >= 1990 and long[-1] <= 2022 and np.all(long % 5 == 0)
