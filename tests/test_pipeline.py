"""Pipeline properties: exact offsets, order, coverage, determinism, unique ids."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_tools.normalise import normalise
from corpus_tools.pipeline import annotate_text, sentence_spans
from corpus_tools.structure import parse_blocks

NO_ANNOTATORS: list[str] = []

_article_line = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=120),
    st.builds(lambda s: f"- {s}", st.text(max_size=40)),
    st.builds(
        lambda a, b: f"| {a} | {b} |",
        st.text(alphabet="abc .!?", max_size=15),
        st.text(alphabet="xyz .", max_size=15),
    ),
    st.builds(
        lambda m, s, e: f"{m}{s}{e}",
        st.sampled_from(["**", "*", "_", "> ", ">> "]),
        st.text(alphabet="ab *_.>", max_size=20),
        st.sampled_from(["**", "*", "_", ""]),
    ),
    st.sampled_from(
        [
            "|---|---|",
            "## Heading Here",
            "Title Case Line",
            "Mr. Smith went to Washington. He left.",
            "",
            "**Bold Heading**",
            "*Vilnius, 5 March 2025*",
            "> A quoted line. Another.",
        ]
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_article_line, max_size=12))
def test_offsets_exact_ordered_and_covering(lines: list[str]) -> None:
    text = normalise("\n".join(lines)).text
    blocks = parse_blocks(text)
    spans = sentence_spans(text, blocks)
    previous_end = 0
    covered = set()
    for _block, start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        covered.update(range(start, end))
        previous_end = end
    for block in blocks:
        content_spans = (
            block.cells if block.block_type == "table_row" else [(block.content_start, block.content_stop)]
        )
        for start, end in content_spans:
            for pos in range(start, end):
                if not text[pos].isspace() and not (block.block_type == "table_row" and text[pos] == "|"):
                    assert pos in covered, (text, pos)


def test_annotate_text_offsets_match_text(seed_texts: dict[str, str]) -> None:
    for raw in seed_texts.values():
        frame = annotate_text(raw, annotators=NO_ANNOTATORS)
        text = normalise(raw).text
        assert list(frame["sentence_index"]) == list(range(len(frame)))
        assert all(
            text[s:e] == t
            for s, e, t in zip(frame["char_start"], frame["char_end"], frame["text"], strict=True)
        )
        assert frame["doc_id"].nunique() == 1 and re.fullmatch(r"[0-9a-f]{16}", frame["doc_id"].iloc[0])


def test_annotate_text_is_deterministic(seed_texts: dict[str, str]) -> None:
    raw = seed_texts["000_70c5a0cbd7b10381.txt"]
    first = annotate_text(raw, annotators=NO_ANNOTATORS)
    second = annotate_text(raw, annotators=NO_ANNOTATORS)
    assert first.equals(second)


def test_annotate_text_rejects_non_strings() -> None:
    import pytest

    with pytest.raises(TypeError, match="expects a str"):
        annotate_text(None, annotators=NO_ANNOTATORS)  # type: ignore[arg-type]


def test_empty_text_gives_empty_frame_with_columns() -> None:
    frame = annotate_text("", annotators=NO_ANNOTATORS)
    assert len(frame) == 0 and "char_start" in frame.columns


def test_annotate_text_rejects_unpaired_surrogates() -> None:
    import pytest

    with pytest.raises(ValueError, match="unpaired surrogate at character 4"):
        annotate_text("abc \ud800 def.", annotators=NO_ANNOTATORS)


def test_process_articles_equals_one_by_one(seed_texts: dict[str, str]) -> None:
    """Annotating several documents annotator by annotator gives each document what it gets alone."""
    import hashlib

    from corpus_tools.annotators import AnnotatorOptions, AnnotatorSet
    from corpus_tools.pipeline import process_article, process_articles
    from corpus_tools.readers import RawArticle

    articles = [
        RawArticle(
            path=name,
            source="test",
            raw_text=text,
            raw_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            encoding="utf-8",
            title=None,
        )
        for name, text in sorted(seed_texts.items())
    ]
    articles += articles[:1]  # a repeat inside the chunk
    annotators = AnnotatorSet.shared(None, AnnotatorOptions())
    together = process_articles(articles, annotators)
    alone = [process_article(article, annotators) for article in articles]
    assert len(together) == len(articles) > 2
    for a, b in zip(together, alone, strict=True):
        assert a.document == b.document
        assert a.sentences == b.sentences
        assert a.signatures == b.signatures


def test_threads_sharing_one_annotator_set_get_the_sequential_results(seed_texts: dict[str, str]) -> None:
    """A Dask worker may run several tasks at once in threads of one process, all with the process's
    annotators (AnnotatorSet.shared); annotators keep per-call state, so without the annotation lock
    this gave wrong values and KeyErrors. GIL switches are forced every microsecond here."""
    import sys
    import threading

    from corpus_tools.annotators import AnnotatorSet
    from corpus_tools.pipeline import process_articles
    from corpus_tools.readers import RawArticle

    paragraphs = [line for text in seed_texts.values() for line in text.splitlines() if len(line) > 60]
    articles = [
        RawArticle(path=f"p{i}.txt", source=f"s{i % 3}", raw_text=p, raw_sha256=str(i), encoding="utf-8")
        for i, p in enumerate(paragraphs)
    ]
    chunks = [articles[i : i + 2] for i in range(0, len(articles), 2)]
    expected = [[d.sentences for d in process_articles(c, AnnotatorSet.create())] for c in chunks]
    shared = AnnotatorSet.create()
    results: list[Any] = [None] * len(chunks)
    errors: list[BaseException] = []

    def work(first: int) -> None:
        try:
            for k in range(first, len(chunks), 4):
                results[k] = [d.sentences for d in process_articles(chunks[k], shared)]
        except BaseException as exc:  # re-raised below, in the test's thread
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(3):  # without the lock every round went wrong somewhere
            threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not errors, errors[0]
            assert results == expected
    finally:
        sys.setswitchinterval(interval)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_child_forked_while_another_thread_annotates_can_annotate() -> None:
    """The annotation lock held by a thread of the parent at fork time is free in the child (which
    would otherwise wait forever for a thread it does not have)."""
    import threading

    from corpus_tools.annotators import ANNOTATION_LOCK

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with ANNOTATION_LOCK:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    try:
        pid = os.fork()
        if pid == 0:  # the child: take the lock, giving up after 5 s (from its main thread: a new
            # thread could get the dead holder's thread id, which the re-entrant lock would let in)
            code = 1
            try:
                code = 0 if ANNOTATION_LOCK._lock.acquire(timeout=5) else 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    finally:
        release.set()
        holder.join()
    assert os.waitstatus_to_exitcode(status) == 0
