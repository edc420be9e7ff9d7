"""Corpus pass: exact and near-duplicate sentences, repetition across documents of a source."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_tools.corpus_pass import (
    CORPUS_FIELDS,
    MIN_WORDS,
    N_HASHES,
    CorpusIndex,
    SentenceUpdate,
    _canonical,
    _canonicals,
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


def _canonical_utf8(texts: list[str]) -> list[bytes]:
    return [_canonical(t).encode("utf-8") for t in texts]


_ASCII_TEXTS = st.lists(st.text(st.characters(max_codepoint=127), max_size=40), max_size=8)
_ANY_TEXTS = st.lists(st.text(max_size=40), max_size=8)


@settings(max_examples=300, deadline=None)
@given(_ASCII_TEXTS)
def test_canonicals_ascii_fast_path_matches_canonical(texts: list[str]) -> None:
    assert _canonicals(texts) == _canonical_utf8(texts)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXTS)
def test_canonicals_match_canonical_on_any_unicode(texts: list[str]) -> None:
    assert _canonicals(texts) == _canonical_utf8(texts)


def test_canonicals_fast_path_treats_every_ascii_character_like_canonical() -> None:
    texts = [f"ab{chr(c)}Cd" for c in range(1, 128)]
    assert _canonicals(texts) == _canonical_utf8(texts)
    assert _canonicals(["a\0b", "c"]) == [b"a b", b"c"]  # NUL inside a text: fallback


def test_canonicals_treat_every_code_point_like_canonical() -> None:
    # 16 texts a document keep the str.replace path; a lone surrogate must not reach .encode()
    chars = [chr(c) for c in range(1, 0x110000)]
    for i in range(0, len(chars), 16):
        texts = [f"Ab{c}Cd {c}é{c}" for c in chars[i : i + 16]]
        assert _canonicals(texts) == _canonical_utf8(texts)
    many = [f"x{chr(c)}y" for c in range(0x2010, 0x2030)]  # > 16 distinct separators: regex path
    assert _canonicals(many) == _canonical_utf8(many)


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


def _reference_resolve(docs: list[tuple[str, str, list[str]]]) -> dict[tuple[str, int], SentenceUpdate]:
    """The corpus pass rules written as plain loops (the pre-vectorised implementation)."""
    from corpus_tools.corpus_pass import (
        BANDS,
        MAX_CANDIDATES,
        NEAR_DUPLICATE_THRESHOLD,
        TEMPLATE_MIN_DOCUMENTS,
    )

    rows = []  # (doc number, doc_id, sentence index, source, exact, sketch)
    for number, (doc_id, source, texts) in enumerate(docs):
        for index, sig in enumerate(sentence_signatures(texts)):
            if sig.exact:
                rows.append((number, doc_id, index, source, sig.exact, np.frombuffer(sig.minhash, "<u2")))
    first: dict[int, int] = {}
    pointer: dict[int, int] = {}
    for row, (*_, exact, _sketch) in enumerate(rows):
        if exact in first:
            pointer[row] = first[exact]
        else:
            first[exact] = row
    repeated: set[int] = set()
    groups: dict[tuple[int, str], list[int]] = {}
    for row, (_n, _d, _i, source, exact, _s) in enumerate(rows):
        groups.setdefault((exact, source), []).append(row)
    for members in groups.values():
        docs_in = sorted({rows[r][0] for r in members})
        if len(docs_in) >= TEMPLATE_MIN_DOCUMENTS:
            repeated.update(members)
        elif len(docs_in) == 2:
            repeated.update(r for r in members if rows[r][0] != docs_in[0])
    representatives = sorted(first.values())
    width = N_HASHES // BANDS
    best: dict[int, int] = {}
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = {}
        for row in representatives:
            buckets.setdefault(rows[row][5][band * width : (band + 1) * width].tobytes(), []).append(row)
        for bucket in buckets.values():
            for j, later in enumerate(bucket):
                for earlier in bucket[max(0, j - MAX_CANDIDATES) : j]:
                    if np.mean(rows[earlier][5] == rows[later][5]) >= NEAR_DUPLICATE_THRESHOLD:
                        best[later] = min(best.get(later, earlier), earlier)
                        break
    for row, earlier in best.items():
        pointer.setdefault(row, earlier)
    out = {}
    for row in sorted(set(pointer) | repeated):
        reasons = ("repeated_across_documents",) if row in repeated else ()
        target = pointer.get(row)
        if target is not None:
            reasons += ("near_duplicate",)
        where = f"{rows[target][1]}:{rows[target][2]}" if target is not None else None
        out[(rows[row][1], rows[row][2])] = SentenceUpdate(reasons, where)
    return out


def test_vectorised_pass_matches_the_reference_loops() -> None:
    rng = random.Random(7)
    words = "alliance border drone minister said crossed night city report army field village talks".split()
    pool = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + "." for _ in range(60)]
    docs = []
    for d in range(80):
        texts = []
        for _ in range(rng.randint(0, 9)):
            sentence = rng.choice(pool)
            if rng.random() < 0.4:  # a near variant: one word changed, added or dropped
                parts = sentence.rstrip(".").split()
                k = rng.randrange(len(parts))
                parts[k] = rng.choice(words) if rng.random() < 0.7 else parts[k] + " " + rng.choice(words)
                sentence = " ".join(parts) + "."
            texts.append(sentence)
        docs.append((f"d{d}", rng.choice(["a", "b", "c"]), texts))
    expected = _reference_resolve(docs)
    assert sum("near_duplicate" in u.reasons for u in expected.values()) > 50
    assert sum("repeated_across_documents" in u.reasons for u in expected.values()) > 20
    assert _resolve(*docs) == expected


def test_copied_documents_finds_re_edits_not_shared_lines() -> None:
    from corpus_tools.corpus_pass import DocumentCopy, copied_documents

    pointers = [
        ("b", "a:0"),
        ("b", "a:1"),
        ("b", "a:2"),
        ("b", None),  # 3 of b's 4 sentences repeat a
        ("c", "a:3"),  # one shared line of 4: not a copy
        ("d", "d:0"),
        ("d", "d:1"),  # repeats itself only: padding, not a copy
        ("e", "a:0"),
        ("e", "b:3"),  # tie at 1 of 2: the first document pointed to wins
    ]
    counts = {"a": 4, "b": 4, "c": 4, "d": 2, "e": 2}
    assert copied_documents(pointers, counts) == [DocumentCopy("b", "a", 0.75), DocumentCopy("e", "a", 0.5)]
    assert copied_documents(pointers, counts, min_fraction=0.8) == []


def test_copied_documents_frame_from_a_built_corpus(tmp_path: Path) -> None:
    from corpus_tools import build, load
    from corpus_tools.analysis import copied_documents_frame

    story = [
        "The council approved the new budget for the harbour district on Monday evening.",
        "Local traders said the plan would bring more visitors to the old market square.",
        "Opponents argued that the money should have gone to schools and public transport.",
        "A final vote on the second part of the plan is expected in the spring.",
    ]
    other = "Rain is forecast for the whole region during the first week of the festival season."
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("\n\n".join(story), encoding="utf-8")
    update = [*story[:3], "The mayor welcomed the decision and thanked the staff of the planning office."]
    (tmp_path / "raw" / "b.txt").write_text("\n\n".join(update), encoding="utf-8")
    (tmp_path / "raw" / "c.txt").write_text(
        story[0] + "\n\n" + other + "\n\n" + other.replace("Rain", "Snow"), encoding="utf-8"
    )
    build([tmp_path / "raw"], tmp_path / "out", jobs=1)
    data = load(tmp_path / "out")
    copies = copied_documents_frame(data.sentences)
    ids = dict(zip(data.documents["path"].map(lambda p: Path(p).stem), data.documents["doc_id"], strict=True))
    assert copies.to_dict("records") == [{"doc_id": ids["b"], "copy_of": ids["a"], "fraction": 0.75}]


def test_index_blocks_do_not_change_the_pass_or_the_stored_signatures(tmp_path: Path) -> None:
    """Rows spread over many small blocks (and documents across block edges), kept in memory or spilled
    to disk, give the same updates and the same signature table as one block."""
    import pytest

    import corpus_tools.corpus_pass as cp

    rng = random.Random(7)
    pool = [
        "Drones crossed into Lithuania again on Tuesday night, officials said.",
        "Drones crossed into Lithuania again on Tuesday evening, officials said.",
        "NATO said air defence for the Baltic states is needed now more than ever.",
        "The ministry asked allies for more air defence systems before winter.",
        "Short one.",
    ]
    docs = []
    for d in range(12):
        sentences = [rng.choice(pool) for _ in range(rng.randint(0, 9))]
        docs.append((f"d{d}", f"s{d % 3}", sentence_signatures(sentences)))

    def run(spill_dir: Path | None = None) -> tuple[cp.RowUpdates, pa.Table, int]:
        index = cp.CorpusIndex(spill_dir=spill_dir)
        for doc_id, source, sigs in docs:
            index.add(doc_id, source, sigs)
        if spill_dir is not None:  # every full block went to disk: only the last one is in memory
            assert sum(not isinstance(block, np.memmap) for block in index._exact) == 1
            assert len(list(spill_dir.iterdir())) == 2 * (len(index._exact) - 1) > 0
        result = index.resolve_rows(), index.signature_table().combine_chunks(), len(index)
        index.release_signatures()
        return result

    one_block = run()
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(cp, "INDEX_BLOCK_ROWS", 4)
        blocks = run()
        spilled = run(tmp_path / "spill")
    finally:
        patch.undo()
    assert not (tmp_path / "spill").exists()  # release_signatures removed the spilled blocks
    assert blocks[1].num_rows == one_block[1].num_rows == sum(len(s) for _, _, s in docs)
    for other in (blocks, spilled):
        assert other[1].equals(one_block[1])
        assert other[2] == one_block[2]
        for a, b in zip(other[0].__dict__.values(), one_block[0].__dict__.values(), strict=True):
            assert (a == b).all() if isinstance(a, np.ndarray) else a == b
    assert len(one_block[0].rows) > 0  # the random corpus has repeats, so the comparison means something
