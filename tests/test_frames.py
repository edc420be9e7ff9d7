"""Frames annotator: contract, codebook behaviour on seed sentences, codebook file integrity."""

from __future__ import annotations

import pytest
from conftest import check_sentence_contract

from corpus_tools.annotators.frames import FRAMES, Codebook, FramesAnnotator, frames_of
from corpus_tools.lexicons import load_lexicon


def test_contract_columns_types_lengths() -> None:
    texts = ["Russia escalated tensions.", "", "Nothing to see.", "Defense spending must rise."]
    annotator = FramesAnnotator()
    columns = check_sentence_contract(annotator, texts)
    assert set(columns) == {"frames"}
    assert columns["frames"][1] == columns["frames"][2] == []
    assert all(frame in FRAMES for frames in columns["frames"] for frame in frames)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        # seed sentences, one per frame (see the codebook in corpus_tools.annotators.frames)
        (
            "Russia may view the increased NATO presence as a provocation, leading to a tit-for-tat response.",
            "conflict",
        ),
        ("- Deployment of advanced radar systems", "military_capability"),
        (
            "This solidarity among NATO allies is crucial for maintaining stability in the region.",
            "alliance_solidarity",
        ),
        (
            "Dialogue between NATO and Russia is essential for managing tensions and preventing misunderstandings.",
            "diplomacy",
        ),
        (
            "The drone incursions into Lithuanian airspace are seen as a violation of sovereignty and a potential "
            "prelude to more aggressive actions.",
            "sovereignty_law",
        ),
        (
            "The United States has long called on its European allies to increase their defense spending and "
            "contribute more to the collective security of the alliance.",
            "economic",
        ),
        (
            "Raising awareness about airspace security among civilians to foster a more engaged public in "
            "national defense initiatives.",
            "human_interest",
        ),
        (
            "Considering the recent cross-border drone incidents, NATO must prioritize collaborative strategies "
            "to enhance airspace security.",
            "responsibility",
        ),
        (
            "The drones, often used for reconnaissance and intelligence gathering, pose a significant threat to "
            "Lithuania's national security.",
            "threat",
        ),
    ],
)
def test_seed_examples(sentence: str, frame: str) -> None:
    assert frame in frames_of(sentence)


def test_weights_need_support_and_order_is_the_codebook_order() -> None:
    assert frames_of("The allies met.") == []  # one weight-1 cue is not enough
    assert frames_of("The allies reaffirmed their commitment.") == ["alliance_solidarity"]
    assert frames_of("ESCALATION of the conflict") == ["conflict"]  # case-insensitive, counted once per frame
    assert frames_of("Defense spending and sovereignty amid escalating tensions") == [
        "conflict",
        "sovereignty_law",
        "economic",
    ]
    assert frames_of("warning") != frames_of("war")  # stems and whole words differ
    assert frames_of("") == []


def test_codebook_file_is_documented_and_valid() -> None:
    lexicon = load_lexicon("frames_codebook.tsv")
    assert "Semetko" in lexicon.source and "Boydstun" in lexicon.source
    assert "licence" in lexicon.headers
    assert {row[0] for row in lexicon.rows} == set(FRAMES)
    with pytest.raises(ValueError, match="unknown frame"):
        Codebook((("no_such_frame", "cue", "2"),))
    with pytest.raises(ValueError, match="not an integer"):
        Codebook((("conflict", "cue", "x"),))


def test_typographic_apostrophes_read_as_straight_ones() -> None:
    straight = "The alliance's military threat and the allies' sovereignty"
    curly = straight.replace("'", "’")
    assert frames_of(curly) == frames_of(straight) != []
