"""bot/orders/__main__.py: the order store CLI, run as a real subprocess."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.clock import parse_instant
from bot.orders.demo import demo_documents
from bot.orders.store import OrderStore
from tests.support.clock import FIXED_NOW, FIXED_NOW_TEXT
from tests.support.paths import PROJECT_ROOT

DEMO_NOW = FIXED_NOW_TEXT

# Product orders in the demo set: one per case, three for the item picker's order (30).
DEMO_ITEMS = len(demo_documents(FIXED_NOW))


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'orders.db'}"


@pytest.fixture
def cli(db_url):
    def run(*args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "ORDERS_DB_URL": db_url, "BOT_SECRET_KEY": "cli-test-" + "0" * 32}
        env.pop("BOT_NOW", None)
        return subprocess.run(
            [sys.executable, "-m", "bot.orders", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def _write(path: Path, document) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_load_upserts_every_entry(cli, db_url, tmp_path):
    documents = demo_documents(parse_instant(DEMO_NOW))
    path = _write(tmp_path / "orders.json", documents)
    result = cli("load", str(path))
    assert result.returncode == 0, result.stderr
    assert f"loaded {DEMO_ITEMS} product orders" in result.stdout
    assert OrderStore(db_url).count() == DEMO_ITEMS


def test_load_accepts_the_api_wrapper(cli, db_url, tmp_path):
    documents = demo_documents(parse_instant(DEMO_NOW))[:2]
    path = _write(tmp_path / "orders.json", {"timestamp": DEMO_NOW, "data": documents})
    assert cli("load", str(path)).returncode == 0
    assert OrderStore(db_url).count() == 2


def test_load_with_one_bad_entry_loads_nothing(cli, db_url, tmp_path):
    documents = copy.deepcopy(demo_documents(parse_instant(DEMO_NOW)))
    documents[1]["productOrder"]["productOrderStatus"] = "SHIPPED"
    bad_id = documents[1]["productOrder"]["productOrderId"]
    path = _write(tmp_path / "orders.json", documents)
    result = cli("load", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{path}: nothing loaded" in result.stderr
    assert f"entry 1 (productOrderId {bad_id}): productOrder.productOrderStatus" in result.stderr
    assert OrderStore(db_url).count() == 0
    count = cli("count")
    assert (count.returncode, count.stdout.strip()) == (0, "0")


def test_load_of_a_bad_file_keeps_what_was_loaded_before(cli, db_url, tmp_path):
    documents = demo_documents(parse_instant(DEMO_NOW))
    assert cli("load", str(_write(tmp_path / "good.json", documents[:3]))).returncode == 0
    changed = copy.deepcopy(documents[:3])
    changed[0]["productOrder"]["productName"] = "바뀐 이름"
    changed[2]["order"]["orderId"] = "123"
    result = cli("load", str(_write(tmp_path / "bad.json", changed)))
    assert result.returncode == 2
    assert "entry 2" in result.stderr and "order.orderId: must be 16 digits" in result.stderr
    store = OrderStore(db_url)
    assert store.count() == 3
    first = store.find(documents[0]["order"]["orderId"])[0]
    assert first.productOrder.productName == documents[0]["productOrder"]["productName"]


def test_load_of_a_non_list_is_refused(cli, db_url, tmp_path):
    result = cli("load", str(_write(tmp_path / "orders.json", {"orders": []})))
    assert result.returncode == 2
    assert "expected a JSON list" in result.stderr
    assert OrderStore(db_url).count() == 0


def test_load_of_invalid_json_is_refused(cli, db_url, tmp_path):
    path = tmp_path / "orders.json"
    path.write_text('[{"order": ', encoding="utf-8")
    result = cli("load", str(path))
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr
    assert OrderStore(db_url).count() == 0


def test_load_of_a_missing_file_is_refused(cli, tmp_path):
    result = cli("load", str(tmp_path / "nowhere.json"))
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_demo_orders_never_go_into_a_configured_store_unasked(cli, db_url):
    refused = cli("seed-demo", "--now", DEMO_NOW)
    assert refused.returncode == 2
    assert "ORDERS_DB_URL is set" in refused.stderr
    skipped = cli("seed-demo", "--if-empty", "--now", DEMO_NOW)  # what `make run` does
    assert skipped.returncode == 0
    assert OrderStore(db_url).count() == 0


def test_seed_demo_then_if_empty_does_not_seed_twice(cli, db_url):
    first = cli("seed-demo", "--into-configured", "--now", DEMO_NOW)
    assert first.returncode == 0, first.stderr
    assert f"seeded {DEMO_ITEMS} demo product orders" in first.stdout
    second = cli("seed-demo", "--if-empty", "--into-configured", "--now", DEMO_NOW)
    assert second.returncode == 0
    assert "not seeding" in second.stdout
    assert OrderStore(db_url).count() == DEMO_ITEMS


def test_export_demo_prints_the_demo_documents(cli, db_url):
    result = cli("export-demo", "--now", DEMO_NOW)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == demo_documents(parse_instant(DEMO_NOW))
    assert "김민지" in result.stdout  # Korean kept readable, not \u-escaped
    assert OrderStore(db_url).count() == 0  # exporting touches no store
