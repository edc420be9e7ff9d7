"""Stance annotator: contract, target-aware labels, negation, reported speech, benchmark figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import check_sentence_contract

import corpus_tools
from corpus_tools.annotators.base import AnnotatorOptions, SentenceBatch
from corpus_tools.annotators.stance import LABELS, StanceAnnotator, stance_detail, stance_toward

TEXTS = [
    "Russia's drones threaten Lithuania.",
    "",
    "   ",
    "Lithuania has formally requested NATO support; the alliance will respond.",
    "Fears of potential aggression from neighboring states deter potential aggressors.",
    "The Kremlin denied it, and Moscow said NATO was lying about Russian drones.",
    "No actor here.",
]


@pytest.fixture(scope="module")
def annotator() -> StanceAnnotator:
    return StanceAnnotator()


def span(text: str, target: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(target, start + 1)
    return start, start + len(target)


def label(text: str, target: str, occurrence: int = 0) -> str:
    return stance_toward(text, *span(text, target, occurrence))


def by_target(entries: list[dict]) -> dict[str, dict]:
    return {e["target"]: e for e in entries}


def test_contract_columns_types_lengths(annotator: StanceAnnotator) -> None:
    batch = SentenceBatch.from_texts(TEXTS)
    columns = check_sentence_contract(annotator, batch)
    assert set(columns) == {"stance", "implicit_actors"}
    assert columns["stance"][1] == columns["stance"][2] == columns["stance"][6] == []
    for entries in columns["stance"]:
        for entry in entries:
            assert set(entry) == {"target", "mention", "label", "score", "cue"}
            assert entry["label"] in LABELS
            assert -1.0 <= entry["score"] <= 1.0 and round(entry["score"], 4) == entry["score"]


def test_one_entry_per_actor_per_sentence(annotator: StanceAnnotator) -> None:
    columns = annotator.annotate(SentenceBatch.from_texts(TEXTS))
    targets = [e["target"] for e in columns["stance"][5]]
    assert targets == ["Russia", "NATO"]  # the Kremlin, Moscow, Russian: one entry for Russia
    assert by_target(columns["stance"][5])["Russia"]["mention"] in {"The Kremlin", "Moscow", "Russian"}
    assert [e["target"] for e in columns["stance"][3]] == ["Lithuania", "NATO"]
    assert columns["implicit_actors"][4] == ["neighboring states", "potential aggressors"]


def test_deterministic(annotator: StanceAnnotator) -> None:
    batch = SentenceBatch.from_texts(TEXTS)
    assert annotator.annotate(batch) == StanceAnnotator().annotate(batch)


def test_target_aware_agent_and_victim() -> None:
    text = "Russia's drones threaten Lithuania."
    assert label(text, "Russia") == "against"
    assert label(text, "Lithuania") == "neutral"  # the victim is not evaluated by the threat
    assert stance_detail(text, *span(text, "Russia")).cue == "threaten"
    text = "Lithuania was attacked by Russia."
    assert label(text, "Russia") == "against"
    assert label(text, "Lithuania") == "neutral"
    text = "The incursions by Russian drones into Lithuanian airspace raised concerns."
    assert label(text, "Russian") == "against"
    assert label(text, "Lithuanian") != "against"


def test_criticism_and_support() -> None:
    text = "NATO condemned Moscow for the attack."
    assert label(text, "Moscow") == "against"
    assert label(text, "NATO") != "against"  # the critic holds the opinion, it is not its target
    assert label("NATO expressed solidarity with Lithuania.", "Lithuania") == "favor"
    assert label("The alliance praised Poland for its leadership.", "Poland") == "favor"
    assert label("NATO's commitment to its member states' security is unwavering.", "NATO") == "favor"


def test_negation() -> None:
    assert label("Russia threatened Lithuania.", "Russia") == "against"
    assert label("Russia did not threaten Lithuania.", "Russia") != "against"
    assert label("Russia is a threat to Europe.", "Russia") == "against"
    assert label("Russia is not a threat to Europe.", "Russia") == "neutral"
    assert stance_detail("Russia is not a threat to Europe.", 0, 6).cue == "not threat"


def test_reported_speech() -> None:
    text = "Lithuanian officials said Russia's drones threaten the region."
    assert label(text, "Lithuanian") == "neutral"  # the speaker holds the opinion
    assert label(text, "Russia") == "against"  # the target of the reported opinion
    text = "Moscow said NATO's drills were a dangerous provocation."
    assert label(text, "Moscow") == "neutral"
    assert label(text, "NATO") == "against"


def test_stance_toward_is_public_and_checks_its_span() -> None:
    assert corpus_tools.stance_toward is stance_toward
    assert stance_toward("Russia", 0, 6) in LABELS
    for start, end in ((10, 2), (-5, 500), (0, 0), (3, 3)):
        with pytest.raises(ValueError, match="is not a non-empty span"):
            stance_toward("Russia attacked.", start, end)
    with pytest.raises(ValueError):
        stance_toward("", 0, 0)
    result = stance_detail("   ", 0, 3)
    assert (result.label, result.score, result.cue) == ("neutral", 0.0, "")


def test_long_lists_of_names_score_a_bounded_number_of_mentions(annotator: StanceAnnotator) -> None:
    text = "Russia and NATO and Moscow and Vilnius, " * 400
    (entries,) = annotator.annotate(SentenceBatch.from_texts([text]))["stance"]
    assert sorted(e["target"] for e in entries) == ["Lithuania", "NATO", "Russia"]


def test_user_registry_is_used(tmp_path: Path) -> None:
    path = tmp_path / "actors.json"
    path.write_text(
        json.dumps(
            {
                "name": "t",
                "version": "1",
                "source": "tests",
                "actors": [{"name": "Ruritania", "aliases": ["Ruritania"], "capitals": ["Strelsau"]}],
            }
        ),
        encoding="utf-8",
    )
    annotator = StanceAnnotator(AnnotatorOptions(actors=str(path)))
    columns = annotator.annotate(SentenceBatch.from_texts(["Strelsau threatened Russia."]))
    assert [e["target"] for e in columns["stance"][0]] == ["Ruritania"]
    assert columns["stance"][0][0]["label"] == "against"
    with pytest.raises(ValueError, match="actor registry"):
        StanceAnnotator(AnnotatorOptions(actors=str(tmp_path / "missing.json")))


def test_seed_articles(annotator: StanceAnnotator, seed_texts: dict[str, str]) -> None:
    """Article 001 names Russia throughout; article 000 never names it and speaks of unnamed actors."""
    from corpus_tools.segment import split_sentences

    found: dict[str, tuple[set[str], set[str]]] = {}
    for name, text in seed_texts.items():
        sentences = [text[s:e] for s, e in split_sentences(text)]
        columns = annotator.annotate(SentenceBatch.from_texts(sentences))
        targets = {e["target"] for entries in columns["stance"] for e in entries}
        implicit = {label for labels in columns["implicit_actors"] for label in labels}
        found[name[:3]] = (targets, implicit)
    assert "Russia" not in found["000"][0]
    assert {"neighboring states", "potential aggressors"} <= found["000"][1]
    assert {"Russia", "Lithuania", "NATO"} <= found["001"][0]


# -- benchmark --------------------------------------------------------------------------------------
# figures measured with `corpus-tools evaluate --only stance` (docs/evaluation.md); the model and the data
# are fixed, so the margin only absorbs deliberate small rule changes
MEASURED = {"newsmtsc-rw.test.jsonl": 0.6569, "newsmtsc-mt.test.jsonl": 0.6500}
MARGIN = 0.005


@pytest.mark.benchmarks
@pytest.mark.parametrize("name", sorted(MEASURED))
def test_newsmtsc_macro_f1(bench_dir: Path, name: str) -> None:
    from corpus_tools.evaluation.stance import measure

    path = bench_dir / "stance" / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    figures = measure(path)
    assert figures["ours"] >= MEASURED[name] - MARGIN
    assert figures["ours"] > figures["vader"] + 0.1


def test_tokenize_splits_clitics_with_either_apostrophe() -> None:
    from corpus_tools.annotators.stance import tokenize

    expected = [("russia", 0, 6), ("'s", 6, 8), ("drones", 9, 15), ("did", 16, 19), ("n't", 19, 22)]
    assert tokenize("Russia's drones didn't") == expected
    assert tokenize("Russia’s drones didn’t") == expected
    assert tokenize("O'Reilly, no apostrophe here") == [
        ("o'reilly", 0, 8),
        (",", 8, 9),
        ("no", 10, 12),
        ("apostrophe", 13, 23),
        ("here", 24, 28),
    ]


def test_bag_rows_and_sums_match_the_table() -> None:
    from corpus_tools.annotators.stance import Sentence, default_model

    model = default_model()
    sent = Sentence("Moscow said NATO's drills were a provocation; Lithuania was not threatened.")
    bag = model.bag(sent)
    rows = [(model.table.get("w:" + w), model.table.get("c:" + w)) for w in sent.words]
    assert bag.rows == rows
    total = [0.0, 0.0, 0.0]
    for w_row, _ in rows:
        for k in range(3):
            total[k] += w_row[k] if w_row is not None else 0.0
    assert bag.total == tuple(total)
    for clause in set(sent.clause_id):
        expected = [0.0, 0.0, 0.0]
        for (_, c_row), k in zip(rows, sent.clause_id, strict=True):
            if c_row is not None and k == clause:
                for j in range(3):
                    expected[j] += c_row[j]
        assert bag.clause_sums.get(clause, [0.0, 0.0, 0.0]) == expected


def test_weights_ship_as_exact_fixed_point_integers() -> None:
    """The model file stores its 4-decimal weights as int32 / 10,000: decoding gives back the same
    floats as parsing their decimals, and values that are not multiples of 1e-4 are refused."""
    import json

    from corpus_tools.annotators.stance import MODEL_FILE, decode_weights, default_model, encode_weights
    from corpus_tools.lexicons import read_data_bytes

    values = [0.0444, -0.2245, 0.0047, 0.0001, -0.0001, 12.3456, -3.0, 0.0, 0.3]
    assert decode_weights(encode_weights(values)) == values
    assert decode_weights([1, 0.5]) == [1.0, 0.5]  # a plain JSON list still loads
    with pytest.raises(ValueError, match="multiples of 1e-4"):
        encode_weights([0.12345])
    for corrupt in (
        {"dtype": "<i4", "scale": 10_000, "base64": "not base64!"},
        {"dtype": "<i4", "scale": 0, "base64": encode_weights([0.5])["base64"]},
        {"dtype": "<f8", "scale": 10_000, "base64": encode_weights([0.5, 0.25])["base64"]},
        {"scale": 10_000},
    ):
        with pytest.raises(ValueError, match="unreadable weights"):
            decode_weights(corrupt)
    stored = json.loads(read_data_bytes(MODEL_FILE))["weights"]
    weights = decode_weights(stored)
    assert len(weights) == 3 * len(default_model().table) > 70_000
    assert all(float(f"{w:.4f}") == w for w in weights)
