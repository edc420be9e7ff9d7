"""``corpus-tools``: build, annotate, evaluate and validate from the command line.

Exit codes: 0 success, 1 the work failed (bad input, failed validation), 2 wrong usage.
Errors are one line naming the file and the problem, never a traceback from inside a library.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from corpus_tools import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_EVALUATION = Path("docs/evaluation.md")


def _add_build(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("build", help="build the Parquet dataset from raw articles")
    p.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        default=[Path("datasets/raw")],
        help="folders or .txt/.md/.jsonl/.csv files (default: datasets/raw)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("datasets/processed"),
        help="output folder (default: datasets/processed)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes (default: all cores); output is identical for every value",
    )
    p.add_argument(
        "--engine", choices=["local", "dask"], default="local", help="where to run (default: local)"
    )
    p.add_argument(
        "--scheduler", default=None, help="dask.distributed scheduler address (with --engine dask)"
    )
    p.add_argument("--actors", type=Path, default=None, help="actor registry JSON replacing the packaged one")
    p.add_argument("--annotators", default=None, help="comma-separated annotator names (default: all)")
    p.add_argument(
        "--text-field", default="text", help="JSONL/CSV field holding the article text (default: text)"
    )
    p.add_argument(
        "--title-field", default="title", help="JSONL/CSV field holding the title (default: title)"
    )
    p.add_argument(
        "--source-field", default="source", help="JSONL/CSV field holding the source (default: source)"
    )
    p.add_argument("--id-field", default="id", help="JSONL/CSV field holding the record id (default: id)")
    p.add_argument(
        "--on-error",
        choices=["fail", "skip"],
        default="fail",
        help="stop at the first bad input, or skip it and list it in the report",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--full",
        action="store_true",
        help="annotate every document again (default: reuse unchanged documents of the dataset in --out)",
    )


def _add_annotate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("annotate", help="annotate one text (file or stdin) and print its sentences")
    p.add_argument("file", nargs="?", type=Path, help="a text file (default: read stdin)")
    p.add_argument("--actors", type=Path, default=None)
    p.add_argument("--format", choices=["table", "jsonl"], default="table")


def _add_evaluate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "evaluate", help="measure every annotator on ../shared/benchmarks and write docs/evaluation.md"
    )
    p.add_argument(
        "--benchmarks", type=Path, default=None, help="benchmark folder (default: ../shared/benchmarks)"
    )
    p.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_EVALUATION,
        help=f"report to write (default: {DEFAULT_EVALUATION}, which also updates the figures shipped in "
        "the package and quoted by the dataset card; any other report keeps its figures next to it, "
        "as <report name>.results.json)",
    )
    p.add_argument("--only", default=None, help="comma-separated families (default: all)")


def _add_validate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="check a built dataset: schema, ids, offsets, checksums")
    p.add_argument("directory", nargs="?", type=Path, default=Path("datasets/processed"))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="corpus-tools", description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--version", action="version", version=f"corpus-tools {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    _add_build(sub)
    _add_annotate(sub)
    _add_evaluate(sub)
    _add_validate(sub)
    return p


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


def cmd_build(args: argparse.Namespace) -> int:
    from corpus_tools.builder import build
    from corpus_tools.readers import FieldNames

    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    result = build(
        args.inputs,
        args.out,
        annotators=_split(args.annotators),
        actors=args.actors,
        jobs=args.jobs,
        fields=FieldNames(args.text_field, args.title_field, args.source_field, args.id_field),
        on_error=args.on_error,
        engine=args.engine,
        scheduler=args.scheduler,
        progress=not args.no_progress and sys.stderr.isatty(),
        incremental=not args.full,
    )
    print(result.summary())
    return EXIT_OK


def cmd_annotate(args: argparse.Namespace) -> int:
    from corpus_tools.pipeline import annotate_text

    text = args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read()
    frame = annotate_text(text, source=args.file.stem if args.file else "stdin", actors=args.actors)
    if args.format == "jsonl":
        for record in json.loads(frame.to_json(orient="records")):
            print(json.dumps(record, ensure_ascii=False))
    else:
        columns = [
            c
            for c in ("sentence_index", "block_type", "tone_label", "is_hedged", "is_boilerplate", "text")
            if c in frame
        ]
        print(frame[columns].to_string(index=False, max_colwidth=80))
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from corpus_tools import evaluation

    bench = args.benchmarks or evaluation.default_bench_dir()
    if not bench.is_dir():
        print(f"benchmarks not found at {bench}: nothing to evaluate (skipped)")
        return EXIT_OK
    families = _split(args.only) or list(evaluation.FAMILIES)
    unknown = sorted(set(families) - set(evaluation.FAMILIES))
    if unknown:
        print(
            f"error: unknown famil(ies) {', '.join(unknown)}; valid: {', '.join(evaluation.FAMILIES)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    results = evaluation.run(bench, families, log=lambda m: print(m, file=sys.stderr))
    figures = evaluation_figures_file(args.out)
    evaluation.save_results(results, figures)
    markdown = evaluation.to_markdown(evaluation.load_results(figures))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown, encoding="utf-8")
    print(markdown)
    return EXIT_OK


def evaluation_figures_file(report: Path) -> Path:
    """Where ``evaluate --out report`` merges its figures: the packaged results file for the project's
    own report, else ``<report name>.results.json`` beside it (started from the packaged figures, so
    families not evaluated this time still appear), so that an evaluation written elsewhere never edits
    the installed package."""
    from corpus_tools import evaluation

    if report == DEFAULT_EVALUATION:
        return evaluation.RESULTS_FILE
    figures = report.with_name(f"{report.stem}.results.json")
    if not figures.exists() and evaluation.RESULTS_FILE.is_file():
        figures.parent.mkdir(parents=True, exist_ok=True)
        figures.write_bytes(evaluation.RESULTS_FILE.read_bytes())
    return figures


def cmd_validate(args: argparse.Namespace) -> int:
    from corpus_tools.validate import validate_dataset

    problems = validate_dataset(args.directory)
    if problems:
        print(f"{args.directory}: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  - {problem}")
        return EXIT_FAILED
    print(f"{args.directory}: valid")
    return EXIT_OK


COMMANDS = {"build": cmd_build, "annotate": cmd_annotate, "evaluate": cmd_evaluate, "validate": cmd_validate}


def main(argv: Sequence[str] | None = None) -> int:
    from corpus_tools.builder import BuildError
    from corpus_tools.readers import InputError

    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (InputError, BuildError, ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
