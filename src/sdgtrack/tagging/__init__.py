"""SDG tagging of free text in the six UN languages: which Goals and targets a text addresses, with evidence.

Main entry point: :func:`tag_texts`. Method and rule: ``docs/methods/tagging.md``.
"""

from . import embedding, multilingual
from .inputs import MAX_CHARS, TaggingWarning
from .tagger import METHODS, score_goals, tag_texts


def model_available() -> bool:
    """Both readers of the ``embedding`` method are installed (the English and the multilingual model)."""
    return embedding.available() and multilingual.available()


__all__ = ["tag_texts", "score_goals", "model_available", "METHODS", "MAX_CHARS", "TaggingWarning"]
