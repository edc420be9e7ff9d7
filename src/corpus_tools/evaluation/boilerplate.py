"""Boilerplate on public data (test splits; the block model was fitted on dev by scripts/tune_boilerplate.py).

Rows:
- L3S-GN1 blocks (``boilerplate/l3s_gn1_blocks.test.jsonl``): F1 of the boilerplate class, block scorer
  profile ``html_blocks`` vs the rule "fewer than 10 words" measured in the same run;
- Turku lines (``boilerplate/turku_lines.test.jsonl``): F1 of the noise class, profile ``text_lines``;
- BBC News (``corpora/bbc_news.jsonl``, human news, the 133 exact duplicate articles excluded): share of
  body sentences the *sentence* annotator flags (lower is better), per-document rules only and with the
  corpus pass (repeated / near-duplicate sentences) added.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from corpus_tools.annotators.base import SentenceBatch
from corpus_tools.annotators.boilerplate import FEATURES, BoilerplateAnnotator, block_models, classify_blocks
from corpus_tools.corpus_pass import CorpusIndex, copied_documents, sentence_signatures
from corpus_tools.evaluation import EvalResult
from corpus_tools.evaluation.metrics import binary_f1, read_jsonl
from corpus_tools.segment import split_sentences

FAMILY = "boilerplate"
_WORDS = re.compile(r"\S+")


def _fewer_than_10_words(text: str) -> bool:
    return len(_WORDS.findall(text)) < 10


def _pages(path: Path, page_key: str, order_key: str) -> Iterator[list[dict[str, Any]]]:
    pages: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in read_jsonl(path):
        pages[record[page_key]].append(record)
    for page_id in sorted(pages):
        yield sorted(pages[page_id], key=lambda r: r[order_key])


def _page_key(page: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(r["text"] for r in page)


def _dev_pages(path: Path, page_key: str, order_key: str) -> set[tuple[str, ...]]:
    """Texts of the dev pages (to report test pages that are verbatim copies of dev pages separately)."""
    dev = path.with_name(path.name.replace(".test.", ".dev."))
    return {_page_key(p) for p in _pages(dev, page_key, order_key)} if dev.exists() else set()


def _model_note(profile: str) -> str:
    model = block_models()[profile]
    if model.kind == "word_rule":
        return f"block scorer profile `{profile}`: the rule 'fewer than {model.max_words} words' (chosen by grouped CV on dev)"
    if model.features != FEATURES:
        what = f"{len(model.features)} features ({', '.join(model.features)}), chosen by CV grouped by page"
    else:
        what = f"{len(model.features)} shape, context and rule features"
    return f"block scorer profile `{profile}` (logistic regression on {what}; fitted on the dev split)"


def _block_rows(bench_dir: Path) -> list[EvalResult]:
    specs = [
        (
            "boilerplate/l3s_gn1_blocks.test.jsonl",
            "page_id",
            "block_index",
            "html_blocks",
            lambda r: bool(r["is_boilerplate"]),
            "F1 (boilerplate blocks)",
            0.95,
            "blocks",
        ),
        (
            "boilerplate/turku_lines.test.jsonl",
            "doc_id",
            "line_index",
            "text_lines",
            lambda r: r["label"] == "noise",
            "F1 (noise lines)",
            0.80,
            "lines",
        ),
    ]
    rows = []
    for rel, page_key, order_key, profile, label, metric, target, unit in specs:
        path = bench_dir / rel
        if not path.exists():
            continue
        gold: list[bool] = []
        ours: list[bool] = []
        base: list[bool] = []
        unseen: list[bool] = []  # page is not a verbatim copy of a dev page
        dev_pages = _dev_pages(path, page_key, order_key)
        n_pages = n_unseen = 0
        for page in _pages(path, page_key, order_key):
            n_pages += 1
            texts = [r["text"] for r in page]
            is_unseen = _page_key(page) not in dev_pages
            n_unseen += is_unseen
            unseen.extend([is_unseen] * len(page))
            gold.extend(label(r) for r in page)
            ours.extend(classify_blocks(texts, profile))
            base.extend(_fewer_than_10_words(t) for t in texts)
        rows.append(
            EvalResult(
                family=FAMILY,
                dataset=f"{rel} ({len(gold):,} {unit}, {n_pages} pages)",
                metric=metric,
                value=round(binary_f1(gold, ours), 4),
                baseline=round(binary_f1(gold, base), 4),
                baseline_name="fewer than 10 words, same run",
                target=target,
                notes=_model_note(profile)
                + "; the issue's reference figure for the baseline (0.92 L3S, 0.68 Turku) "
                "was measured on all records, the baseline here is the same rule on the test split only",
            )
        )
        if n_unseen < n_pages:
            keep = [i for i, flag in enumerate(unseen) if flag]
            rows.append(
                EvalResult(
                    family=FAMILY,
                    dataset=f"{rel}, only the {n_unseen} pages not copied from dev ({len(keep):,} {unit})",
                    metric=metric,
                    value=round(binary_f1([gold[i] for i in keep], [ours[i] for i in keep]), 4),
                    baseline=round(binary_f1([gold[i] for i in keep], [base[i] for i in keep]), 4),
                    baseline_name="fewer than 10 words, same run",
                    target=target,
                    notes=f"{n_pages - n_unseen} test page(s) ({len(gold) - len(keep):,} {unit}) are verbatim copies of "
                    "dev pages (same text, same labels) although the split is said to be by page; the model was "
                    "trained on one copy of each (deduplicated), so the full-file figure is partly a training-set "
                    "figure and this row is the honest held-out one (small: read it with its page count)",
                )
            )
    return rows


def bbc_body_sentences(path: Path) -> list[tuple[str, list[str]]]:
    """(article id, body sentences) of the BBC corpus, exact duplicate articles excluded."""
    out = []
    for record in read_jsonl(path):
        if record.get("duplicate_of"):
            continue
        text = record["text"]
        sentences: list[str] = []
        for para in re.finditer(r"[^\n]+", text):
            sentences.extend(text[s:e] for s, e in split_sentences(text, para.start(), para.end()))
        out.append((record["id"], sentences))
    return out


def _bbc_rows(bench_dir: Path) -> list[EvalResult]:
    path = bench_dir / "corpora" / "bbc_news.jsonl"
    if not path.exists():
        return []
    articles = bbc_body_sentences(path)
    annotator = BoilerplateAnnotator()
    index = CorpusIndex()
    flagged_rules: dict[tuple[str, int], bool] = {}
    n = 0
    n_short = 0
    for doc_id, sentences in articles:
        batch = SentenceBatch.from_texts(sentences)
        out = annotator.annotate(batch)
        for i, flag in enumerate(out["is_boilerplate"]):
            flagged_rules[(doc_id, i)] = flag
        n += len(sentences)
        n_short += sum(1 for s in sentences if _fewer_than_10_words(s))
        index.add(doc_id, "bbc", sentence_signatures(sentences))
    updates = index.resolve()
    rules_rate = sum(flagged_rules.values()) / n
    corpus_flagged = {key for key, flag in flagged_rules.items() if flag} | set(updates)
    corpus_rate = len(corpus_flagged) / n
    by_reason: dict[str, int] = defaultdict(int)
    for update in updates.values():
        for reason in update.reasons:
            by_reason[reason] += 1
    # articles that copy an earlier article (half or more of their sentences repeat it): the corpus's own
    # duplicate flag marks exact copies only; copied_documents is the rule the package ships for re-edits
    sizes = {doc_id: len(sentences) for doc_id, sentences in articles}
    pointers = ((doc_id, update.near_duplicate_of) for (doc_id, _index), update in updates.items())
    reedits = {copy.doc_id for copy in copied_documents(pointers, sizes)}
    rest = [key for key in flagged_rules if key[0] not in reedits]
    rest_rate = sum(1 for key in rest if key in corpus_flagged) / len(rest)
    dataset = (
        f"corpora/bbc_news.jsonl ({len(articles):,} articles, {n:,} body sentences; duplicates excluded)"
    )
    row = partial(
        EvalResult,
        family=FAMILY,
        dataset=dataset,
        baseline=round(n_short / n, 4),
        baseline_name="fewer than 10 words, same run",
        higher_is_better=False,
    )
    return [
        row(
            metric="share of human news sentences flagged (sentence rules)",
            value=round(rules_rate, 4),
            target=0.02,
            notes="false-positive proxy: BBC body text is human-written news; some hits are real chrome",
        ),
        row(
            metric="share of human news sentences flagged (rules + corpus pass; copies of earlier articles excluded)",
            value=round(rest_rate, 4),
            target=0.02,
            notes=f"{len(reedits)} articles copy an earlier article (corpus_pass.copied_documents: half or more of "
            "their sentences repeat it; re-edits the corpus's exact-duplicate flag misses) and are left out like "
            "the exact duplicates; their repeated sentences are true repetitions, flagged as such",
        ),
        row(
            metric="share of human news sentences flagged (rules + corpus pass; all articles)",
            value=round(corpus_rate, 4),
            notes="corpus pass over all BBC articles as one source: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(by_reason.items()))
            + " sentence(s), including the copies' repeated sentences",
        ),
    ]


def evaluate(bench_dir: Path) -> list[EvalResult]:
    return _block_rows(bench_dir) + _bbc_rows(bench_dir)
