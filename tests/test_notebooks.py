"""Notebooks rerun on another dataset through their `parameters` cell (papermill).

nbval (run by `make test` over notebooks/) checks that the committed outputs are reproduced on
the committed dataset; this test checks that the notebooks are not tied to it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import RAW_DIR, ROOT

from corpus_tools.builder import build

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
REFERENCE = ROOT / "datasets" / "reference" / "bbc_news_document_stats.parquet"


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("nbdata")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(RAW_DIR / "001_232eaf21b8eea81a.txt", raw / "article.txt")
    records = [
        {
            "id": "1",
            "source": "Wire",
            "title": "Drones over Vilnius",
            "text": "Drones over Vilnius\nRussian drones crossed into Lithuania on Monday, officials said. NATO may send more air defence.\n- radar\n- patrols",
        },
        {
            "id": "2",
            "source": "Wire",
            "title": "Allies respond",
            "text": "Allies respond\nThe alliance condemned the incursion. Moscow denied any involvement.",
        },
    ]
    (raw / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    out = root / "processed"
    build([raw], out, jobs=1)
    return out


def test_every_notebook_has_a_tagged_parameters_cell() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01-corpus-overview.ipynb",
        "02-framing-across-sources.ipynb",
        "03-text-quality.ipynb",
    ]
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert cells[0]["cell_type"] == "markdown" and "**Question.**" in "".join(cells[0]["source"])
        assert "parameters" in cells[1]["metadata"].get("tags", []), path.name
        assert any(cell.get("outputs") for cell in cells if cell["cell_type"] == "code"), (
            f"{path.name} is committed without outputs"
        )
        assert not any("execution" in cell["metadata"] for cell in cells), (
            f"{path.name} carries execution timestamps"
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_another_dataset(notebook: Path, small_dataset: Path, tmp_path: Path) -> None:
    papermill = pytest.importorskip("papermill")
    output = tmp_path / notebook.name
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters={"DATASET": str(small_dataset), "REFERENCE": str(REFERENCE)},
        cwd=str(notebook.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    executed = json.loads(output.read_text(encoding="utf-8"))
    text = json.dumps(executed["cells"])
    assert '"output_type": "error"' not in text
    assert "Wire" in text  # the small dataset's source reached the outputs
