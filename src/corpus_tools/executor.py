"""Where :func:`~corpus_tools.pipeline.process_article` runs: this process or a pool of workers.

Output order is the input order whatever the number of workers, so the dataset is identical for
every ``jobs``. At most ``jobs * TASKS_IN_FLIGHT_PER_WORKER`` tasks of ``DOCS_PER_TASK`` documents are
in flight, so memory stays flat however large the input. Each worker builds its own annotators
(VADER and textstat keep process-wide state).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from corpus_tools.annotators import AnnotatorOptions, AnnotatorSet
from corpus_tools.pipeline import ProcessedDocument, process_article
from corpus_tools.readers import RawArticle

DOCS_PER_TASK = 8
TASKS_IN_FLIGHT_PER_WORKER = 4

_worker_annotators: AnnotatorSet | None = None


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(names: tuple[str, ...] | None, options: AnnotatorOptions) -> None:
    global _worker_annotators
    _worker_annotators = AnnotatorSet.create(names, options)


def _process_chunk(articles: list[RawArticle]) -> list[ProcessedDocument]:
    assert _worker_annotators is not None, "worker not initialised"
    return [process_article(article, _worker_annotators) for article in articles]


def _chunks(articles: Iterable[RawArticle], size: int) -> Iterator[list[RawArticle]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers fork from a clean server process (no inherited threads or open writers)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def process_local(
    articles: Iterable[RawArticle],
    annotators: Sequence[str] | None,
    options: AnnotatorOptions,
    jobs: int = 1,
) -> Iterator[ProcessedDocument]:
    """Processed documents in input order, using ``jobs`` processes."""
    names = None if annotators is None else tuple(annotators)
    if jobs <= 1:
        annotator_set = AnnotatorSet.create(names, options)
        for article in articles:
            yield process_article(article, annotator_set)
        return
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=_context(), initializer=_init_worker, initargs=(names, options)
    ) as pool:
        pending: deque[Future[list[ProcessedDocument]]] = deque()
        for chunk in _chunks(articles, DOCS_PER_TASK):
            pending.append(pool.submit(_process_chunk, chunk))
            if len(pending) >= jobs * TASKS_IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
