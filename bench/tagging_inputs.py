"""SDG tagging input: the time ``tagging.inputs.plain`` takes on hostile texts, as a ratio to an
ordinary text with markup of the same length (no regular expression may go quadratic: a text of
the web form's suggestions or of ``sdgtrack tag`` is read before any limit but its length):

    python bench/tagging_inputs.py [--chars 1000000]

Each case is one pathological shape (a million '[' before '](', backticks, '<script ' never
closed, 'a.' runs before an '@' ...). Run it at two lengths: the ratios stay flat when the cost
is linear. Before the bounded patterns (2026-12), 50,000 backticks took 74 s and 'a.' x 25,000
before an '@' 7.6 s.
"""

from __future__ import annotations

import argparse
import time

from sdgtrack.tagging.inputs import plain


def cases(n: int) -> dict[str, str]:
    return {
        "'[' x n then '](x)'": "[" * n + "](x)",
        "'[a](' repeated": "[a](" * (n // 4),
        "'[a](' and an endless address": "[a](" + "x" * n,
        "'*a' repeated": "*a" * (n // 2),
        "'*' x n": "*" * n,
        "'`' x n": "`" * n + "x",
        "'_' x n": "_" * n + "__x",
        "'a.' repeated, then '@'": "a." * (n // 2) + "@",
        "'a' x n, then '@b'": "a" * n + "@b",
        "'<script ' never closed": "<script " * (n // 8),
        "'<style>' repeated": "<style>" * (n // 7),
        "'<a ' repeated": "<a " * (n // 3),
        "'<' x n": "<" * n,
        "'&amp' without ';'": "&amp" * (n // 4),
        "one endless address": "http://" + "a" * n,
        "'www.' repeated": "www." * (n // 4),
        "'a-' line ends": "a-\n" * (n // 3),
        "'regards' lines": "\nregards\n" * (n // 9),
        "'<!--' repeated": "<!--" * (n // 4),
        "'- ' repeated": "- " * (n // 2),
        "a line of spaces": " " * n + "\n1",
        "page-number lines": "\n 12 " * (n // 5),
        "'- - - ... x'": "- " * (n // 2) + "x\n",
        "'--' lines": "a\n--\n" * (n // 5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000, help="length of each text")
    n = parser.parse_args().chars
    text = "Solar mini-grids give villages access to affordable electricity. "
    ordinary = (text * (n // len(text))) + "<p>x</p>\nhttp://x.org a@b.org *x*"
    t = time.perf_counter()
    plain(ordinary)
    base = time.perf_counter() - t
    print(f"== tagging.inputs.plain on {n:,}-character texts; ordinary text with markup: {base:.3f} s")
    for name, hostile in cases(n).items():
        t = time.perf_counter()
        plain(hostile)
        spent = time.perf_counter() - t
        print(f"{name:34s} {spent:7.3f} s  {spent / base:6.1f} x ordinary")


if __name__ == "__main__":
    main()
