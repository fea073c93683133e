"""Issue 11's goals, PASS or FAIL, from the figures the benches of `make bench` just wrote.

    .venv/bin/python bench/summary.py

Reads bench/figures.json (bench/nlu.py; --nlu for another file) and
var/bench/{startup,lookup,latency,memory,load}.json (bench/startup.py, bench/lookup.py,
bench/latency.py, bench/memory.py, and the load bench). A goal without its figures reads
"not measured".
Exit status 1 if any measured goal fails.

The load bench's hook: `make bench` runs bench/load.py when it exists, with
`--json var/bench/load.json` (goal 4: 50 concurrent conversations over REST and the widget
against 2 replicas, 0 lost / duplicated / reordered turns, throughput and p95, the 1- vs
2-replica ratio). This summary reads that file's "summary" cells (one per transport and
replica count, as bench/load.py in the load-test branch writes them) and "replica_ratio".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "var" / "bench"

# Goal 1: held-out intent macro-F1 not lower than these beyond noise.
F1_BEFORE = {"overall": 0.964, "noisy": 0.971, "blind": 0.956}
F1_NOISE = 0.005
TRAIN_SECONDS = 180
LATENCY_RATIO = 1.5
MEMORY_RATIO = 1.3
LOOKUP_P95_MS = 5.0
NOOP_TRAIN_SECONDS = 5.0  # `make train` with nothing changed: a fingerprint, no Rasa


def load(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


NLU_FIGURES = ROOT / "bench" / "figures.json"


def training() -> tuple[bool | None, str]:
    figures = load(NLU_FIGURES)
    if not figures or "full_train" not in figures:
        return None, f"{NLU_FIGURES.name} has no full_train"
    seconds = figures["full_train"]["seconds"]
    f1 = {part: figures["ours"]["intent"][part]["macro_f1"] for part in F1_BEFORE}
    ok = seconds <= TRAIN_SECONDS and all(
        f1[part] >= F1_BEFORE[part] - F1_NOISE for part in F1_BEFORE)
    return ok, (f"rasa train --force {seconds:.0f} s (<= {TRAIN_SECONDS}); macro-F1 all / noisy"
                f" / blind {f1['overall']:.3f} / {f1['noisy']:.3f} / {f1['blind']:.3f} (>= "
                + " / ".join(f"{F1_BEFORE[p] - F1_NOISE:.3f}" for p in F1_BEFORE) + ")")


def startup() -> tuple[bool | None, str]:
    found = load(RESULTS / "startup.json")
    if not found:
        return None, "no var/bench/startup.json"
    ok = (found["models_unchanged"] and found["models_kept"] <= found["keep"]
          and found["train_noop_s"] <= NOOP_TRAIN_SECONDS)
    state = "unchanged" if found["models_unchanged"] else "CHANGED"
    return ok, (f"nothing changed: make train {found['train_noop_s']:.2f} s (<= "
                f"{NOOP_TRAIN_SECONDS:g}), models/ {state}"
                f", {found['models_kept']} kept (<= {found['keep']}); make run to first reply "
                f"{found['reply_s']:.1f} s (Rasa imports {found['imports_s']:.1f} s, model load "
                f"{found['load_s']:.1f} s); CI on a fresh clone is timed by CI, not here")


def latency() -> tuple[bool | None, str]:
    found = load(RESULTS / "latency.json")
    if not found:
        return None, "no var/bench/latency.json"
    ours, starter, ratio = found["ours"], found["starter"], found["ratio"]
    ok = ratio["p50"] <= LATENCY_RATIO and ratio["p95"] <= LATENCY_RATIO
    return ok, (f"ours p50 / p95 {ours['p50_ms']:.0f} / {ours['p95_ms']:.0f} ms, starter "
                f"{starter['p50_ms']:.0f} / {starter['p95_ms']:.0f} ms: {ratio['p50']:.2f}x / "
                f"{ratio['p95']:.2f}x (<= {LATENCY_RATIO}x)")


def memory() -> tuple[bool | None, str]:
    found = load(RESULTS / "memory.json")
    if not found:
        return None, "no var/bench/memory.json"
    loaded, ratio = found["loaded_mib"], found["ratio"]
    text = (f"RSS after {found['conversations']:,} conversations ours {loaded['ours']:.0f} MiB,"
            f" starter {loaded['starter']:.0f} MiB: {ratio:.2f}x (<= {MEMORY_RATIO}x)")
    ok = ratio <= MEMORY_RATIO
    if "soak" in found:
        soak = found["soak"]["ours"]
        text += (f"; {found['soak_minutes']:g}-min soak slope {soak['slope_mib_per_min']:+.2f} "
                 f"MiB/min ({soak['growth_percent']:+.1f}%, flat <= {found['flat_percent']:g}%)")
        ok = ok and found["flat"]
    else:
        text += "; no soak"
        ok = False
    return ok, text


def lookup() -> tuple[bool | None, str]:
    found = load(RESULTS / "lookup.json")
    if not found:
        return None, "no var/bench/lookup.json"
    worst = found["worst_p95_ms"]
    ok = len(worst) == 2 and all(p95 <= LOOKUP_P95_MS for p95 in worst.values())
    return ok, (f"{found['orders']:,} orders, worst p95 " + ", ".join(
        f"{db} {p95:.2f} ms" for db, p95 in worst.items()) + f" (<= {LOOKUP_P95_MS:g} ms)")


# What makes a load cell unclean (bench/load.py's RunFigures.clean).
LOAD_PROBLEMS = ("failed_turns", "wrong_replies", "lost", "duplicated", "reordered",
                 "wrong_stored_replies", "ledger_failures", "replica_exits")


def load_test() -> tuple[bool | None, str]:
    found = load(RESULTS / "load.json")
    if not found:
        return None, "no var/bench/load.json (bench/load.py runs from make bench once it exists)"
    cells = found.get("summary") or []
    if not cells:
        return False, "var/bench/load.json has no summary cells"
    ok = all(not cell.get(problem) for cell in cells for problem in LOAD_PROBLEMS)
    text = "; ".join(
        f"{cell['transport']} x{cell['replicas']}: {cell['conversations']} conversations, "
        f"{cell['turns_per_s']:.1f} turns/s, p95 {cell['p95_ms']:.0f} ms, lost / duplicated / "
        f"reordered {cell['lost']} / {cell['duplicated']} / {cell['reordered']}"
        for cell in cells)
    ratio = found.get("replica_ratio") or {}
    if ratio:
        text += "; 2 / 1 replicas " + ", ".join(f"{t} {r:.2f}x" for t, r in ratio.items())
    return ok, text


GOALS = [
    ("1 training", training),
    ("2 start-up", startup),
    ("3 turn latency", latency),
    ("4 load", load_test),
    ("5 memory", memory),
    ("6 order lookup", lookup),
]


def main(argv: list[str] | None = None) -> int:
    global NLU_FIGURES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nlu", type=Path, default=NLU_FIGURES,
                        help="bench/nlu.py's figures (default: bench/figures.json)")
    NLU_FIGURES = parser.parse_args(argv).nlu
    print("\nissue 11 goals (figures from this run of make bench):")
    failed = False
    for name, check in GOALS:
        ok, text = check()
        verdict = "not measured" if ok is None else ("PASS" if ok else "FAIL")
        failed |= ok is False
        print(f"  {name:<16} {verdict:<12} {text}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
