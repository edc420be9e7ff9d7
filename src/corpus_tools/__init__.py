"""corpus_tools: news articles to a normalised, segmented, annotated Parquet dataset.

Public API (DESIGN.md §2): :func:`annotate_text`, :func:`build`, :func:`load`, :func:`stance_toward`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from corpus_tools.annotators.stance import stance_toward
    from corpus_tools.builder import build
    from corpus_tools.dataset import load
    from corpus_tools.pipeline import annotate_text

_LAZY = {
    "annotate_text": "corpus_tools.pipeline",
    "build": "corpus_tools.builder",
    "load": "corpus_tools.dataset",
    "stance_toward": "corpus_tools.annotators.stance",
}

__all__ = ["__version__", "annotate_text", "build", "load", "stance_toward"]


def __getattr__(name: str) -> Any:
    """Import the heavy modules only when their function is first used (fast ``import corpus_tools``)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'corpus_tools' has no attribute {name!r}")
