"""List every hit of the sentence boilerplate rules on human-written news, to review a pattern change.

    .venv/bin/python scripts/check_boilerplate_rules.py [--bench ../shared/benchmarks] [--out hits.tsv]

The rules of ``data/boilerplate_patterns.tsv`` should fire on chrome, bylines and template filler,
never on reporting. This runs them over three human corpora, sentence by sentence as the pipeline
does (normalise, blocks, segment): BBC News (title + text), AG News test descriptions (which carry
real bylines) and the human side of the XSum dev pairs. It prints the count per corpus and reason and
writes every hit (corpus, block type, reasons, sentence) to a TSV, so two runs diff cleanly. The
evaluation reports the BBC share; this is the list to read when a pattern changes.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from corpus_tools.annotators.boilerplate import is_page_furniture, sentence_reasons
from corpus_tools.normalise import normalise
from corpus_tools.segment import split_sentences
from corpus_tools.structure import parse_blocks

ROOT = Path(__file__).resolve().parents[1]
CORPORA = {
    "bbc": ("corpora/bbc_news.jsonl", lambda r: f"{r.get('title') or ''}\n\n{r['text']}"),
    "agnews": ("corpora/agnews_test.jsonl", lambda r: r["text"]),
    "xsum_human": (
        "ai_text/xsum_human_vs_ai.dev.jsonl",
        lambda r: r["text"] if r["label"] == "human" else "",
    ),
}


def sentences(raw: str) -> Iterator[tuple[str, str]]:
    """(block type, sentence) of one article, as the pipeline segments it."""
    text = normalise(raw).text
    for block in parse_blocks(text, is_chrome=is_page_furniture):
        for start, end in split_sentences(text, block.content_start, block.content_stop):
            yield block.block_type, text[start:end]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--out", type=Path, default=Path("boilerplate_rule_hits.tsv"))
    args = parser.parse_args()
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    with args.out.open("w", encoding="utf-8") as out:
        for corpus, (relative, article_text) in CORPORA.items():
            path = args.bench / relative
            if not path.is_file():
                print(f"{path} not found: skipped")
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                for block_type, sentence in sentences(article_text(json.loads(line))):
                    totals[corpus] += 1
                    reasons = sentence_reasons(sentence, block_type)
                    for reason in reasons:
                        counts[(corpus, reason)] += 1
                    if reasons:
                        out.write(f"{corpus}\t{block_type}\t{','.join(reasons)}\t{sentence}\n")
    for corpus, total in totals.items():
        hits = {reason: n for (c, reason), n in sorted(counts.items()) if c == corpus}
        print(f"{corpus}: {total:,} sentences; hits by reason: {hits or 'none'}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
