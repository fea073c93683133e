"""bench/load.py at small scale, as a correctness test (nothing is timed): concurrent
conversations over REST and the widget's socket.io, their turns spread over two Rasa replicas
sharing the PostgreSQL tracker store under the Redis lock store (deploy/endpoints.scale.yml).
Then its checker on made-up stored trackers: it must see each kind of fault."""

from __future__ import annotations

import pytest

from bench.load import (
    SCRIPTS,
    VERIFY_TURN,
    Conversation,
    Turn,
    bubbles,
    check_stored,
    run_load,
)
from bot.security.redact import redact_text
from bot.settings import get_settings
from tests.support.stack import find_model


@pytest.mark.slow
def test_concurrent_conversations_on_two_replicas_keep_every_turn_once_and_in_order(tmp_path):
    results, _, scripts = run_load(8, replica_counts=[2], model=find_model(), workdir=tmp_path)

    assert all(script[VERIFY_TURN].expected[0] == "verified" for script in scripts)
    assert [(r.transport, r.replicas, r.conversations, r.turns) for r in results] == [
        ("rest", 2, 8, 56), ("widget", 2, 8, 56),
    ]
    for r in results:
        counts = (r.failed_turns, r.wrong_replies, r.lost, r.duplicated, r.reordered,
                  r.wrong_stored_replies, r.ledger_failures, r.replica_exits)
        assert counts == (0, 0, 0, 0, 0, 0, 0, 0), (r.transport, r.problems)
        assert r.lock_watches >= 2 * r.turns  # every turn locked its conversation in Redis


# The first script, each turn expecting made-up replies.
SCRIPT = tuple(Turn(text, (), (f"reply {n}", f"more {n}")) for n, text in enumerate(SCRIPTS[0]))


def _as_sent() -> list[tuple[str, tuple[str, ...]]]:
    """The script as a correct store keeps it: user texts redacted, the expected replies."""
    max_chars = get_settings().security.max_message_chars
    return [(redact_text(turn.text, max_chars), turn.replies) for turn in SCRIPT]


def _check(turns: list[tuple[str, tuple[str, ...]]]) -> dict[str, int]:
    events: list[dict] = [{"event": "action", "name": "action_session_start"}]
    for user, replies in turns:
        events.append({"event": "user", "text": user})
        events.extend({"event": "bot", "text": reply} for reply in replies)
    result = check_stored(Conversation(0, SCRIPT, sender="s"), events)
    return {key: value for key, value in result.items() if key != "problems"}


def test_the_checker_passes_the_script_as_sent_with_phone_digits_masked():
    assert _as_sent()[2][0] == "****"  # 1004 is stored, and compared, redacted
    assert _check(_as_sent()) == {
        "lost": 0, "duplicated": 0, "reordered": 0, "wrong_stored_replies": 0,
    }


def test_the_checker_counts_lost_duplicated_reordered_and_wrong_replies():
    turns = _as_sent()
    assert _check(turns[:3] + turns[4:])["lost"] == 1
    assert _check(turns[:5] + [turns[4]] + turns[5:])["duplicated"] == 1
    assert _check(turns[:3] + [turns[4], turns[3]] + turns[5:])["reordered"] == 1
    assert _check(turns[:3] + [(turns[3][0], ("reply 3",))] + turns[4:]) == {
        "lost": 0, "duplicated": 0, "reordered": 0, "wrong_stored_replies": 1,
    }


def test_a_widget_turn_is_one_message_per_paragraph():
    assert bubbles(["첫 문단\n\n둘째 문단", "한 문단"]) == ("첫 문단", "둘째 문단", "한 문단")
