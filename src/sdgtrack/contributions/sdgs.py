"""Read an SDG field as a person would: "SDG 6, 11, 13", "SDG11", "All 17 SDGs", "SDG 1, 2, ..., 17",
"Goals 3 and 5", "SDG 9.1, 11.2", "impact all SDGs, more directly SDG 9" (all 17, 9 primary)."""

from __future__ import annotations

import re

from .models import SdgRef

ALL = list(range(1, 18))

# "all SDGs", "All 17 SDGs", "17 SDGs", "all the Goals", "All" alone, "SDGs 1-17"
_ALL_RE = re.compile(
    r"\ball\s+(?:the\s+)?(?:17\s+|seventeen\s+)?(?:sdgs?|goals|global goals)\b"
    r"|^\s*(?:all|17|all 17)\s*\.?\s*$|\b(?:17|seventeen)\s+(?:sdgs|goals)\b",
    re.I,
)
_ANCHOR = r"(?:sdgs?|goals?|targets?|ods|odd)"
_NUM = r"\d{1,2}(?:\.(?:\d{1,2}|[a-c]))?"
# An anchor followed by a list of numbers: "SDG 6, 11 and 13", "SDGs 1-5", "SDG 1, 2, ..., 17"
_LIST_RE = re.compile(
    rf"\b{_ANCHOR}\s*#?\s*(?P<list>{_NUM}(?:(?:\s*(?:,|;|&|/|\band\b|\bor\b|-|–|—|\bto\b|\.\.\.|…))+\s*"
    rf"(?:{_ANCHOR}\s*#?\s*)?{_NUM})*)",
    re.I,
)
_BARE_LIST_RE = re.compile(rf"^\s*(?P<list>{_NUM}(?:\s*(?:,|;|&|/|\band\b|-|–)+\s*{_NUM})*)\s*[.,;]?\s*$")
_PRIMARY_RE = re.compile(
    r"more directly|directly|especially|in particular|particularly|primarily|mainly|"
    r"notably|most of all|above all|with a focus on|focus(?:ed|ing)? on",
    re.I,
)


def parse_sdgs(text: str | None) -> tuple[SdgRef, list[str]]:
    """The goals and targets named in ``text``, and the parts that could not be read (kept raw)."""
    text = (text or "").replace("\u00a0", " ").strip()
    ref = SdgRef(text=text)
    if not text or re.fullmatch(r"(n/?a|none|-+|tbd|not applicable)\.?", text, re.I):
        return ref, []
    says_all = bool(_ALL_RE.search(text))
    goals: list[int] = []
    targets: list[str] = []
    bad: list[str] = []
    matches = list(_LIST_RE.finditer(text)) or list(_BARE_LIST_RE.finditer(text))
    primary_from = None
    if says_all:
        cue = _PRIMARY_RE.search(text)
        primary_from = cue.start() if cue else len(text)
    primary: list[int] = []
    for m in matches:
        numbers = _expand(m.group("list"))
        for code in numbers:
            goal = int(code.split(".")[0])
            if not 1 <= goal <= 17:
                bad.append(code)
                continue
            if "." in code and code not in targets:
                targets.append(code)
            if goal not in goals:
                goals.append(goal)
            if says_all and m.start() >= (primary_from or 0) and goal not in primary:
                primary.append(goal)
    if says_all:
        # "SDG 1, 2, ..., 17" or "SDGs 1-17" name every goal; they are not singled out
        if sorted(goals) == ALL:
            primary = []
        ref.all_goals, ref.goals, ref.primary = True, ALL.copy(), sorted(primary)
    elif sorted(goals) == ALL:
        ref.all_goals, ref.goals = True, ALL.copy()
    else:
        ref.goals = sorted(goals)
    ref.targets = sorted(targets, key=_target_key)
    problems = []
    if bad:
        problems.append(f"not an SDG number: {', '.join(bad)}")
    if not ref.goals:
        problems.append("no SDG number found")
    return ref, problems


def _expand(listing: str) -> list[str]:
    """'1, 2, ..., 17' -> 1..17; '1-5' -> 1..5; '9.1 and 11.2' -> ['9.1', '11.2']."""
    tokens = re.findall(rf"{_NUM}|\.\.\.|…|-|–|—|\bto\b", re.sub(rf"{_ANCHOR}\s*#?", " ", listing, flags=re.I), re.I)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            tok.lower() in ("...", "…", "-", "–", "—", "to")
            and out
            and i + 1 < len(tokens)
            and re.fullmatch(r"\d{1,2}", tokens[i + 1])
            and re.fullmatch(r"\d{1,2}", out[-1])
        ):
            lo, hi = int(out[-1]), int(tokens[i + 1])
            if lo < hi:
                out.extend(str(n) for n in range(lo + 1, hi + 1))
                i += 2
                continue
        if re.fullmatch(_NUM, tok):
            out.append(tok.lower())
        i += 1
    return out


def _target_key(code: str):
    goal, _, rest = code.partition(".")
    return (int(goal), not rest.isdigit(), int(rest) if rest.isdigit() else 0, rest)
