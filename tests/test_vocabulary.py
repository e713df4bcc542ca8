"""``sdgtrack.vocabulary`` names each word once, imports its module only when a face asks for it, and
gives the type checker the same names."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys

import pytest

from sdgtrack import vocabulary

from .conftest import REPO


def _checked_imports() -> dict[str, tuple[str, str]]:
    """The names the ``if TYPE_CHECKING:`` block of vocabulary.py imports: name -> (module, name there)."""
    tree = ast.parse((REPO / "src/sdgtrack/vocabulary.py").read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1, ast.unparse(node)
        for alias in node.names:
            found[alias.asname or alias.name] = (node.module, alias.name)
    return found


def test_the_checker_sees_the_names_the_table_declares() -> None:
    assert _checked_imports() == vocabulary.DECLARED
    assert sorted(vocabulary.__all__) == sorted(vocabulary.DECLARED)


@pytest.mark.parametrize("name", sorted(vocabulary.DECLARED))
def test_each_name_is_its_module_s_own_object(name: str) -> None:
    module, attr = vocabulary.DECLARED[name]
    assert getattr(vocabulary, name) is getattr(importlib.import_module(f"sdgtrack.{module}"), attr)
    assert name in dir(vocabulary)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'DATASET_KIND'"):
        vocabulary.DATASET_KIND  # noqa: B018
    with pytest.raises(ImportError):
        from sdgtrack.vocabulary import NOT_A_WORD  # noqa: F401


def test_a_word_imports_only_its_own_module() -> None:
    script = "import json, sys\nfrom sdgtrack.vocabulary import DATASET_KINDS\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert "sdgtrack.ingest.datasets" in loaded
    heavy = {"altair", "sdgtrack.tagging", "sdgtrack.contributions", "sdgtrack.progress.chart", "argon2"}
    assert heavy & loaded == set()
