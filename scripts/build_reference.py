"""Build the human-news reference distribution used by notebook 03 (text quality).

Runs the full pipeline on ``../shared/benchmarks/corpora/bbc_news.jsonl`` (BBC News 2004-05, human
written; exact duplicates flagged upstream are left out) and keeps **derived per-document statistics
only** — no article text, no titles — in ``datasets/reference/bbc_news_document_stats.parquet``, with
a provenance JSON beside it. The BBC texts are research-use only and never enter the repository.

    .venv/bin/python scripts/build_reference.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "benchmarks" / "corpora" / "bbc_news.jsonl"
OUT_DIR = ROOT / "datasets" / "reference"
OUT_FILE = OUT_DIR / "bbc_news_document_stats.parquet"
TEXT_COLUMNS = {
    "doc_id",
    "source",
    "title",
    "path",
    "record_id",
    "raw_sha256",
    "raw_text",
    "text",
    "normalisation_edits",
    "encoding",
    "warnings",
}
PROSE = ("lede", "paragraph")


def sentence_aggregates(sentences: pd.DataFrame) -> pd.DataFrame:
    """Per-document shares computed from the sentence annotations (prose sentences for tone/hedging)."""
    prose = sentences[sentences["block_type"].isin(PROSE)]
    by_doc = prose.groupby("doc_id")
    out = pd.DataFrame(
        {
            "tone_mean": by_doc["tone_compound"].mean(),
            "hedged_share": by_doc["is_hedged"].mean(),
            "boosted_share": by_doc["booster_cues"].apply(lambda s: s.map(len).gt(0).mean()),
        }
    )
    everything = sentences.groupby("doc_id")
    out["boilerplate_share"] = everything["is_boilerplate"].mean()
    out["near_duplicate_share"] = everything["near_duplicate_of"].apply(lambda s: s.notna().mean())
    out["quality_flags_per_100_sentences"] = everything["quality_flags"].apply(
        lambda s: 100 * s.map(len).sum() / len(s)
    )
    return out


def main() -> int:
    if not BBC.is_file():
        print(f"{BBC} not found: the reference needs ../shared/benchmarks", file=sys.stderr)
        return 1
    from corpus_tools import load
    from corpus_tools.builder import build
    from corpus_tools.incremental import COMPATIBILITY_KEYS

    records = [json.loads(line) for line in BBC.read_text(encoding="utf-8").splitlines() if line.strip()]
    originals = [r for r in records if not r.get("duplicate_of")]
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "bbc.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for r in originals:
                handle.write(
                    json.dumps(
                        {"id": r["id"], "title": r.get("title"), "text": r["text"], "source": "bbc_news"}
                    )
                    + "\n"
                )
        build([source], Path(work) / "out", jobs=None, incremental=False)
        documents, sentences = load(Path(work) / "out")
        built = json.loads((Path(work) / "out" / "metadata.json").read_text(encoding="utf-8"))
    category = {str(r["id"]): r.get("category") for r in originals}
    stats = documents[[c for c in documents.columns if c not in TEXT_COLUMNS]].copy()
    stats.insert(0, "bbc_id", documents["record_id"])
    stats.insert(1, "category", documents["record_id"].map(category))
    aggregates = sentence_aggregates(sentences).reindex(documents["doc_id"]).reset_index(drop=True)
    stats = pd.concat([stats.reset_index(drop=True), aggregates], axis=1)
    numeric = stats.select_dtypes("number").columns
    stats[numeric] = stats[numeric].astype(float).round(4)
    stats = stats.sort_values("bbc_id", kind="stable").reset_index(drop=True)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(stats, preserve_index=False)
    from corpus_tools import __version__

    provenance = {
        "source": "../shared/benchmarks/corpora/bbc_news.jsonl (Greene & Cunningham 2006; BBC copyright, research use)",
        "documents": len(stats),
        "excluded_exact_duplicates": len(records) - len(originals),
        "corpus_tools_version": __version__,
        "content": "derived per-document statistics only; no text or titles",
        # what the statistics were computed with: tests/test_dataset_fresh.py fails when these drift
        **{key: built[key] for key in COMPATIBILITY_KEYS},
    }
    pq.write_table(
        table.replace_schema_metadata({b"provenance": json.dumps(provenance, sort_keys=True)}),
        OUT_FILE,
        compression="zstd",
    )
    (OUT_DIR / "bbc_news_document_stats.json").write_text(
        json.dumps(provenance, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUT_FILE.relative_to(ROOT)}: {len(stats)} documents, {len(stats.columns)} columns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
