"""Boilerplate annotator: contract, rules, block scorer, seeds and benchmark thresholds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import check_sentence_contract

from corpus_tools.annotators.base import SentenceBatch
from corpus_tools.annotators.boilerplate import (
    FEATURE_CATALOG,
    FEATURES,
    BlockModel,
    BoilerplateAnnotator,
    block_features,
    block_models,
    classify_blocks,
    earlier_repeat_shares,
    score_blocks,
    sentence_reasons,
)


def _batch(texts: list[str], block_types: list[str] | None = None) -> SentenceBatch:
    n = len(texts)
    return SentenceBatch(
        texts=texts,
        doc_ids=["d"] * n,
        sources=["s"] * n,
        sentence_indices=list(range(n)),
        block_types=block_types or ["paragraph"] * n,
        sections=[None] * n,
        block_indices=list(range(n)),
        edit_ops=[()] * n,
    )


# --- contract ---------------------------------------------------------------------------------


def test_contract_columns_types_lengths() -> None:
    annotator = BoilerplateAnnotator()
    assert annotator.name == "boilerplate"
    assert annotator.version
    assert annotator.fields.names == ["is_boilerplate", "boilerplate_reasons"]
    texts = ["Follow us on Twitter.", "NATO ministers met in Brussels on Tuesday.", "", "   "]
    out = check_sentence_contract(annotator, _batch(texts))
    assert out["is_boilerplate"] == [True, False, False, False]
    assert out["boilerplate_reasons"][2] == [] and out["boilerplate_reasons"][3] == []


def test_empty_batch() -> None:
    assert BoilerplateAnnotator().annotate(_batch([])) == {"is_boilerplate": [], "boilerplate_reasons": []}


# --- rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Follow us on Twitter for the latest updates.",
        "Read more: NATO allies meet in Brussels",
        "© 2024 Example Media Ltd. All rights reserved.",
        "Share this article",
        "Sign up for our daily newsletter to get the news first.",
        "Click here to subscribe.",
        "Story continues below advertisement",
        "This article was originally published on The Conversation.",
        "We use cookies to improve your experience on our site.",
        "Reporting by Jane Doe; Editing by John Smith",
        "Home > News > World",
        "Advertisement",
        "Photo: Reuters",
        # credits
        "(AP Photo/Mindaugas Kulbis)",
        "Reporting by Andrius Sytas in Vilnius; Editing by Alex Richardson",
        # article furniture, sharing and appeals
        "Supported by",
        "Listen to this article · 5 min",
        "5 min read",
        "Copy link",
        "Jump to comments",
        "Facebook Twitter Email",
        "Top Stories",
        "Live updates",
        "Next article",
        "Posted in World News",
        "This article is more than 2 years old.",
        "Our journalism needs your support.",
        "Please support independent journalism.",
        "Enter your email address",
        "We will not share your email address.",
        "Sign in to comment",
        "Click to share on Facebook (Opens in new window)",
        "Find out more about how we use your data.",
        "Our Standards: The Thomson Reuters Trust Principles.",
    ],
)
def test_web_chrome(text: str) -> None:
    assert sentence_reasons(text) == ["web_chrome"]


@pytest.mark.parametrize(
    "text",
    [
        "By Jane Doe",
        "By Jane Doe | Updated 12:30 GMT",
        "By Raphael Lewis and Benjamin Gedan, Globe Staff and Globe Correspondent October 31, 2004.",
        "BY RONALD BLUM ASSOCIATED PRESS WRITER",
        "Tue 5 Mar 2025 10.00 GMT",
        "March 5, 2025 at 2:02 p.m. EST",
        "2025-03-05 14:02",
    ],
)
def test_bylines_and_datelines(text: str) -> None:
    assert sentence_reasons(text) == ["byline"]


@pytest.mark.parametrize(
    "text",
    [
        "In this comprehensive article, we will delve into the specifics of Lithuania's request.",
        "So, let's dive in and understand the gravity of the situation.",
        "We will also explore the potential responses from NATO.",
        "In conclusion, Lithuania's plea underscores the escalating security concerns.",
        "This article explores the implications for the alliance.",
        "Without further ado, here are the details.",
        "Here's everything you need to know.",
        "We hope you found this article informative.",
        "Thank you for reading!",
    ],
)
def test_signposting(text: str) -> None:
    assert sentence_reasons(text) == ["signposting"]


def test_signposting_headings_only_in_heading_blocks() -> None:
    assert sentence_reasons("The Way Forward", "heading") == ["signposting"]
    assert sentence_reasons("Key Takeaways", "title") == ["signposting"]
    assert sentence_reasons("The Way Forward", "paragraph") == []


@pytest.mark.parametrize(
    "text",
    [
        "Only time will tell.",
        "As the situation unfolds, it remains to be seen how NATO will respond.",
        "The current situation serves as a reminder of the complexities of international relations.",
        "In today's fast-paced world, security matters more than ever.",
        "The future remains uncertain.",
        "The implications of this development are far-reaching.",
        "The situation remains tense and fluid.",
        "Ultimately, the path forward will require cooperation and dialogue.",
    ],
)
def test_generic_filler(text: str) -> None:
    assert sentence_reasons(text) == ["generic_filler"]


@pytest.mark.parametrize(
    "text",
    [
        "NATO ministers met in Brussels on Tuesday to discuss air defence.",
        "Follow the money, the investigator told reporters.",
        "Shares in the company rose 5% after the results were published.",
        "He said the proposal would be read more carefully by the committee.",
        "The ceasefire, sponsored by Egypt, held overnight.",
        '"In conclusion, we have won," the minister said.',
        "Police said the man had been in the area for several hours before the attack.",
        "It remains to be seen whether the deal will pass parliament.",
        "The firm said it would share the information with regulators.",
        "Details of the agreement have not been published.",
        "Copyright infringement claims against the site were dismissed.",
        # near misses of the byline, credit, date and furniture rules (some from BBC News)
        "By Monday, the troops had withdrawn from the border.",
        "By Monday, NATO had withdrawn its troops.",
        "By 2030, the alliance hopes to have doubled its air defences.",
        "By Air and By Sea",
        "Produced by Bungie software, renowned for their innovation in gaming, it caused a stir.",
        "Compiled by Central Banking Publications and sponsored by the UK's Royal Bank of Scotland, the survey found 39 nations were increasing their euro holdings.",
        "Moore said he is confident Hansen can make it back to top-level competition.",
        "The most digitally sophisticated Europeans, in terms of use of digital goods, are the Scandinavians.",
        "Supported by the United States, Lithuania asked for more.",
        "Live fire exercises began on Tuesday.",
        "The next article of the treaty deals with collective defence.",
        "Breaking the deadlock will take months.",
        "He wanted to become a member of the club.",
        "We will not share our intelligence with Moscow, the minister said.",
        "Posted in Vilnius for three years, the diplomat knew the region well.",
        "Reuters/Ipsos polling showed support at 60%.",
        "Email and text messages were intercepted.",
        "Copy the link and paste it into the form, the guide advises.",
        "X X X",
        "The situation remains tense in the capital, police said.",
        "Here is what the minister said on Tuesday.",
        "The implications of the ruling for Lithuania's budget are unclear.",
    ],
)
def test_human_news_is_not_flagged(text: str) -> None:
    assert sentence_reasons(text) == []


def test_reasons_are_ordered_and_combined() -> None:
    text = "In conclusion, follow us on Twitter."
    assert sentence_reasons(text) == ["web_chrome", "signposting"]


def test_seed_articles(seed_texts: dict[str, str]) -> None:
    from corpus_tools import annotate_text

    by_name = {name[:3]: text for name, text in seed_texts.items()}
    df = annotate_text(by_name["001"], annotators=["boilerplate", "quality"])
    flagged = {t: list(r) for t, r in zip(df["text"], df["boilerplate_reasons"], strict=True) if len(r)}
    assert any(t.startswith("In this comprehensive article, we will delve") for t in flagged)
    assert any(t.startswith("So, let's dive in") for t in flagged)
    assert any(t.startswith("In conclusion,") for t in flagged)
    assert all(
        "signposting" in r for t, r in flagged.items() if t.startswith(("In this comprehensive", "So, let"))
    )
    # a human-looking share of the article stays content
    assert df["is_boilerplate"].mean() < 0.2
    df0 = annotate_text(by_name["000"], annotators=["boilerplate", "quality"])
    heading = df0[df0["text"] == "The Way Forward"]
    assert list(heading["boilerplate_reasons"].iloc[0]) == ["signposting"]


def test_deterministic() -> None:
    texts = ["Follow us on Twitter.", "Only time will tell.", "A normal sentence about the budget."]
    a = BoilerplateAnnotator().annotate(_batch(texts))
    b = BoilerplateAnnotator().annotate(_batch(list(reversed(texts))))
    assert a["boilerplate_reasons"] == list(reversed(b["boilerplate_reasons"]))


# --- block scorer -----------------------------------------------------------------------------


PAGE = [
    "Home",
    "World",
    "Sport",
    "Login",
    "Drone incursion prompts Lithuania to seek NATO help",
    "Lithuania has formally asked NATO allies to strengthen its air defences after a second drone "
    "crossed its border this week, officials in Vilnius said on Tuesday.",
    "The defence ministry said the drone entered Lithuanian airspace from Belarus and crashed in a field "
    "near the border, causing no injuries, and that an investigation was under way.",
    "Allies are expected to discuss the request at a meeting of defence ministers in Brussels next month, "
    "diplomats said, although no decision has yet been taken.",
    "Share this article",
    "© 2024 Example News. All rights reserved.",
    "Privacy Policy",
]


def test_block_scorer_on_a_page() -> None:
    scores = score_blocks(PAGE)
    assert len(scores) == len(PAGE)
    assert all(0.0 <= s <= 1.0 and round(s, 4) == s for s in scores)
    decisions = classify_blocks(PAGE)
    assert decisions[:4] == [True] * 4
    assert decisions[5:8] == [False] * 3
    assert decisions[8] and decisions[10]  # "Share this article", "Privacy Policy"
    assert classify_blocks(PAGE, "text_lines")[5:8] == [False] * 3


def test_block_scorer_edge_cases() -> None:
    assert score_blocks([]) == []
    assert len(score_blocks(["", "   "])) == 2
    assert len(block_features(["x"])[0]) == len(FEATURES)
    with pytest.raises(ValueError, match="html_blocks"):
        score_blocks(PAGE, "no_such_profile")
    with pytest.raises(ValueError, match="no_such_feature"):
        block_features(["x"], ["log_words", "no_such_feature"])


def test_block_feature_subsets_match_the_full_vectors() -> None:
    full = block_features(PAGE, FEATURE_CATALOG)
    assert [row[: len(FEATURES)] for row in full] == block_features(PAGE)
    picked = ["symbol_ratio", "log_words", "rel_median"]
    index = [FEATURE_CATALOG.index(name) for name in picked]
    assert block_features(PAGE, picked) == [[row[i] for i in index] for row in full]


def test_earlier_repeat_shares_flag_later_copies_only() -> None:
    para = "The first way to change streams is to create a new video element via JavaScript and wait."
    page = [
        para,  # 0: first occurrence
        "||",  # 1: no letters or digits
        "THE FIRST WAY to change streams is to create a new  video element, via Javascript and wait!",  # 2
        "Home",  # 3
        "Completely different text about the weather in Helsinki this week.",  # 4
        "home.",  # 5: short copy (case and punctuation differ)
        "||",  # 6
        "Homework",  # 7: a different short line
    ]
    shares = earlier_repeat_shares(page)
    assert shares[0] == 0.0 and shares[3] == 0.0 and shares[4] == 0.0  # first occurrences
    assert shares[2] == 1.0 and shares[5] == 1.0  # copies up to case, spacing and punctuation
    assert shares[1] == shares[6] == 0.0 and shares[7] == 0.0
    # a lightly edited copy, re-wrapped from two earlier lines, still scores high but below 1
    split = ["The first way to change streams is to create", "a new video element via JavaScript and wait."]
    edited = "The first way to change streams is to create a new video element via Javascript, then wait."
    near = earlier_repeat_shares([*split, edited])
    assert near[:2] == [0.0, 0.0] and 0.6 < near[2] < 1.0
    # prose sharing a few words with earlier lines scores low
    prose = earlier_repeat_shares([para, "Streams change when a new element is created in the page."])
    assert prose[1] < 0.2


def test_repeats_recent_only_looks_at_the_lines_just_before() -> None:
    filler = [
        "Rain is expected across the north tonight.",
        "Markets closed slightly higher on Friday.",
        "The council approved the new budget.",
        "Tickets go on sale next week.",
        "Researchers published the survey results.",
    ]
    page = ["Posted by admin on Monday", "Posted by admin on Monday", *filler, "Posted by admin on Monday"]
    assert earlier_repeat_shares(page, window=5) == [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert earlier_repeat_shares(page) == [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    rows = block_features(page, ["repeats_earlier", "repeats_recent", "repeated_in_page"])
    assert [row[0] for row in rows] == earlier_repeat_shares(page)
    assert [row[1] for row in rows] == earlier_repeat_shares(page, window=5)
    assert [row[2] for row in rows] == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]  # marks every copy


def test_truncated_end_marks_teasers_and_navigation_arrows() -> None:
    page = [
        "Conservation »",
        "The council approved the budget after a long debate ...",
        "Next ››",
        "Older posts →",
        "See all >>",
        "“Beautiful pick! The soft colors go so well…”",
        "The council approved the budget.",
        "a > b",
        "Home",
    ]
    assert [row[0] for row in block_features(page, ["truncated_end"])] == [1.0] * 5 + [0.0] * 4


def test_profiles_shipped() -> None:
    models = block_models()
    assert models["html_blocks"].features == FEATURES  # the L3S profile is unchanged
    lines = models["text_lines"]
    # chosen by CV grouped by page among rules and small, strongly regularised models
    assert lines.kind == "logistic" and 0 < len(lines.features) <= 13
    assert set(lines.features) <= set(FEATURE_CATALOG)


def test_word_rule_kind() -> None:
    rule = BlockModel("r", (), (), (), (), 0.0, 0.5, kind="word_rule", max_words=3)
    assert rule.score_texts(["Home", "one two three", "", "a b"]) == [1.0, 0.0, 1.0, 1.0]


# --- benchmarks -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def boilerplate_results(bench_dir: Path) -> dict[tuple[str, str], float]:
    from corpus_tools.evaluation.boilerplate import evaluate

    return {(r.dataset.split(" (")[0], r.metric): r.value for r in evaluate(bench_dir)}


@pytest.mark.benchmarks
def test_benchmark_l3s(boilerplate_results: dict[tuple[str, str], float]) -> None:
    assert boilerplate_results[("boilerplate/l3s_gn1_blocks.test.jsonl", "F1 (boilerplate blocks)")] >= 0.955


@pytest.mark.benchmarks
def test_benchmark_turku(boilerplate_results: dict[tuple[str, str], float]) -> None:
    # just below the 0.80 target: guards against regressions only. Model 1.3.0 (+ repeats_earlier,
    # truncated_end): all 16 pages 0.798 (4 of them are copies of dev pages; the rule "fewer than 10 words":
    # 0.786); the 12 pages not copied from dev 0.854 (the rule: 0.856). Model 1.2.0: 0.772 and 0.840;
    # model 1.1.0 (without repeats_recent): 0.759 and 0.839
    assert boilerplate_results[("boilerplate/turku_lines.test.jsonl", "F1 (noise lines)")] >= 0.78
    held_out = [
        v
        for (d, m), v in boilerplate_results.items()
        if d.startswith("boilerplate/turku_lines.test.jsonl, only")
    ]
    assert len(held_out) == 1 and held_out[0] >= 0.84


@pytest.mark.benchmarks
def test_benchmark_bbc_false_positives(boilerplate_results: dict[tuple[str, str], float]) -> None:
    rules = boilerplate_results[
        ("corpora/bbc_news.jsonl", "share of human news sentences flagged (sentence rules)")
    ]
    prefix = "share of human news sentences flagged (rules + corpus pass; "
    corpus = boilerplate_results[("corpora/bbc_news.jsonl", prefix + "all articles)")]
    without_copies = boilerplate_results[
        ("corpora/bbc_news.jsonl", prefix + "copies of earlier articles excluded)")
    ]
    assert rules <= 0.005
    assert without_copies <= 0.02 < corpus <= 0.045  # the copies' sentences are the repetitions


def test_every_triggered_pattern_compiles() -> None:
    """The trigger-word and per-reason start/whole patterns are compiled on first use: a malformed one
    must fail here instead."""
    from corpus_tools.annotators.boilerplate import _rules

    rules = _rules()
    patterns = [pattern for items in rules.triggered.values() for _, pattern in items]
    patterns += [p for p in [*rules.start.values(), *rules.whole.values()] if p is not None]
    assert patterns
    for pattern in patterns:
        assert pattern.compiled().flags & re.IGNORECASE


def test_ascii_tokens_match_the_token_regex() -> None:
    """The ASCII fast path of the trigger lookup gives exactly the regex's tokens of the lower-cased text."""
    from corpus_tools.annotators.boilerplate import _TOKEN, _ascii_tokens

    texts = [
        "Follow us on Twitter: @BBCNews_Live, #news!",
        "snake_case and CamelCase3 x2 12,500\ttabs\nlines\x0bvt",
        "--- Read more: www.example.com/Page?id=7 ---",
        "",
        "   ",
        "ALL RIGHTS RESERVED (c) 2024",
    ]
    for text in texts:
        assert _ascii_tokens(text) == [t.encode("ascii") for t in _TOKEN.findall(text.lower())]


def test_combined_patterns_agree_with_per_reason_ones() -> None:
    """``any_start``/``any_whole`` match exactly when some reason's ``start``/``whole`` pattern does."""
    from corpus_tools.annotators.boilerplate import _rules

    rules = _rules()
    texts = ["Follow us on Twitter", "Share this article", "Only time will tell", "In conclusion, it rained.",
             "The minister said the plan would go ahead.", "All rights reserved", "Read more: the budget"]  # fmt: skip
    for text in texts:
        assert rules.any_start is not None and rules.any_whole is not None
        per_reason_start = any(p is not None and p.match(text) for p in rules.start.values())
        per_reason_whole = any(p is not None and p.fullmatch(text) for p in rules.whole.values())
        assert bool(rules.any_start.match(text)) == per_reason_start
        assert bool(rules.any_whole.fullmatch(text)) == per_reason_whole
