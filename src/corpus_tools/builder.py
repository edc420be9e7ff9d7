"""``build()``: raw inputs to a complete dataset directory, atomically.

Reads (streaming) -> processes (this process, worker processes or Dask) -> writes documents and
staged sentences -> corpus-wide pass -> metadata and dataset card -> swaps the directory into place.
A failure at any step leaves the previous dataset untouched.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from corpus_tools import __version__
from corpus_tools.annotators import AnnotatorOptions, annotator_versions
from corpus_tools.card import card_markdown, file_schemas, stored_schema, write_card
from corpus_tools.corpus_pass import VERSION as CORPUS_PASS_VERSION
from corpus_tools.corpus_pass import CorpusIndex
from corpus_tools.executor import Lookup, default_jobs, process_local
from corpus_tools.incremental import SIGNATURES_FILE, PreviousBuild
from corpus_tools.lexicons import lexicon_checksums
from corpus_tools.pipeline import PIPELINE_VERSION, ProcessedDocument, assign_unique_ids
from corpus_tools.readers import (
    BuildReport,
    FieldNames,
    RawArticle,
    file_sha256,
    input_checksums,
    iter_articles,
)
from corpus_tools.schema import SCHEMA_VERSION
from corpus_tools.validate import REQUIRED_FILES, sha256_file
from corpus_tools.writer import DatasetWriter, replace_dir, temp_dir_for

DEFAULT_INPUT = Path("datasets/raw")
DEFAULT_OUTPUT = Path("datasets/processed")
METADATA_FILE = "metadata.json"
INDEX_SPILL_DIR = ".corpus-index"
"""Folder in the build's temporary directory for the corpus index's full blocks (gone before the swap)."""
DATASET_FILES = frozenset((*REQUIRED_FILES, SIGNATURES_FILE))
"""Everything a build writes into its output folder (and so may replace there)."""


T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")


class BuildError(Exception):
    """The build could not produce a dataset (nothing to read, or every input was bad)."""


@dataclass
class BuildResult:
    out_dir: Path
    n_documents: int
    n_sentences: int
    report: BuildReport
    metadata: dict[str, Any] = field(default_factory=dict)
    reused: int = 0  # documents taken from the previous build instead of annotated again
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per build phase, and cpu

    def summary(self) -> str:
        lines = [
            f"built {self.out_dir}",
            f"  documents: {self.n_documents:,}",
            f"  sentences: {self.n_sentences:,}",
            f"  reused:    {self.reused:,} unchanged document(s) from the previous build",
            f"  warnings:  {len(self.report.warnings)}",
            f"  skipped:   {len(self.report.skipped)}",
        ]
        ignored = self.report.ignored_files
        if ignored:  # files of other types in input folders: say so, never drop them silently
            lines.append(f"  ignored:   {len(ignored)} file(s) of unsupported types in the input folders")
        lines += [f"    warning: {w}" for w in self.report.warnings[:10]]
        lines += [f"    skipped: {s}" for s in self.report.skipped[:10]]
        lines += [f"    ignored: {name}" for name in ignored[:10]]
        hidden = sum(max(0, len(items) - 10) for items in (self.report.warnings, self.report.skipped, ignored))
        if hidden:
            lines.append(f"    ... {hidden} more in {self.out_dir / METADATA_FILE}")
        return "\n".join(lines)


def provenance(
    annotator_versions: dict[str, str], inputs: dict[str, str], annotators: Sequence[str] | None
) -> dict[str, Any]:
    """What the dataset was built from and with (deterministic: no clock, no absolute paths)."""
    versions = dict(sorted(annotator_versions.items()))
    versions["corpus:corpus_pass"] = CORPUS_PASS_VERSION
    return {
        "schema_version": SCHEMA_VERSION,
        "package": "corpus-tools",
        "package_version": __version__,
        "pipeline_version": PIPELINE_VERSION,
        "annotators": versions,
        "annotator_selection": None if annotators is None else list(annotators),
        "lexicons": lexicon_checksums(),
        "inputs": inputs,
    }


class Stopwatch:
    """Wall seconds per build phase (phases may be re-entered), cheap enough to time every document."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._cpu = time.process_time()

    def add(self, name: str, started: float) -> None:
        """Count the time since ``started`` (a ``time.perf_counter()`` value) under ``name``."""
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, started)

    def timed(self, name: str, items: Iterator[T]) -> Iterator[T]:
        """``items``, with the time spent producing each one counted under ``name``."""
        clock = time.perf_counter
        while True:
            started = clock()
            item = next(items, _END)
            self.add(name, started)
            if item is _END:
                return
            yield cast(T, item)

    def wrap(self, name: str, function: Callable[[A], R]) -> Callable[[A], R]:
        def timed_call(argument: A) -> R:
            started = time.perf_counter()
            try:
                return function(argument)
            finally:
                self.add(name, started)

        return timed_call

    def report(self) -> dict[str, float]:
        """Seconds per phase, and ``cpu`` (this process, all threads) since the stopwatch started."""
        return {
            **{k: round(v, 4) for k, v in self.seconds.items()},
            "cpu": round(time.process_time() - self._cpu, 4),
        }


_END = object()


def _progress(items: Iterator[ProcessedDocument], enabled: bool) -> Iterator[ProcessedDocument]:
    if not enabled:
        yield from items
        return
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        yield from items
        return
    yield from tqdm(items, unit="doc", file=sys.stderr, mininterval=0.5)


def build(
    inputs: Iterable[str | Path] = (DEFAULT_INPUT,),
    out_dir: str | Path = DEFAULT_OUTPUT,
    *,
    annotators: Sequence[str] | None = None,
    actors: str | Path | None = None,
    jobs: int | None = None,
    fields: FieldNames | None = None,
    on_error: str = "fail",
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool = False,
    incremental: bool = True,
) -> BuildResult:
    """Build ``documents.parquet``, ``sentences.parquet``, metadata and card into ``out_dir``.

    ``jobs``: worker processes (default: all cores); the output is identical for every value.
    ``engine``: ``"local"`` or ``"dask"`` (``scheduler``: address of a dask.distributed scheduler).
    ``on_error``: ``"fail"`` (default) or ``"skip"`` bad inputs, which are listed in the report.
    ``incremental``: reuse unchanged documents of the dataset already in ``out_dir`` (same versions).
    """
    clock = Stopwatch()
    input_paths = [Path(p) for p in inputs]
    out = check_output_dir(Path(out_dir), input_paths)
    report = BuildReport()
    options = AnnotatorOptions(actors=str(actors) if actors else None)
    names = None if annotators is None else list(annotators)
    with clock.phase("provenance"):
        metadata = provenance(annotator_versions(names), input_checksums(input_paths), names)
        metadata["actors"] = file_sha256(Path(actors)) if actors else "packaged"
    n_jobs = default_jobs() if jobs is None else max(1, int(jobs))
    with clock.phase("open_previous"):
        previous = PreviousBuild.open(out, metadata) if incremental and out.is_dir() else None

    articles = clock.timed(
        "read_inputs", iter_articles(input_paths, fields=fields, on_error=on_error, report=report)
    )
    lookup = clock.wrap("lookup_previous", previous.lookup) if previous is not None else None
    processed = _run_engine(articles, names, options, n_jobs, engine, scheduler, lookup)

    tmp = temp_dir_for(out)
    writer: DatasetWriter | None = None
    try:
        index = CorpusIndex(spill_dir=tmp / INDEX_SPILL_DIR)  # one block in memory: flat at any size
        # "process" is the rest of producing documents: annotation (and annotator set-up) of new ones
        for doc in clock.timed("process", _progress(assign_unique_ids(processed), progress)):
            started = time.perf_counter()
            if writer is None:
                writer = DatasetWriter(tmp, names, metadata, previous)
            index.add_arrays(doc.doc_id, str(doc.document["source"]), *doc.signature_arrays())
            writer.write(doc)
            clock.add("write_documents", started)
        if writer is None:
            problem = "; ".join(report.skipped[:3]) or "no .txt/.md/.jsonl/.csv article found"
            raise BuildError(f"no articles to build from {', '.join(map(str, input_paths))}: {problem}")
        with clock.phase("write_documents"):
            writer.finish_documents()
        with clock.phase("corpus_pass"):
            updates = index.resolve_rows()
        with clock.phase("write_sentences"):
            writer.write_signatures(index.signature_table())
            index.release_signatures()  # the largest thing held here at scale; not needed any more
            writer.finish(updates)
        with clock.phase("card_and_metadata"), ThreadPoolExecutor(3, "corpus-sha") as pool:
            metadata["counts"] = {"documents": writer.n_documents, "sentences": writer.n_sentences}
            metadata["build_report"] = report.as_dict()
            # the card text is written while the last sentences row group is still being compressed
            schemas = {
                **file_schemas(tmp, ("documents",)),
                "sentences": stored_schema(writer.sentence_schema),
            }
            readme = card_markdown(tmp, metadata, schemas)
            writer.close()
            # the data files are hashed in threads (hashlib releases the GIL) while croissant is written
            digests = {p.name: pool.submit(sha256_file, p) for p in sorted(tmp.iterdir())}
            write_card(tmp, metadata, lambda name: digests[name].result(), readme)
            metadata["files"] = {
                p.name: digests[p.name].result() if p.name in digests else sha256_file(p)
                for p in sorted(tmp.iterdir())
            }
            (tmp / METADATA_FILE).write_text(
                json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )
        result = BuildResult(
            out, writer.n_documents, writer.n_sentences, report, metadata, previous.hits if previous else 0
        )
        with clock.phase("swap_directory"):
            replace_dir(tmp, out)
        result.timings = clock.report()
        _subtract_nested(result.timings, "process", ("read_inputs", "lookup_previous"))
        return result
    except BaseException:
        if writer is not None:
            writer.abort()
        close = getattr(processed, "close", None)
        if close is not None:
            close()  # stops the worker pool now, not when the traceback is garbage-collected
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_output_dir(out: Path, inputs: Sequence[Path]) -> Path:
    """The folder to write the dataset into (a symlink's target, so the link keeps pointing at it).

    The build replaces the whole folder, so it refuses one that holds anything a build does not
    write (someone's files would be deleted) and one that is, holds or lies inside an input.
    """
    target = out.resolve() if out.is_symlink() else out
    if target.exists() and not target.is_dir():
        raise BuildError(f"{out}: exists and is not a folder; choose a new or empty folder for the dataset")
    resolved = target.resolve()
    for inp in inputs:
        source = inp.resolve()
        if source == resolved or resolved in source.parents or source in resolved.parents:
            raise BuildError(
                f"{out}: the output folder must not be, contain or lie inside the input {inp} "
                "(the build replaces the whole output folder)"
            )
    if target.is_dir():
        foreign = sorted(p.name for p in target.iterdir() if p.name not in DATASET_FILES)
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise BuildError(
                f"{out}: exists and holds files a build does not write ({shown}); the build replaces the "
                "whole folder, so choose a new or empty folder (or move those files)"
            )
    return target


def _subtract_nested(timings: dict[str, float], outer: str, inner: Sequence[str]) -> None:
    """``outer`` was timed around the generators of ``inner`` too: keep only its own share."""
    if outer in timings:
        nested = sum(timings.get(name, 0.0) for name in inner)
        timings[outer] = round(max(0.0, timings[outer] - nested), 4)


def _run_engine(
    articles: Iterator[RawArticle],
    names: Sequence[str] | None,
    options: AnnotatorOptions,
    jobs: int,
    engine: str,
    scheduler: str | None,
    lookup: Lookup | None,
) -> Iterator[ProcessedDocument]:
    if engine == "local":
        if scheduler:
            raise ValueError("--scheduler needs --engine dask")
        return process_local(articles, names, options, jobs, lookup)
    if engine == "dask":
        from corpus_tools.dask_engine import process_dask

        return process_dask(articles, names, options, scheduler=scheduler, jobs=jobs, lookup=lookup)
    raise ValueError(f"unknown engine {engine!r}; valid engines: local, dask")
