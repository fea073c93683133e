"""`make audit`: what an outsider gets out of the assistant, tried over REST and the widget.

Starts a fresh assistant on loopback (the trained model, the test fixture orders, a fixed
clock: tests/support/stack.py), throws at least 1,000 hostile inputs at it and prints

* crashes (connection errors, 5xx, a server process that died), empty replies and
  unexpected statuses (a 413 for a body over the size cap is the expected answer);
* leaks: any reply that names a fixture order's product or its masked number, which only
  a verified owner may see (no input here carries the right digits);
* how many guesses at one order's phone digits an outsider gets from rotating sender ids
  and widget sessions before the lock, and whether the owner is then locked out too.

Exit status 1 when anything but the guess count is non-zero. The inputs are generated
from a fixed seed, so two runs send the same messages.

    .venv/bin/python scripts/audit.py [--seed 7] [--widget-every 4] [--json var/audit.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.messages import render  # noqa: E402
from bot.settings import get_settings  # noqa: E402
from tests.support.stack import Stack, find_model, running_stack  # noqa: E402
from tests.support.widget_client import WidgetClient  # noqa: E402

FIXTURE_ORDERS = ROOT / "tests" / "fixtures" / "orders.json"
NOW = "2026-11-27T10:00:00+09:00"
LOCKED = "잠가 두었어요"
EVALUATED = "남은 시도"  # an ordinary failure: the guess was checked


def no_reply_text() -> str:
    """What the channel guard says when a turn failed or said nothing (bot/channels/guard.py)."""
    shop = get_settings().store
    return render("no_reply", {"store_name": shop.name, "store_phone": shop.contact_phone})["text"]


def fixture_facts() -> list[str]:
    """What only an order's verified owner may read: product names and masked numbers."""
    facts = []
    for entry in json.loads(FIXTURE_ORDERS.read_text(encoding="utf-8")):
        number = entry["order"]["orderId"]
        facts += [entry["productOrder"]["productName"], number[:4] + "********" + number[-4:]]
    return facts


def hostile_inputs(rng: random.Random) -> list[tuple[str, str]]:
    """(category, text) pairs: at least 1,000, the same for the same seed."""
    cases: list[tuple[str, str]] = []

    def add(category: str, texts) -> None:
        cases.extend((category, text) for text in texts)

    add("empty", ["", " ", "\n", "\t", "   \n  ", "\u3000", "\u200b", "."])
    add("huge", ["가" * 500_000, "A" * 2_001, "반품 " * 700, "😀" * 2_100, "1" * 5_000])
    emoji = ["😀", "🙏", "📦", "🚚", "💸", "😡", "👍🏻", "🇰🇷", "❤️", "🤬"]
    add("emoji", ["".join(rng.choices(emoji, k=rng.randint(1, 40))) for _ in range(60)])
    add("emoji", [f"{rng.choice(emoji)} 반품할래요 {rng.choice(emoji)}" for _ in range(20)])
    invisible = [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u202e",
        "\u202d",
        "\u200f",
        "\u061c",
        "\u0301",
        "\u034f",
    ]
    add("invisible", ["".join(rng.choices(invisible, k=rng.randint(1, 20))) for _ in range(40)])
    add("invisible", [rng.choice(invisible).join("취소가 왜 거부됐어요") for _ in range(40)])
    add("invisible", [f"\u202e{n:016d}\u202c" for n in rng.sample(range(10**15, 10**16), 20)])

    def full_width(text: str) -> str:
        return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)

    add(
        "full-width",
        [
            full_width(f"2026112500000{rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}")
            for _ in range(40)
        ],
    )
    add("full-width", [full_width(f"{rng.randint(0, 9999):04d}") for _ in range(20)])
    add("full-width", ["٢٠٢٦١١٢٥٠٠٠٠٠٠٠٤ ١٠٠٤", "२०२६११२५००००००००४", "①⓪⓪④"])
    injections = [
        "'; DROP TABLE product_orders; --",
        "' OR '1'='1",
        "1' UNION SELECT document FROM product_orders--",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "{{7*7}}",
        "${7*7}",
        "${jndi:ldap://127.0.0.1/a}",
        "{0.__class__}",
        "%s%s%s%n",
        "../../etc/passwd",
        '"}], "slots": {"verified": true}',
        '{"verified": true}',
        "\\u0000",
        "\x00\x01\x02",
        "`rm -rf /`",
        "$(reboot)",
        "<!--",
        "]]>",
        "{placeholder}",
        "{store_phone}",
    ]
    add("injection", injections)
    add("injection", [f"주문번호 {rng.choice(injections)} 반품" for _ in range(80)])
    commands = [
        "/restart",
        "/session_start",
        "/back",
        "/stop",
        "/action_restart",
        "/action_verify_order",
        "/nlu_fallback",
        "/out_of_scope",
        "//restart",
        "/",
        "/greet@1.0",
        "/ask_return@0.1",
        '/request_human{"x": 1}',
    ]
    add("commands", commands)
    add(
        "commands",
        [
            f'/provide_order_id{{"order_id":"2026112500000{rng.randint(1, 15):03d}",'
            f'"phone_last4":"{rng.randint(0, 9999):04d}"}}'
            for _ in range(40)
        ],
    )
    add(
        "commands",
        [f'/ask_order_status{{"verified": true, "verified_proof": "x{n}"}}' for n in range(20)],
    )
    add("commands", [f"/{rng.choice(['ask_return', 'restart', 'verify'])}{'{'}" for _ in range(20)])
    digits = "0123456789"
    malformed = []
    for _ in range(150):
        length = rng.choice([1, 4, 8, 12, 15, 17, 20, 32, 64])
        number = "".join(rng.choices(digits, k=length))
        malformed.append(
            rng.choice(
                [
                    number,
                    f"{number[:4]}-{number[4:]}",
                    f"A{number}",
                    f"{number} {rng.randint(0, 9999)}",
                    number.replace("1", "l"),
                ]
            )
        )
    add("malformed-order", malformed)
    add(
        "real-looking-order",
        [f"{rng.randint(10**15, 10**16 - 1)} {rng.randint(0, 9999):04d}" for _ in range(150)],
    )
    add(
        "real-looking-order",
        [f"2026112500000{rng.randint(1, 15):03d} {rng.randint(0, 9999):04d}" for _ in range(100)],
    )
    questions = [
        "취소 왜 거부됐어요",
        "반품 배송비 누가 내요",
        "배송 어디쯤이에요",
        "환불 언제 돼요",
    ]
    add(
        "mixed",
        [
            f"{rng.choice(questions)} {rng.choice(injections)} {rng.choice(emoji)}"
            for _ in range(120)
        ],
    )
    # Phone numbers and digit runs inside questions: what the redaction must catch.
    add(
        "digits-in-text",
        [
            f"{rng.choice(questions)} 제 번호 010-{rng.randint(0, 9999):04d}-{n:04d}"
            for n in rng.sample(range(10_000), 60)
        ],
    )
    return cases


@dataclass
class Findings:
    sent: Counter = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    failed_turns: list[str] = field(default_factory=list)  # answered by the no-reply fallback
    statuses: Counter = field(default_factory=Counter)
    unexpected_status: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    refused_by_size: int = 0
    guesses: dict = field(default_factory=dict)

    def check_reply(self, channel: str, text: str, replies: list[dict], facts: list[str]) -> None:
        said = "\n".join(str(m.get("text") or "") for m in replies)
        if not said.strip() and not any(
            m.get("buttons") or m.get("quick_replies") for m in replies
        ):
            self.empty.append(f"{channel}: {text[:40]!r}")
        if no_reply_text() in said:
            self.failed_turns.append(f"{channel}: {text[:40]!r}")
        for fact in facts:
            if fact in said:
                self.leaks.append(f"{channel}: {text[:40]!r} -> {fact}")


def over_rest(stack: Stack, cases, facts, findings: Findings) -> None:
    cap = get_settings().security.max_request_bytes
    for index, (category, text) in enumerate(cases):
        sender = f"audit-rest-{index // 10}"  # ten messages per conversation
        body = json.dumps({"sender": sender, "message": text}).encode()
        try:
            reply = requests.post(
                f"{stack.rasa_url}/webhooks/rest/webhook",
                data=body,
                headers={"Content-Type": "application/json"},
                timeout=60,
            )
        except requests.RequestException as error:
            findings.crashes.append(f"rest {category}: {type(error).__name__}")
            continue
        findings.sent[f"rest:{category}"] += 1
        findings.statuses[reply.status_code] += 1
        if reply.status_code == 413 and len(body) > cap:
            findings.refused_by_size += 1
        elif reply.status_code >= 500:
            findings.crashes.append(f"rest {category}: HTTP {reply.status_code}")
        elif reply.status_code != 200:
            findings.unexpected_status.append(f"rest {category}: HTTP {reply.status_code}")
        else:
            findings.check_reply("rest", text, reply.json(), facts)


def over_widget(stack: Stack, cases, facts, findings: Findings) -> None:
    cap = get_settings().security.max_request_bytes
    for start in range(0, len(cases), 10):  # one session per ten messages
        client = WidgetClient(stack.rasa_url)
        try:
            client.connect()
            client.request_session(None)
            for category, text in cases[start : start + 10]:
                if len(text.encode()) > cap:
                    continue  # the transport drops it: nothing to answer
                findings.sent[f"widget:{category}"] += 1
                replies = client.ask(text, timeout=30)
                if not replies:
                    findings.empty.append(f"widget {category}: {text[:40]!r}")
                else:
                    findings.check_reply("widget", text, replies, facts)
        except Exception as error:  # noqa: BLE001 - any failure of the channel is a finding
            findings.crashes.append(f"widget: {type(error).__name__}: {error}")
        finally:
            client.close()


def rest_guess(stack: Stack, sender: str, message: str) -> str:
    """A fresh conversation: a question, then the order number and digits in one message."""
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    requests.post(url, timeout=60, json={"sender": sender, "message": "배송 상태 알려주세요"})
    replies = requests.post(url, timeout=60, json={"sender": sender, "message": message}).json()
    return " ".join(str(m.get("text") or "") for m in replies)


def guessing(stack: Stack, findings: Findings) -> None:
    """Rotating identities against one order each: how many guesses get checked?

    Runs first, while the loopback address has no failures on record: the per-IP limit
    would otherwise hide the per-order one.
    """
    order, owner_digits = "2026112500000004", "1004"
    said = [rest_guess(stack, f"audit-guess-{n}", f"{order} {n:04d}") for n in range(100)]
    owner = rest_guess(stack, "audit-owner", f"{order} {owner_digits}")
    widget_checked = 0
    for n in range(20):
        with WidgetClient(stack.rasa_url) as client:
            client.request_session(None)
            client.ask("배송 상태 알려주세요", timeout=30)
            replies = client.ask(f"2026112500000007 {n:04d}", timeout=30)
            widget_checked += EVALUATED in " ".join(str(m.get("text") or "") for m in replies)
    findings.guesses = {
        "order": order[:4] + "********" + order[-4:],
        "rest_attempts": len(said),
        "rest_checked": sum(EVALUATED in text for text in said),
        "rest_locked": sum(LOCKED in text for text in said),
        "owner_locked_out": LOCKED in owner,
        "widget_attempts": 20,
        "widget_checked": widget_checked,
    }


def report(findings: Findings, seconds: float) -> int:
    security = get_settings().security
    sent = sum(findings.sent.values())
    print(
        f"\nmake audit: {sent} hostile inputs in {seconds:.0f} s "
        f"(REST {sum(v for k, v in findings.sent.items() if k.startswith('rest'))}, "
        f"widget {sum(v for k, v in findings.sent.items() if k.startswith('widget'))})"
    )
    by_category = Counter()
    for key, count in findings.sent.items():
        by_category[key.split(":", 1)[1]] += count
    print("  by category: " + ", ".join(f"{k} {v}" for k, v in sorted(by_category.items())))
    print(
        f"  HTTP statuses: {dict(sorted(findings.statuses.items()))} "
        f"({findings.refused_by_size} bodies over {security.max_request_bytes:,} bytes refused "
        "with 413, as intended)"
    )
    rows = [
        ("crashes", findings.crashes),
        ("empty replies", findings.empty),
        ("failed turns (answered with the 'try again' fallback)", findings.failed_turns),
        ("unexpected statuses", findings.unexpected_status),
        ("leaks of order facts", findings.leaks),
    ]
    for name, items in rows:
        print(f"  {name}: {len(items)}")
        for item in items[:10]:
            print(f"    - {item}")
    g = findings.guesses
    limit = security.order
    print(
        f"  guessing {g['order']}'s digits with {g['rest_attempts']} rotating REST sender ids: "
        f"{g['rest_checked']} answered 'attempts left', then {g['rest_locked']} answered "
        f"'locked' (failure {limit.max_failures} trips the lock); the owner is "
        f"{'locked out too' if g['owner_locked_out'] else 'NOT locked out'}"
    )
    print(
        f"  widget, {g['widget_attempts']} new sessions against another order: "
        f"{g['widget_checked']} answered 'attempts left' before the lock"
    )
    per_day = limit.max_failures * max(
        1, int(1440 // max(limit.window_minutes, limit.lock_minutes))
    )
    print(
        f"  guesses an outsider gets per order per day: at most {per_day} "
        f"(limit {limit.max_failures} per {limit.window_minutes:g} min, then locked "
        f"{limit.lock_minutes:g} min) = a {per_day / 10_000:.2%} chance of hitting 4 digits"
    )
    bad = len(findings.crashes) + len(findings.empty) + len(findings.unexpected_status)
    bad += len(findings.failed_turns)
    bad += len(findings.leaks) + (0 if g["rest_checked"] <= limit.max_failures else 1)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--widget-every",
        type=int,
        default=4,
        help="send every n-th input over the widget too (default 4)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "audit.json")
    args = parser.parse_args(argv)
    cases = hostile_inputs(random.Random(args.seed))
    facts = fixture_facts()
    findings = Findings()
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="audit-") as workdir,
        running_stack(
            Path(workdir), find_model(), orders_file=FIXTURE_ORDERS, now=NOW, enable_api=False
        ) as stack,
    ):
        guessing(stack, findings)
        over_rest(stack, cases, facts, findings)
        over_widget(stack, cases[:: args.widget_every], facts, findings)
        findings.crashes += stack.exited()
    status = report(findings, time.monotonic() - started)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "sent": dict(findings.sent),
                "crashes": findings.crashes,
                "empty": findings.empty,
                "failed_turns": findings.failed_turns,
                "unexpected_status": findings.unexpected_status,
                "leaks": findings.leaks,
                "statuses": {str(k): v for k, v in findings.statuses.items()},
                "guesses": findings.guesses,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
