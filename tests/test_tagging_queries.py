"""The Scopus-syntax query engine behind the keyword evidence."""

from __future__ import annotations

import pytest

from sdgtrack import UserInputError
from sdgtrack.tagging.queries import Matcher, parse, phrases
from sdgtrack.tagging.reference import aurora_queries


def hits(query: str, text: str) -> list[str]:
    m = Matcher(text)
    return [m.excerpt(text, s) for s in m.run(parse(query))]


def test_every_shipped_query_parses():
    table = aurora_queries()
    assert len(table) == 378
    assert table["goal"].nunique() == 17
    # 169 targets plus the goal-wide query of SDG 13 (target '').
    assert table["target"].nunique() == 170
    assert sum(len(phrases(t)) for t in table["tree"]) == 2114


def test_phrase_wildcard_and_word_boundaries():
    assert hits('"poverty line*"', "below the Poverty Lines of 2019") == ["Poverty Lines"]
    assert hits('"poverty line*"', "antipoverty lines") == []
    assert hits('"climate-driven"', "climate driven migration") == ["climate driven"]
    assert hits('"women\'s rights"', "women’s rights matter") == ["women’s rights"]
    assert hits('"force* labo*"', "forced labour") == ["forced labour"]


def test_proximity_counts_words_between_in_either_order():
    q = '( "poverty" ) W/3 ( "eradicat*" OR "reduc*" )'
    assert hits(q, "to eradicate extreme poverty") == ["eradicate extreme poverty"]
    assert hits(q, "poverty will be greatly and durably reduced") == []  # 4 words between
    assert hits(q, "poverty was sharply reduced") == ["poverty was sharply reduced"]


def test_precedence_and_not():
    # OR binds tighter than AND: a AND (b OR c).
    assert hits('"water" AND "sanitation" OR "hygiene"', "water and hygiene") == ["water", "hygiene"]
    assert hits('"water" AND "sanitation" OR "hygiene"', "sanitation and hygiene") == []
    assert hits('"ocean*" AND NOT "ocean acidification"', "ocean warming") == ["ocean"]
    assert hits('"ocean*" AND NOT "ocean acidification"', "ocean acidification") == []


def test_bad_query_is_a_user_error():
    with pytest.raises(UserInputError, match="unbalanced"):
        parse('( "a" OR "b"')
