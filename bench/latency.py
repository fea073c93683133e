"""REST turn latency: this assistant beside Rasa's own `rasa init` starter bot, same run.

    .venv/bin/python bench/latency.py                      # 60 measured turns each, 3 buyers
    .venv/bin/python bench/latency.py --turns 120 --split 60   # what `make bench` runs
    .venv/bin/python bench/latency.py --turns 30 --model models/x.tar.gz --profile 20

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
conversations, --turns measured turns in all, after 3 warm-up turns. Both bots run at the
same time and their turns are interleaved (ours, starter, starter, ours, ...), one request
at a time, so that other work on the machine slows both alike: the ratio is the figure to
read, the milliseconds move with the machine's load.
The starter bot's TED may stay silent on a turn (it is not checked); ours must always reply.
Ours is split by turn kind, read from the stored tracker: turns that ran a custom action
(action_*) and turns answered by responses alone. Prints p50 / p95 (ms) and our/starter ratio
(issue 11, goal 3: at most 1.5x), and writes them to --json for `make bench`'s summary.

--split N runs N more of our turns through an in-process Rasa agent (same model, endpoints,
stores and action server) and prints where a turn's time goes inside Rasa; --profile N
times N direct action-server calls and cProfiles the answer action.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
GOAL_RATIO = 1.5  # issue 11, goal 3: p50 and p95 at most 1.5x the starter bot's
RESULTS = ROOT / "var" / "bench"
STARTER_ENV = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")


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


@dataclass
class Bot:
    """A running Rasa server (and its action server): where to talk to it, whose memory."""

    name: str
    url: str
    pid: int
    stack: Any = None  # ours: tests/support/stack.Stack


def train_starter(workdir: Path, epochs: int) -> Path:
    project = starter_project(workdir, epochs)
    start = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--fixed-model-name", "starter", "--out", "models"],
        cwd=project, env=STARTER_ENV, check=True, capture_output=True, timeout=900,
    )
    print(f"  starter bot trained in {time.perf_counter() - start:.0f} s", flush=True)
    return project


@contextmanager
def starter_bot(workdir: Path, epochs: int) -> Iterator[Bot]:
    """The `rasa init` assistant, trained, served by `rasa run` + `rasa run actions`."""
    project = train_starter(workdir, epochs)
    actions_port, rasa_port = free_port(), free_port()
    (project / "endpoints.yml").write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{actions_port}/webhook\n", encoding="utf-8"
    )
    logs = {name: open(workdir / f"starter-{name}.log", "ab") for name in ("actions", "rasa")}
    processes = []
    try:
        spawn = {"cwd": project, "env": STARTER_ENV, "stdin": subprocess.DEVNULL,
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
        yield Bot("starter", url, rasa.pid)
    finally:
        for process in processes:
            kill_group(process)
        for log in logs.values():
            log.close()


@contextmanager
def our_bot(workdir: Path, model: Path | None) -> Iterator[Bot]:
    """Ours: rasa run + bot.action_server, SQLite order and tracker stores, fixed clock."""
    with running_stack(workdir / "ours", model or find_model(), orders_file=ORDERS,
                       now=NOW) as stack:
        yield Bot("ours", stack.rasa_url, stack.rasa_pid, stack)


@contextmanager
def both_bots(workdir: Path, model: Path | None, epochs: int) -> Iterator[tuple[Bot, Bot]]:
    with our_bot(workdir, model) as ours, starter_bot(workdir, epochs) as starter:
        yield ours, starter


def measure(ours: Bot, starter: Bot, turns: int, buyers: int) -> dict[str, list[float]]:
    """Interleaved: our turn k and the starter's turn k back to back (their order alternating),
    so that whatever else runs on the machine slows both alike."""
    our_senders = [f"buyer-{b}" for b in range(buyers)]
    for sender in ["warm", *our_senders]:
        for text in OUR_VERIFY:  # verification is not measured
            turn(ours.url, sender, text)
    for k in range(3):
        turn(ours.url, "warm", OUR_TURNS[k])
        turn(starter.url, "warm-starter", STARTER_TURNS[k])
    timed: dict[str, list[tuple[str, float]]] = {sender: [] for sender in our_senders}
    starter_samples: list[float] = []
    for k in range(turns):
        sender = our_senders[k % buyers]
        text = OUR_TURNS[(k // buyers) % len(OUR_TURNS)]
        starter_text = STARTER_TURNS[(k // buyers) % len(STARTER_TURNS)]

        def ours_turn(sender=sender, text=text) -> None:
            timed[sender].append((text, turn(ours.url, sender, text)))

        def starter_turn(k=k, text=starter_text) -> None:
            starter_samples.append(turn(starter.url, f"starter-{k % buyers}", text))

        for step in ((ours_turn, starter_turn) if k % 2 == 0 else (starter_turn, ours_turn)):
            step()
    custom, responses = [], []
    for sender, samples in timed.items():
        kinds = custom_action_turns(ours.stack.tracker(sender))[-len(samples):]
        for (_, seconds), is_custom in zip(samples, kinds, strict=True):
            (custom if is_custom else responses).append(seconds)
    return {"ours": custom + responses, "custom": custom, "responses": responses,
            "starter": starter_samples}


def profile_action(stack, sender: str, calls: int) -> None:
    """Where a custom-action turn's time goes: the HTTP call alone, then cProfile in-process.

    The request is what Rasa posts for `action_explain_return` (the tracker with every event;
    no domain, see enable_selective_domain in endpoints.yml), rebuilt from the stored tracker.
    """
    import asyncio
    import cProfile
    import io
    import json
    import pstats

    tracker = stack.tracker(sender)
    body = {"next_action": "action_explain_return", "sender_id": sender, "tracker": tracker,
            "version": "3.6"}
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


SPLIT = {  # what to time inside Rasa: (class path, method, label)
    "tracker load": ("rasa.core.processor.MessageProcessor", "get_tracker"),
    "NLU parse": ("rasa.core.processor.MessageProcessor", "parse_message"),
    "policy predictions": ("rasa.core.processor.MessageProcessor", "_predict_next_with_tracker"),
    "  of which tracker featurisation": ("rasa.shared.core.trackers.DialogueStateTracker",
                                         "past_states"),
    "action-server calls": ("rasa.core.actions.action.RemoteAction", "run"),
    "tracker save": ("bot.rasa_ext.tracker_store.PrivateSQLTrackerStore", "save"),
}


def split_turn(stack, turns: int) -> dict[str, float]:
    """Our turns run by an in-process Rasa agent (same model, endpoints, action server and
    stores as the served one), each phase timed: where a turn's milliseconds go."""
    import asyncio
    import functools
    import importlib
    import logging
    from collections import defaultdict

    os.environ.update({k: v for k, v in stack.env.items()
                       if k in ("ACTION_SERVER_TOKEN", "BOT_SECRET_KEY", "ORDERS_DB_URL")})
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot.channels.guard import client_metadata

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    spent: dict[str, float] = defaultdict(float)
    originals = []

    def timed(label: str, method):
        @functools.wraps(method)
        async def run_async(*args, **kwargs):
            start = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        @functools.wraps(method)
        def run_sync(*args, **kwargs):
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        return run_async if asyncio.iscoroutinefunction(method) else run_sync

    for label, (path, name) in SPLIT.items():
        module, _, cls_name = path.rpartition(".")
        cls = getattr(importlib.import_module(module), cls_name)
        originals.append((cls, name, getattr(cls, name)))
        setattr(cls, name, timed(label, getattr(cls, name)))
    loop = asyncio.new_event_loop()
    try:
        endpoints = AvailableEndpoints.read_endpoints(str(stack.endpoints))
        agent = loop.run_until_complete(load_agent(model_path=str(stack.model),
                                                   endpoints=endpoints))

        def say(sender: str, text: str) -> float:
            message = UserMessage(text, CollectingOutputChannel(), sender, input_channel="rest",
                                  metadata=client_metadata("rest", "127.0.0.1"))
            start = time.perf_counter()
            loop.run_until_complete(agent.handle_message(message))
            return time.perf_counter() - start

        senders = [f"split-{b}" for b in range(3)]
        for sender in senders:
            for text in OUR_VERIFY:
                say(sender, text)
        spent.clear()
        whole = [say(senders[k % 3], OUR_TURNS[(k // 3) % len(OUR_TURNS)])
                 for k in range(turns)]
    finally:
        for cls, name, method in originals:
            setattr(cls, name, method)
        loop.close()
    split = {label: spent[label] / turns * 1000 for label in SPLIT}
    split["whole turn (mean)"] = statistics.mean(whole) * 1000
    split["other (channel, locks, dispatch)"] = split["whole turn (mean)"] - sum(
        value for label, value in split.items()
        if not label.startswith(" ") and label != "whole turn (mean)")
    print(f"  where our turn's time goes inside Rasa (in-process, {turns} turns, mean ms):")
    for label, value in split.items():
        print(f"    {label:<36} {value:6.1f} ms")
    return split


def figures(samples: dict[str, list[float]]) -> dict[str, Any]:
    (o50, o95), (s50, s95) = ms(samples["ours"]), ms(samples["starter"])
    out: dict[str, Any] = {name: dict(zip(("p50_ms", "p95_ms"), ms(values), strict=True))
                           for name, values in samples.items() if values}
    out["ratio"] = {"p50": o50 / s50, "p95": o95 / s95}
    return out


def report(samples: dict[str, list[float]]) -> dict[str, Any]:
    print(line("ours, all turns", samples["ours"]))
    print(line("ours, custom-action turns", samples["custom"]))
    if samples["responses"]:
        print(line("ours, response-only turns", samples["responses"]))
    print(line("starter bot, all turns", samples["starter"]))
    found = figures(samples)
    print(f"  ratio ours / starter: p50 {found['ratio']['p50']:.2f}x  "
          f"p95 {found['ratio']['p95']:.2f}x   (goal: at most {GOAL_RATIO}x)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60, help="measured turns per bot")
    parser.add_argument("--buyers", type=int, default=3, help="conversations per bot")
    parser.add_argument("--model", type=Path, help="our model (default: newest in models/)")
    parser.add_argument("--starter-epochs", type=int, default=40)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also time N direct action-server calls and cProfile the action")
    parser.add_argument("--split", type=int, default=0, metavar="N",
                        help="also run N of our turns in-process and print where a turn's "
                             "time goes inside Rasa")
    parser.add_argument("--json", type=Path, default=RESULTS / "latency.json",
                        help="write the figures here (make bench's summary reads them)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="latency-bench-") as tmp:
        workdir = Path(tmp)
        print("ours (rasa run + action server, SQLite stores) and the rasa init starter bot "
              "(rasa run + rasa run actions), turns interleaved:", flush=True)
        with both_bots(workdir, args.model, args.starter_epochs) as (ours, starter):
            samples = measure(ours, starter, args.turns, args.buyers)
            found = report(samples)
            if args.profile:
                profile_action(ours.stack, "buyer-0", args.profile)
            if args.split:
                found["split"] = split_turn(ours.stack, args.split)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
