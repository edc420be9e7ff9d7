"""Set the dev statistics and active/inactive status of every hedge cue, on the DEV splits only.

    .venv/bin/python scripts/tune_hedging.py [--bench ../shared/benchmarks] [--write]

For every entry of ``src/corpus_tools/data/hedge_cues.tsv`` (active or not) the script matches the
entry, with its context rule, on ``hedging/factbank.dev.jsonl`` + ``hedging/wikiweasel.dev.jsonl`` and
counts ``n`` (sentences where it matched) and ``k`` (of those, matches that overlap an annotated
uncertainty cue span). Its precision is smoothed towards a prior for literature cues::

    precision = (k + PRIOR_WEIGHT * PRIOR) / (n + PRIOR_WEIGHT)

and the entry is active when that precision reaches ``THRESHOLD``. Entries seen fewer than MIN_N
(3) times on dev keep the prior (0.6) and stay active: the lexicon is built for the general case, the dev data only vetoes
cues that its annotators did not treat as uncertainty in context ("would", "estimates",
"controversial"...). THRESHOLD is chosen from a small grid by the mean F1 (uncertain class) over the
two dev sets. bioscope has no dev split and is never read here. With ``--write`` the lexicon file is
rewritten (same order, same headers, columns dev_n / dev_precision / status updated); the output
is deterministic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from corpus_tools.annotators.hedging import HEDGE_FILE, CueMatcher, booster_entries, hedge_entries
from corpus_tools.evaluation.metrics import binary_f1, read_jsonl

PRIOR = 0.6
PRIOR_WEIGHT = 2.0
MIN_N = 3  # fewer dev matches than this: no evidence either way, the prior decides (active)
GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
DEV_SETS = ("factbank", "wikiweasel")
DATA_FILE = Path(__file__).resolve().parents[1] / "src" / "corpus_tools" / "data" / HEDGE_FILE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=Path("..") / "shared" / "benchmarks")
    parser.add_argument(
        "--write", action="store_true", help="rewrite the lexicon file with the new statistics"
    )
    args = parser.parse_args()

    matcher = CueMatcher(hedge_entries(include_inactive=True) + booster_entries())
    # per dev set: list of (gold uncertain?, set of hedge entries matched)
    data: dict[str, list[tuple[bool, set[str]]]] = {}
    n: dict[str, int] = {}
    k: dict[str, int] = {}
    for name in DEV_SETS:
        rows = []
        for record in read_jsonl(args.bench / "hedging" / f"{name}.dev.jsonl"):
            entries: set[str] = set()
            for match in matcher.matches(record["text"]):
                if match.kind != "hedge":
                    continue
                entry = match.cue  # a negated booster counts as its own entry ("not clear")
                if entry in entries:
                    continue
                entries.add(entry)
                n[entry] = n.get(entry, 0) + 1
                overlaps = any(match.start < c["end"] and c["start"] < match.end for c in record["cue_spans"])
                k[entry] = k.get(entry, 0) + int(overlaps)
            rows.append((record["label"] == "uncertain", entries))
        data[name] = rows

    def precision(entry: str) -> float:
        if n.get(entry, 0) < MIN_N:
            return PRIOR
        return (k.get(entry, 0) + PRIOR_WEIGHT * PRIOR) / (n.get(entry, 0) + PRIOR_WEIGHT)

    lexicon_entries = [cue.text for cue in hedge_entries(include_inactive=True)]

    def dev_f1(active: set[str]) -> dict[str, float]:
        # negated boosters ("not clear") are always on: they are not lexicon entries
        out = {}
        for name, rows in data.items():
            gold = [g for g, _ in rows]
            pred = [any(e in active or e not in lexicon_set for e in entries) for _, entries in rows]
            out[name] = binary_f1(gold, pred)
        return out

    lexicon_set = set(lexicon_entries)
    print(f"{'threshold':>9}  " + "  ".join(f"{name:>10}" for name in DEV_SETS) + "      mean  active")
    all_active = dev_f1(lexicon_set)
    print(f"{'(all)':>9}  " + "  ".join(f"{all_active[name]:10.4f}" for name in DEV_SETS))
    best = None
    for threshold in GRID:
        active = {e for e in lexicon_entries if precision(e) >= threshold}
        scores = dev_f1(active)
        mean = sum(scores.values()) / len(scores)
        print(
            f"{threshold:9.2f}  "
            + "  ".join(f"{scores[name]:10.4f}" for name in DEV_SETS)
            + f"  {mean:8.4f}  {len(active)}"
        )
        if best is None or mean > best[0] + 1e-9:
            best = (mean, threshold)
    assert best is not None
    threshold = best[1]
    print(f"chosen threshold: {threshold} (mean dev F1 {best[0]:.4f})")
    inactive = sorted(e for e in lexicon_entries if precision(e) < threshold)
    print("inactive:", ", ".join(f"{e} ({k.get(e, 0)}/{n.get(e, 0)})" for e in inactive))

    if args.write:
        lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
        out = []
        for line in lines:
            if not line.strip() or line.startswith("#"):
                out.append(line)
                continue
            cue, rule, origin, *_ = line.split("\t")
            status = "active" if precision(cue) >= threshold else "inactive"
            dev_n = n.get(cue, 0)
            out.append(f"{cue}\t{rule}\t{origin}\t{dev_n}\t{precision(cue):.3f}\t{status}")
        DATA_FILE.write_text("\n".join(out) + "\n", encoding="utf-8")
        print(f"wrote {DATA_FILE}")


if __name__ == "__main__":
    main()
