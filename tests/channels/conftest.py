from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.support.stack import PROJECT_ROOT, Stack, find_model, running_stack

ORDERS_FILE = PROJECT_ROOT / "tests" / "fixtures" / "orders.json"
NOW = "2026-11-27T10:00:00+09:00"  # the time tests/fixtures/orders.json was made for
# Per-IP lock after this many failed ownership checks, low enough that the attempts left
# in the reply show which address the failures were counted for.
IP_MAX_FAILURES = 3


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return find_model()


@pytest.fixture(scope="module")
def widget_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The project's settings (no extra widget origins, so same origin only) with a low
    per-IP failure limit, and the demo orders."""
    workdir = tmp_path_factory.mktemp("widget-stack")
    raw = yaml.safe_load((PROJECT_ROOT / "bot" / "settings.yml").read_text(encoding="utf-8"))
    raw["security"]["ip"]["max_failures"] = IP_MAX_FAILURES
    settings = workdir / "settings.yml"
    settings.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with running_stack(
        workdir,
        trained_model,
        orders_file=ORDERS_FILE,
        now=NOW,
        extra_env={"BOT_SETTINGS": str(settings)},
    ) as stack:
        yield stack


# --- the messenger channels (TalkTalk, Kakao) ----------------------------------------------

TALKTALK_TOKEN = "ct_test_partner_token"
KAKAO_BOT_ID = "5f1a2b3c4d5e6f7a8b9c0d1e"


@pytest.fixture(scope="session")
def fake_talktalk():
    """A local stand-in for gw.talk.naver.com's send API."""
    from tests.channels.messengers import FakeTalkTalk

    with FakeTalkTalk() as fake:
        yield fake


@pytest.fixture(scope="session")
def messenger_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, fake_talktalk
) -> Iterator[Stack]:
    """The project's credentials.yml and settings, with both messengers switched on by their
    environment alone (no file edits), TalkTalk's send API pointed at the fake."""
    with running_stack(
        tmp_path_factory.mktemp("messenger-stack"),
        trained_model,
        orders_file=ORDERS_FILE,
        now=NOW,
        extra_env={"TALKTALK_TOKEN": TALKTALK_TOKEN, "TALKTALK_API_URL": fake_talktalk.url,
                   "KAKAO_BOT_ID": KAKAO_BOT_ID},
    ) as stack:
        # A fresh server's first turn loads the pipeline lazily and can take longer than
        # Open Builder's 5 s on these shared cores; a running server is warm.
        stack.rest("warm-up", "안녕하세요")
        yield stack
