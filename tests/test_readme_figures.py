"""The README's NLU figures are the ones `make bench` last wrote to bench/figures.json."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.paths import PROJECT_ROOT

FIGURES = json.loads((PROJECT_ROOT / "bench" / "figures.json").read_text(encoding="utf-8"))
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def row(label: str) -> list[str]:
    """The cells of the README table row that starts with `label`."""
    for line in README.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"README has no table row {label!r}")


def f1s(pipeline: str, *parts: str) -> str:
    intent = FIGURES[pipeline]["intent"]
    return " / ".join(f"{intent[part]['macro_f1']:.3f}" for part in parts)


def test_the_held_out_size_is_the_benchmarked_one():
    assert f"{FIGURES['heldout']['n']:,} messages" in README
    assert FIGURES["heldout"]["leaked_into_training"] == 0


@pytest.mark.parametrize("column, pipeline", [(0, "ours"), (1, "stock")])
def test_headline_figures_match(column, pipeline):
    assert row("intent macro-F1, all / clean / noisy")[column] == f1s(
        pipeline, "overall", "clean", "noisy"
    )
    assert row("intent macro-F1, blind part")[column] == f1s(pipeline, "blind")
    accuracy = FIGURES[pipeline]["intent"]["overall"]["accuracy"]
    assert row("intent accuracy, all")[column] == f"{accuracy:.3f}"


def test_every_benchmarked_ablation_row_matches():
    checked = 0
    for line in README.splitlines():
        match = re.match(r"\|\s*(?:\*\*)?`?(\w+)`?(?:\*\*)?[^|]*\|", line)
        name = match.group(1) if match else None
        if name not in FIGURES or name in ("heldout", "blend"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6:  # pipeline | train | peak | F1 all / noisy / blind | fallback | wrong
            assert cells[3] == f1s(name, "overall", "noisy", "blind"), name
            checked += 1
    assert checked >= 2
