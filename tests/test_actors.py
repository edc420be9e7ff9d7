"""Actor registry: resolution of names, metonyms, possessives, case; user registries; malformed files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from corpus_tools.annotators.actors import default_registry, load_registry


def targets(text: str) -> list[tuple[str, str]]:
    return [(m.mention, m.target) for m in default_registry().find_mentions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moscow denied it.", [("Moscow", "Russia")]),
        ("The Kremlin denied it.", [("The Kremlin", "Russia")]),
        ("the Kremlin denied it", [("the Kremlin", "Russia")]),
        ("Russian drones crossed the border.", [("Russian", "Russia")]),
        ("Russia's assertive foreign policy", [("Russia", "Russia")]),
        ("Russia’s assertive foreign policy", [("Russia", "Russia")]),
        ("Vilnius asked for help.", [("Vilnius", "Lithuania")]),
        ("Minsk and Kyiv", [("Minsk", "Belarus"), ("Kyiv", "Ukraine")]),
        (
            "Washington and the White House",
            [("Washington", "United States"), ("the White House", "United States")],
        ),
        ("Brussels imposed sanctions.", [("Brussels", "European Union")]),
        ("bordering Russia's Kaliningrad Oblast", [("Russia", "Russia"), ("Kaliningrad Oblast", "Russia")]),
        ("Putin and Lukashenko met.", [("Putin", "Vladimir Putin"), ("Lukashenko", "Alexander Lukashenko")]),
        ("Russian President Vladimir Putin spoke.", [("Russian President Vladimir Putin", "Vladimir Putin")]),
        ("NATO allies met.", [("NATO allies", "NATO")]),
        ("RUSSIA WARNS VILNIUS", [("RUSSIA", "Russia"), ("VILNIUS", "Lithuania")]),
        ("Russian-made drones and pro-Russian groups", [("Russian", "Russia"), ("Russian", "Russia")]),
    ],
)
def test_names_metonyms_and_possessives_resolve(text: str, expected: list[tuple[str, str]]) -> None:
    assert targets(text) == expected


def test_case_and_word_boundaries() -> None:
    assert targets("Let us see what the US does.") == [("US", "United States")]
    assert targets("They polish the Polish border guards' boots.") == [("Polish", "Poland")]
    assert targets("Russians and Prussians") == [("Russians", "Russia")]
    assert targets("Chinatown") == []
    assert targets("Latin American states and the Washington Post") == []


def test_possessive_flag_and_offsets() -> None:
    text = "Lithuania’s plea and NATO's answer"
    mentions = default_registry().find_mentions(text)
    assert [(m.mention, m.possessive) for m in mentions] == [("Lithuania", True), ("NATO", True)]
    for m in mentions:
        assert text[m.start : m.end] == m.mention


def test_contextual_names_need_their_actor_in_the_document() -> None:
    registry = default_registry()
    assert targets("The alliance responded.") == []
    assert targets("NATO met; the alliance responded.") == [("NATO", "NATO"), ("the alliance", "NATO")]
    doc = ["Lithuania asked NATO for help.", "The alliance will respond.", "Allies agreed."]
    found = registry.find_in_document(doc)
    assert [[(m.mention, m.target) for m in s] for s in found] == [
        [("Lithuania", "Lithuania"), ("NATO", "NATO")],
        [("The alliance", "NATO")],
        [("Allies", "NATO")],
    ]
    # "member states" belongs to NATO and to the EU: the one named last before it wins
    doc = ["NATO met.", "The EU met.", "Member states agreed."]
    assert registry.find_in_document(doc)[2][0].target == "European Union"


def test_affiliation_roll_up() -> None:
    registry = default_registry()
    assert registry.affiliation_of("Vladimir Putin") == "Russia"
    assert registry.affiliation_of("Mark Rutte") == "NATO"
    assert registry.affiliation_of("Russia") == "Russia"


def test_implicit_references_are_reported_by_label() -> None:
    registry = default_registry()
    text = "Fears of potential aggression from neighboring states deter potential aggressors."
    assert registry.find_implicit(text) == ["neighboring states", "potential aggressors"]
    assert registry.find_implicit("a hostile power and Potential Adversaries") == [
        "hostile power",
        "potential adversaries",
    ]
    assert registry.find_implicit("would-be aggressors and neighbouring countries") == [
        "potential aggressors",
        "neighboring states",
    ]
    assert registry.find_implicit("") == []


def test_empty_text() -> None:
    assert default_registry().find_mentions("") == []


def _write(tmp_path: Path, data: object, name: str = "actors.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


USER_REGISTRY = {
    "name": "test_actors",
    "version": "0.1.0",
    "source": "tests",
    "actors": [
        {"name": "Ruritania", "aliases": ["Ruritania"], "demonyms": ["Ruritanian"], "capitals": ["Strelsau"]},
        {"name": "Rudolf V", "type": "person", "affiliation": "Ruritania", "aliases": ["Rudolf"]},
    ],
    "implicit": [{"label": "the usurper", "phrases": ["the usurper"]}],
}


def test_user_registry_replaces_the_default(tmp_path: Path) -> None:
    path = _write(tmp_path, USER_REGISTRY)
    registry = load_registry(path)
    assert (registry.name, registry.version) == ("test_actors", "0.1.0")
    assert registry.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    found = registry.find_mentions("Strelsau denied that Rudolf met Russia.")
    assert [(m.mention, m.target) for m in found] == [("Strelsau", "Ruritania"), ("Rudolf", "Rudolf V")]
    assert registry.affiliation_of("Rudolf V") == "Ruritania"
    assert registry.find_implicit("The Usurper fled.") == ["the usurper"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "top level must be a JSON object"),
        ({"name": "x", "version": "1", "source": "s"}, "'actors' must be a non-empty list"),
        ({"version": "1", "source": "s", "actors": [{"name": "A"}]}, "'name'"),
        ({"name": "x", "version": "1", "source": "s", "actors": [{"aliases": ["A"]}]}, "has no 'name'"),
        (
            {"name": "x", "version": "1", "source": "s", "actors": [{"name": "A", "alias": ["A"]}]},
            "unknown key",
        ),
        ({"name": "x", "version": "1", "source": "s", "actors": [{"name": "A", "aliases": "A"}]}, "list of"),
        (
            {"name": "x", "version": "1", "source": "s", "actors": [{"name": "A", "affiliation": "B"}]},
            "affiliation 'B'",
        ),
        (
            {
                "name": "x",
                "version": "1",
                "source": "s",
                "actors": [{"name": "A", "aliases": ["Same"]}, {"name": "B", "aliases": ["Same"]}],
            },
            "given to both",
        ),
    ],
)
def test_malformed_registry_raises_a_clear_error(tmp_path: Path, data: object, problem: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(ValueError, match="actor registry") as info:
        load_registry(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_invalid_json_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x",\n "actors": [', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json: invalid JSON at line 2"):
        load_registry(path)
    with pytest.raises(ValueError, match=r"missing\.json: cannot read"):
        load_registry(tmp_path / "missing.json")


def test_document_scan_matches_sentence_by_sentence() -> None:
    """find_in_document scans the sentences joined in one string: names at the edges of sentences,
    empty sentences and implicit references come out as they do for each sentence alone."""
    registry = default_registry()
    texts = [
        "Russia",
        "",
        "NATO allies met Moscow",
        "xRussia and Russia's drones",
        "potential aggressors",
        "RUSSIA",
        "Kyiv",
    ]
    by_document = registry.find_in_document(texts)
    alone = [registry.find_in_document([text])[0] for text in texts]
    assert [[(m.start, m.end, m.target) for m in ms] for ms in by_document] == [
        [(m.start, m.end, m.target) for m in ms] for ms in alone
    ]
    assert by_document[0][0].start == 0 and by_document[6][0].end == 4
    assert registry.find_implicit_in_document(texts) == [registry.find_implicit(t) for t in texts]
    assert registry.find_implicit_in_document(["no one here", "Kyiv"]) == [[], []]


def test_implicit_anchor_words_are_in_every_match() -> None:
    """find_implicit_in_document skips the search when the document has none of the anchor words:
    every implicit phrase, however spaced, cased or apostrophed, contains one of them."""
    from corpus_tools.annotators.actors import _anchor_words

    registry = default_registry()
    anchors = registry._implicit_anchors
    assert anchors
    for phrase, label in registry.implicit.items():
        for text in (phrase, phrase.upper(), "  ".join(phrase.split()), phrase.replace("'", "’")):
            lowered = f"x {text} y".lower()
            assert registry._implicit_pattern.search(lowered)
            assert any(word in lowered for word in anchors), phrase
            assert registry.find_implicit_in_document(["Kyiv", f"x {text} y"]) == [[], [label]]
    assert _anchor_words(["o'clock", "the aggressor"]) is None  # a phrase without an anchor word
    assert _anchor_words(["aggressor", "the aggressors", "potential adversary"]) == ("aggressor", "potential")
    assert _anchor_words([]) == ()
