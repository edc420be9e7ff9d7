"""``--engine dask``: the same per-document work on a dask.distributed cluster.

Tasks are chunks of articles sent to the workers with a bounded window; results come back to this
process in input order and are written by the same writer as the local engine, so the dataset is
identical in content. Each Dask worker process builds its annotators once
(:meth:`corpus_tools.annotators.AnnotatorSet.shared`). Dask is an optional extra:
``pip install "corpus-tools[dask]"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from corpus_tools.annotators import AnnotatorOptions
from corpus_tools.executor import (
    TASKS_IN_FLIGHT_PER_WORKER,
    Lookup,
    Unpacked,
    ordered_results,
    process_chunk,
    warm_up,
)
from corpus_tools.pipeline import ProcessedDocument
from corpus_tools.readers import RawArticle


def _client(scheduler: str | None, jobs: int) -> Any:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:
        raise ValueError('--engine dask needs the dask extra: pip install "corpus-tools[dask]"') from err
    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster)


def process_dask(
    articles: Iterable[RawArticle],
    annotators: Sequence[str] | None,
    options: AnnotatorOptions,
    *,
    scheduler: str | None = None,
    jobs: int = 1,
    lookup: Lookup | None = None,
) -> Iterator[ProcessedDocument]:
    """Processed documents in input order, computed on a Dask cluster (a LocalCluster by default)."""
    names = None if annotators is None else tuple(annotators)
    client = _client(scheduler, jobs)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))

        def submit(chunk: list[RawArticle]) -> Any:
            return Unpacked(client.submit(process_chunk, chunk, names, options, pure=False))

        yield from ordered_results(
            articles, submit, n_workers * TASKS_IN_FLIGHT_PER_WORKER, lookup, warm_up(n_workers)
        )
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and not scheduler:
            cluster.close()
