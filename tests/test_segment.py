"""Sentence segmenter: the offset contract (property tests), the rules (unit tests), the accuracy targets."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_tools.evaluation import EvalResult
from corpus_tools.evaluation.segmentation import SUITES, evaluate, naive_split, score_suite
from corpus_tools.lexicons import load_lexicon
from corpus_tools.segment import ABBREVIATIONS, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# --------------------------------------------------------------------------- the offset contract


def check_contract(text: str, start: int, end: int | None) -> None:
    spans = split_sentences(text, start, end)
    # offsets are absolute and clamped to [0, len(text)] (no negative indexing)
    stop = len(text) if end is None else max(0, min(end, len(text)))
    lo = max(start, 0)
    previous_end = lo
    for s, e in spans:
        assert lo <= s < e <= stop, (s, e)
        assert s >= previous_end, "spans overlap or are out of order"
        piece = text[s:e]
        assert piece == piece.strip(), "span not trimmed"
        assert piece, "empty span"
        # nothing but whitespace between consecutive spans
        assert text[previous_end:s].strip() == "", "non-space text dropped"
        previous_end = e
    assert text[previous_end:stop].strip() == "", "non-space text dropped at the end"
    if lo < stop and text[lo:stop].strip():
        assert spans, "non-empty text produced no sentence"


# Characters that exercise the rules: terminal punctuation, quotes, brackets, list markers, odd spaces.
RULE_ALPHABET = st.sampled_from(
    [
        *"aAbBiIxXzZ019 .!?…,;:'\"“”‘’`()[]-–—•⁃*/@\n\t\r",
        *(
            "\u00a0",
            "Mr",
            "U.S.",
            "e.g.",
            "etc.",
            "a.m.",
            "No.",
            "1.",
            "a)",
            "ii.",
            " . . . ",
            "...",
            "'' ",
            "\n\n",
        ),
    ]
)
rule_text = st.lists(RULE_ALPHABET, max_size=60).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule_text)
def test_contract_on_rule_heavy_text(text: str) -> None:
    check_contract(text, 0, None)


@settings(max_examples=250, deadline=None)
@given(st.text(max_size=200))
def test_contract_on_arbitrary_text(text: str) -> None:
    check_contract(text, 0, None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule_text, st.integers(-3, 70), st.one_of(st.none(), st.integers(-3, 70)))
def test_contract_respects_start_and_end(text: str, start: int, end: int | None) -> None:
    check_contract(text, start, end)


def test_offsets_are_absolute() -> None:
    text = "Intro line. Hello world. Second one here."
    start = text.index("Hello")
    spans = split_sentences(text, start, len(text))
    assert [text[s:e] for s, e in spans] == ["Hello world.", "Second one here."]
    assert spans[0][0] == start


def test_empty_and_blank_ranges() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\t ") == []
    assert split_sentences("Hello.", 4, 2) == []


# --------------------------------------------------------------------------- the rules

SPLIT_CASES = {
    "simple": ("Hello World. My name is Jonas.", ["Hello World.", "My name is Jonas."]),
    "question and exclamation": (
        "What is it? There it is! I found it.",
        ["What is it?", "There it is!", "I found it."],
    ),
    "double punctuation": ("Hello?! Is that you?", ["Hello?!", "Is that you?"]),
    # abbreviations
    "title": ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
    "number abbreviation": ("Please turn to p. 55. It is there.", ["Please turn to p. 55.", "It is there."]),
    "No. 5": ("He is the No. 5 seed. He lost.", ["He is the No. 5 seed.", "He lost."]),
    "e.g. and i.e.": (
        "Some fruit, e.g. Apples, i.e. Red ones, is sold.",
        ["Some fruit, e.g. Apples, i.e. Red ones, is sold."],
    ),
    "U.S. mid-sentence": (
        "I work for the U.S. Government in Virginia.",
        ["I work for the U.S. Government in Virginia."],
    ),
    "U.S. at the end": ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
    "Co. before a starter": (
        "They closed the deal with Pitt, Briggs & Co. It closed yesterday.",
        ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."],
    ),
    "month before a number": (
        "It happened on Jan. 5 in Riga. Nobody came.",
        ["It happened on Jan. 5 in Riga.", "Nobody came."],
    ),
    "etc. ends": (
        "Bring pens, paper etc. Smith will bring food.",
        ["Bring pens, paper etc.", "Smith will bring food."],
    ),
    "a.m. after a clause": (
        "He left the bank at 6 p.m. Mr. Smith stayed.",
        ["He left the bank at 6 p.m.", "Mr. Smith stayed."],
    ),
    "a.m. in an introductory phrase": (
        "At 5 a.m. Mr. Smith went to the bank.",
        ["At 5 a.m. Mr. Smith went to the bank."],
    ),
    "degree": ("She earned her Ph.D. Tom was impressed.", ["She earned her Ph.D.", "Tom was impressed."]),
    "units": ("He is 5 ft. 6 in. tall. He plays.", ["He is 5 ft. 6 in. tall.", "He plays."]),
    "possessive abbreviation": ("That is JFK Jr.'s book. Read it.", ["That is JFK Jr.'s book.", "Read it."]),
    # numbers, URLs, e-mails, domains
    "decimal": ("Growth was 3.5 per cent. Prices rose.", ["Growth was 3.5 per cent.", "Prices rose."]),
    "money at the end": ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
    "email": (
        "Her email is Jane.Doe@example.com. I sent her an email.",
        ["Her email is Jane.Doe@example.com.", "I sent her an email."],
    ),
    "url": (
        "See https://www.example.com/a.html. Then call.",
        ["See https://www.example.com/a.html.", "Then call."],
    ),
    "domain": ("Visit nato.int for details. It helps.", ["Visit nato.int for details.", "It helps."]),
    # quotes and brackets
    "quote then lower case": (
        'She turned to him, "This is great." she said.',
        ['She turned to him, "This is great." she said.'],
    ),
    "quote then capital": (
        'She said, "This is great." She left.',
        ['She said, "This is great."', "She left."],
    ),
    "multi-sentence quotation": (
        '"We are ready. We will fight," he said. Then he left.',
        ['"We are ready. We will fight," he said.', "Then he left."],
    ),
    "curly quotation": (
        "“We are ready. We will fight,” he said.",
        ["“We are ready. We will fight,” he said."],
    ),
    "parenthesised aside": (
        "He teaches (He worked as an engineer.) at the University.",
        ["He teaches (He worked as an engineer.) at the University."],
    ),
    "sentence in brackets": ("(How about this?) Or that.", ["(How about this?)", "Or that."]),
    "citation": ("Hydrogen is a gas.[1] It burns.", ["Hydrogen is a gas.[1]", "It burns."]),
    "elided apostrophes are not quotes": (
        "Back in the '90s. Then the players' union agreed.",
        ["Back in the '90s.", "Then the players' union agreed."],
    ),
    "single-quoted sentence": (
        "He said: 'I'm done.' Then he left.",
        ["He said: 'I'm done.'", "Then he left."],
    ),
    "paragraph-style quotation does not pair": (
        'Mr X said: "We came. "We saw."',
        ['Mr X said: "We came.', '"We saw."'],
    ),
    # ellipses
    "ellipsis before lower case": (
        "I wasn't really ... well, what I mean...see",
        ["I wasn't really ... well, what I mean...see"],
    ),
    "spaced ellipsis inside": ("It is . . . I'm not sure.", ["It is . . . I'm not sure."]),
    "four-dot ellipsis": (
        "I never meant that.... She left the store.",
        ["I never meant that....", "She left the store."],
    ),
    "omission in brackets": (
        '"Bohr [...] used stairways [...]" (Smith 55).',
        ['"Bohr [...] used stairways [...]" (Smith 55).'],
    ),
    # initials and I
    "initial": ("My name is Jonas E. Smith. Hi.", ["My name is Jonas E. Smith.", "Hi."]),
    "I as a pronoun": (
        "We make a good team, you and I. Did you see Albert I. Jones?",
        ["We make a good team, you and I.", "Did you see Albert I. Jones?"],
    ),
    "several initials": (
        "Written by J. R. R. Tolkien. It is long.",
        ["Written by J. R. R. Tolkien.", "It is long."],
    ),
    # lists
    "numbered list without periods": (
        "1.) The first item 2.) The second item",
        ["1.) The first item", "2.) The second item"],
    ),
    "numbered list with periods": (
        "1. The first item. 2. The second item.",
        ["1. The first item.", "2. The second item."],
    ),
    "lettered list": (
        "a. The first item b. The second item c. The third",
        ["a. The first item", "b. The second item", "c. The third"],
    ),
    "bulleted inline list": (
        "• 9. The first item • 10. The second item",
        ["• 9. The first item", "• 10. The second item"],
    ),
    "roman list": ("i.) The first item ii.) The second item", ["i.) The first item", "ii.) The second item"]),
    "numbered references in prose": (
        "As payment for 1. above and for 2. above, no fee.",
        ["As payment for 1. above and for 2. above, no fee."],
    ),
    "bracketed enumerator after a period": (
        "(a) Hello world. (b) Hello world.",
        ["(a) Hello world.", "(b) Hello world."],
    ),
    # punctuation that cannot start a sentence
    "dash continues": ("Mix it and -- voila! -- you have cake.", ["Mix it and -- voila! -- you have cake."]),
    "repeated marks": ("Really ? ? ? Then we go.", ["Really ? ? ?", "Then we go."]),
    # tokenised text
    "detached period after a title": (
        "Hello Mr . Robinson how are you?",
        ["Hello Mr . Robinson how are you?"],
    ),
    "detached period": ("He left the filming . He said no .", ["He left the filming .", "He said no ."]),
    # nested brackets protect their inside (three levels)
    "nested brackets": (
        "Nested (Parenthesis. (With words inside! (Right.)) (More. This is it!)) Done.",
        ["Nested (Parenthesis. (With words inside! (Right.)) (More. This is it!))", "Done."],
    ),
    "unbalanced bracket protects nothing": (
        "Unbalanced (Toulouse (capt); he said. Then left.",
        ["Unbalanced (Toulouse (capt); he said.", "Then left."],
    ),
    # a name-like abbreviation at the end of a hyphen/slash compound
    "abbreviation after a hyphen": (
        "The post-Sept. 11 world changed. New England-St. Louis was next.",
        ["The post-Sept. 11 world changed.", "New England-St. Louis was next."],
    ),
    "abbreviation after a slash": (
        "Route 171/U.S. Highway 1 is closed.",
        ["Route 171/U.S. Highway 1 is closed."],
    ),
    "compound that is no abbreviation": (
        "It is state-of-the-art. 20 workers built it.",
        ["It is state-of-the-art.", "20 workers built it."],
    ),
}


@pytest.mark.parametrize(("text", "expected"), list(SPLIT_CASES.values()), ids=list(SPLIT_CASES))
def test_rule(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_blank_line_is_always_a_boundary() -> None:
    assert sentences("A heading without a period\n\nThe paragraph starts here") == [
        "A heading without a period",
        "The paragraph starts here",
    ]
    # a quotation never spans a paragraph break
    assert sentences('He said "we go.\n\nThen." Done.') == ['He said "we go.', 'Then."', "Done."]


def test_single_newline_is_a_space_except_before_list_items() -> None:
    assert sentences("Multi line sentence\nWe should not split this") == [
        "Multi line sentence\nWe should not split this"
    ]
    assert sentences("Here are the rules:\n* Be kind.\n* Be honest.") == [
        "Here are the rules:",
        "* Be kind.",
        "* Be honest.",
    ]
    assert sentences("1. apples\n2. oranges") == ["1. apples", "2. oranges"]
    assert sentences("c. one more\n They went to the store.") == ["c. one more", "They went to the store."]


def test_markdown_heading_line_is_its_own_sentence() -> None:
    assert sentences("# Title\nSome text. More.") == ["# Title", "Some text.", "More."]


def _best_time(text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        split_sentences(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(
    "unit", [" (a. B", " ((a. B", " (a (b. C)", ' "a. B', " 'a. B", " x . '' Y", "a. ", "1. "]
)
def test_time_is_linear_on_repetitive_input(unit: str) -> None:
    small, large = unit * 1_000, unit * 8_000
    check_contract(large, 0, None)
    # 8x the input should cost about 8x the time; a quadratic rule would cost about 64x
    assert _best_time(large, 2) < 32 * _best_time(small, 5)


def test_other_whitespace_inside_tokens() -> None:
    text = "It cost 5\u00a0p.\u00a0Then\tMr.\tSmith left.\r\nHe came back."
    check_contract(text, 0, None)
    assert sentences("Hello\tMr. Smith. He left.") == ["Hello\tMr. Smith.", "He left."]


def test_abbreviation_lexicon_is_versioned_and_typed() -> None:
    lexicon = load_lexicon("abbreviations_en.txt")
    assert lexicon.name == "abbreviations_en" and lexicon.version and lexicon.source
    assert {row[1] for row in lexicon.rows} <= {"prefix", "number", "unit", "general", "final"}
    assert ABBREVIATIONS["Mr"] == "prefix" and ABBREVIATIONS["no"] == "number"
    # no entry is written with its final period
    assert not [row[0] for row in lexicon.rows if row[0].endswith(".")]


def test_naive_baseline_is_the_interim_regex() -> None:
    assert naive_split("Hello world. My name is Jonas E. Smith.") == [
        "Hello world.",
        "My name is Jonas E.",
        "Smith.",
    ]


# --------------------------------------------------------------------------- accuracy targets


@pytest.mark.benchmarks
@pytest.mark.parametrize("suite", [s for s in SUITES if s.target is not None], ids=lambda s: s.filename)
def test_accuracy_target(bench_dir: Path, suite) -> None:  # type: ignore[no-untyped-def]
    score = score_suite(bench_dir, suite)
    failed = ", ".join(case_id for case_id, _, _ in score.failures)
    assert suite.target is not None
    assert score.percent >= suite.target, (
        f"{suite.filename}: {score.percent:.1f}% < {suite.target}% ({failed})"
    )


@pytest.mark.benchmarks
def test_evaluate_rows(bench_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus_tools.evaluation import segmentation

    real = segmentation.measure_speed
    monkeypatch.setattr(segmentation, "measure_speed", lambda d: real(d, max_docs=20, repeats=1))
    rows = evaluate(bench_dir)
    assert all(isinstance(r, EvalResult) and r.family == "segmentation" for r in rows)
    assert len(rows) == len(SUITES) + 1
    golden = rows[0]
    assert golden.baseline == 97.9 and golden.target == 95.0 and golden.meets_target
    speed = rows[-1]
    assert speed.value > 0 and speed.baseline and speed.target == 50_000.0


# --------------------------------------------------------------------------- the candidate scan

_PUNCT_ALPHABET = st.sampled_from(
    [*"aB1 .!?…\"'”’)]([“‘«-,;:\n\t", "\u00a0", "...", ". . .", "[12]", "Mr", "U.S", " '' ", "‼"]
)


def _groups(pattern: object, text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]  # type: ignore[attr-defined]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(_PUNCT_ALPHABET, max_size=50).map("".join)))
def test_candidate_patterns_match_their_repeat_first_reference(text: str) -> None:
    """The candidate regexes open with one punctuation character then a repeat (a speed-up: a prefix
    search); they must find exactly what the "[...]+"-first spelling finds, groups included."""
    import re

    from corpus_tools.segment import _CANDIDATE_ANY, _CANDIDATE_DOT, _CANDIDATE_TAIL

    any_reference = re.compile(r"([.!?…‼⁇⁈⁉]+" + _CANDIDATE_TAIL)
    dot_reference = re.compile(r"(\.+" + _CANDIDATE_TAIL)
    assert _groups(_CANDIDATE_ANY, text) == _groups(any_reference, text)
    assert _groups(_CANDIDATE_DOT, text) == _groups(dot_reference, text)
