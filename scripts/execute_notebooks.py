"""Re-execute the notebooks in place, as committed: clean kernel, outputs kept, no timestamps.

nbval compares the committed outputs with a fresh run, so the committed copies must come from a
clean "Restart & Run All" and carry nothing volatile (execution timestamps are dropped).

    .venv/bin/python scripts/execute_notebooks.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    print(f"executed {path.name}")


def main() -> int:
    for path in NOTEBOOKS:
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
