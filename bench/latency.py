"""REST turn latency: this assistant beside Rasa's own `rasa init` starter bot, same run.

    .venv/bin/python bench/latency.py                      # ~60 measured turns each, 3 buyers
    .venv/bin/python bench/latency.py --turns 30 --model models/x.tar.gz

Starter bot: the `rasa init` project (Rasa's rasa/cli/initial_project, copied into a temp dir
exactly as `rasa init --no-prompt` does) trained with its own config except that DIET, TED and
the ResponseSelector train for 40 epochs instead of 100 (epochs change the weights, not the
work a prediction does, and keep the bench to a couple of minutes); it runs as `rasa run`
plus its action server (`rasa run actions`, wired in its endpoints.yml), with its default
in-memory tracker store.

Ours: tests/support/stack.py `running_stack` (rasa run + bot.action_server, SQLite order and
tracker stores) with tests/fixtures/orders.json and BOT_NOW=2026-11-27T10:00:00+09:00; each
buyer first asks a question and verifies with order 2026112500000004 / 1004, then asks
return / return fee / must-accept / status, says thanks and hello, in turn.

Starter bot turns: hello / great / are you a bot? / goodbye, in turn. Each side: --buyers
conversations, --turns measured turns in all, one turn at a time, after 3 warm-up turns.
The starter bot's TED may stay silent on a turn (it is not checked); ours must always reply.
Ours is split by turn kind, read from the stored tracker: turns that ran a custom action
(action_*) and turns answered by responses alone. Prints p50 / p95 (ms) and our/starter ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from tests.support.stack import (  # noqa: E402
    VENV_BIN,
    find_model,
    free_port,
    kill_group,
    running_stack,
    wait_until_up,
)

NOW = "2026-11-27T10:00:00+09:00"
ORDERS = ROOT / "tests" / "fixtures" / "orders.json"
OUR_VERIFY = ["취소했는데 왜 거부된 거예요?", "2026112500000004", "1004"]
OUR_TURNS = [
    "반품하고 싶어요",
    "반품 배송비는 누가 내요?",
    "택배 꼭 받아야 하나요?",
    "지금 배송 어디쯤이에요?",
    "고마워요",
    "안녕하세요",
]
STARTER_TURNS = ["hello", "great", "are you a bot?", "goodbye"]  # each a rule
TIMEOUT = 60


def ms(samples: list[float]) -> tuple[float, float]:
    values = sorted(s * 1000 for s in samples)
    if len(values) < 2:
        return values[0], values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]


def line(name: str, samples: list[float]) -> str:
    p50, p95 = ms(samples)
    return f"  {name:<34} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({len(samples)} turns)"


def turn(url: str, sender: str, text: str) -> float:
    start = time.perf_counter()
    reply = requests.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=TIMEOUT
    )
    elapsed = time.perf_counter() - start
    reply.raise_for_status()
    if not reply.json() and not sender.startswith(("starter", "warm-starter")):
        raise RuntimeError(f"{sender}: no reply to {text!r}")
    return elapsed


def conversation(url: str, prefix: str, buyers: int, turns: int, script: list[str],
                 opening: list[str]) -> dict[str, list[tuple[str, float]]]:
    """Per sender: (text, seconds) of each measured turn, turns shared out over buyers."""
    timed: dict[str, list[tuple[str, float]]] = {}
    for b in range(buyers):
        sender = f"{prefix}-{b}"
        for text in opening:
            turn(url, sender, text)  # verification (ours) is not measured
        own = turns // buyers + (1 if b < turns % buyers else 0)
        timed[sender] = [
            (script[k % len(script)], turn(url, sender, script[k % len(script)]))
            for k in range(own)
        ]
    return timed


def custom_action_turns(tracker: dict) -> list[bool]:
    """For each user message of a tracker: whether a custom action (action_*) answered it."""
    kinds: list[bool] = []
    for event in tracker["events"]:
        if event.get("event") == "user":
            kinds.append(False)
        elif event.get("event") == "action" and kinds:
            name = event.get("name") or ""
            if name.startswith(("action_", "validate_")) and name not in (
                "action_listen", "action_session_start", "action_unlikely_intent",
            ):
                kinds[-1] = True
    return kinds


# The default config `rasa init` trains with (written out in its config.yml as comments),
# with fewer epochs: see the docstring.
STARTER_CONFIG = """recipe: default.v1
assistant_id: latency_bench_starter
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: {epochs}
  - name: EntitySynonymMapper
  - name: ResponseSelector
    epochs: {epochs}
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
policies:
  - name: MemoizationPolicy
  - name: TEDPolicy
    max_history: 5
    epochs: {epochs}
  - name: RulePolicy
"""


def starter_project(workdir: Path, epochs: int) -> Path:
    import rasa.cli

    project = workdir / "starter"
    shutil.copytree(Path(rasa.cli.__file__).parent / "initial_project", project)
    (project / "config.yml").write_text(STARTER_CONFIG.format(epochs=epochs), encoding="utf-8")
    return project


def run_starter(workdir: Path, args: argparse.Namespace) -> list[float]:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    project = starter_project(workdir, args.starter_epochs)
    start = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--fixed-model-name", "starter", "--out", "models"],
        cwd=project, env=env, check=True, capture_output=True, timeout=900,
    )
    print(f"  starter bot trained in {time.perf_counter() - start:.0f} s", flush=True)
    actions_port, rasa_port = free_port(), free_port()
    (project / "endpoints.yml").write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{actions_port}/webhook\n", encoding="utf-8"
    )
    logs = {name: open(workdir / f"starter-{name}.log", "ab") for name in ("actions", "rasa")}
    processes = []
    try:
        spawn = {"cwd": project, "env": env, "stdin": subprocess.DEVNULL,
                 "stderr": subprocess.STDOUT, "start_new_session": True}
        actions = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(actions_port)],
            stdout=logs["actions"], **spawn,
        )
        processes.append(actions)
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions,
                      workdir / "starter-actions.log", 90, "starter action server")
        rasa = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "--model", "models/starter.tar.gz",
             "--port", str(rasa_port), "--interface", "127.0.0.1",
             "--endpoints", "endpoints.yml"],
            stdout=logs["rasa"], **spawn,
        )
        processes.append(rasa)
        url = f"http://127.0.0.1:{rasa_port}"
        wait_until_up(url + "/", rasa, workdir / "starter-rasa.log", 180, "starter Rasa")
        conversation(url, "warm-starter", 1, 3, STARTER_TURNS, [])
        timed = conversation(url, "starter", args.buyers, args.turns, STARTER_TURNS, [])
        return [seconds for turns in timed.values() for _, seconds in turns]
    finally:
        for process in processes:
            kill_group(process)
        for log in logs.values():
            log.close()


def run_ours(workdir: Path, args: argparse.Namespace) -> tuple[list[float], list[float]]:
    model = args.model or find_model()
    with running_stack(workdir / "ours", model, orders_file=ORDERS, now=NOW) as stack:
        conversation(stack.rasa_url, "warm", 1, 3, OUR_TURNS, OUR_VERIFY)
        timed = conversation(stack.rasa_url, "buyer", args.buyers, args.turns, OUR_TURNS,
                             OUR_VERIFY)
        custom, responses = [], []
        for sender, turns in timed.items():
            kinds = custom_action_turns(stack.tracker(sender))[-len(turns):]
            for (_, seconds), is_custom in zip(turns, kinds, strict=True):
                (custom if is_custom else responses).append(seconds)
        if args.profile:
            profile_action(stack, sorted(timed)[-1], args.profile)
        return custom, responses


def profile_action(stack, sender: str, calls: int) -> None:
    """Where a custom-action turn's time goes: the HTTP call alone, then cProfile in-process.

    The request is what Rasa posts for `action_explain_return` (the tracker with every event,
    the whole domain), rebuilt from the stored tracker and the served domain.
    """
    import asyncio
    import cProfile
    import io
    import json
    import pstats

    tracker = stack.tracker(sender)
    domain = requests.get(f"{stack.rasa_url}/domain", headers={"Accept": "application/json"},
                          timeout=TIMEOUT).json()
    body = {"next_action": "action_explain_return", "sender_id": sender, "tracker": tracker,
            "domain": domain, "version": "3.6"}
    size = len(json.dumps(body))
    headers = {"Authorization": f"Bearer {stack.env['ACTION_SERVER_TOKEN']}"}
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        reply = requests.post(f"{stack.actions_url}/webhook", json=body, headers=headers,
                              timeout=TIMEOUT)
        samples.append(time.perf_counter() - start)
        reply.raise_for_status()
    print(line("action server call alone (HTTP)", samples)
          + f"  request {size / 1024:.0f} KiB, {len(tracker['events'])} events")

    os.environ.update({k: v for k, v in stack.env.items()
                       if k in ("ORDERS_DB_URL", "BOT_SECRET_KEY", "BOT_NOW")})
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    loop = asyncio.new_event_loop()
    loop.run_until_complete(executor.run(body))  # warm: engine, settings, calendars
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(calls):
        loop.run_until_complete(executor.run(body))
    profiler.disable()
    each = (time.perf_counter() - start) / calls * 1000
    print(f"  the action in-process (rasa_sdk executor, under cProfile): {each:.1f} ms a call")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print("\n".join("    " + text for text in out.getvalue().splitlines()[4:40]))
    loop.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60, help="measured turns per bot")
    parser.add_argument("--buyers", type=int, default=3, help="conversations per bot")
    parser.add_argument("--model", type=Path, help="our model (default: newest in models/)")
    parser.add_argument("--starter-epochs", type=int, default=40)
    parser.add_argument("--skip-starter", action="store_true", help="measure ours only")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also time N direct action-server calls and cProfile the action")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="latency-bench-") as tmp:
        workdir = Path(tmp)
        print("ours (rasa run + action server, SQLite stores):", flush=True)
        custom, responses = run_ours(workdir, args)
        ours = custom + responses
        print(line("ours, all turns", ours))
        print(line("ours, custom-action turns", custom))
        print(line("ours, response-only turns", responses))
        if args.skip_starter:
            return 0
        print("rasa init starter bot (rasa run + rasa run actions):", flush=True)
        starter = run_starter(workdir, args)
        print(line("starter bot, all turns", starter))
        (o50, o95), (s50, s95) = ms(ours), ms(starter)
        print(f"  ratio ours / starter: p50 {o50 / s50:.2f}x  p95 {o95 / s95:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
