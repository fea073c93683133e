"""Start-up with nothing changed (issue 11, goal 2): `make train` reuses, `make run` serves.

    .venv/bin/python bench/startup.py                 # what `make bench` runs
    .venv/bin/python bench/startup.py --runs 3 --json var/bench/startup.json

Needs a trained model (`make train`). Each run, in turn:
1. `python -m bot.model_cache` (the work of `make train`) with nothing changed: its seconds, and
   whether models/ changed (it must not: no new model, no repackaging, at most KEEP models);
2. `scripts/run` (the work of `make run` after `make train`) on free ports: seconds until the
   chat page answers and until the first REST reply;
3. the model's load time alone: a fresh interpreter that has imported Rasa times
   `Agent.load(newest model)`, and the seconds the imports themselves took.
Start-up "within the model's load time" reads: time to first reply minus imports and model
load is the rest (action server, seeding check, the server's own start), printed as such.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bot.model_cache import KEEP, models  # noqa: E402
from tests.support.stack import VENV_BIN, free_port, kill_group, wait_until_up  # noqa: E402

START_TIMEOUT = 180.0
LOAD_SCRIPT = """
import json, sys, time
started = time.perf_counter()
from rasa.core.agent import Agent
imported = time.perf_counter()
Agent.load(sys.argv[1])
print(json.dumps({"imports_s": imported - started, "load_s": time.perf_counter() - imported}))
"""


def snapshot(folder: Path) -> list[tuple[str, int]]:
    return [(path.name, path.stat().st_mtime_ns) for path in models(folder)]


def reuse(python: Path) -> dict:
    folder = ROOT / "models"
    before = snapshot(folder)
    started = time.perf_counter()
    subprocess.run([str(python), "-m", "bot.model_cache"], cwd=ROOT, capture_output=True,
                   check=True)
    seconds = time.perf_counter() - started
    after = snapshot(folder)
    return {"seconds": seconds, "unchanged": before == after, "models": len(after)}


def serve() -> dict:
    """Seconds from `scripts/run` until the chat page answers, and until the first REST reply."""
    rasa_port, actions_port = free_port(), free_port()
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port)}
    log = ROOT / "var" / "bench" / "startup-run.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with open(log, "wb") as out:
        process = subprocess.Popen([str(ROOT / "scripts" / "run")], cwd=ROOT, env=env,
                                   stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{rasa_port}/webhooks/widget/", process, log,
                      START_TIMEOUT, "scripts/run")
        page = time.perf_counter() - started
        reply = requests.post(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                              json={"sender": f"startup-{started}", "message": "안녕하세요"},
                              timeout=30)
        if not (reply.ok and reply.json()):
            raise RuntimeError(f"no reply to the first message (HTTP {reply.status_code})")
        return {"page_s": page, "reply_s": time.perf_counter() - started}
    finally:
        kill_group(process)


def model_load(python: Path) -> dict:
    newest = models(ROOT / "models")[-1]
    result = subprocess.run([str(python), "-c", LOAD_SCRIPT, str(newest)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench" / "startup.json")
    args = parser.parse_args(argv)
    python = VENV_BIN / "python"
    if not models(ROOT / "models"):
        print("no model in models/: run `make train` first", file=sys.stderr)
        return 1
    reuses, serves, loads = [], [], []
    for number in range(1, args.runs + 1):
        reuses.append(reuse(python))
        serves.append(serve())
        loads.append(model_load(python))
        print(f"run {number}: make train {reuses[-1]['seconds']:.2f} s "
              f"({'models/ unchanged' if reuses[-1]['unchanged'] else 'models/ CHANGED'}); "
              f"make run: chat page {serves[-1]['page_s']:.1f} s, first reply "
              f"{serves[-1]['reply_s']:.1f} s; imports {loads[-1]['imports_s']:.1f} s + model "
              f"load {loads[-1]['load_s']:.1f} s", flush=True)
    figures = {
        "runs": args.runs,
        "train_noop_s": median(reuses, "seconds"),
        "models_unchanged": all(run["unchanged"] for run in reuses),
        "models_kept": reuses[-1]["models"],
        "keep": KEEP,
        "page_s": median(serves, "page_s"),
        "reply_s": median(serves, "reply_s"),
        "imports_s": median(loads, "imports_s"),
        "load_s": median(loads, "load_s"),
    }
    rest = figures["reply_s"] - figures["imports_s"] - figures["load_s"]
    print(f"medians of {args.runs}: make train with nothing changed"
          f" {figures['train_noop_s']:.2f} s,"
          f" models/ {'unchanged' if figures['models_unchanged'] else 'CHANGED'},"
          f" {figures['models_kept']} kept (<= {KEEP}); make run to first reply"
          f" {figures['reply_s']:.1f} s = Rasa imports {figures['imports_s']:.1f} s + model load"
          f" {figures['load_s']:.1f} s + {rest:.1f} s other (action server, demo check, server)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
