"""The Vega bundle (assets/vega.js) is made by vl-convert once and kept in the user's cache folder."""

from __future__ import annotations

import pytest
import vl_convert

from sdgtrack.publish.pages import assets


@pytest.fixture
def bundler(monkeypatch, tmp_path):
    """A stand-in for vl-convert's bundler that counts its calls, and a fresh cache folder."""
    calls = []

    def bundle(snippet):
        calls.append(snippet)
        return f"/* vega {len(calls)} */ window.vegaEmbed=a;window.vega=b;window.vegaLite=c;"

    monkeypatch.setattr(vl_convert, "javascript_bundle", bundle)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assets.vega_bundle.cache_clear()
    yield calls
    assets.vega_bundle.cache_clear()


def test_second_process_reads_the_cached_bundle(bundler, tmp_path):
    first = assets.vega_bundle()
    assets.vega_bundle.cache_clear()  # as a new process would
    assert assets.vega_bundle() == first
    assert len(bundler) == 1
    cached = list((tmp_path / "cache" / "sdgtrack").iterdir())
    assert [p.read_bytes() for p in cached] == [first]
    assert vl_convert.__version__ in cached[0].name


def test_a_damaged_cache_is_made_again(bundler, tmp_path):
    assets.vega_bundle()
    path = assets._bundle_cache_path()
    path.write_bytes(b"/* cut short")
    assets.vega_bundle.cache_clear()
    again = assets.vega_bundle()
    assert len(bundler) == 2 and again.endswith(b"window.vegaLite=c;")
    assert path.read_bytes() == again


def test_an_unwritable_cache_is_skipped(bundler, tmp_path):
    (tmp_path / "cache").write_text("a file where the cache folder belongs")
    assert assets.vega_bundle().endswith(b"window.vegaLite=c;")
    assets.vega_bundle.cache_clear()
    assets.vega_bundle()
    assert len(bundler) == 2
