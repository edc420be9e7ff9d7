"""Where the time goes: wall seconds of every pipeline stage on one core, and an output-identity check.

Runs the stages of :func:`corpus_tools.pipeline.process_articles` (prepare = normalise + structure +
segment, each sentence annotator, each document annotator, the corpus signatures) over a corpus in
chunks of 32 documents, as a ``--jobs 1`` build does, and prints the best time of ``--repeats`` passes
per stage. ``--save`` stores every output (sentence columns, document values, signatures, normalisation
edits) and ``--compare`` checks a later run against it: the way to prove that a speed-up changed
nothing (exit 1 and the first differences if anything did)::

    .venv/bin/python benchmarks/bench_stages.py --save /tmp/before.pkl      # before a change
    .venv/bin/python benchmarks/bench_stages.py --compare /tmp/before.pkl   # after it

Default corpus: ``../shared/benchmarks/corpora/bbc_news.jsonl`` (2,225 articles, 40,577 sentences);
``--corpus`` takes any input the build reads. Times are machine- and load-dependent: compare runs made
in the same session, alternating the versions.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus_tools.annotators import AnnotatorSet
from corpus_tools.annotators.base import DocumentView
from corpus_tools.corpus_pass import sentence_signatures
from corpus_tools.executor import DOCS_PER_TASK
from corpus_tools.pipeline import _prepare
from corpus_tools.readers import RawArticle, iter_articles

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "benchmarks" / "corpora" / "bbc_news.jsonl"

Output = tuple[str, dict[str, Any], dict[str, Any], list[Any], list[dict[str, object]]]


def run_once(articles: list[RawArticle], annotators: AnnotatorSet, timings: dict[str, float]) -> list[Output]:
    """One pass over ``articles``; adds each stage's wall seconds to ``timings``; returns the outputs."""

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        timings[name] += time.perf_counter() - started

    outputs: list[Output] = []
    for start in range(0, len(articles), DOCS_PER_TASK):
        with stage("prepare"):
            prepared = [_prepare(a) for a in articles[start : start + DOCS_PER_TASK]]
        for annotator in annotators.sentence:
            with stage(f"s:{annotator.name}"):
                for p in prepared:
                    p.columns.update(annotator.annotate(p.batch))
        views = [
            DocumentView(
                doc_id=p.doc_id,
                source=p.article.source,
                title=p.article.title,
                text=p.norm.text,
                blocks=p.blocks,
                sentences=p.columns,
            )
            for p in prepared
        ]
        values: list[dict[str, Any]] = [{} for _ in views]
        for doc_annotator in annotators.document:
            with stage(f"d:{doc_annotator.name}"):
                for value, view in zip(values, views, strict=True):
                    value.update(doc_annotator.annotate_document(view))
        with stage("signatures"):
            signatures = [sentence_signatures(p.columns["text"]) for p in prepared]
        for p, value, sigs in zip(prepared, values, signatures, strict=True):
            outputs.append((p.doc_id, dict(p.columns), value, sigs, [e.as_dict() for e in p.norm.edits]))
    return outputs


def differences(reference: list[Output], outputs: list[Output], show: int = 20) -> int:
    """Number of differing columns/values (the first ``show`` are printed)."""
    if len(reference) != len(outputs):
        print(f"DIFF number of documents: {len(reference)} != {len(outputs)}")
        return 1
    bad = 0
    for (doc_id, cols1, vals1, sigs1, edits1), (other_id, cols2, vals2, sigs2, edits2) in zip(
        reference, outputs, strict=True
    ):
        for name, old, new in (("columns", cols1, cols2), ("document", vals1, vals2)):
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    bad += 1
                    if bad <= show:
                        print(
                            f"DIFF {doc_id} {name}.{key}: {str(old.get(key))[:200]} != {str(new.get(key))[:200]}"
                        )
        if (doc_id, sigs1, edits1) != (other_id, sigs2, edits2):
            bad += 1
            if bad <= show:
                print(f"DIFF {doc_id}: doc_id, signatures or normalisation edits")
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=BBC)
    parser.add_argument("--repeats", type=int, default=2, help="passes; each stage's best is printed")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--save", type=Path, help="store the outputs here")
    parser.add_argument("--compare", type=Path, help="compare the outputs with a stored run")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"corpus not found at {args.corpus}; skipped")
        return 0
    articles = list(iter_articles([args.corpus]))[: args.limit]
    started = time.perf_counter()
    annotators = AnnotatorSet.create()
    print(f"annotator set-up {time.perf_counter() - started:.3f} s")
    gc.freeze()  # as our workers do once their annotators are built
    best: dict[str, float] = {}
    outputs: list[Output] = []
    for _ in range(max(1, args.repeats)):
        timings: dict[str, float] = defaultdict(float)
        outputs = run_once(articles, annotators, timings)
        for stage, seconds in timings.items():
            best[stage] = min(best.get(stage, float("inf")), seconds)
    for stage, seconds in sorted(best.items(), key=lambda item: -item[1]):
        print(f"{stage:20s} {seconds:7.3f}")
    n_sentences = sum(len(o[1]["text"]) for o in outputs)
    print(f"{'total':20s} {sum(best.values()):7.3f}   ({len(outputs)} documents, {n_sentences} sentences)")
    if args.save:
        args.save.write_bytes(pickle.dumps(outputs))
        print(f"saved {args.save}")
    if args.compare:
        bad = differences(pickle.loads(args.compare.read_bytes()), outputs)
        print("IDENTICAL to reference" if not bad else f"{bad} differences")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
