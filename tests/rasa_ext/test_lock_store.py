"""The atomic Redis lock store against a real Redis, raced from many store instances."""

import threading

import pytest
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext.lock_store import AtomicRedisLockStore
from tests.support.redis_server import redis_server


@pytest.fixture(scope="module")
def redis_port():
    with redis_server() as (port, client):
        yield port


def _race(stores, per_store=50):
    tickets: list[int] = []
    guard = threading.Lock()

    def issue(store):
        for _ in range(per_store):
            ticket = store.issue_ticket("buyer")
            with guard:
                tickets.append(ticket)

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tickets


def test_racing_replicas_never_share_a_ticket(redis_port):
    stores = [AtomicRedisLockStore(host="127.0.0.1", port=redis_port, db=2) for _ in range(8)]
    tickets = _race(stores)
    assert sorted(tickets) == list(range(len(tickets)))


def test_rasas_own_store_does_share_tickets_under_the_same_race(redis_port):
    # Why the atomic store exists: the stock store's GET-change-SET loses updates.
    stores = [RedisLockStore(host="127.0.0.1", port=redis_port, db=3) for _ in range(8)]
    tickets = _race(stores)
    assert len(set(tickets)) < len(tickets)


def test_built_from_endpoints_and_cleans_up(redis_port):
    config = EndpointConfig(url="127.0.0.1", type="x", port=redis_port, db=4)
    store = AtomicRedisLockStore(endpoint_config=config)
    first = store.issue_ticket("c1")
    second = store.issue_ticket("c1")
    assert (first, second) == (0, 1)
    assert store.get_lock("c1").is_locked(second)
    store.cleanup("c1", first)
    assert not store.get_lock("c1").is_locked(second)
    store.cleanup("c1", second)
    assert store.get_lock("c1") is None  # an emptied lock is deleted
