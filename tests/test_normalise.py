"""Normalisation: the documented repairs happen, everything else is untouched, nothing is lost."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_tools.normalise import non_ascii_characters, normalise, restore_raw


def test_missing_space_after_punctuation_between_words_is_repaired() -> None:
    result = normalise("In the wake of tensions,Lithuania asked.Moreover,this matters;truly:yes")
    assert result.text == "In the wake of tensions, Lithuania asked. Moreover, this matters; truly: yes"
    assert {e.op for e in result.edits} == {"space_after_punct"}


def test_numbers_abbreviations_urls_and_domains_are_left_alone() -> None:
    text = "It cost 1,000 euros, 3.5 % more, at 12:30 e.g. in the U.S. See nato.int or https://x.org/a,b and mail a.b@nato.int."
    assert normalise(text).text == text


def test_odd_whitespace_is_collapsed_and_trailing_blank_lines_removed() -> None:
    result = normalise("  Title\u00a0 here\t!\r\n\r\n\r\nBody\u200b text.  \n\n\n\n")
    assert result.text == "Title here!\n\nBody text."  # the space before "!" goes too (space_before_punct)


def test_space_before_punctuation_is_removed_after_words_only() -> None:
    result = normalise("Tensions , Lithuania ; said : Really ? Yes !\nEnd .")
    assert result.text == "Tensions, Lithuania; said: Really? Yes!\nEnd."
    assert {e.op for e in result.edits} == {"space_before_punct"}
    assert restore_raw(result.text, result.edits) == "Tensions , Lithuania ; said : Really ? Yes !\nEnd ."
    kept = "a ratio of 3 : 1, wait ... then smile :) at site .com or x ,y"
    assert normalise(kept).text == kept


def test_html_character_references_are_decoded_once() -> None:
    raw = (
        "Tom &amp; Jerry&#39;s caf&eacute; &lt;b&gt; A&nbsp;B C &nbsp; D soft&shy;ware &foo; &amp;lt; x&#44;y"
    )
    result = normalise(raw)
    assert result.text == "Tom & Jerry's café <b> A B C D software &foo; &amp;lt; x, y"
    assert restore_raw(result.text, result.edits) == raw
    assert normalise(result.text).text == result.text  # "&amp;lt;" shows a reference: it stays
    assert "html_entity" in {e.op for e in result.edits}


def test_single_line_break_kept_and_paragraph_break_normalised() -> None:
    assert normalise("a\nb\n \n \nc").text == "a\nb\n\nc"


def test_decomposed_characters_are_composed() -> None:
    result = normalise("Cafe\u0301 and \u212b")
    assert result.text == "Café and Å"
    assert unicodedata.is_normalized("NFC", result.text)


def test_typographic_quotes_are_kept() -> None:
    text = "Lithuania’s “plea” isn't ‘new’."
    assert normalise(text).text == text


def test_seed_article_repairs(seed_texts: dict[str, str]) -> None:
    text = normalise(seed_texts["000_70c5a0cbd7b10381.txt"]).text
    assert "tensions, Lithuania" in text
    assert "options, a complete" in text
    assert "Moreover, this" in text
    assert "strategy, fostering" in text
    assert not text.endswith("\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_raw_text_is_always_recoverable(raw: str) -> None:
    result = normalise(raw)
    assert restore_raw(result.text, result.edits) == raw
    for edit in result.edits:
        assert 0 <= edit.start <= edit.end <= len(result.text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,.;:\n\t\u00a0\r1A")), max_size=80))
def test_normalisation_is_idempotent(raw: str) -> None:
    once = normalise(raw).text
    assert normalise(once).text == once


_REFERENCE_FRAGMENTS = [
    "a",
    "B",
    " ",
    "  ",
    ",",
    ".",
    "?",
    "!",
    ";",
    ":",
    "\n",
    "\u00a0",
    "\u200b",
    "e\u0301",
    "1",
    "&",
    "&amp;",
    "&nbsp;",
    "&#39;",
    "&#44;",
    "&#x2019;",
    "&eacute;",
    "&shy;",
    "&#769;",
    "&#10;",
    "&lt;",
    "&foo;",
    "&#8203;",
    "&#x1100;&#x1161;",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_REFERENCE_FRAGMENTS), max_size=40).map("".join))
def test_references_and_spaces_before_punctuation_stay_lossless_and_idempotent(raw: str) -> None:
    result = normalise(raw)
    assert restore_raw(result.text, result.edits) == raw
    assert [e.start for e in result.edits] == sorted(e.start for e in result.edits)
    assert all(a.end <= b.start for a, b in zip(result.edits, result.edits[1:], strict=False))
    assert normalise(result.text).text == result.text


def test_hangul_jamo_and_singletons_are_composed_losslessly() -> None:
    raw = "Seoul \u1100\u1161 and \u212b,done  x"
    result = normalise(raw)
    assert result.text == unicodedata.normalize("NFC", "Seoul \u1100\u1161 and \u212b, done x")
    assert restore_raw(result.text, result.edits) == raw


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"ab ,.\n\t\u00a0", "\u1100", "\u1161", "\u11a8", "\u212b", "e\u0301", "\u2126", "\u200b"]
        ),
        max_size=30,
    ).map("".join)
)
def test_composition_edits_stay_ordered_and_lossless(raw: str) -> None:
    result = normalise(raw)
    assert restore_raw(result.text, result.edits) == raw
    assert [e.start for e in result.edits] == sorted(e.start for e in result.edits)


_RULE_ALPHABET = [
    *"aZb ,.;:\n\t\r1-/@",
    "\u00a0",
    "\u2003",
    "\u200b",
    "\u00ad",
    "\x00",
    "\x7f",
    "\u2028",
    "\x0c",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_RULE_ALPHABET), max_size=60).map("".join))
def test_fast_rules_find_what_the_full_rules_find(raw: str) -> None:
    """The pattern used for texts without combining marks opens with a character class (a speed-up);
    it must find exactly the matches of the full rule set."""
    from corpus_tools.normalise import _RULES, _RULES_WITHOUT_COMBINING

    def matches(pattern: re.Pattern[str]) -> list[tuple[str | None, tuple[int, int]]]:
        return [(m.lastgroup, m.span()) for m in pattern.finditer(raw)]

    assert matches(_RULES_WITHOUT_COMBINING) == matches(_RULES)


def _match_list(matches: object) -> list[tuple[str | None, tuple[int, int], str]]:
    return [(m.lastgroup, m.span(), m.group()) for m in matches]  # type: ignore[attr-defined]


_NO_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a]")


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from([*_RULE_ALPHABET, "  ", "e.g", "ab.Cd", "x,y", "\u200b\t "]), max_size=60).map(
        "".join
    )
)
def test_trigger_scan_finds_what_finditer_finds(raw: str) -> None:
    """``_rule_matches`` tries the rules only where a match can start (a speed-up); it must return
    exactly ``finditer``'s matches, on the characters the rules are about..."""
    from corpus_tools.normalise import _RULES, _RULES_WITHOUT_COMBINING, _rule_matches

    expected = _match_list(_RULES_WITHOUT_COMBINING.finditer(raw))
    assert _match_list(_rule_matches(raw)) == expected
    assert expected == _match_list(_RULES.finditer(raw))


@settings(max_examples=1500, deadline=None)
@given(st.text(max_size=80))
def test_trigger_scan_finds_what_finditer_finds_on_any_text(raw: str) -> None:
    """... and on arbitrary Unicode text (texts with combining marks take ``_RULES.finditer``)."""
    from corpus_tools.normalise import _RULES_WITHOUT_COMBINING, _rule_matches

    if _NO_COMBINING.search(raw):
        raw = _NO_COMBINING.sub("", raw)
    assert _match_list(_rule_matches(raw)) == _match_list(_RULES_WITHOUT_COMBINING.finditer(raw))


def _reference_normalise(raw: str) -> object:
    """:func:`normalise` as it was before the trigger scan (``finditer`` over every rule)."""
    import corpus_tools.normalise as module

    saved = module._rule_matches
    module._rule_matches = lambda text: list(module._RULES_WITHOUT_COMBINING.finditer(text))  # type: ignore[assignment]
    try:
        return module.normalise(raw)
    finally:
        module._rule_matches = saved  # type: ignore[assignment]


@settings(max_examples=800, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.lists(st.sampled_from([*_RULE_ALPHABET, "  ", "\n\n", " \n", "ab.Cd", "x,y"]), max_size=50).map(
            "".join
        ),
    )
)
def test_normalise_is_unchanged_by_the_trigger_scan(raw: str) -> None:
    assert normalise(raw) == _reference_normalise(raw)


def test_ascii_text_holds_no_combining_mark() -> None:
    """``normalise`` skips the combining-mark scan of an ASCII text (``str.isascii`` is a flag check)."""
    from corpus_tools.normalise import _HAS_COMBINING

    assert _HAS_COMBINING.search("".join(map(chr, range(128)))) is None


@settings(max_examples=1000, deadline=None)
@given(
    st.text(max_size=40)
    | st.text(st.characters(exclude_categories=()), max_size=40)
    | st.lists(st.sampled_from(["a", "\0", "é", "’", "\ud800", "中", "\U0001f600", " ", "\u00a0"])).map(
        "".join
    )
)
def test_non_ascii_characters_are_those_of_the_text(text: str) -> None:
    """The fast paths of corpus_pass and quality rely on it (lone surrogates included)."""
    assert non_ascii_characters(text) == {c for c in text if c >= "\x80"}
