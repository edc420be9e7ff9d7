"""Where :func:`~corpus_tools.pipeline.process_article` runs: this process, a pool of workers or Dask.

Output order is the input order whatever the engine or the number of workers, so the dataset is
identical for every ``jobs``. At most ``window`` tasks of ``DOCS_PER_TASK`` documents are in flight,
so memory stays flat however large the input. Each worker builds its own annotators once (VADER and
textstat keep process-wide state). Documents found in the previous build (``lookup``) are not sent
to the workers at all.
"""

from __future__ import annotations

import gc
import importlib.abc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from itertools import chain, islice, repeat
from typing import Any, Protocol

from corpus_tools.annotators import AnnotatorOptions, AnnotatorSet
from corpus_tools.packing import ArrowDocument, PackedDocuments, pack, unpack
from corpus_tools.pipeline import ProcessedDocument, process_articles
from corpus_tools.readers import RawArticle

DOCS_PER_TASK = 32
"""Documents annotated together, in this process (``jobs=1``) or in one worker task: each annotator runs
over all of them in turn (:func:`~corpus_tools.pipeline.process_articles`), which is cheaper the more
documents there are (~20 % less annotation CPU at 32 than one by one), and a task's result crosses
between processes once; memory stays small. BBC news, 2 workers: 5.05 -> 4.83 s wall (mean of 2 runs
each) against 8 documents per task."""
FIRST_TASK_DOCS = 8
"""Size of each worker's first task, so that a small input still spreads over every worker and the
workers start annotating sooner."""
TASKS_IN_FLIGHT_PER_WORKER = 4

Lookup = Callable[[RawArticle], ProcessedDocument | None]


class _Result(Protocol):
    def result(self) -> Sequence[ProcessedDocument]: ...


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def process_chunk(
    articles: list[RawArticle], names: tuple[str, ...] | None, options: AnnotatorOptions
) -> PackedDocuments:
    """The task a worker runs: annotate a few articles with this process's annotators, and pack them
    into Arrow for the trip back (:mod:`corpus_tools.packing`)."""
    annotators = AnnotatorSet.shared(names, options)
    if _OWN_WORKER:
        _freeze_once(annotators)
    return pack(process_articles(articles, annotators), names)


class Unpacked:
    """The documents of a pending task (a concurrent.futures or Dask future of :func:`process_chunk`)."""

    def __init__(self, future: Any) -> None:
        self._future = future

    def result(self) -> list[ArrowDocument]:
        return unpack(self._future.result())


_OWN_WORKER = False
"""True in the worker processes of our own pool (set by their initializer): processes we own, whose
heap we may freeze for good. Dask workers and the caller's process are not ours."""
_FROZEN: set[int] = set()


def _mark_own_worker() -> None:
    """Initializer of our pool's workers: mark the process as ours, and keep pandas out of it.

    A worker converts Python lists to Arrow (:func:`~corpus_tools.packing.pack`), and pyarrow imports
    pandas on its first conversion only to ask whether the list is a pandas object: 0.17 s and ~50 MB
    more per worker, for a library the workers never use. With pandas made unimportable here pyarrow
    skips its pandas integration (the dataset is written, and pandas used, in the main process)."""
    global _OWN_WORKER
    _OWN_WORKER = True
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _NoPandas())


class _NoPandas(importlib.abc.MetaPathFinder):
    """Makes ``import pandas`` fail in this process (see :func:`_mark_own_worker`)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("pandas is kept out of corpus_tools worker processes", name=name)
        return None


def _freeze_once(annotators: AnnotatorSet) -> None:
    """After the annotators are built, move everything alive (their lexicons, models, memo tables)
    out of the cyclic garbage collector's reach: they live as long as the process, and each full
    collection would otherwise traverse them again (~6 % of the annotation CPU time on BBC news)."""
    if id(annotators) not in _FROZEN:
        _FROZEN.add(id(annotators))
        gc.collect()
        gc.freeze()
        _raise_young_threshold()


GC_YOUNG_THRESHOLD = 50_000
"""Allocations between two young-generation collections while annotating (CPython's default: 700).
Annotation allocates millions of short-lived lists, dicts and strings that reference counting frees
at once; nearly all young collections find nothing cyclic to free. BBC news, annotation only: 700 ->
50,000 saves ~0.2 s of ~4.8 s (10,000: ~0.17 s); only cyclic garbage waits longer, and it is rare."""


def _raise_young_threshold() -> tuple[int, ...]:
    """Set :data:`GC_YOUNG_THRESHOLD` (never lowering a caller's own higher one); returns the old
    thresholds so they can be restored."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_YOUNG_THRESHOLD), *old[1:])
    return old


@contextmanager
def _young_threshold_raised() -> Iterator[None]:
    """:func:`_raise_young_threshold` for the length of a build in the caller's process, whose own
    thresholds come back when it ends (also when the caller stops reading early)."""
    old = _raise_young_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*old)


def chunks(
    articles: Iterable[RawArticle], size: int = DOCS_PER_TASK, first: tuple[int, ...] = ()
) -> Iterator[list[RawArticle]]:
    """Lists of ``size`` articles (the last may be shorter); the first lists have the sizes in ``first``."""
    iterator = iter(articles)
    for chunk_size in chain(first, repeat(size)):
        chunk = list(islice(iterator, chunk_size))
        if not chunk:
            return
        yield chunk


def warm_up(workers: int) -> tuple[int, ...]:
    """Sizes of the first tasks of a pool of ``workers``: one of :data:`FIRST_TASK_DOCS` each."""
    return (FIRST_TASK_DOCS,) * workers


class _Done:
    """An already computed result (cache hits only, or the in-process engine)."""

    def __init__(self, value: Sequence[ProcessedDocument]) -> None:
        self._value = value

    def result(self) -> Sequence[ProcessedDocument]:
        return self._value


def ordered_results(
    articles: Iterable[RawArticle],
    submit: Callable[[list[RawArticle]], _Result],
    window: int,
    lookup: Lookup | None = None,
    first: tuple[int, ...] = (),
) -> Iterator[ProcessedDocument]:
    """Run ``submit`` on chunks of the cache misses, ``window`` chunks in flight, yield in input order
    (chunk sizes: see :func:`chunks`)."""
    pending: deque[tuple[list[ProcessedDocument | None], _Result]] = deque()
    for chunk in chunks(articles, DOCS_PER_TASK, first):
        cached = [lookup(article) if lookup else None for article in chunk]
        misses = [article for article, hit in zip(chunk, cached, strict=True) if hit is None]
        pending.append((cached, submit(misses) if misses else _Done([])))
        if len(pending) >= window:
            yield from _merge(*pending.popleft())
    while pending:
        yield from _merge(*pending.popleft())


def _merge(cached: list[ProcessedDocument | None], computed: _Result) -> Iterator[ProcessedDocument]:
    fresh = iter(computed.result())
    for hit in cached:
        yield hit if hit is not None else next(fresh)


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers fork from a clean server process (no inherited threads or open writers)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


POOL_AFTER_MISSES = FIRST_TASK_DOCS
"""Documents to annotate before worker processes are started (``jobs > 1``): fewer are annotated here.
A pool costs ~0.35 s before its first result (start-up, imports, annotator set-up in every worker), so
a rebuild that changed a few documents is done faster in this process (BBC news, 1 of 2,225 changed,
jobs=2, fresh process: median 0.83 s with a pool, 0.51 s without, 4 runs each); a full build reaches
this count with its first task."""


class _InProcess:
    """Annotates chunks in this process with the same GC saving as our workers, undone at :meth:`close`
    so the caller's objects go back to the collector; left alone when the caller already froze its
    heap. No collection first (a full one costs ~30 ms in an incremental rebuild): garbage frozen here
    is collected after the unfreeze."""

    def __init__(self, names: tuple[str, ...] | None, options: AnnotatorOptions) -> None:
        self._names, self._options = names, options
        self._froze = False

    def run(self, chunk: list[RawArticle]) -> _Done:
        annotator_set = AnnotatorSet.shared(self._names, self._options)
        if not self._froze and not gc.get_freeze_count():
            gc.freeze()
            self._froze = True
        return _Done(unpack(pack(process_articles(chunk, annotator_set), self._names)))

    def close(self) -> None:
        if self._froze:
            gc.unfreeze()
            self._froze = False


def process_local(
    articles: Iterable[RawArticle],
    annotators: Sequence[str] | None,
    options: AnnotatorOptions,
    jobs: int = 1,
    lookup: Lookup | None = None,
) -> Iterator[ProcessedDocument]:
    """Processed documents in input order, using up to ``jobs`` processes (1: this process only).

    With ``jobs > 1`` the worker processes start once :data:`POOL_AFTER_MISSES` documents need
    annotating (at the first task of a full build); until then, and for a rebuild with fewer changed
    documents, this process annotates them itself. This process unpickles and writes every result."""
    names = None if annotators is None else tuple(annotators)
    here = _InProcess(names, options)
    with ExitStack() as stack:
        stack.callback(here.close)
        stack.enter_context(_young_threshold_raised())
        pool: ProcessPoolExecutor | None = None
        misses = 0

        def submit(chunk: list[RawArticle]) -> _Result:
            nonlocal pool, misses
            misses += len(chunk)
            if pool is None and jobs > 1 and misses >= POOL_AFTER_MISSES:
                pool = stack.enter_context(
                    ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_mark_own_worker)
                )
            if pool is None:
                return here.run(chunk)
            return Unpacked(pool.submit(process_chunk, chunk, names, options))

        window = 1 if jobs <= 1 else jobs * TASKS_IN_FLIGHT_PER_WORKER
        first = warm_up(jobs) if jobs > 1 else ()
        yield from ordered_results(articles, submit, window, lookup, first)
