"""Notebook aggregations: deterministic, correct on small hand-made tables."""

from __future__ import annotations

import pandas as pd

from corpus_tools import analysis


def _sentences() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": ["A", "A", "B", "B"],
            "doc_id": ["d1", "d1", "d2", "d2"],
            "sentence_index": [0, 1, 0, 1],
            "block_type": ["lede", "paragraph", "paragraph", "list_item"],
            "section": [None, "S", None, None],
            "text": ["Russia attacked.", "NATO helped.", "Moscow denied it.", "Radar"],
            "stance": [
                [
                    {
                        "target": "Russia",
                        "mention": "Russia",
                        "label": "against",
                        "score": -0.5,
                        "cue": "attacked",
                    }
                ],
                [{"target": "NATO", "mention": "NATO", "label": "favor", "score": 0.4, "cue": "helped"}],
                [{"target": "Russia", "mention": "Moscow", "label": "neutral", "score": 0.0, "cue": ""}],
                [],
            ],
            "implicit_actors": [[], [], ["potential aggressors"], []],
            "frames": [["conflict"], ["alliance_solidarity"], [], ["military_capability"]],
            "tone_compound": [-0.5, 0.4, 0.0, 0.0],
            "tone_label": ["negative", "positive", "neutral", "neutral"],
            "is_hedged": [False, True, False, False],
            "hedge_cues": [[], ["may"], [], []],
            "booster_cues": [["clearly"], [], [], []],
            "is_boilerplate": [False, False, False, True],
            "boilerplate_reasons": [[], [], [], ["web_chrome"]],
            "quality_flags": [["llm_style_word:delve"], [], ["spacing_error"], []],
        }
    )


def test_actor_and_stance_tables() -> None:
    sentences = _sentences()
    named = analysis.actor_mentions_by_source(sentences, ["NATO", "Russia", "Belarus"])
    assert named.loc["Russia"].to_dict() == {"A": 1, "B": 1}
    assert named.loc["Belarus"].to_dict() == {"A": 0, "B": 0}
    stance = analysis.stance_by_source(sentences)
    assert stance.loc[("A", "Russia")].to_dict() == {
        "favor": 0.0,
        "neutral": 0.0,
        "against": 1.0,
        "mentions": 1,
    }
    assert analysis.implicit_actors_by_source(sentences).loc["potential aggressors"].to_dict() == {"B": 1}


def test_frames_tone_boilerplate_and_flags() -> None:
    sentences = _sentences()
    frames = analysis.frame_shares(sentences)
    assert frames.loc["A", "conflict"] == 0.5 and frames.loc["B", "military_capability"] == 0.5
    tone = analysis.tone_and_hedging_by_source(sentences)
    assert tone.loc["A", "hedged_share"] == 0.5 and tone.loc["A", "boosted_share"] == 0.5
    assert analysis.boilerplate_by_source(sentences).loc["B", "share_web_chrome"] == 0.5
    flags = analysis.quality_flag_counts(sentences)
    assert flags[["source", "kind", "detail", "count"]].values.tolist() == [
        ["A", "llm_style_word", "delve", 1],
        ["B", "spacing_error", "", 1],
    ]


def test_percentile_counts_ties_half() -> None:
    reference = pd.Series([0.0] * 98 + [1.0, 2.0])
    got = analysis.percentile_in_reference(pd.Series([0.0, 1.5, 3.0]), reference).tolist()
    assert got == [49.0, 99.0, 100.0]
