"""NLU benchmark: our Korean pipeline (config.yml) against alternatives and Rasa's stock pipeline.

Run from anywhere: `.venv/bin/python bench/nlu.py` (`make bench`). Trains, one at a time and
each into a temp dir, our pipeline, the alternatives in bench/ablation/ and the stock
pipeline on data/nlu, evaluates each on bench/heldout (clean*.yml and noisy*.yml, never used
for training) and prints intent accuracy and macro-F1 (overall / clean / noisy / blind: the
*_blind.yml part written without seeing the training data), entity F1, parse latency,
per-intent F1 and the worst confusions for ours; an ablation table (training time, peak
memory, macro-F1, fallback and wrong-answer rates) for every pipeline; a sweep of the
fallback threshold on our predictions; and the wall time of a full `rasa train --force`
(NLU and dialogue) with config.yml. Figures go to bench/figures.json (committed: the README
is checked against it), every held-out prediction to var/bench/nlu_predictions.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ABLATION = ROOT / "bench" / "ablation"  # alternative NLU pipelines, one per file
ENTITIES = ("order_id", "phone_last4", "tracking_number", "carrier")


@dataclass
class Example:
    text: str
    intent: str
    split: str  # "clean" or "noisy"
    blind: bool = False  # from a *_blind.yml file: written without seeing data/nlu
    entities: set[tuple[str, int, int]] = field(default_factory=set)


@dataclass
class Prediction:
    intent: str  # after FallbackClassifier: may be nlu_fallback
    top_intent: str  # the classifier's best guess, ignoring the fallback
    entities: set[tuple[str, int, int]]
    millis: float
    confidences: list[float]  # the classifier's two best scores, for threshold sweeps


def load_heldout(folder: Path) -> list[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for split in ("clean", "noisy"):
        for path in sorted(folder.glob(f"{split}*.yml")):
            for message in load_data(str(path)).intent_examples:
                entities = {
                    (e["entity"], e["start"], e["end"]) for e in message.get("entities") or []
                }
                examples.append(
                    Example(
                        message.get("text"),
                        message.get("intent"),
                        split,
                        entities=entities,
                        blind="_blind" in path.stem,
                    )
                )
    return examples


def train(config: Path, out: Path, name: str, nlu_only: bool = True) -> tuple[Path, float, float]:
    """Train in a child process; returns the model, wall seconds and the child's peak RSS (MiB).

    NLU only by default; with nlu_only=False the whole assistant (NLU and dialogue, the data,
    domain and config `make train` uses), as `rasa train --force`. A fresh Rasa cache
    directory keeps the time honest (no cached components).
    """
    env = {
        **os.environ,
        "RASA_CACHE_DIRECTORY": str(out / f"cache-{name}"),
        "RASA_TELEMETRY_ENABLED": "false",  # no network here; keep Rasa from trying
    }
    if nlu_only:
        what = ["nlu", "--nlu", str(ROOT / "data" / "nlu")]
    else:
        what = ["--force", "--domain", str(ROOT / "domain.yml"), "--data", str(ROOT / "data")]
    command = [
        sys.executable, "-m", "rasa", "train", *what, "--config", str(config),
        "--out", str(out), "--fixed-model-name", name,
    ]
    log = out / f"train-{name}.log"
    started = time.perf_counter()
    with log.open("w") as output:
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        peak = peak_rss_mib(child)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        sys.exit(f"training {name} failed:\n{log.read_text()[-6000:]}")
    return out / f"{name}.tar.gz", seconds, peak


def peak_rss_mib(child: subprocess.Popen) -> float:
    """The child's peak RSS, polled from /proc (VmHWM) until it exits.

    Not ru_maxrss: a child's ru_maxrss starts at its parent's peak (kept across fork and
    exec), and this process grows with every model it loads.
    """
    peak_kib = 0
    while child.poll() is None:
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
        except FileNotFoundError:
            break
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        peak_kib = max(peak_kib, int(found[1]) if found else 0)
        time.sleep(0.2)
    child.wait()
    return peak_kib / 1024


def load_agent(model: Path) -> Any:
    from rasa.core.agent import Agent

    return Agent.load(str(model))


def components(agent: Any, kind: type) -> list[Any]:
    """The loaded model's pipeline components of one class (to change a setting for a bench).

    Reaches into Rasa's graph runner: fine for a benchmark, never for the assistant.
    """
    nodes = getattr(agent.processor.graph_runner, "_instantiated_nodes", {})
    return [
        n._component for n in nodes.values() if isinstance(getattr(n, "_component", None), kind)
    ]


def predict(agent: Any, examples: list[Example]) -> list[Prediction]:
    async def parse_all() -> list[Prediction]:
        await agent.parse_message("안녕하세요")  # warm-up: first call builds TF graphs
        predictions = []
        for example in examples:
            started = time.perf_counter()
            parsed = await agent.parse_message(example.text)
            millis = (time.perf_counter() - started) * 1000
            ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
            top = ranking[0]["name"] if ranking else "none"
            scores = [r["confidence"] for r in ranking[:2]]
            entities = {(e["entity"], e["start"], e["end"]) for e in parsed.get("entities", [])}
            predictions.append(Prediction(parsed["intent"]["name"], top, entities, millis, scores))
        return predictions

    return asyncio.run(parse_all())


def intent_scores(examples: list[Example], predictions: list[Prediction]) -> dict:
    from sklearn.metrics import f1_score

    gold = [e.intent for e in examples]
    guessed = [p.intent for p in predictions]
    labels = sorted(set(gold))
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, guessed, strict=True)) / len(gold),
        "macro_f1": f1_score(gold, guessed, labels=labels, average="macro", zero_division=0),
        "top_accuracy": sum(g == p.top_intent for g, p in zip(gold, predictions, strict=True))
        / len(gold),
        "fallback_rate": guessed.count("nlu_fallback") / len(gold),
        # answered with a wrong intent instead of falling back: the costly mistake
        "wrong_rate": sum(g != p != "nlu_fallback" for g, p in zip(gold, guessed, strict=True))
        / len(gold),
    }


def entity_f1(examples: list[Example], predictions: list[Prediction], entity: str) -> dict:
    """Exact-span F1 of one entity type over all messages."""
    tp = fp = fn = 0
    for example, prediction in zip(examples, predictions, strict=True):
        gold = {e for e in example.entities if e[0] == entity}
        found = {e for e in prediction.entities if e[0] == entity}
        tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"support": tp + fn, "precision": precision, "recall": recall, "f1": f1}


def evaluate(examples: list[Example], predictions: list[Prediction]) -> dict:
    subsets = {
        "clean": lambda e: e.split == "clean",
        "noisy": lambda e: e.split == "noisy",
        "blind": lambda e: e.blind,
    }
    by_split = {}
    for split, member in subsets.items():
        pairs = [(e, p) for e, p in zip(examples, predictions, strict=True) if member(e)]
        if pairs:
            by_split[split] = intent_scores([e for e, _ in pairs], [p for _, p in pairs])
    return {
        "intent": {"overall": intent_scores(examples, predictions), **by_split},
        "entities": {name: entity_f1(examples, predictions, name) for name in ENTITIES},
    }


def per_intent(examples: list[Example], predictions: list[Prediction]) -> dict[str, dict]:
    from sklearn.metrics import precision_recall_fscore_support

    gold = [e.intent for e in examples]
    guessed = [p.intent for p in predictions]
    labels = sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, guessed, labels=labels, zero_division=0
    )
    return {
        label: {"precision": p, "recall": r, "f1": f, "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _cell(report: dict, name: str, *keys: str, fmt: str = "{:.3f}") -> str:
    """One figure of one pipeline's report, or "" when that pipeline did not run."""
    value = report.get(name)
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return fmt.format(value) if value is not None else ""


def print_report(report: dict, examples: list[Example], ours: list[Prediction]) -> None:
    def both(*keys: str, fmt: str = "{:.3f}") -> tuple[str, str]:
        return _cell(report, "ours", *keys, fmt=fmt), _cell(report, "stock", *keys, fmt=fmt)

    rows = [("", "ours", "stock" if "stock" in report else "")]
    for split in ("overall", "clean", "noisy", "blind"):
        n = report["ours"]["intent"].get(split, {}).get("n", 0)
        for metric in ("accuracy", "macro_f1"):
            rows.append((f"intent {metric} {split} (n={n})", *both("intent", split, metric)))
    for entity in ENTITIES:
        n = report["ours"]["entities"][entity]["support"]
        rows.append((f"entity F1 {entity} (n={n})", *both("entities", entity, "f1")))
    rows.append(("fallback rate (overall)", *both("intent", "overall", "fallback_rate")))
    p50, _ = both("run", "latency_p50_ms", fmt="{:.1f}")
    p95, _ = both("run", "latency_p95_ms", fmt="{:.1f}")
    rows.append(("parse latency p50 / p95 (ms)", f"{p50} / {p95}", ""))
    rows.append(("training wall time (s)", *both("run", "train_seconds", fmt="{:.0f}")))
    peak, _ = both("run", "train_peak_rss_mib", fmt="{:.0f}")
    rows.append(("training peak RSS (MiB)", peak, ""))
    width = max(len(row[0]) for row in rows)
    print()
    for label, first, second in rows:
        print(f"{label:<{width}}  {first:>13}  {second:>8}")

    print("\nper-intent F1 (ours), weakest first:")
    for label, s in sorted(report["ours"]["per_intent"].items(), key=lambda x: x[1]["f1"]):
        scores = f"f1 {s['f1']:.3f}  p {s['precision']:.3f}  r {s['recall']:.3f}"
        print(f"  {label:<24} {scores}  n {s['support']}")

    pairs = list(zip(examples, ours, strict=True))
    confusions = Counter((e.intent, p.intent) for e, p in pairs if e.intent != p.intent)
    print("\nworst confusions (gold -> predicted: count), with examples:")
    for (gold, guessed), count in confusions.most_common(15):
        sample = [e.text for e, p in pairs if (e.intent, p.intent) == (gold, guessed)]
        print(f"  {gold} -> {guessed}: {count}   e.g. {sample[:2]}")

    misses = [(e, p) for e, p in pairs if e.entities != p.entities]
    if misses:
        print(f"\nentity mismatches (ours, {len(misses)} messages):")
        for example, prediction in misses[:10]:
            gold, got = sorted(example.entities), sorted(prediction.entities)
            print(f"  {example.text!r}: gold {gold} got {got}")


def ablate_blend(agent: Any, examples: list[Example]) -> dict:
    """Macro-F1 of the two halves of the intent blend, each alone, on the same loaded model."""
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    from bot.rasa_ext.linear_intent import LinearIntentClassifier

    blends = components(agent, LinearIntentClassifier)
    if not blends or not components(agent, DIETClassifier):
        return {}  # the pipeline has no blend to ablate
    configured = [blend.config["diet_weight"] for blend in blends]
    figures = {}
    for label, weight in (("DIET alone", 1.0), ("linear alone", 0.0)):
        for blend in blends:
            blend.config["diet_weight"] = weight
        figures[label] = evaluate(examples, predict(agent, examples))["intent"]
    for blend, weight in zip(blends, configured, strict=True):
        blend.config["diet_weight"] = weight
    return figures


def print_blend(name: str, figures: dict) -> None:
    print(f"\nintent blend ablation ({name}; same trained model; macro-F1 all / noisy / blind):")
    for label, intent in figures.items():
        splits = [split for split in ("overall", "noisy", "blind") if split in intent]
        cells = " / ".join(f"{intent[split]['macro_f1']:.3f}" for split in splits)
        print(f"  {label:<14} {cells}")


def print_ablation(report: dict) -> None:
    """One row per trained pipeline: cost and held-out intent figures."""
    print("\nablation (NLU training on data/nlu, scored on the held-out split):")
    header = f"  {'pipeline':<16} {'train s':>7} {'peak MiB':>8}  macro-F1 all / noisy / blind"
    print(header + "   fallback  wrong")
    for name, figures in report.items():
        if not isinstance(figures, dict) or "run" not in figures:
            continue
        run, intent = figures["run"], figures["intent"]
        splits = ("overall", "noisy", "blind")
        f1 = " / ".join(f"{intent[split]['macro_f1']:.3f}" for split in splits)
        print(
            f"  {name:<16} {run['train_seconds']:>7.0f} {run['train_peak_rss_mib']:>8.0f}  "
            f"{f1:<28}   {intent['overall']['fallback_rate']:>8.3f}  "
            f"{intent['overall']['wrong_rate']:.3f}"
        )


def fallback_settings(config: Path) -> tuple[float, float]:
    import yaml

    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    return fallback["threshold"], fallback["ambiguity_threshold"]


def with_fallback(prediction: Prediction, threshold: float, ambiguity: float) -> str:
    """The intent FallbackClassifier would output at these settings."""
    scores = prediction.confidences
    if not scores or scores[0] < threshold:
        return "nlu_fallback"
    if len(scores) > 1 and scores[0] - scores[1] < ambiguity:
        return "nlu_fallback"
    return prediction.top_intent


def sweep_fallback(
    examples: list[Example], predictions: list[Prediction], ambiguity: float
) -> list[dict]:
    """Macro-F1, fallback and wrong-answer rates and out_of_scope's fate, by threshold."""
    from sklearn.metrics import f1_score

    gold = [e.intent for e in examples]
    labels = sorted(set(gold))
    rows = []
    for threshold in (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        guessed = [with_fallback(p, threshold, ambiguity) for p in predictions]
        pairs = list(zip(gold, guessed, strict=True))
        out_of_scope = Counter(p for g, p in pairs if g == "out_of_scope")
        rows.append({
            "threshold": threshold,
            "ambiguity_threshold": ambiguity,
            "macro_f1": f1_score(gold, guessed, labels=labels, average="macro", zero_division=0),
            "fallback_rate": guessed.count("nlu_fallback") / len(gold),
            "wrong_rate": sum(g != p != "nlu_fallback" for g, p in pairs) / len(gold),
            "out_of_scope": {
                "n": sum(out_of_scope.values()),
                "as_out_of_scope": out_of_scope["out_of_scope"],
                "as_fallback": out_of_scope["nlu_fallback"],
            },
        })
    return rows


def print_sweep(rows: list, configured: float) -> None:
    print(f"\nfallback threshold sweep (ours, ambiguity {rows[0]['ambiguity_threshold']}):")
    print("  threshold  macro-F1  fallback  wrong   out_of_scope -> itself / fallback / other")
    for row in rows:
        oos = row["out_of_scope"]
        other = oos["n"] - oos["as_out_of_scope"] - oos["as_fallback"]
        mark = "  <- config" if row["threshold"] == configured else ""
        print(
            f"  {row['threshold']:>9.2f}  {row['macro_f1']:>8.3f}  {row['fallback_rate']:>8.3f}  "
            f"{row['wrong_rate']:.3f}   {oos['as_out_of_scope']} / {oos['as_fallback']} / {other}"
            f" (n={oos['n']}){mark}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument(
        "--only", help="comma-separated pipelines to train: ours, stock, bench/ablation/ stems"
    )
    parser.add_argument(
        "--model", type=Path, help="score this trained model as ours instead of training (no stock)"
    )
    parser.add_argument("--heldout", type=Path, default=ROOT / "bench" / "heldout")
    # Committed: the README's figures are checked against it (tests/test_readme_figures.py).
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "figures.json")
    args = parser.parse_args()
    os.chdir(ROOT)  # the spaCy pipeline path in config.yml is relative to the project root
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)  # else Rasa's structlog prints every parse
    logging.disable(logging.WARNING)

    examples = load_heldout(args.heldout)
    if not examples:
        sys.exit(f"no clean*.yml / noisy*.yml examples in {args.heldout}")
    from rasa.shared.nlu.training_data.loading import load_data

    training_texts = {m.get("text") for m in load_data(str(ROOT / "data" / "nlu")).intent_examples}
    leaked = [e.text for e in examples if e.text in training_texts]

    report: dict = {"heldout": {"n": len(examples), "leaked_into_training": len(leaked)}}
    runs = [("ours", args.config)]
    if not args.model:
        runs += [(path.stem, path) for path in sorted(ABLATION.glob("*.yml"))]
        runs += [("stock", ROOT / "bench" / "stock_config.yml")]
    if args.only:
        wanted = set(args.only.split(","))
        runs = [(name, config) for name, config in runs if name in wanted]
    predictions: dict[str, list[Prediction]] = {}
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as tmp:
        for name, config in runs:
            shown = config.relative_to(ROOT) if config.is_relative_to(ROOT) else config
            if args.model and name == "ours":
                model, seconds, peak = args.model, float("nan"), float("nan")
            else:
                print(f"training {name} ({shown}) ...", flush=True)
                model, seconds, peak = train(config, Path(tmp), name)
            print(
                f"  {seconds:.0f} s; evaluating on {len(examples)} held-out messages ...",
                flush=True,
            )
            agent = load_agent(model)
            predictions[name] = predict(agent, examples)
            millis = [p.millis for p in predictions[name]]
            report[name] = {
                **evaluate(examples, predictions[name]),
                "per_intent": per_intent(examples, predictions[name]),
                "run": {
                    "config": str(config),
                    "train_seconds": seconds,
                    "train_peak_rss_mib": peak,
                    "latency_p50_ms": statistics.median(millis),
                    "latency_p95_ms": percentile(millis, 0.95),
                },
            }
            blend_figures = ablate_blend(agent, examples)
            if blend_figures:
                report.setdefault("blend", {})[name] = blend_figures
        if "ours" in predictions and not args.model:
            print(f"training the whole assistant as `make train` does ({args.config.name}) ...")
            _, seconds, peak = train(args.config, Path(tmp), "full", nlu_only=False)
            report["full_train"] = {"seconds": seconds, "peak_rss_mib": peak}

    if "ours" in predictions:
        print_report(report, examples, predictions["ours"])
        threshold, ambiguity = fallback_settings(args.config)
        report["fallback_sweep"] = sweep_fallback(examples, predictions["ours"], ambiguity)
        print_sweep(report["fallback_sweep"], threshold)
    for name, figures in report.get("blend", {}).items():
        print_blend(name, figures)
    print_ablation(report)
    if "full_train" in report:
        full = report["full_train"]
        print(
            f"\nfull `rasa train --force` ({args.config.name}, NLU + dialogue): "
            f"{full['seconds']:.0f} s, peak {full['peak_rss_mib']:.0f} MiB"
        )
    if leaked:
        print(f"\nwarning: {len(leaked)} held-out messages also appear in data/nlu: {leaked[:5]}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if "ours" in predictions:
        # Every held-out message with our guess, for data authors and threshold sweeps.
        details = [
            {"text": e.text, "split": e.split, "blind": e.blind, "gold": e.intent,
             "intent": p.intent, "top": p.top_intent, "confidences": p.confidences}
            for e, p in zip(examples, predictions["ours"], strict=True)
        ]
        details_path = ROOT / "var" / "bench" / "nlu_predictions.json"
        details_path.parent.mkdir(parents=True, exist_ok=True)
        details_path.write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwrote {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}")


if __name__ == "__main__":
    main()
