"""Quality annotators: contract, tortured phrases, LLM style, spacing errors, Gopher signals, benchmarks."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import check_document_contract
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_tools.annotators import quality
from corpus_tools.annotators.base import DocumentView, SentenceBatch
from corpus_tools.annotators.quality import (
    _ASCII_NUMBER,
    DocumentQualityAnnotator,
    GopherConfig,
    QualityAnnotator,
    QualityConfig,
    _alpha_words,
    _ellipses,
    _ngram_fractions,
    _ngram_words,
    _sentence_words,
    _word_counts,
    gopher_failed_rules,
    gopher_signals,
    llm_style_score,
    sentence_flags,
    style_markers,
    style_words,
    tortured_phrases,
)
from corpus_tools.lexicons import load_lexicon
from corpus_tools.schema import describe

HUMAN_NEWS = (
    "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months to "
    "December, from $639m year-earlier. The firm said fourth quarter sales rose 2% to $11.1bn from $10.9bn. "
    '"We are pleased with the results," chief executive Richard Parsons told reporters on Wednesday. '
    "Its profits were buoyed by one-off gains which offset a profit dip at Warner Bros, and less users for AOL. "
    "Time Warner said on Friday that it now owns 8% of search-engine Google."
)
LLM_NEWS = (
    "The announcement underscores the growing importance of strategic partnerships in today's landscape. "
    "By leveraging innovative solutions, the company seeks to enhance its capabilities and foster "
    "sustainable growth. This pivotal move showcases a commitment to excellence and highlights the "
    "intricate interplay between technology and business. Ultimately, the initiative aims to navigate "
    "the complexities of an evolving market while ensuring long-term value for stakeholders."
)


def _batch(texts: list[str], ops: list[tuple[str, ...]] | None = None) -> SentenceBatch:
    base = SentenceBatch.from_texts(texts)
    return dataclasses.replace(base, edit_ops=ops or [()] * len(texts))


def _view(text: str, sentences: dict[str, list] | None = None) -> DocumentView:
    return DocumentView(doc_id="d", source="s", title=None, text=text, blocks=(), sentences=sentences or {})


# --- contract ---------------------------------------------------------------------------------


def test_sentence_contract() -> None:
    annotator = QualityAnnotator()
    assert annotator.name == "quality" and annotator.version
    assert annotator.fields.names == ["quality_flags"]
    assert all(describe(f) for f in annotator.fields)
    texts = [
        "We will delve into it.",
        "",
        "Plain text.",
        "a dynamic and frequently enough unpredictable world",
    ]
    out = annotator.annotate(_batch(texts))
    assert set(out) == {"quality_flags"}
    assert len(out["quality_flags"]) == len(texts)
    pa.array(out["quality_flags"], type=annotator.fields.field("quality_flags").type)
    assert annotator.annotate(_batch([])) == {"quality_flags": []}


def test_document_contract_and_rounding() -> None:
    annotator = DocumentQualityAnnotator()
    assert annotator.name == "quality" and annotator.version
    assert all(describe(f) for f in annotator.fields)
    assert all(name.startswith("quality_") for name in annotator.fields.names)
    for view in (_view(HUMAN_NEWS), _view(""), _view("   \n\n "), _view(LLM_NEWS, {"text": [LLM_NEWS]})):
        out = check_document_contract(annotator, view)
        for field in annotator.fields:
            if pa.types.is_floating(field.type):
                assert round(out[field.name], 4) == out[field.name]
    empty = annotator.annotate_document(_view(""))
    assert empty["quality_llm_style_score"] == 0.0 and not empty["quality_llm_style_flag"]
    assert "word_count" in empty["quality_gopher_failed_rules"] and not empty["quality_passes_gopher"]


def test_lexicons_carry_source_and_licence() -> None:
    for name in ("tortured_phrases_news.tsv", "llm_style_words_kobak2024.tsv", "stopwords_en.txt"):
        lexicon = load_lexicon(name)
        assert lexicon.source and lexicon.headers.get("licence")
    assert len(style_words()) == 434
    assert "delve" in style_markers() and "within" in style_words() and "within" not in style_markers()


# --- sentence flags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "in a dynamic and frequently enough unpredictable environment",
            "tortured_phrase:frequently enough->often",
        ),
        (
            "Cooperation may lead to a more secure surroundings for members.",
            "tortured_phrase:a ... surroundings->a ... environment",
        ),
        (
            "The progress highlights the urgency of regional defence.",
            "tortured_phrase:the progress highlights->the development highlights",
        ),
        (
            "Firms invest in counterfeit consciousness tools.",
            "tortured_phrase:counterfeit consciousness->artificial intelligence",
        ),
        (
            "Rates of bosom malignant growth are falling.",
            "tortured_phrase:bosom malignant growth->breast cancer",
        ),
        ("The vote based system is under strain.", "tortured_phrase:vote based system->democracy"),
    ],
)
def test_tortured_phrases(text: str, flag: str) -> None:
    assert flag in tortured_phrases(text)


@pytest.mark.parametrize(
    "text",
    [
        "He visits the site frequently enough to notice the changes.",
        "It happens frequently enough.",
        "They went for a walk in the surroundings of the castle.",
        "It was a profound learning experience for all of us.",
        "The region has seen ancient tensions between the two communities.",  # legitimate English: not flagged
        "The progress of the talks was slow.",
        "Artificial intelligence and deep learning were discussed.",
    ],
)
def test_tortured_phrases_precision(text: str) -> None:
    assert tortured_phrases(text) == []


def test_llm_style_words_and_spacing_error() -> None:
    assert sentence_flags("In this article we will delve into the intricate details.") == [
        "llm_style_word:delve",
        "llm_style_word:intricate",
    ]
    assert sentence_flags("The minister spoke within the hour about their plans.") == []
    assert sentence_flags("In the wake of tensions, Lithuania asked for help.", ("space_after_punct",)) == [
        "spacing_error"
    ]
    out = QualityAnnotator().annotate(
        _batch(["tensions, Lithuania", "fine"], [("space_after_punct",), ("nbsp",)])
    )
    assert out["quality_flags"] == [["spacing_error"], []]


def test_seed_article_000_spinner_artifacts(seed_texts: dict[str, str]) -> None:
    from corpus_tools import annotate_text

    text = next(t for name, t in seed_texts.items() if name.startswith("000"))
    df = annotate_text(text, annotators=["boilerplate", "quality"])
    flags = [f for row in df["quality_flags"] for f in row]
    assert "tortured_phrase:frequently enough->often" in flags
    assert "tortured_phrase:a ... surroundings->a ... environment" in flags
    assert "tortured_phrase:the progress highlights->the development highlights" in flags
    assert flags.count("spacing_error") >= 3  # "tensions,Lithuania", "options,a", "Moreover,this", ...
    seed_001 = next(t for name, t in seed_texts.items() if name.startswith("001"))
    flags_001 = [f for row in annotate_text(seed_001, annotators=["quality"])["quality_flags"] for f in row]
    assert "llm_style_word:delve" in flags_001


def test_deterministic() -> None:
    texts = [LLM_NEWS, HUMAN_NEWS, "frequently enough unpredictable"]
    assert QualityAnnotator().annotate(_batch(texts)) == QualityAnnotator().annotate(_batch(texts))


# --- document signals -------------------------------------------------------------------------


def test_llm_style_score_separates_styles() -> None:
    human = llm_style_score([s.strip() + "." for s in HUMAN_NEWS.split(". ") if s.strip()])
    llm = llm_style_score([s.strip() + "." for s in LLM_NEWS.split(". ") if s.strip()])
    assert 0.0 <= human < 0.5 < llm <= 1.0
    assert llm_style_score([]) == 0.0 and llm_style_score(["", " "]) == 0.0


def test_seed_articles_score_as_llm_text(seed_texts: dict[str, str]) -> None:
    from corpus_tools.segment import split_sentences

    for text in seed_texts.values():
        sentences = [text[s:e] for s, e in split_sentences(text)]
        assert llm_style_score(sentences) >= DocumentQualityAnnotator().llm_threshold


def test_gopher_repetitive_text_fails() -> None:
    spam = "\n".join(["Buy cheap watches online today best prices guaranteed"] * 20)
    signals = gopher_signals(spam)
    assert signals["duplicate_line_fraction"] == pytest.approx(19 / 20)
    failed = gopher_failed_rules(signals, GopherConfig())
    assert {"duplicate_lines", "duplicate_line_chars", "top_4gram", "duplicate_10gram", "stop_words"} <= set(
        failed
    )
    assert gopher_failed_rules(gopher_signals(HUMAN_NEWS), GopherConfig()) == []


def test_gopher_thresholds_are_configurable() -> None:
    strict = QualityConfig(gopher=GopherConfig(min_words=10_000))
    out = DocumentQualityAnnotator(config=strict).annotate_document(_view(HUMAN_NEWS))
    assert out["quality_gopher_failed_rules"] == ["word_count"] and not out["quality_passes_gopher"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        GopherConfig().min_words = 1  # type: ignore[misc]
    never = DocumentQualityAnnotator(config=QualityConfig(llm_style_threshold=1.01))
    assert not never.annotate_document(_view(LLM_NEWS))["quality_llm_style_flag"]


def test_document_counts_come_from_sentence_columns() -> None:
    sentences = {
        "text": ["A more secure surroundings awaits.", "Follow us on Twitter.", "Plain sentence here."],
        "block_type": ["paragraph"] * 3,
        "quality_flags": [["tortured_phrase:a ... surroundings->a ... environment"], [], ["spacing_error"]],
        "is_boilerplate": [False, True, False],
    }
    out = DocumentQualityAnnotator().annotate_document(_view(" ".join(sentences["text"]), sentences))
    assert out["quality_tortured_phrase_count"] == 1
    assert out["quality_spacing_error_count"] == 1
    assert out["quality_boilerplate_fraction"] == pytest.approx(0.3333)
    # without the boilerplate annotator's column, its rules are applied to the sentences
    del sentences["is_boilerplate"]
    out = DocumentQualityAnnotator().annotate_document(_view(" ".join(sentences["text"]), sentences))
    assert out["quality_boilerplate_fraction"] == pytest.approx(0.3333)


# --- benchmarks -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quality_results(bench_dir: Path) -> dict[tuple[str, str], float]:
    from corpus_tools.evaluation.quality import evaluate

    return {(r.dataset.split(" (")[0], r.metric): r.value for r in evaluate(bench_dir)}


@pytest.mark.benchmarks
@pytest.mark.parametrize("generator", ["gpt-3.5-turbo", "gpt-4"])
def test_benchmark_llm_style_auroc(quality_results: dict[tuple[str, str], float], generator: str) -> None:
    key = (
        f"ai_text/xsum_human_vs_ai.test.jsonl, {generator}",
        "AUROC of quality_llm_style_score (human vs AI)",
    )
    assert quality_results[key] >= 0.98


@pytest.mark.benchmarks
def test_benchmark_bbc(quality_results: dict[tuple[str, str], float]) -> None:
    bbc = "corpora/bbc_news.jsonl"
    assert (
        quality_results[(bbc, "share of articles flagged quality_llm_style_flag (default threshold)")] <= 0.05
    )
    assert quality_results[(bbc, "share of articles with a tortured-phrase flag")] <= 0.002
    assert quality_results[(bbc, "share of articles passing the Gopher rules")] >= 0.99


def test_every_tortured_phrase_pattern_compiles() -> None:
    """Tortured-phrase patterns are compiled on first use: a malformed one must fail here instead."""
    from corpus_tools.annotators.quality import _tortured_rules

    patterns = [pattern for items in _tortured_rules().by_trigger.values() for _, pattern in items]
    assert patterns
    for pattern in patterns:
        assert pattern.compiled().flags & re.IGNORECASE  # re.error here for a malformed pattern


# --- fast paths agree with the plain definitions ----------------------------------------------


def _reference_ngram_fractions(words: list[str]) -> tuple[dict[int, float], dict[int, float]]:
    """The definition of the Gopher n-gram fractions, spelled out with a dictionary per n."""
    total = float(sum(map(len, words))) or 1.0
    top = dict.fromkeys((2, 3, 4), 0.0)
    dup = dict.fromkeys(range(5, 11), 0.0)
    for n in range(2, 11):
        starts: dict[tuple[str, ...], list[int]] = {}
        for i in range(len(words) - n + 1):
            starts.setdefault(tuple(words[i : i + n]), []).append(i)
        if n <= 4:
            best = max((len(s) for s in starts.values()), default=0)
            if best > 1:
                first = min(s[0] for s in starts.values() if len(s) == best)
                top[n] = float(sum(map(len, words[first : first + n]))) * best / total
        else:
            covered = {j for s in starts.values() for i in s[1:] for j in range(i, i + n)}
            if covered:
                dup[n] = float(sum(len(words[j]) for j in covered)) / total
    return top, dup


def test_ngram_fractions_match_the_definition() -> None:
    rng = random.Random(7)
    cases = [[], ["a"], ["a", "a"], ["a", "b", "a", "b"], list("abcabcabcabcabc"), ["x"] * 30]
    cases += [
        [rng.choice(["the", "a", "cat", "sat", "on", "mat"]) for _ in range(rng.randint(0, 60))]
        for _ in range(300)
    ]
    for words in cases:
        assert _ngram_fractions(words) == _reference_ngram_fractions(words), words


# word lists long enough for the hashed bigram search: few distinct words, so n-grams repeat, and any
# Unicode word (empty, whitespace, non-ASCII letters and digits, "_")
_FEW_WORDS = st.sampled_from(["the", "a", "cat", "sat", "on", "mat", "é", "٣", "_", "", " ", "a b"])
_WORD_LISTS = st.lists(st.one_of(_FEW_WORDS, _FEW_WORDS, st.text(max_size=3)), max_size=160)


@settings(max_examples=300, deadline=None)
@given(_WORD_LISTS)
def test_long_ngram_fractions_match_the_definition(words: list[str]) -> None:
    assert _ngram_fractions(words) == _reference_ngram_fractions(words)


@settings(max_examples=300, deadline=None)
@given(_WORD_LISTS)
def test_hashed_bigrams_match_the_counted_ones(words: list[str]) -> None:
    assert quality._repeated_bigrams_hashed(words) == quality._repeated_bigrams_counted(words)


@settings(max_examples=100, deadline=None)
@given(_WORD_LISTS, st.sampled_from([lambda w: 0, len, lambda w: -len(w)]))
def test_hashed_bigrams_survive_hash_collisions(words: list[str], word_hash: object) -> None:
    original = quality._word_hash
    quality._word_hash = word_hash  # type: ignore[assignment]
    try:
        assert quality._repeated_bigrams_hashed(words) == quality._repeated_bigrams_counted(words)
    finally:
        quality._word_hash = original


_WORD_AND_SPACE_PIECES = ["a", "Z", "5", "_", "-", ".", " ", "\n", "\t"]
"""Letters, a digit, word-adjacent punctuation and ASCII whitespace: the start of every alphabet below."""


def _random_texts(alphabet: list[str], seed: int, count: int = 5000, max_pieces: int = 12) -> list[str]:
    """``count`` texts of up to ``max_pieces`` pieces of ``alphabet`` (seeded: the same every run)."""
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, max_pieces))) for _ in range(count)]


def test_alpha_word_count_matches_the_definition() -> None:
    letter_word = re.compile(r"[^\W\d_]\S*")  # one match per whitespace-separated word with a letter
    alphabet = [
        *_WORD_AND_SPACE_PIECES,
        "\u00a0",
        "\u2003",
        "½",
        "²",
        "é",
        "\u200b",
        "’",
        "#",
        "٣",
    ]
    for text in _random_texts(alphabet, seed=3):
        assert _alpha_words(text, len(text.split())) == len(letter_word.findall(text)), repr(text)


def test_batch_flags_match_sentence_flags() -> None:
    texts = [
        "We will delve into it.",
        "",
        "A man's life: frequently enough, a more secure surroundings.",
        "Manager's PC-based voting (range 5-10) joined\nworldwide.",
        "İstanbul DELVE Delve underscores",
        "Plain text.",
    ]
    ops = [(), ("space_after_punct",), (), ("space_after_punct",), (), ()]
    out = QualityAnnotator().annotate(_batch(texts, ops))["quality_flags"]
    assert out == [sentence_flags(t, op) for t, op in zip(texts, ops, strict=True)]
    assert out[0] == ["llm_style_word:delve"] and out[1] == ["spacing_error"]


def test_ngram_words_match_the_pattern() -> None:
    ngram_word = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")  # the definition, for every text
    alphabet = ["a", "z", "5", "_", "-", ".", " ", "\n", "\t", "\x1f", "'", "''", "’", "é", "#", "k"]
    for text in _random_texts(alphabet, seed=5, max_pieces=14):
        assert _ngram_words(text) == ngram_word.findall(text), repr(text)


def test_sentence_words_match_the_pattern() -> None:
    word = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")  # the definition, per sentence
    alphabet = ["a", "Z", "5", "_", "-", " ", "\n", "\t", "'", "''", "’", "é", "\u212a", "#", "b'c'd"]
    rng = random.Random(11)
    for _ in range(3000):
        sentences = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 4))
        ]
        assert _sentence_words(sentences, "\n".join(sentences)) == [word.findall(s) for s in sentences], (
            sentences
        )


def test_word_counts_match_the_definition() -> None:
    alphabet = [
        *_WORD_AND_SPACE_PIECES,
        "\x0b",
        "\x1c",
        "\x1f",
        "\x7f",
        "\x00",
        "é",
        "’",
    ]
    for text in _random_texts(alphabet, seed=13):
        words = text.split()
        expected = (len(words), sum(map(len, words)), sum(any(map(str.isalpha, w)) for w in words))
        assert _word_counts(text) == expected, repr(text)


def test_ellipses_and_ascii_numbers_match_the_patterns() -> None:
    ellipsis = re.compile(r"(?:\.\.\.|…)")
    number = re.compile(r"\d+(?:[.,:]\d+)*")
    alphabet = [".", "…", "1", "9", ",", ":", " ", "a", "٣"]
    for text in _random_texts(alphabet, seed=17, max_pieces=14):
        assert _ellipses(text) == len(ellipsis.findall(text)), repr(text)
        if text.isascii():
            assert _ASCII_NUMBER.findall(text) == number.findall(text), repr(text)


# arbitrary Unicode text, weighted towards what the non-ASCII fast paths handle: few distinct non-ASCII
# characters among ASCII words, apostrophes of both kinds, "_", non-ASCII letters, digits, numerals
# and whitespace, and letters whose lower case is longer or ASCII
_PIECES = st.sampled_from(
    [
        "a",
        "Z",
        "5",
        "_",
        "-",
        " ",
        "\n",
        "\t",
        "\x1f",
        "'",
        "’",
        "é",
        "É",
        "٣",
        "½",
        "²",
        "\u00a0",
        "\u2003",
        "\u200b",
        "“",
        "£",
        "İ",
        "\u212a",
        "ß",
        "#",
        "中",
        "\ud800",
    ]
)
_UNICODE_TEXTS = st.one_of(
    st.lists(_PIECES, max_size=40).map("".join),
    st.text(max_size=40),
    st.text(st.characters(exclude_categories=()), max_size=40),
)


@settings(max_examples=1500, deadline=None)
@given(_UNICODE_TEXTS)
def test_non_ascii_ngram_words_match_the_pattern(text: str) -> None:
    ngram_word = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
    for variant in (text, text.lower()):
        assert _ngram_words(variant) == ngram_word.findall(variant)
        assert quality._ngram_words_non_ascii(variant) == ngram_word.findall(variant)


@settings(max_examples=1500, deadline=None)
@given(_UNICODE_TEXTS)
def test_non_ascii_word_counts_match_the_definition(text: str) -> None:
    letter_word = re.compile(r"[^\W\d_]\S*")  # one match per whitespace-separated word with a letter
    words = text.split()
    expected = (len(words), sum(map(len, words)), len(letter_word.findall(text)))
    assert _word_counts(text) == expected
    assert quality._word_counts_non_ascii(text) == expected


_SENTENCE_PIECES = st.sampled_from(
    [
        "Said",
        "delve",
        "A",
        "b",
        "e",
        "x",
        "5",
        "1.5",
        ",",
        ":",
        ".",
        "_",
        "-",
        " ",
        "\t",
        "'",
        "''",
        "’",
        "b'c'd",
        "don’t",
        "é",
        "É",
        "٣",
        "\u212a",
        "İ",
        "“",
        '"',
        "„",
        "£",
        "\u2028",
        "\u00a0",
        "\ud800",
        "\n",
    ]
)
_SENTENCE_LISTS = st.lists(
    st.one_of(st.lists(_SENTENCE_PIECES, max_size=12).map("".join), st.text(max_size=12)), max_size=6
)


@settings(max_examples=1500, deadline=None)
@given(_SENTENCE_LISTS)
def test_style_features_match_the_reference(sentences: list[str]) -> None:
    assert quality.llm_style_features(sentences) == quality._llm_style_features_reference(sentences)


@settings(max_examples=1500, deadline=None)
@given(
    st.one_of(
        st.lists(
            st.sampled_from([".", ",", ":", "1", "9", "0", " ", "a", "٣", "½", "²", "…", "\ud800"]),
            max_size=20,
        ).map("".join),
        st.text(max_size=20),
    )
)
def test_number_count_matches_the_pattern(text: str) -> None:
    assert quality._number_count(text) == len(re.findall(r"\d+(?:[.,:]\d+)*", text))


def test_style_fast_path_is_taken_on_news_text() -> None:
    for sentences in (["Don’t delve, É said: 1.5 “quote”."], ["He said it.", "It’s 2,000 pages."]):
        joined = "\n".join(sentences)
        assert quality._style_word_stats(sentences, joined) is not None
    assert quality._style_word_stats(["one\ntwo"], "one\ntwo") is None  # a newline of its own


@settings(max_examples=1000, deadline=None)
@given(
    _UNICODE_TEXTS
    | st.lists(st.sampled_from(["The", "to", "with", "and", "of", "x", "don't", "2be", " ", "’"])).map(
        " ".join
    )
)
def test_gopher_stop_word_signals_match_the_definition(text: str) -> None:
    from corpus_tools.annotators.boilerplate import stopwords

    tokens = re.findall(r"[a-z]+(?:['’][a-z]+)*", text.lower())
    signals = gopher_signals(text)
    n_words = len(text.split())
    assert signals["stop_word_fraction"] == (
        sum(t in stopwords() for t in tokens) / n_words if n_words else 0.0
    )
    assert signals["gopher_stop_words"] == len({t for t in tokens if t in quality.gopher_stopwords()})


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["said", "delve", "showcasing", "within", "according", "x", "international"]),
        min_size=1,
    )
)
def test_style_values_count_each_lexicon(words: list[str]) -> None:
    from collections import Counter

    values = quality._style_values([len(words)], 0, 0, Counter(words), len(words), 0, 0)
    n = len(words)
    assert values["style_word_rate"] == sum(w in style_words() for w in words) / n
    assert values["marker_word_rate"] == sum(w in style_markers() for w in words) / n
    assert values["attribution_rate"] == sum(w in quality._ATTRIBUTION for w in words) / n
    assert values["long_word_rate"] == sum(len(w) >= 9 for w in words) / n
