"""SDG tagging of free English text: which Goals and targets a text addresses, with evidence.

Main entry point: :func:`tag_texts`. Method and rule: ``docs/methods/tagging.md``.
"""
from .embedding import available as model_available
from .inputs import MAX_CHARS, TaggingWarning
from .tagger import METHODS, score_goals, tag_texts

__all__ = ["tag_texts", "score_goals", "model_available", "METHODS", "MAX_CHARS", "TaggingWarning"]
