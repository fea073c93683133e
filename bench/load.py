"""Load: concurrent conversations over REST and the widget's socket.io, 1 and 2 Rasa replicas.

    .venv/bin/python bench/load.py                    # 50 conversations, 2 rounds, ~8 min
    .venv/bin/python bench/load.py --conversations 10 --rounds 1 --replicas 2 --transports rest
    .venv/bin/python bench/load.py --json var/load.json   # the figures as JSON too

The deployment of deploy/endpoints.scale.yml on loopback: Rasa replicas (`rasa run`, the
newest model in models/ or --model) with the PostgreSQL tracker store and the Redis lock store
(bot.rasa_ext.lock_store.AtomicRedisLockStore), one action server (bot.action_server), the
order store and the attempt ledger in PostgreSQL and Redis as at scale. PostgreSQL and Redis
are started locally for the run (tests/support/postgres.py, tests/support/redis_server.py);
orders are tests/fixtures/orders.json and the clock is BOT_NOW=2026-11-27T10:00:00+09:00.

Each conversation is one of SCRIPTS (five orders, so conversations differ): a question, the
order number, the phone digits (verification), then 4 more questions; 7 turns, each awaited
before the next. All conversations start together. What each turn must get is what the same
script gets alone, first, over REST on one replica (`reference`: the phone turn must answer
`verified`, and no turn may be silent, unknown or the channel's "try again" `no_reply`); load
must not change a reply. There is no load balancer: the client
sends turn t of conversation c to replica (c + t) mod n, so consecutive turns of one
conversation land on different replicas and each replica must see what the other stored
(the tracker store) and never process a conversation the other holds (the lock store). Over
the widget, a conversation opens one socket.io connection per replica and joins the same
server-issued session id on each; a turn is sent on its replica's socket and answered there.

Checks, per conversation: the replies of each turn are the reference's texts (over the widget
each paragraph a message, as Rasa's socket.io output sends them; reports name the messages as
tests do, tests/support/messages.py), and the tracker stored in PostgreSQL (the `events`
table, read directly) holds every user message exactly once, in the sent order, each followed
by the reference's bot texts. Lost: a sent message missing from the store; duplicated: one
stored more than once; reordered: stored messages out of the sent order (all but the longest
in-order run). Every buyer verifies with the right digits, so the attempt ledger (Redis
database 2) must count no failure (limits in bot/settings.yml: 30 per IP address an hour, and
every conversation here comes from 127.0.0.1).

Both replicas start first and one unmeasured conversation per replica and transport warms
them up; a 1-replica run sends nothing to the second, which idles (as if the balancer had one
backend). Each transport at each replica count is measured --rounds times (default 2), the
order of the replica counts alternating (1, 2, then 2, 1) so that the machine's other load
weighs on both alike; a cell sums its rounds.

Figures per transport and replica count: conversations, turns, those counts, throughput
(all turns / the sum of the runs' wall times, each from the first turn sent to the last reply),
p50 / p95 turn latency (sent to the last expected reply; over the widget the turn ends with its
last expected message, as the widget has no end-of-turn event), the Redis WATCHes of the lock
store (the locks went through Redis) and the CPU the replicas spent per turn; then the 2-vs-1
replica throughput ratio, and per run the cores each replica, the action server and this client
used (CPU seconds over wall seconds) beside the machine's busy share, other sessions' work
included: on a shared machine a ratio means little without them. Exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import requests  # noqa: E402
from redis import Redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bot.security.redact import redact_text  # noqa: E402
from bot.settings import get_settings  # noqa: E402
from tests.support.clock import FIXED_NOW_TEXT  # noqa: E402
from tests.support.messages import identify  # noqa: E402
from tests.support.paths import FIXTURE_ORDERS  # noqa: E402
from tests.support.postgres import postgres_cluster  # noqa: E402
from tests.support.redis_server import redis_process  # noqa: E402
from tests.support.stack import (  # noqa: E402
    Stack,
    default_credentials,
    find_model,
    load_orders,
    log_tail,
    stack_env,
)
from tests.support.widget_client import WidgetClient  # noqa: E402

SCALE_ENDPOINTS = ROOT / "deploy" / "endpoints.scale.yml"
TURN_TIMEOUT = 60.0
SETTLE = 1.0  # quiet seconds after a widget conversation's last turn: no stray replies
TRANSPORTS = ("rest", "widget")
LEDGER_DB = 2  # the attempt ledger's Redis database (the lock store uses 0)


@dataclass(frozen=True)
class Turn:
    text: str
    expected: tuple[str, ...]  # the names of the messages the buyer reads, in order
    replies: tuple[str, ...] = ()  # their texts, as REST returns and the tracker stores them


# One buyer each (tests/fixtures/orders.json, the demo cases of the README): a question,
# verification, then 4 questions; every text unique within its script.
SCRIPTS: tuple[tuple[str, ...], ...] = (
    # refused: the parcel was with the courier before the cancel request
    ("취소했는데 왜 거부된 거예요?", "2026112500000004", "1004", "반품하고 싶어요",
     "반품 배송비는 누가 내요?", "택배 꼭 받아야 하나요?", "지금 배송 어디쯤이에요?"),
    # refused: handed over after the request
    ("주문 취소가 왜 거부됐나요", "2026112500000005", "1005", "택배 꼭 받아야 하나요?",
     "환불은 언제 돼요?", "반품 배송비는 누가 내요?", "반품 방법 알려 주세요"),
    # refused: an invoice but no scan for over 3 business days
    ("송장번호는 떴는데 조회가 하나도 안 돼요", "2026112500000006", "1006",
     "지금 배송 어디쯤이에요?", "취소 요청했는데 왜 거부됐어요?", "꼭 받아야 하나요?",
     "반품비는 누가 내요?"),
    # delivered 3 days ago: returnable
    ("반품하고 싶은데 언제까지 돼요?", "2026112500000007", "1007", "반품 배송비는 누가 내요?",
     "환불은 언제 돼요?", "반품 방법 알려 주세요", "배송 상태 알려 주세요"),
    # delivered 2 days ago, broken
    ("받은 머그컵이 깨져서 왔어요", "2026112500000010", "1010", "반품하고 싶어요",
     "반품 배송비는 누가 내요?", "환불은 언제 돼요?", "지금 배송 어디쯤이에요?"),
)
VERIFY_TURN = 2  # the phone digits: the reply must start with "verified"
TURNS = len(SCRIPTS[0])

Script = tuple[Turn, ...]


@dataclass
class TurnResult:
    replica: int
    started: float
    ended: float
    texts: list[str]  # the text of each reply
    error: str | None = None


@dataclass
class Conversation:
    index: int
    script: tuple[Turn, ...]
    sender: str = ""
    turns: list[TurnResult] = field(default_factory=list)
    error: str | None = None


@dataclass
class RunFigures:
    transport: str
    replicas: int
    round: int  # 1, 2, …; 0 for the sum of a cell's rounds
    conversations: int
    turns: int
    failed_turns: int  # an error or timeout instead of the replies
    wrong_replies: int  # turns whose replies were not the expected messages
    lost: int
    duplicated: int
    reordered: int
    wrong_stored_replies: int  # stored user messages not followed by the expected messages
    ledger_failures: int  # failed ownership checks the attempt ledger counted (Redis)
    replica_exits: int  # replicas that died during the run
    wall_s: float
    turns_per_s: float
    p50_ms: float
    p95_ms: float
    lock_watches: int  # WATCHes of the Redis lock store: the locks went through Redis
    client_cpu_s: float  # CPU this load client used, on the same cores
    rasa_cpu_s: list[float]  # CPU each running replica used (an idle one too)
    actions_cpu_s: float
    machine_busy: float  # share of all cores busy (ours and other sessions'), 0–1
    problems: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def clean(self) -> bool:
        return not (self.failed_turns or self.wrong_replies or self.lost or self.duplicated
                    or self.reordered or self.wrong_stored_replies or self.ledger_failures
                    or self.replica_exits)


# ---------------------------------------------------------------------------- the deployment


class Deployment:
    """PostgreSQL, Redis, one action server and up to `max_replicas` Rasa replicas, all
    with deploy/endpoints.scale.yml; replicas start on demand and stay up."""

    def __init__(self, workdir: Path, model: Path, exits: ExitStack) -> None:
        self.workdir = workdir
        postgres = exits.enter_context(postgres_cluster())
        redis = exits.enter_context(redis_process())
        self.redis = redis.client  # db 0: the lock store's
        self.ledger = Redis(host="127.0.0.1", port=redis.port, db=LEDGER_DB)
        base = f"postgresql://postgres@127.0.0.1:{postgres.port}"
        engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE tracker"))
            connection.execute(text("CREATE DATABASE orders"))
        engine.dispose()
        self.tracker_db = create_engine(f"{base}/tracker")
        exits.callback(self.tracker_db.dispose)
        env = stack_env(
            workdir,
            now=FIXED_NOW_TEXT,
            extra_env={
                "ORDERS_DB_URL": f"{base}/orders",
                "LEDGER_REDIS_URL": f"redis://127.0.0.1:{redis.port}/{LEDGER_DB}",
                "TRACKER_DB_HOST": "127.0.0.1",
                "TRACKER_DB_PORT": str(postgres.port),
                "TRACKER_DB_NAME": "tracker",
                "TRACKER_DB_USER": "postgres",
                "TRACKER_DB_PASSWORD": "",
                "REDIS_HOST": "127.0.0.1",
                "REDIS_PORT": str(redis.port),
                "REDIS_LOCK_DB": "0",
                "REDIS_PASSWORD": "",
            },
        )
        load_orders(FIXTURE_ORDERS, env, workdir / "orders-load.log")
        self.replicas: list[Stack] = []
        first = self._stack(env, model)
        env["ACTION_SERVER_URL"] = f"{first.actions_url}/webhook"
        exits.callback(first.stop)
        first.start_actions()
        self.env, self.model, self.exits = env, model, exits
        self._first = first

    def _stack(self, env: dict[str, str], model: Path) -> Stack:
        directory = self.workdir / f"replica-{len(self.replicas) + 1}"
        directory.mkdir(parents=True, exist_ok=True)
        stack = Stack(directory, model, env, default_credentials(), enable_api=False)
        stack.endpoints = SCALE_ENDPOINTS
        return stack

    def scale_to(self, replicas: int) -> list[Stack]:
        while len(self.replicas) < replicas:
            stack = self._first if not self.replicas else self._stack(self.env, self.model)
            if stack is not self._first:
                self.exits.callback(stack.stop_rasa)
            stack.start_rasa()
            self.replicas.append(stack)
        return self.replicas[:replicas]

    def cpu_seconds(self) -> dict[str, float]:
        """CPU used so far by each server (its process and children): rasa-1, …, actions."""
        seconds: dict[str, float] = {}
        for number, stack in enumerate(self.replicas or [self._first], start=1):
            for name, pid in stack.pids().items():
                key = "actions" if name == "actions" else f"rasa-{number}"
                seconds[key] = seconds.get(key, 0.0) + _tree_cpu(pid)
        return seconds

    def lock_watches(self) -> int:
        stats = self.redis.info("commandstats")
        return int(stats.get("cmdstat_watch", {}).get("calls", 0))

    def ledger_failures(self) -> int:
        return sum(self.ledger.zcard(key) for key in self.ledger.scan_iter("ledger:failures:*"))

    def stored_events(self, senders: Sequence[str]) -> dict[str, list[dict]]:
        """Each sender's events as stored, in insertion order."""
        events: dict[str, list[dict]] = {sender: [] for sender in senders}
        query = text(
            "SELECT sender_id, data FROM events WHERE sender_id = ANY(:senders) ORDER BY id"
        )
        with self.tracker_db.connect() as connection:
            for sender, data in connection.execute(query, {"senders": list(senders)}):
                events[sender].append(json.loads(data))
        return events


def _tree_cpu(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, every core."""
    times = psutil.cpu_times()
    every = sum(times)
    return every - times.idle - getattr(times, "iowait", 0.0), every


# ---------------------------------------------------------------------------- the clients


def _rest_conversation(
    conversation: Conversation, urls: Sequence[str], start: threading.Barrier
) -> None:
    with requests.Session() as session:
        start.wait()
        for t, turn in enumerate(conversation.script):
            replica = (conversation.index + t) % len(urls)
            began = time.perf_counter()
            try:
                reply = session.post(
                    f"{urls[replica]}/webhooks/rest/webhook",
                    json={"sender": conversation.sender, "message": turn.text},
                    timeout=TURN_TIMEOUT,
                )
                reply.raise_for_status()
                texts = [m["text"] for m in reply.json() if m.get("text")]
                error = None
            except (requests.RequestException, ValueError) as exc:
                texts, error = [], f"{type(exc).__name__}: {exc}"
            conversation.turns.append(
                TurnResult(replica, began, time.perf_counter(), texts, error)
            )


def _widget_conversation(
    conversation: Conversation, urls: Sequence[str], start: threading.Barrier
) -> None:
    clients = [WidgetClient(url) for url in urls]
    try:
        try:
            for client in clients:
                client.connect()
            session_id = clients[0].request_session()
            for client in clients[1:]:
                if client.request_session(session_id) != session_id:
                    raise RuntimeError("a replica did not rejoin the signed session id")
            conversation.sender = session_id
        finally:
            start.wait()  # never leave the others waiting
        for t, turn in enumerate(conversation.script):
            replica = (conversation.index + t) % len(urls)
            client = clients[replica]
            began = time.perf_counter()
            client.say(turn.text)
            texts, error = _await_replies(client, len(bubbles(turn.replies)))
            conversation.turns.append(TurnResult(replica, began, time.perf_counter(), texts, error))
        time.sleep(SETTLE)
        stray = [m.get("text", "") for c in clients for m in _drain(c)]
        if stray:
            conversation.turns[-1].texts.extend(stray)
    finally:
        for client in clients:
            client.close()


def bubbles(texts: Sequence[str]) -> tuple[str, ...]:
    """The socket.io messages texts make: Rasa's SocketIOOutput sends each paragraph of a
    text (split at blank lines) as a message of its own."""
    return tuple(part for text_ in texts for part in text_.strip().split("\n\n"))


def _await_replies(client: WidgetClient, expected: int) -> tuple[list[str], str | None]:
    """The texts of the next `expected` text messages on this socket (the widget has no
    end-of-turn event: a turn ends with its last expected message)."""
    texts: list[str] = []
    deadline = time.monotonic() + TURN_TIMEOUT
    while len(texts) < expected:
        try:
            message = client.bot_messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return texts, f"timeout: {len(texts)} of {expected} messages"
        if message.get("text"):
            texts.append(message["text"])
    return texts, None


def _drain(client: WidgetClient) -> list[dict]:
    found = []
    while True:
        try:
            found.append(client.bot_messages.get_nowait())
        except queue.Empty:
            return found


# ---------------------------------------------------------------------------- the checks
# A reply must be the reference's text itself (the clock is fixed, so each script's texts are
# the same in every conversation); names only say in a report which messages they were.


def _names(texts: Sequence[str]) -> tuple[str, ...]:
    return tuple((identify(t) or ("?",))[0] for t in texts)


def _in_order_run(positions: list[int]) -> int:
    """Length of the longest strictly increasing subsequence."""
    tails: list[int] = []
    for p in positions:
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < p:
                lo = mid + 1
            else:
                hi = mid
        tails[lo:lo + 1] = [p]
    return len(tails)


def check_stored(conversation: Conversation, events: list[dict]) -> dict[str, int | list[str]]:
    """Compare one conversation's stored events with what was sent."""
    max_chars = get_settings().security.max_message_chars
    sent = [redact_text(turn.text, max_chars) for turn in conversation.script]
    stored: list[tuple[str, list[str]]] = []  # user text, then the bot texts that followed
    for event in events:
        if event.get("event") == "user":
            stored.append((event.get("text") or "", []))
        elif event.get("event") == "bot" and stored and event.get("text"):
            stored[-1][1].append(event["text"])
    problems: list[str] = []
    texts = [user for user, _ in stored]
    lost = sum(1 for s in sent if s not in texts)
    duplicated = sum(max(0, texts.count(s) - 1) for s in sent)
    unexpected = [t for t in texts if t not in sent]
    duplicated += len(unexpected)
    firsts = [sent.index(t) for i, t in enumerate(texts) if t in sent and t not in texts[:i]]
    reordered = len(firsts) - _in_order_run(firsts)
    wrong = 0
    for turn, expected in zip(conversation.script, sent, strict=True):
        replies = [bots for user, bots in stored if user == expected]
        if replies and tuple(replies[0]) != turn.replies:
            wrong += 1
            problems.append(f"{conversation.sender}: stored after {turn.text!r}: "
                            f"{_names(replies[0])}, expected {turn.expected}")
    if lost or duplicated or reordered:
        problems.append(f"{conversation.sender}: sent {sent}, stored {texts}")
    return {"lost": lost, "duplicated": duplicated, "reordered": reordered,
            "wrong_stored_replies": wrong, "problems": problems}


def percentile(values: list[float], cut: int) -> float:
    if not values:
        return float("nan")
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[cut - 1]


# ---------------------------------------------------------------------------- one run


def run_once(
    deployment: Deployment, scripts: Sequence[Script], transport: str, replicas: int,
    conversations: int, tag: str, round_number: int = 1,
) -> RunFigures:
    stacks = deployment.scale_to(replicas)
    urls = [stack.rasa_url for stack in stacks]
    watches, cpu = deployment.lock_watches(), time.process_time()
    ledger = deployment.ledger_failures()
    servers, machine = deployment.cpu_seconds(), _machine_busy()
    talks = [
        Conversation(i, scripts[i % len(scripts)], sender=f"load-{tag}-{i}")
        for i in range(conversations)
    ]
    drive = _rest_conversation if transport == "rest" else _widget_conversation
    start = threading.Barrier(conversations)
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        futures = [pool.submit(drive, talk, urls, start) for talk in talks]
        for talk, future in zip(talks, futures, strict=True):
            try:
                future.result()
            except Exception as exc:  # noqa: BLE001 - counted and reported, not raised
                talk.error = f"{type(exc).__name__}: {exc}"
    cpu = time.process_time() - cpu
    watches = deployment.lock_watches() - watches
    servers = {k: v - servers.get(k, 0.0) for k, v in deployment.cpu_seconds().items()}
    machine = tuple(after - before for after, before in zip(_machine_busy(), machine,
                                                            strict=True))

    problems = [f"{t.sender or t.index}: {t.error}" for t in talks if t.error]
    exits = [line for stack in stacks for line in stack.exited()]
    problems.extend(exits)
    turns = [turn for talk in talks for turn in talk.turns]
    failed = sum(1 for t in turns if t.error) + sum(
        len(t.script) - len(t.turns) for t in talks
    )
    wrong = 0
    for talk in talks:
        for turn, result in zip(talk.script, talk.turns, strict=False):
            if result.error:
                problems.append(f"{talk.sender}: {turn.text!r}: {result.error}")
            elif tuple(result.texts) != (
                turn.replies if transport == "rest" else bubbles(turn.replies)
            ):
                wrong += 1
                problems.append(f"{talk.sender}: replies to {turn.text!r} on replica "
                                f"{result.replica + 1}: {_names(result.texts)}, "
                                f"expected {turn.expected}")
    stored = deployment.stored_events([t.sender for t in talks if t.sender])
    counts = {"lost": 0, "duplicated": 0, "reordered": 0, "wrong_stored_replies": 0}
    for talk in talks:
        result = check_stored(talk, stored.get(talk.sender, []))
        problems.extend(result.pop("problems"))
        for key in counts:
            counts[key] += result[key]

    ok = [t for t in turns if not t.error]
    latencies = sorted((t.ended - t.started) * 1000 for t in ok)
    wall = (max(t.ended for t in turns) - min(t.started for t in turns)) if turns else 0.0
    return RunFigures(
        transport=transport, replicas=replicas, round=round_number,
        conversations=conversations, turns=len(turns), failed_turns=failed,
        wrong_replies=wrong, **counts,
        ledger_failures=deployment.ledger_failures() - ledger, replica_exits=len(exits),
        wall_s=round(wall, 2), turns_per_s=round(len(ok) / wall, 2) if wall else 0.0,
        p50_ms=round(percentile(latencies, 50), 1), p95_ms=round(percentile(latencies, 95), 1),
        lock_watches=watches, client_cpu_s=round(cpu, 2),
        rasa_cpu_s=[round(v, 2) for k, v in sorted(servers.items()) if k.startswith("rasa")],
        actions_cpu_s=round(servers.get("actions", 0.0), 2),
        machine_busy=round(machine[0] / machine[1], 2) if machine[1] else 0.0,
        problems=problems, latencies_ms=latencies,
    )


def combine(runs: Sequence[RunFigures]) -> RunFigures:
    """One cell (transport, replica count) over its rounds: counts and times summed,
    throughput as all turns over all wall time, percentiles of every turn."""
    first = runs[0]
    latencies = sorted(v for r in runs for v in r.latencies_ms)
    wall = sum(r.wall_s for r in runs)
    total = {name: sum(getattr(r, name) for r in runs) for name in (
        "conversations", "turns", "failed_turns", "wrong_replies", "lost", "duplicated",
        "reordered", "wrong_stored_replies", "ledger_failures", "replica_exits",
        "lock_watches")}
    return RunFigures(
        transport=first.transport, replicas=first.replicas, round=0, **total,
        wall_s=round(wall, 2),
        turns_per_s=round(len(latencies) / wall, 2) if wall else 0.0,
        p50_ms=round(percentile(latencies, 50), 1), p95_ms=round(percentile(latencies, 95), 1),
        client_cpu_s=round(sum(r.client_cpu_s for r in runs), 1),
        rasa_cpu_s=[round(sum(v), 1) for v in zip(*(r.rasa_cpu_s for r in runs),
                                                    strict=True)],
        actions_cpu_s=round(sum(r.actions_cpu_s for r in runs), 1),
        machine_busy=round(sum(r.machine_busy * r.wall_s for r in runs) / wall, 2)
        if wall else 0.0,
        problems=[p for r in runs for p in r.problems], latencies_ms=latencies,
    )


def reference(deployment: Deployment) -> list[Script]:
    """SCRIPTS with their expected messages: what each buyer gets alone, one turn at a time,
    over REST on the first replica. Load must not change a single reply. (Taken from the
    running assistant so that a change of wording or of an answer elsewhere in the project
    needs no change here; the load run checks the transport and the replicas, not the answers,
    which tests/e2e check.) Refuses a reference that is no verified conversation."""
    url = deployment.scale_to(1)[0].rasa_url
    scripts = []
    for number, texts in enumerate(SCRIPTS):
        turns = []
        for text_ in texts:
            reply = requests.post(f"{url}/webhooks/rest/webhook",
                                  json={"sender": f"reference-{number}", "message": text_},
                                  timeout=TURN_TIMEOUT)
            reply.raise_for_status()
            texts = tuple(m["text"] for m in reply.json() if m.get("text"))
            turns.append(Turn(text_, _names(texts), texts))
        scripts.append(tuple(turns))
        names = [name for turn in turns for name in turn.expected]
        if (not all(turn.expected for turn in turns) or "?" in names or "no_reply" in names
                or turns[VERIFY_TURN].expected[0] != "verified"):
            raise RuntimeError(f"script {number + 1} alone is no verified conversation: "
                               + " | ".join(", ".join(t.expected) for t in turns))
    return scripts


def warm_up(deployment: Deployment, scripts: Sequence[Script], replicas: int) -> None:
    """One conversation per replica and transport, unmeasured (first-turn loading)."""
    for transport in TRANSPORTS:
        run_once(deployment, scripts, transport, replicas, replicas,
                 f"warm-{transport}-{replicas}")


@contextmanager
def deployment(model: Path, workdir: Path | None = None) -> Iterator[Deployment]:
    with ExitStack() as exits:
        if workdir is None:
            workdir = Path(exits.enter_context(tempfile.TemporaryDirectory(prefix="load-")))
        try:
            yield Deployment(Path(workdir), model, exits)
        except BaseException:
            for log in sorted(Path(workdir).glob("replica-*/*.log")):
                print(log_tail(log, 30), file=sys.stderr)
            raise


def run_load(
    conversations: int,
    replica_counts: Sequence[int] = (1, 2),
    transports: Sequence[str] = TRANSPORTS,
    model: Path | None = None,
    workdir: Path | None = None,
    rounds: int = 1,
    progress: bool = False,
) -> tuple[list[RunFigures], list[RunFigures], list[Script]]:
    """Every transport at every replica count, `rounds` times: (each cell summed, each run,
    the scripts with their expected messages).

    All replicas start first; a run with fewer sends nothing to the others, which idle. The
    rounds alternate the order of the replica counts (1, 2, then 2, 1, …) so that a change
    in the machine's other load weighs on both alike.
    """
    runs: list[RunFigures] = []
    counts = sorted(replica_counts)
    with deployment(model or find_model(), workdir) as deployed:
        if progress:
            print(f"starting {counts[-1]} replica(s) …", file=sys.stderr, flush=True)
        scripts = reference(deployed)
        deployed.scale_to(counts[-1])
        warm_up(deployed, scripts, counts[-1])
        for number in range(1, rounds + 1):
            for replicas in counts if number % 2 else counts[::-1]:
                for transport in transports:
                    figures = run_once(deployed, scripts, transport, replicas,
                                       conversations, f"{transport}-{replicas}-{number}",
                                       number)
                    if progress:
                        print(f"  round {number}: {transport} × {replicas}: "
                              f"{figures.turns_per_s} turns/s, "
                              f"{'clean' if figures.clean else 'FAULTS'}",
                              file=sys.stderr, flush=True)
                    runs.append(figures)
    cells = [combine([r for r in runs if (r.transport, r.replicas) == (t, n)])
             for t in transports for n in counts]
    return cells, runs, scripts


# ---------------------------------------------------------------------------- output


def ratios(cells: Sequence[RunFigures]) -> dict[str, float]:
    by = {(r.transport, r.replicas): r.turns_per_s for r in cells}
    return {transport: round(by[(transport, 2)] / by[(transport, 1)], 2)
            for transport in TRANSPORTS
            if by.get((transport, 1)) and (transport, 2) in by}


COLUMNS = [  # heading, width, value
    ("transport", 9, lambda r: r.transport),
    ("replicas", 8, lambda r: r.replicas),
    ("convs", 5, lambda r: r.conversations),
    ("turns", 5, lambda r: r.turns),
    ("failed", 6, lambda r: r.failed_turns),
    ("wrong", 5, lambda r: r.wrong_replies),
    ("lost", 4, lambda r: r.lost),
    ("dup", 3, lambda r: r.duplicated),
    ("reord", 5, lambda r: r.reordered),
    ("stored wrong", 12, lambda r: r.wrong_stored_replies),
    ("ledger", 6, lambda r: r.ledger_failures),
    ("turns/s", 7, lambda r: f"{r.turns_per_s:.2f}"),
    ("p50 ms", 6, lambda r: f"{r.p50_ms:.0f}"),
    ("p95 ms", 6, lambda r: f"{r.p95_ms:.0f}"),
    ("lock WATCH", 10, lambda r: r.lock_watches),
    ("Rasa CPU ms/turn", 16, lambda r: f"{1000 * sum(r.rasa_cpu_s) / max(r.turns, 1):.0f}"),
]


def _row(values: Sequence[object]) -> str:
    return " ".join(f"{v!s:<{w}}" if i == 0 else f"{v!s:>{w}}"
                    for i, (v, (_, w, _)) in enumerate(zip(values, COLUMNS, strict=True)))


def report(cells: Sequence[RunFigures], runs: Sequence[RunFigures]) -> str:
    lines = [_row([heading for heading, _, _ in COLUMNS])]
    lines += [_row([value(r) for _, _, value in COLUMNS]) for r in cells]
    for transport, ratio in ratios(cells).items():
        lines.append(f"2-vs-1 replica throughput, {transport}: {ratio:.2f}×")
    lines.append("each run: throughput; cores used (CPU seconds / wall seconds) by each Rasa "
                 "replica, the action server and this client; the machine's busy share, "
                 "other sessions included:")
    for r in runs:
        def cores(seconds: float, r: RunFigures = r) -> str:
            return f"{seconds / r.wall_s:.2f}" if r.wall_s else "-"

        lines.append(
            f"  round {r.round} {r.transport:<6} × {r.replicas}: {r.turns_per_s:6.2f} turns/s "
            f"in {r.wall_s:5.1f} s; cores: rasa {' + '.join(map(cores, r.rasa_cpu_s))}, "
            f"actions {cores(r.actions_cpu_s)}, client {cores(r.client_cpu_s)}; "
            f"machine {r.machine_busy:.0%} busy"
        )
    return "\n".join(lines)


def as_json(figures: RunFigures) -> dict:
    data = asdict(figures)
    del data["latencies_ms"]
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--replicas", default="1,2", help="replica counts, e.g. 1,2 or 2")
    parser.add_argument("--transports", default="rest,widget")
    parser.add_argument("--rounds", type=int, default=2,
                        help="measure each transport and replica count this many times")
    parser.add_argument("--model", type=Path, help="default: the newest in models/")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    counts = sorted({int(n) for n in args.replicas.split(",")})
    transports = [t for t in args.transports.split(",") if t]
    if not set(transports) <= set(TRANSPORTS) or not all(1 <= n <= 2 for n in counts):
        parser.error("transports: rest, widget; replicas: 1, 2")

    started, load_before = time.monotonic(), os.getloadavg()
    cells, runs, scripts = run_load(args.conversations, counts, transports, args.model,
                           rounds=args.rounds, progress=True)
    print(
        f"Load: {args.conversations} concurrent conversations of {TURNS} turns "
        "(a question, order number, phone digits, 4 questions), 1 action server, PostgreSQL "
        "tracker store, Redis lock store; turn t of conversation c on replica (c + t) mod n; "
        f"checked against the stored trackers; {args.rounds} round(s); "
        f"{time.monotonic() - started:.0f} s in all; load average "
        f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)"
    )
    print("expected, from each script alone (its turns from the phone digits on):")
    for script in scripts:
        print("  " + " | ".join(" ".join(t.expected) for t in script[VERIFY_TURN:]))
    print(report(cells, runs))
    for r in cells:
        for problem in r.problems[:20]:
            print(f"  {r.transport} × {r.replicas}: {problem}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": "bench/load.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "turns_per_conversation": TURNS,
            "expected": [[{"text": t.text, "messages": list(t.expected)} for t in script]
                         for script in scripts],
            "summary": [as_json(r) for r in cells],
            "replica_ratio": ratios(cells),
            "runs": [as_json(r) for r in runs],
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r.clean for r in cells) else 1


if __name__ == "__main__":
    sys.exit(main())
