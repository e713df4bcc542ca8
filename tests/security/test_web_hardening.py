"""The live app's smaller findings of issue 21: search data escaping (6), the read cache and
ordered parameters (7), no server path in a 400 (11), analysis runs per client (12), a forged
Host never in a redirect (12), text to tag capped (12)."""

from __future__ import annotations

import json
import re

from sdgtrack.data_entry import MAX_SUGGEST_CHARS
from sdgtrack.publish.pages.common import json_block
from sdgtrack.web.app import ANALYSIS_RUNS_PER_MINUTE
from sdgtrack.web.limits import RateLimit

from .conftest import DESCRIPTION


def test_json_block_escapes_every_markup_character():
    data = {"d": "<!--<script>x</script>&amp; \u2028"}
    text = json_block(data)
    assert not set("<>&") & set(text) and "\u2028" not in text
    assert json.loads(text) == data


def test_a_comment_opener_in_a_description_leaves_the_search_data_whole(live):
    page = live.client.get("/en/search/")
    assert page.status_code == 200
    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page.text, re.S)
    assert blocks and all("<!--" not in b and "<script" not in b for b in blocks)
    found = [json.loads(b) for b in blocks]
    assert any(DESCRIPTION in e["extra"] for d in found if "entries" in d for e in d["entries"])


def test_the_read_cache_keeps_the_order_of_repeated_parameters(live, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("series,area,year,value\nSH_DYN_MORT,RWA,2016,77\n", encoding="utf-8")
    with live.app.state.owner.writing() as ws:
        ws.ingest(other, dataset="other")

    def value(order: str) -> tuple[float, str]:
        answer = live.client.get(f"/api/observations?code=SH_DYN_MORT&from=2016&to=2016&{order}")
        assert answer.status_code == 200, answer.text
        return answer.json()["items"][0]["value"], answer.headers["etag"]

    first, tag_first = value("dataset=other&dataset=hostile")
    second, tag_second = value("dataset=hostile&dataset=other")
    assert (first, second) == (77.0, 4.0) and tag_first != tag_second
    assert value("dataset=other&dataset=hostile") == (first, tag_first)  # a repeat is still a cache hit


def test_no_server_path_in_a_400(live):
    live.app.state.analysis_limit = RateLimit(ANALYSIS_RUNS_PER_MINUTE)  # a run of its own (the soak used some)
    answer = live.client.get("/api/index?year=2019")
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert "sdr2024_codebook.csv" in detail and "/site-packages/" not in detail and "/src/" not in detail
    assert not re.search(r"(^|\s)/\w+/", detail)


def test_new_analysis_runs_are_limited_per_client_kept_answers_are_not(live):
    live.app.state.analysis_limit = RateLimit(ANALYSIS_RUNS_PER_MINUTE)
    codes = [live.client.get(f"/api/interlinkages?min_years={3 + i}").status_code for i in range(8)]
    assert codes[:ANALYSIS_RUNS_PER_MINUTE] == [200] * ANALYSIS_RUNS_PER_MINUTE
    assert codes[ANALYSIS_RUNS_PER_MINUTE:] == [429, 429]
    refused = live.client.get("/api/interlinkages?min_years=50")
    assert "at most 6 a minute" in refused.json()["detail"] and int(refused.headers["retry-after"]) > 0
    assert live.client.get("/api/interlinkages?min_years=3").status_code == 200  # computed already: free
    other_client = {"X-Forwarded-For": "198.51.100.1"}  # not trusted (no SDGTRACK_TRUST_PROXY): same client
    assert live.client.get("/api/interlinkages?min_years=60", headers=other_client).status_code == 429


def test_a_forged_host_is_not_reflected_in_redirects(live):
    answer = live.client.get("/api/areas/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert answer.status_code in (301, 307, 308)
    assert answer.headers["location"].startswith("/") and "evil" not in answer.headers["location"]
    page = live.client.get("/en/goals/3", headers={"Host": "evil.example"}, follow_redirects=False)
    assert page.status_code == 308 and page.headers["location"] == "/en/goals/3/"


def test_text_to_tag_is_capped(live, monkeypatch):
    seen = []

    class Tagged:
        tables = {"tags": __import__("pandas").DataFrame({"goal": [3], "target": ["3.2"], "probability": [0.9]})}

    monkeypatch.setattr(type(live.ws), "tag", lambda self, texts, **kw: seen.append(kw) or Tagged())
    live.ws.review.suggest_goals("child mortality under five " * 100_000)
    # the tagger cuts the text's plain text (markup does not use up the budget); it reads at most
    # inputs.RAW_PER_CHAR times as much of the text given (tests/test_tagging_inputs.py)
    assert seen[0]["max_chars"] == MAX_SUGGEST_CHARS
