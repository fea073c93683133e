"""Time and memory of parsing one long message, with and without the NLU length cap.

    .venv/bin/python bench/long_message.py [--model models/x.tar.gz] [--without-cap] 1000 20000

Parses a message of each given length with a trained model (default: the newest in models/)
and prints the wall time, the intent and this process's peak RSS. `--without-cap` lifts the
MessageLengthCap of the loaded model, to show what the cap protects against (time grows with
the length; with DIET in the pipeline memory grows with its square: keep sizes at or below
about 20,000 characters then).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.nlu import components, load_agent  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+", help="message lengths in characters")
    parser.add_argument("--model", type=Path, help="a trained model (default: newest in models/)")
    parser.add_argument("--without-cap", action="store_true", help="lift the length cap")
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    from rasa.utils.log_utils import configure_structlog

    from bot.rasa_ext.length_cap import MessageLengthCap

    configure_structlog(logging.ERROR)
    logging.disable(logging.WARNING)
    model = args.model or max((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    agent = load_agent(model)
    if args.without_cap:
        for cap in components(agent, MessageLengthCap):
            cap.max_chars = sys.maxsize
    asyncio.run(agent.parse_message("안녕하세요"))  # warm-up: first call builds TF graphs
    sentence = "반품비는 누가 내요? 어제 택배가 왔는데 "
    for size in args.sizes:
        text = (sentence * (size // len(sentence) + 1))[:size]
        started = time.perf_counter()
        parsed = asyncio.run(agent.parse_message(text))
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{size:>9} chars: {seconds:6.2f} s  intent {parsed['intent']['name']}"
            f"  peak RSS {peak:,.0f} MiB",
            flush=True,
        )


if __name__ == "__main__":
    main()
