"""Rasa server memory: this assistant beside Rasa's own `rasa init` starter bot, same load.

    .venv/bin/python bench/memory.py                                   # 1,000 + 10-minute soak
    .venv/bin/python bench/memory.py --conversations 200 --soak-minutes 1   # a quick look

Both bots are started as bench/latency.py starts them (ours: rasa run + bot.action_server with
SQLite order and tracker stores; the starter: rasa run + rasa run actions with its default
in-memory tracker store) and get the same load at the same time, from --workers threads each:

1. --conversations new conversations of --turns turns each (ours: a question, the order
   number, the phone digits, then return / fee questions and thanks; the starter: its
   hello / great / bot? / goodbye rules, as many turns). RSS of each Rasa server (with any
   child processes) is read before and after. Goal 5: ours after the load at most 1.3x the
   starter's.
2. A soak of --soak-minutes: the same conversations keep coming; RSS is sampled every
   --sample-seconds and printed with the least-squares slope (MiB per minute). Flat means the
   fitted growth over the whole soak stays under --flat-percent of the RSS at its start.

Prints the figures; --json writes them for `make bench`'s summary (bench/summary.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency import (  # noqa: E402
    OUR_TURNS,
    OUR_VERIFY,
    RESULTS,
    STARTER_TURNS,
    Bot,
    both_bots,
    turn,
)

GOAL_RATIO = 1.3  # issue 11, goal 5
MIB = 1024 * 1024


def rss(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / MIB


def script(bot: Bot, turns: int) -> list[str]:
    if bot.name == "ours":
        questions = OUR_TURNS[:2] + OUR_TURNS[4:5]  # return, fee, thanks
        rest = [questions[k % len(questions)] for k in range(max(turns - len(OUR_VERIFY), 0))]
        return (OUR_VERIFY + rest)[:turns]
    return [STARTER_TURNS[k % len(STARTER_TURNS)] for k in range(turns)]


class Load:
    """New conversations on one bot from a few threads; counts turns and failures."""

    def __init__(self, bot: Bot, turns: int, workers: int) -> None:
        self.bot, self.turns, self.workers = bot, turns, workers
        self.lines = script(bot, turns)
        self.started = 0
        self.done = 0
        self.failed = 0
        self._lock = threading.Lock()

    def _next(self) -> int:
        with self._lock:
            self.started += 1
            return self.started

    def conversation(self, number: int) -> None:
        sender = f"{self.bot.name}-mem-{number}"  # "starter…": its TED may stay silent
        try:
            for text in self.lines:
                turn(self.bot.url, sender, text)
        except Exception:  # noqa: BLE001 - counted and printed; memory is what is measured
            with self._lock:
                self.failed += 1
        with self._lock:
            self.done += 1

    def run(self, conversations: int | None = None, until: float | None = None) -> None:
        """`conversations` of them, or as many as fit before monotonic time `until`."""

        def worker() -> None:
            while True:
                if until is not None and time.monotonic() >= until:
                    return
                number = self._next()
                if conversations is not None and number > conversations:
                    return
                self.conversation(number)

        with ThreadPoolExecutor(self.workers) as pool:
            for future in [pool.submit(worker) for _ in range(self.workers)]:
                future.result()
        if conversations is not None:
            self.started = conversations


def both(loads: list[Load], **kwargs) -> None:
    threads = [threading.Thread(target=load.run, kwargs=kwargs) for load in loads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (minutes, MiB) samples, MiB per minute."""
    n = len(samples)
    if n < 2:
        return 0.0
    mean_t = sum(t for t, _ in samples) / n
    mean_m = sum(m for _, m in samples) / n
    num = sum((t - mean_t) * (m - mean_m) for t, m in samples)
    den = sum((t - mean_t) ** 2 for t, _ in samples)
    return num / den if den else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=6, help="turns per conversation")
    parser.add_argument("--workers", type=int, default=3, help="client threads per bot")
    parser.add_argument("--soak-minutes", type=float, default=10.0)
    parser.add_argument("--sample-seconds", type=float, default=30.0)
    parser.add_argument("--flat-percent", type=float, default=2.0,
                        help="largest fitted growth over the soak, in %% of its starting RSS")
    parser.add_argument("--model", type=Path, help="our model (default: newest in models/)")
    parser.add_argument("--starter-epochs", type=int, default=40)
    parser.add_argument("--json", type=Path, default=RESULTS / "memory.json")
    args = parser.parse_args(argv)

    found: dict = {"conversations": args.conversations, "turns": args.turns,
                   "soak_minutes": args.soak_minutes, "goal_ratio": GOAL_RATIO,
                   "flat_percent": args.flat_percent}
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as tmp:
        print("ours and the rasa init starter bot, same load at the same time:", flush=True)
        with both_bots(Path(tmp), args.model, args.starter_epochs) as bots:
            loads = [Load(bot, args.turns, args.workers) for bot in bots]
            idle = {bot.name: rss(bot.pid) for bot in bots}
            start = time.perf_counter()
            both(loads, conversations=args.conversations)
            loaded = {bot.name: rss(bot.pid) for bot in bots}
            print(f"  {args.conversations:,} conversations of {args.turns} turns each, "
                  f"{args.workers} clients per bot: {time.perf_counter() - start:.0f} s")
            for load in loads:
                print(f"  {load.bot.name:<8} Rasa RSS idle {idle[load.bot.name]:7.1f} MiB, "
                      f"after {load.done:,} conversations {loaded[load.bot.name]:7.1f} MiB"
                      f"  ({load.failed} failed)")
            ratio = loaded["ours"] / loaded["starter"]
            print(f"  ratio ours / starter after the load: {ratio:.2f}x "
                  f"(goal: at most {GOAL_RATIO}x)", flush=True)
            found.update(idle_mib=idle, loaded_mib=loaded, ratio=ratio,
                         failed={load.bot.name: load.failed for load in loads})

            samples: dict[str, list[tuple[float, float]]] = {bot.name: [] for bot in bots}
            if args.soak_minutes > 0:
                print(f"  soak, {args.soak_minutes:g} min (minutes: ours MiB / starter MiB):",
                      flush=True)
                soak_start = time.monotonic()
                end = soak_start + args.soak_minutes * 60
                runner = threading.Thread(target=both, args=(loads,), kwargs={"until": end})
                before = {load.bot.name: load.done for load in loads}
                runner.start()
                while True:
                    minutes = (time.monotonic() - soak_start) / 60
                    for bot in bots:
                        samples[bot.name].append((minutes, rss(bot.pid)))
                    print(f"    {minutes:5.1f}  {samples['ours'][-1][1]:7.1f} / "
                          f"{samples['starter'][-1][1]:7.1f}", flush=True)
                    if time.monotonic() >= end:
                        break
                    time.sleep(min(args.sample_seconds, max(end - time.monotonic(), 0.1)))
                runner.join()
                soak: dict = {}
                for load in loads:
                    name = load.bot.name
                    per_minute = slope(samples[name])
                    growth = per_minute * args.soak_minutes
                    share = growth / samples[name][0][1] * 100
                    soak[name] = {"slope_mib_per_min": per_minute, "growth_mib": growth,
                                  "growth_percent": share,
                                  "conversations": load.done - before[name],
                                  "samples": samples[name]}
                    print(f"  {name:<8} slope {per_minute:+.2f} MiB/min, fitted growth over "
                          f"the soak {growth:+.1f} MiB ({share:+.1f}%), "
                          f"{load.done - before[name]:,} more conversations")
                found["soak"] = soak
                found["flat"] = soak["ours"]["growth_percent"] <= args.flat_percent
                print(f"  ours flat (fitted growth at most {args.flat_percent:g}% of its RSS): "
                      f"{'yes' if found['flat'] else 'no'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
