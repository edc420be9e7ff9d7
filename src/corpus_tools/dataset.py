"""Reading a built dataset back: :func:`load` and the Arrow -> pandas conversion shared with ``annotate_text``.

The Parquet files are readable without this package (pandas, pyarrow, DuckDB, polars, Hugging Face
``datasets``); ``load`` adds two things: it refuses a dataset written with a newer major schema
version, and it turns list and struct cells into Python lists and dicts (pandas would otherwise hand
back numpy arrays), the same as :func:`corpus_tools.annotate_text` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.schema import SCHEMA_VERSION

METADATA_KEY = b"corpus_tools"


class Dataset(NamedTuple):
    documents: pd.DataFrame
    sentences: pd.DataFrame


class SchemaVersionError(ValueError):
    """The dataset was written by a newer, incompatible version of corpus_tools."""


def _major(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except ValueError as err:
        raise SchemaVersionError(f"unreadable schema version {version!r}") from err


def dataset_metadata(path: Path) -> dict[str, object]:
    """The provenance stored in a Parquet file's key-value metadata."""
    schema = pq.read_schema(path)
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        raise ValueError(f"{path}: no corpus_tools metadata; not a corpus_tools dataset file")
    return json.loads(raw)


def check_schema_version(path: Path) -> str:
    """The file's schema version; raises :class:`SchemaVersionError` when its major version is newer."""
    version = str(dataset_metadata(path).get("schema_version", "0"))
    if _major(version) > _major(SCHEMA_VERSION):
        raise SchemaVersionError(
            f"{path} uses schema version {version}, newer than this corpus_tools understands "
            f"({SCHEMA_VERSION}); upgrade corpus-tools to read it"
        )
    return version


def to_frame(table: pa.Table) -> pd.DataFrame:
    """pandas view of an Arrow table with list/struct cells as Python lists/dicts."""
    frame = table.to_pandas()
    for field in table.schema:
        if (
            pa.types.is_list(field.type)
            or pa.types.is_large_list(field.type)
            or pa.types.is_struct(field.type)
        ):
            frame[field.name] = pd.Series(
                table.column(field.name).to_pylist(), index=frame.index, dtype=object
            )
    return frame


def load(path: str | Path = "datasets/processed", *, columns: list[str] | None = None) -> Dataset:
    """The documents and sentences tables of a built dataset as DataFrames.

    ``columns`` restricts the *sentences* columns read (large corpora); documents are read whole.
    """
    root = Path(path)
    files = {name: root / f"{name}.parquet" for name in ("documents", "sentences")}
    for file in files.values():
        if not file.is_file():
            raise FileNotFoundError(
                f"{file}: missing; build the dataset first (corpus-tools build --out {root})"
            )
        check_schema_version(file)
    return Dataset(
        documents=to_frame(pq.read_table(files["documents"])),
        sentences=to_frame(pq.read_table(files["sentences"], columns=columns)),
    )
