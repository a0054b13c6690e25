"""examples/insurer.ipynb runs top to bottom on a fresh kernel (nbclient), draws its five
charts, and finds what the generator planted. CI asks for under 2 minutes; each cell is given
at most that, and the run's duration is printed (pytest -s)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", [])
    )


def test_the_insurer_notebook_runs_and_shows_each_finding() -> None:
    nb = nbformat.read(EXAMPLES / "insurer.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}
    )
    start = time.perf_counter()
    client.execute()
    print(f"examples/insurer.ipynb ran in {time.perf_counter() - start:.1f} s")

    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 5  # categories, trend, waterfall, journey, quadrant
    html = [o for c in code for o in c.outputs if "text/html" in o.get("data", {})]
    assert len(html) >= 8  # the estimate and the tables render as HTML

    by_source = {c.source.splitlines()[0]: _text(c) for c in code}
    # The study trigger fires for the four claim touchpoints.
    trigger = next(v for k, v in by_source.items() if k.startswith("trigger ="))
    assert trigger.startswith("(True") and trigger.count("claim.") == 4
    # Cubes of partitions give the single-machine trend exactly; moments to 1e-12.
    assert by_source["parts = [rel.iloc[i::4] for i in range(4)]      # four \"partitions\""] == "True"
    moments = next(v for k, v in by_source.items() if k.startswith("moments = sum("))
    assert float(moments) < 1e-12
