"""Aggregations used by the notebooks (kept here so notebooks stay short and the logic is tested).

Every function takes the ``documents`` / ``sentences`` DataFrames of :func:`corpus_tools.load` and
returns a tidy DataFrame sorted deterministically, so notebook outputs are stable under nbval.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from corpus_tools.corpus_pass import copied_documents

PROSE_BLOCKS = ("lede", "paragraph")
STRUCTURE_COLUMNS = ("n_blocks", "n_headings", "n_list_items", "n_table_rows", "n_sentences", "n_words")
DOCUMENT_SIGNALS = (
    "readability_flesch_reading_ease",
    "readability_flesch_kincaid_grade",
    "quality_boilerplate_fraction",
    "quality_duplicate_5gram_char_fraction",
    "quality_tortured_phrase_count",
    "quality_spacing_error_count",
    "quality_llm_style_score",
)


def structure_by_source(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents and structural counts per source."""
    columns = [c for c in STRUCTURE_COLUMNS if c in documents]
    table = documents.groupby("source")[columns].sum()
    table.insert(0, "documents", documents.groupby("source").size())
    return table.sort_index()


def block_types_by_source(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences per block type and source (rows: source, columns: block type)."""
    return pd.crosstab(sentences["source"], sentences["block_type"]).sort_index()


def stance_mentions(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per actor mention: source, doc, sentence, target, mention, label, score, cue, text."""
    rows = []
    record: Any
    for record in sentences[["source", "doc_id", "sentence_index", "text", "stance"]].itertuples(index=False):
        for entry in record.stance or []:
            rows.append(
                {
                    "source": record.source,
                    "doc_id": record.doc_id,
                    "sentence_index": int(record.sentence_index),
                    "target": entry["target"],
                    "mention": entry["mention"],
                    "label": entry["label"],
                    "score": entry["score"],
                    "cue": entry.get("cue"),
                    "text": record.text,
                }
            )
    columns = ["source", "doc_id", "sentence_index", "target", "mention", "label", "score", "cue", "text"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(
        ["source", "doc_id", "sentence_index", "target", "mention"], kind="stable"
    ).reset_index(drop=True)


def actor_mentions_by_source(sentences: pd.DataFrame, actors: Sequence[str] | None = None) -> pd.DataFrame:
    """Sentences mentioning each actor, per source (rows: actor, columns: source)."""
    mentions = stance_mentions(sentences).drop_duplicates(["source", "doc_id", "sentence_index", "target"])
    table = pd.crosstab(mentions["target"], mentions["source"])
    if actors is not None:
        table = table.reindex(list(actors), fill_value=0)
    return table.sort_index()


def stance_by_source(sentences: pd.DataFrame, actors: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of favor / neutral / against mentions per (source, actor), with the mention count."""
    mentions = stance_mentions(sentences)
    if actors is not None:
        mentions = mentions[mentions["target"].isin(list(actors))]
    counts = mentions.groupby(["source", "target", "label"]).size().unstack("label", fill_value=0)
    for label in ("favor", "neutral", "against"):
        if label not in counts:
            counts[label] = 0
    counts = counts[["favor", "neutral", "against"]]
    shares = counts.div(counts.sum(axis=1), axis=0).round(3)
    shares["mentions"] = counts.sum(axis=1)
    return shares.sort_index()


def implicit_actors_by_source(sentences: pd.DataFrame) -> pd.DataFrame:
    """Unnamed actor references per source (rows: reference, columns: source)."""
    exploded = sentences[["source", "implicit_actors"]].explode("implicit_actors").dropna()
    if exploded.empty:
        return pd.DataFrame()
    return pd.crosstab(exploded["implicit_actors"], exploded["source"]).sort_index()


def frame_shares(sentences: pd.DataFrame, by: Sequence[str] = ("source",)) -> pd.DataFrame:
    """Share of prose and list sentences cueing each frame, per group (a sentence may cue several frames)."""
    prose = sentences[sentences["block_type"].isin((*PROSE_BLOCKS, "list_item"))]
    totals = prose.groupby(list(by)).size()
    exploded = prose[[*by, "frames"]].explode("frames").dropna()
    counts = exploded.groupby([*by, "frames"]).size().unstack("frames", fill_value=0)
    counts = counts.reindex(totals.index, fill_value=0)
    return counts.div(totals, axis=0).round(3).sort_index(axis=0).sort_index(axis=1)


def tone_and_hedging_by_source(sentences: pd.DataFrame) -> pd.DataFrame:
    """Mean tone, tone label shares, hedged and boosted sentence shares per source (prose only)."""
    prose = sentences[sentences["block_type"].isin(PROSE_BLOCKS)]
    grouped = prose.groupby("source")
    table = pd.DataFrame(
        {
            "sentences": grouped.size(),
            "tone_mean": grouped["tone_compound"].mean(),
            "positive_share": grouped["tone_label"].apply(lambda s: (s == "positive").mean()),
            "negative_share": grouped["tone_label"].apply(lambda s: (s == "negative").mean()),
            "hedged_share": grouped["is_hedged"].mean(),
            "boosted_share": grouped["booster_cues"].apply(lambda s: s.map(len).gt(0).mean()),
        }
    )
    return table.round(3).sort_index()


def top_cues(sentences: pd.DataFrame, column: str, n: int = 10) -> pd.DataFrame:
    """Most frequent cues of a list column (e.g. hedge_cues) per source, ties broken alphabetically."""
    exploded = sentences[["source", column]].explode(column).dropna()
    counts = exploded.groupby(["source", column]).size().rename("count").reset_index()
    counts = counts.sort_values(["source", "count", column], ascending=[True, False, True], kind="stable")
    return counts.groupby("source").head(n).reset_index(drop=True)


def boilerplate_by_source(sentences: pd.DataFrame) -> pd.DataFrame:
    """Share of sentences flagged as boilerplate per source, and per reason."""
    grouped = sentences.groupby("source")
    table = pd.DataFrame({"sentences": grouped.size(), "boilerplate_share": grouped["is_boilerplate"].mean()})
    exploded = sentences[["source", "boilerplate_reasons"]].explode("boilerplate_reasons").dropna()
    reasons = pd.crosstab(exploded["source"], exploded["boilerplate_reasons"]).reindex(
        table.index, fill_value=0
    )
    reasons = reasons.div(table["sentences"], axis=0)
    return pd.concat([table, reasons.add_prefix("share_")], axis=1).round(3).sort_index()


def copied_documents_frame(sentences: pd.DataFrame) -> pd.DataFrame:
    """Documents that copy an earlier document (re-edits, syndicated versions; see
    :func:`corpus_tools.corpus_pass.copied_documents`): ``doc_id``, ``copy_of``, ``fraction``."""
    counts = {str(k): int(v) for k, v in sentences.groupby("doc_id", sort=False).size().items()}
    repeats = sentences[sentences["near_duplicate_of"].notna()]
    pointers = zip(repeats["doc_id"], repeats["near_duplicate_of"], strict=True)
    rows = [(c.doc_id, c.copy_of, c.fraction) for c in copied_documents(pointers, counts)]
    return pd.DataFrame(rows, columns=["doc_id", "copy_of", "fraction"])


def quality_flag_counts(sentences: pd.DataFrame) -> pd.DataFrame:
    """Quality flags per source, split into kind (before ':') and detail."""
    exploded = sentences[["source", "quality_flags"]].explode("quality_flags").dropna()
    if exploded.empty:
        return pd.DataFrame(columns=["source", "kind", "detail", "count"])
    parts = exploded["quality_flags"].str.split(":", n=1, expand=True)
    detail = parts[1].fillna("") if parts.shape[1] > 1 else ""
    exploded = exploded.assign(kind=parts[0], detail=detail)
    counts = exploded.groupby(["source", "kind", "detail"]).size().rename("count").reset_index()
    return counts.sort_values(
        ["source", "kind", "count", "detail"], ascending=[True, True, False, True], kind="stable"
    ).reset_index(drop=True)


def percentile_in_reference(values: pd.Series, reference: pd.Series) -> pd.Series:
    """Mid-rank percentile (0-100) of each value within the reference distribution.

    Ties count half (share below + half the share equal), so a value of 0 in a reference where most
    articles score 0 sits near the middle rather than at the top.
    """
    ref = np.sort(reference.dropna().to_numpy(dtype=float))
    if ref.size == 0:
        return pd.Series(np.nan, index=values.index)
    points = values.to_numpy(dtype=float)
    below = np.searchsorted(ref, points, side="left")
    at_or_below = np.searchsorted(ref, points, side="right")
    return pd.Series((100.0 * (below + at_or_below) / (2 * ref.size)).round(1), index=values.index)


def compare_with_reference(
    documents: pd.DataFrame, reference: pd.DataFrame, columns: Sequence[str] = DOCUMENT_SIGNALS
) -> pd.DataFrame:
    """Each document's signals beside the reference median and the document's reference percentile."""
    rows = []
    for column in columns:
        if column not in documents or column not in reference:
            continue
        percentiles = percentile_in_reference(documents[column], reference[column])
        for (source, value), pct in zip(
            documents[["source", column]].itertuples(index=False), percentiles, strict=True
        ):
            rows.append(
                {
                    "signal": column,
                    "source": source,
                    "value": round(float(value), 3),
                    "reference_median": round(float(reference[column].median()), 3),
                    "reference_p95": round(float(reference[column].quantile(0.95)), 3),
                    "percentile_in_reference": pct,
                }
            )
    return pd.DataFrame(rows).sort_values(["signal", "source"], kind="stable").reset_index(drop=True)
