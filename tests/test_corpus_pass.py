"""Corpus pass: exact and near-duplicate sentences, repetition across documents of a source."""

from __future__ import annotations

import pickle

import pyarrow as pa

from corpus_tools.corpus_pass import (
    CORPUS_FIELDS,
    MIN_WORDS,
    N_HASHES,
    CorpusIndex,
    SentenceUpdate,
    sentence_signatures,
)
from corpus_tools.schema import describe

A = "The request has been met with serious consideration by NATO allies in Brussels."
A_NEAR = "The request has been met with serious consideration by NATO allies in Brussels this week."
B = "Lithuania's defence ministry said the drone crashed in a field near the border."
C = "Officials in Vilnius expect a decision from the alliance before the end of the month."
TEMPLATE = "Follow our live coverage of the war in Ukraine for the latest updates."


def _resolve(*docs: tuple[str, str, list[str]]) -> dict[tuple[str, int], SentenceUpdate]:
    index = CorpusIndex()
    for doc_id, source, texts in docs:
        index.add(doc_id, source, sentence_signatures(texts))
    return index.resolve()


def test_schema_declares_pointer_column() -> None:
    assert CORPUS_FIELDS.names == ["near_duplicate_of"]
    assert CORPUS_FIELDS.field("near_duplicate_of").type == pa.string()
    assert describe(CORPUS_FIELDS.field("near_duplicate_of"))


def test_signatures_are_compact_and_picklable() -> None:
    sigs = sentence_signatures([A, "Too short.", "", B])
    assert len(sigs) == 4
    assert sigs[1].exact == 0 and sigs[2].exact == 0
    assert len(sigs[0].minhash) == 2 * N_HASHES
    assert pickle.loads(pickle.dumps(sigs)) == sigs
    assert sentence_signatures([]) == []
    assert sentence_signatures([A]) == sentence_signatures([A])  # deterministic
    # normalisation: case, punctuation and spacing do not matter
    assert (
        sentence_signatures(
            ["  the REQUEST has been met, with serious consideration by NATO allies in Brussels"]
        )[0].exact
        == sigs[0].exact
    )


def test_empty_index() -> None:
    assert CorpusIndex().resolve() == {}
    index = CorpusIndex()
    index.add("d", "s", [])
    index.add("e", "s", sentence_signatures(["Short.", ""]))
    assert index.resolve() == {}


def test_exact_repeat_within_document_points_to_first() -> None:
    updates = _resolve(("d1", "s", [A, B, A]))
    assert updates == {("d1", 2): SentenceUpdate(("near_duplicate",), "d1:0")}


def test_near_duplicate_across_documents_points_to_earlier() -> None:
    updates = _resolve(("d1", "s", [A, B]), ("d2", "t", [C, A_NEAR]))
    assert updates == {("d2", 1): SentenceUpdate(("near_duplicate",), "d1:0")}
    # "earlier" is add() order: swapping the documents swaps the pointer
    swapped = _resolve(("d2", "t", [C, A_NEAR]), ("d1", "s", [A, B]))
    assert swapped == {("d1", 0): SentenceUpdate(("near_duplicate",), "d2:1")}


def test_repeated_across_two_documents_of_a_source() -> None:
    updates = _resolve(("d1", "site", [A, B]), ("d2", "site", [C, B]))
    assert updates == {("d2", 1): SentenceUpdate(("repeated_across_documents", "near_duplicate"), "d1:1")}


def test_template_line_in_three_documents_flags_every_occurrence() -> None:
    updates = _resolve(
        ("d1", "site", [A, TEMPLATE]), ("d2", "site", [B, TEMPLATE]), ("d3", "site", [TEMPLATE, C])
    )
    assert updates[("d1", 1)] == SentenceUpdate(("repeated_across_documents",), None)
    assert updates[("d2", 1)] == SentenceUpdate(("repeated_across_documents", "near_duplicate"), "d1:1")
    assert updates[("d3", 0)] == SentenceUpdate(("repeated_across_documents", "near_duplicate"), "d1:1")
    assert len(updates) == 3


def test_exact_repeat_in_another_source_is_a_near_duplicate_only() -> None:
    updates = _resolve(("d1", "reuters", [A]), ("d2", "bbc", [A]))
    assert updates == {("d2", 0): SentenceUpdate(("near_duplicate",), "d1:0")}


def test_different_and_short_sentences_are_not_flagged() -> None:
    similar_words = "The request has been rejected by the Russian government in Moscow on Monday evening."
    short = "He said no."
    assert len(short.split()) < MIN_WORDS
    updates = _resolve(("d1", "s", [A, short, B]), ("d2", "s", [similar_words, short, C]))
    assert updates == {}


def test_resolution_is_deterministic() -> None:
    docs = [
        (f"d{i}", "s", [A if i % 2 else B, C, TEMPLATE, f"Sentence number {i} is unique to this document."])
        for i in range(6)
    ]
    assert _resolve(*docs) == _resolve(*docs)


def test_annotate_text_sets_pointer_and_reason() -> None:
    from corpus_tools import annotate_text

    text = f"{A} {B}\n\n{C} {A}"
    df = annotate_text(text, annotators=["boilerplate"])
    repeat = df[df["near_duplicate_of"].notna()]
    assert len(repeat) == 1
    row = repeat.iloc[0]
    assert row["near_duplicate_of"] == f"{row['doc_id']}:0"
    assert "near_duplicate" in list(row["boilerplate_reasons"]) and row["is_boilerplate"]
